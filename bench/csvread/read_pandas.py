#!/usr/bin/python3
"""Reads an audio-feature CSV with pandas (Debian's python3-pandas), the
strongest Python peer of disco's reader: pd.read_csv with every column's
dtype given (strings as object, the numeric columns as float64) and the C
engine, then, as disco's reader and read.py do, the distinct tracks
(drop_duplicates on track_id) and the playlists (groupby playlist_id,
indices). Prints the best and median wall time and the median CPU time of
-n runs, in ms, for read_csv alone and for read_csv with the grouping.

usage: read_pandas.py [-n runs] file.csv
"""
import statistics
import sys
import time

import pandas as pd

NUMERIC = ["track_popularity", "danceability", "energy", "key", "loudness", "mode",
           "speechiness", "acousticness", "instrumentalness", "liveness", "valence",
           "tempo", "duration_ms", "time_signature"]


def dtypes(path):
    with open(path, encoding="utf-8-sig") as f:
        header = f.readline().strip().split(",")
    return {c: ("float64" if c in NUMERIC else "object") for c in header}


def main(argv):
    runs = 10
    if argv[:1] == ["-n"]:
        runs, argv = int(argv[1]), argv[2:]
    path = argv[0]
    dt = dtypes(path)
    reads, totals, cpus = [], [], []
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        df = pd.read_csv(path, dtype=dt, engine="c", na_values=["", "NA"], keep_default_na=False,
                         encoding="utf-8-sig")
        t1 = time.perf_counter()
        tracks = df.drop_duplicates("track_id")
        playlists = df.groupby("playlist_id", sort=False).indices if "playlist_id" in df else {}
        totals.append((time.perf_counter() - t0) * 1000)
        reads.append((t1 - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    print(f"pandas {pd.__version__} read_csv: {len(df)} rows, {len(tracks)} tracks, {len(playlists)} playlists: "
          f"best {min(totals):.1f} ms, median {statistics.median(totals):.1f} ms wall; "
          f"median {statistics.median(cpus):.1f} ms CPU; read_csv alone best {min(reads):.1f} ms, "
          f"median {statistics.median(reads):.1f} ms; over {runs} runs")


if __name__ == "__main__":
    main(sys.argv[1:])
