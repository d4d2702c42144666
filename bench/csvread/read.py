#!/usr/bin/python3
"""Reads an audio-feature CSV with Python's csv module, as the baseline
disco's reader is measured against: each row becomes a dict with the
numeric columns converted to float, and the rows are grouped into playlists
by playlist_id. Prints the best and median wall time and the median CPU time of -n runs,
in ms.

usage: read.py [-n runs] file.csv
"""
import csv
import statistics
import sys
import time

NUMERIC = {"track_popularity", "danceability", "energy", "key", "loudness", "mode",
           "speechiness", "acousticness", "instrumentalness", "liveness", "valence",
           "tempo", "duration_ms", "time_signature"}


def read(path):
    tracks = {}
    playlists = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            for k in NUMERIC.intersection(row):
                row[k] = float(row[k]) if row[k] not in ("", "NA") else float("nan")
            tracks.setdefault(row["track_id"], row)
            playlists.setdefault(row.get("playlist_id", ""), []).append(row["track_id"])
    return tracks, playlists


def main(argv):
    runs = 10
    if argv[:1] == ["-n"]:
        runs, argv = int(argv[1]), argv[2:]
    path = argv[0]
    times, cpus = [], []
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        tracks, playlists = read(path)
        times.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    print(f"python csv: {len(tracks)} tracks, {len(playlists)} playlists: "
          f"best {min(times):.1f} ms, median {statistics.median(times):.1f} ms wall; "
          f"median {statistics.median(cpus):.1f} ms CPU; over {runs} runs")


if __name__ == "__main__":
    main(sys.argv[1:])
