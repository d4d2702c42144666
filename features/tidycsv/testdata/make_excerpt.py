#!/usr/bin/python3
"""Cuts the real-data excerpts in this folder out of spotify_songs.csv.

usage: make_excerpt.py [path/to/spotify_songs.csv]

excerpt.csv: six whole blocks of rows, as they stand in the file: a playlist
that comes back later as an exact duplicate (both blocks), a playlist that
comes back with other tracks under another genre (both blocks), a one-track
playlist and a playlist with NA name/artist/album rows. Blocks of one
playlist keep their order; the others are put between them so that no two
blocks of one playlist touch.

rows.csv: single real rows worth a look: tempo 0, artists joined by ";",
a comma in the artist name, R's NA for name, artist and album.
"""
import csv
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/data/spotify_songs.csv"
with open(src, newline="", encoding="utf-8") as f:
    rd = csv.reader(f)
    header = next(rd)
    rows = list(rd)

pid = header.index("playlist_id")
blocks = []
for i, r in enumerate(rows):
    if not blocks or blocks[-1][0] != r[pid]:
        blocks.append([r[pid], i, i])
    blocks[-1][2] = i + 1


def block(playlist_id, nth):
    b = [b for b in blocks if b[0] == playlist_id][nth]
    return rows[b[1]:b[2]]


out = []
out += block("37i9dQZF1DWTHM4kX49UKs", 0)  # comes back as an exact duplicate
out += block("37i9dQZF1DX4OjfOteYnH8", 0)  # comes back with other tracks
out += block("6HprqD6WZMx5peClrxaprN", 0)  # one track
out += block("5GA8GDo7RQC3JEanT81B3g", 0)  # two rows with NA name, artist, album
out += block("37i9dQZF1DX4OjfOteYnH8", 1)
out += block("37i9dQZF1DWTHM4kX49UKs", 1)
with open("excerpt.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    w.writerows(out)

tid = header.index("track_id")
want = ["51w6nRCU68klqNfYaaVP2j",  # tempo 0
        "69gRFGOWY9OMpFJgFol1u0",  # NA name, artist, album
        ]
picked = [next(r for r in rows if r[tid] == w) for w in want]
picked.append(next(r for r in rows if ";" in r[header.index("track_artist")]))
picked.append(next(r for r in rows if r[header.index("track_artist")] == "Tyler, The Creator"))
with open("rows.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    w.writerows(picked)

# Figures the tests check, computed here independently of the Go reader.
ids = [r[tid] for r in out]
print("excerpt rows", len(out), "distinct tracks", len(set(ids)),
      "blocks", len([1 for i in range(len(out)) if i == 0 or out[i][pid] != out[i-1][pid]]),
      "distinct playlists", len(set(r[pid] for r in out)))
