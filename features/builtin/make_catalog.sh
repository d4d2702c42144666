#!/bin/sh
# Rebuilds catalog.csv.gz from the TidyTuesday "Spotify Songs" copy in
# ../shared/data: all rows, in order, without the track_album_id column,
# then catalog.bin from it (go generate; a test fails if that is skipped).
set -eu
src=${1:-../../../shared/data/spotify_songs.csv}
python3 - "$src" <<'PY'
import csv, gzip, io, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
keep = ["track_id", "track_name", "track_artist", "track_popularity", "track_album_name",
        "track_album_release_date", "playlist_name", "playlist_id", "playlist_genre",
        "playlist_subgenre", "danceability", "energy", "key", "loudness", "mode",
        "speechiness", "acousticness", "instrumentalness", "liveness", "valence",
        "tempo", "duration_ms"]
b = io.StringIO()
w = csv.DictWriter(b, keep, extrasaction="ignore", lineterminator="\n")
w.writeheader()
w.writerows(rows)
open("catalog.csv.gz", "wb").write(gzip.compress(b.getvalue().encode(), 9, mtime=0))
PY
go generate .
