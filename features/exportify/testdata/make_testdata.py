#!/usr/bin/python3
"""Builds Exportify-style test files from real rows of spotify_songs.csv.

usage: make_testdata.py [path/to/spotify_songs.csv]

"Permanent Wave.csv": the 7-track playlist 6dqoVI7qwYLyNqbg0MPad3 in the
columns of pavelkomarov/exportify (byte-order mark, Track URI first,
features filled, artists joined by ",").

"Indie 2010s.csv": the first 12 tracks of playlist 37i9dQZF1DWTHM4kX49UKs
and its "Tyler, The Creator" track, in the columns of watsonbox/exportify
today (artists joined by ", " with "\\," for a comma in a name, CRLF line
ends) with every feature column empty, as Spotify answers applications
registered since November 2024.

"old export.csv": three rows in the columns of Exportify's 2019 version
(Spotify ID, a bare id).
"""
import csv
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/data/spotify_songs.csv"
with open(src, newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))


def playlist(pid):
    seen, out = False, []
    for r in rows:
        if r["playlist_id"] == pid:
            out.append(r)
            seen = True
        elif seen:
            break
    return out


FEAT = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
        "instrumentalness", "liveness", "valence", "tempo"]

# pavelkomarov/exportify
hdr = ["Track URI", "Track Name", "Album Name", "Artist Name(s)", "Release Date", "Duration (ms)",
       "Popularity", "Explicit", "Added By", "Added At", "Genres", "Record Label", "Danceability",
       "Energy", "Key", "Loudness", "Mode", "Speechiness", "Acousticness", "Instrumentalness",
       "Liveness", "Valence", "Tempo", "Time Signature"]
with open("Permanent Wave.csv", "w", newline="", encoding="utf-8-sig") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(hdr)
    for r in playlist("6dqoVI7qwYLyNqbg0MPad3"):
        w.writerow(["spotify:track:" + r["track_id"], r["track_name"], r["track_album_name"],
                    r["track_artist"], r["track_album_release_date"], r["duration_ms"],
                    r["track_popularity"], "false", "spotify:user:someone", "2020-01-10T12:00:00Z",
                    "permanent wave,rock", ""] + [r[k] for k in FEAT] + ["4"])

# watsonbox/exportify, features refused
hdr = ["Track URI", "Track Name", "Artist URI(s)", "Artist Name(s)", "Album URI", "Album Name",
       "Album Artist URI(s)", "Album Artist Name(s)", "Album Release Date", "Album Image URL",
       "Disc Number", "Track Number", "Track Duration (ms)", "Track Preview URL", "Explicit",
       "Popularity", "ISRC", "Added By", "Added At", "Artist Genres", "Danceability", "Energy",
       "Key", "Loudness", "Mode", "Speechiness", "Acousticness", "Instrumentalness", "Liveness",
       "Valence", "Tempo", "Time Signature", "Album Genres", "Label", "Copyrights"]
indie = playlist("37i9dQZF1DWTHM4kX49UKs")
picked = indie[:12] + [r for r in indie if r["track_artist"] == "Tyler, The Creator"][:1]
with open("Indie 2010s.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(hdr)
    for r in picked:
        artist = r["track_artist"].replace(",", "\\,")
        w.writerow(["spotify:track:" + r["track_id"], r["track_name"], "", artist,
                    "spotify:album:" + r["track_album_id"], r["track_album_name"], "", artist,
                    r["track_album_release_date"], "", "1", "1", r["duration_ms"], "", "false",
                    r["track_popularity"], "", "", "2020-01-10T12:00:00Z", "indie"] + [""] * 12 + ["", "", ""])

# Exportify 2019
hdr = ["Spotify ID", "Artist IDs", "Track Name", "Album Name", "Artist Name(s)", "Release Date",
       "Duration (ms)", "Popularity", "Added By", "Added At", "Genres", "Danceability", "Energy",
       "Key", "Loudness", "Mode", "Speechiness", "Acousticness", "Instrumentalness", "Liveness",
       "Valence", "Tempo", "Time Signature"]
with open("old export.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(hdr)
    for r in rows[:3]:
        w.writerow([r["track_id"], "", r["track_name"], r["track_album_name"], r["track_artist"],
                    r["track_album_release_date"], r["duration_ms"], r["track_popularity"], "", "", ""]
                   + [r[k] for k in FEAT] + ["4"])
