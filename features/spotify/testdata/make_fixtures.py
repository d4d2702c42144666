#!/usr/bin/env python3
"""Writes the Spotify Web API fixtures in this directory.

The fixtures are synthetic but follow the exact JSON shapes of Spotify's Web
API reference (search, recommendations, audio-features with a null entry,
the token endpoint, POST /me/playlists, POST /playlists/{id}/items, error
objects). The 403 body {"error":{"status":403}} is what the closed
audio-features endpoint answers (no message). Run it from this directory:
python3 make_fixtures.py
"""
import json

API = "https://api.spotify.com/v1"


def artist(aid, name):
    return {
        "external_urls": {"spotify": f"https://open.spotify.com/artist/{aid}"},
        "href": f"{API}/artists/{aid}",
        "id": aid,
        "name": name,
        "type": "artist",
        "uri": f"spotify:artist:{aid}",
    }


def album(alid, name, artists, date, total):
    return {
        "album_type": "album",
        "artists": artists,
        "available_markets": ["DE", "GB", "US"],
        "external_urls": {"spotify": f"https://open.spotify.com/album/{alid}"},
        "href": f"{API}/albums/{alid}",
        "id": alid,
        "images": [
            {"height": 640, "url": f"https://i.scdn.co/image/ab67616d0000b273{alid.lower()}", "width": 640},
            {"height": 300, "url": f"https://i.scdn.co/image/ab67616d00001e02{alid.lower()}", "width": 300},
        ],
        "name": name,
        "release_date": date,
        "release_date_precision": "day" if len(date) == 10 else "year",
        "total_tracks": total,
        "type": "album",
        "uri": f"spotify:album:{alid}",
    }


def track(tid, name, arts, alb, dur, pop, isrc, num):
    return {
        "album": alb,
        "artists": arts,
        "available_markets": ["DE", "GB", "US"],
        "disc_number": 1,
        "duration_ms": dur,
        "explicit": False,
        "external_ids": {"isrc": isrc},
        "external_urls": {"spotify": f"https://open.spotify.com/track/{tid}"},
        "href": f"{API}/tracks/{tid}",
        "id": tid,
        "is_local": False,
        "name": name,
        "popularity": pop,
        "preview_url": None,
        "track_number": num,
        "type": "track",
        "uri": f"spotify:track:{tid}",
    }


queen = artist("1dfeR4HaWDbWqFHLkxsg1d", "Queen")
dandy = artist("5nziOhmQLXq0R8sCTYVAGa", "The Dandy Warhols")
daft = artist("4tZwfgrHOc3mvqYlEYSvVi", "Daft Punk")
bey = artist("6vWDO969PvNqNYHIOW5v0m", "Beyoncé")
jay = artist("3nFkdlSjzX9mRTtwJOzDYB", "JAY-Z")
other = [artist(f"0ArtistFixture{i:08d}", f"Fixture Artist {i}") for i in range(10)]

opera = album("1GbtB4zTqAsyfZEsm1RZfx", "A Night At The Opera (2011 Remaster)", [queen], "1975-11-21", 12)
homework = album("5uRdvUR7xCnHmUW8n64n9y", "Homework", [daft], "1997-01-20", 16)
dangerously = album("6oxVabMIqCMJRYN1GqR3Vf", "Dangerously In Love", [bey], "2003-06-24", 15)
come_down = album("2G5BwwMuPgXXzN3pXTTBcb", "Thirteen Tales From Urban Bohemia", [dandy], "2000", 14)

A = track("4u7EnebtmKWzUH433cf5Qv", "Bohemian Rhapsody - Remastered 2011", [queen], opera, 354320, 84, "GBUM71029604", 11)
B = track("1pKYYY0dkg23sQQXi0Q5zN", "Around the World", [daft], homework, 429533, 76, "GBDUW0000059", 7)
C = track("5IVuqXILoxVWvWEPm82Jxr", "Crazy In Love (feat. Jay-Z)", [bey, jay], dangerously, 236133, 80, "USSM10300956", 1)
MIS = track("3tKTfCOxUKQkWIHh2wvPRA", "Bohemian Like You", [dandy], come_down, 211213, 72, "GBAYE0000351", 2)


def rec(i):
    a = other[i % len(other)]
    alb = album(f"0AlbumFixture{i:09d}", f"Fixture Album {i}", [a], "2010-05-0%d" % (1 + i % 9), 10)
    return track(f"0TrackFixture{i:09d}", f"Fixture Song {i}", [a], alb, 180000 + 1000 * i, 40 + i, f"QZFIX{i:07d}", 1 + i % 10)


R = [rec(i) for i in range(12)]


def dump(name, obj):
    with open(name, "w") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def page(q, items):
    return {"tracks": {
        "href": f"{API}/search?query={q}&type=track&offset=0&limit=10",
        "items": items, "limit": 10, "next": None, "offset": 0,
        "previous": None, "total": len(items)}}


dump("search_queen.json", page("track%3A%22Bohemian+Rhapsody%22+artist%3A%22Queen%22", [A, MIS]))
dump("search_mismatch.json", page("track%3A%22Bohemian+Rhapsody%22+artist%3A%22Queen%22", [MIS]))
dump("search_empty.json", page("track%3A%22No+Such+Song%22+artist%3A%22Nobody%22", []))


def seed(tid, pool):
    return {"afterFilteringSize": pool, "afterRelinkingSize": pool,
            "href": f"{API}/tracks/{tid}", "id": tid, "initialPoolSize": pool, "type": "TRACK"}


# Each seed's recommendations overlap, and B's list holds seed A itself.
dump("recommendations_a.json", {"seeds": [seed(A["id"], 250)], "tracks": [R[0], R[1], R[2], R[3]]})
dump("recommendations_b.json", {"seeds": [seed(B["id"], 250)], "tracks": [R[3], R[4], A, R[5]]})
dump("recommendations_ab.json", {"seeds": [seed(A["id"], 250), seed(B["id"], 250)], "tracks": [R[1], R[6], R[7]]})


def features(tid, i):
    return {
        "acousticness": round(0.011 + 0.07 * i, 4),
        "analysis_url": f"{API}/audio-analysis/{tid}",
        "danceability": round(0.4 + 0.03 * i, 3),
        "duration_ms": 180000 + 1000 * i,
        "energy": round(0.5 + 0.02 * i, 3),
        "id": tid,
        "instrumentalness": round(0.000123 * (i + 1), 6),
        "key": (i * 5) % 12 if i != 2 else -1,
        "liveness": round(0.0921 + 0.01 * i, 4),
        "loudness": round(-9.211 + 0.3 * i, 3),
        "mode": i % 2,
        "speechiness": round(0.0342 + 0.001 * i, 4),
        "tempo": round(100.123 + 3.5 * i, 3) if i != 3 else 0,
        "time_signature": 4 if i != 4 else 3,
        "track_href": f"{API}/tracks/{tid}",
        "type": "audio_features",
        "uri": f"spotify:track:{tid}",
        "valence": round(0.301 + 0.04 * i, 3),
    }


# Audio features for every fixture track but R[5], which Spotify does not
# know: its entry is null, as the API answers for unknown ids.
ids = [A["id"], B["id"], C["id"]] + [r["id"] for r in R]
dump("audio_features.json", {"audio_features": [None if tid == R[5]["id"] else features(tid, i) for i, tid in enumerate(ids)]})

dump("token.json", {"access_token": "BQC4u7EnebtmKWzUH433cf5QvClientCredentialsFixture", "token_type": "Bearer", "expires_in": 3600})
dump("token_user.json", {"access_token": "BQDuserAccessTokenFixture0001", "token_type": "Bearer", "expires_in": 3600,
                         "refresh_token": "AQDrefreshTokenFixture0001", "scope": "playlist-modify-private playlist-modify-public"})
dump("token_refreshed.json", {"access_token": "BQDuserAccessTokenFixture0002", "token_type": "Bearer", "expires_in": 3600,
                              "scope": "playlist-modify-private playlist-modify-public"})
dump("error_invalid_client.json", {"error": "invalid_client", "error_description": "Invalid client"})
dump("error_403.json", {"error": {"status": 403}})
dump("error_404.json", {"error": {"status": 404, "message": "Not found."}})
dump("error_429.json", {"error": {"status": 429, "message": "API rate limit exceeded"}})
dump("error_500.json", {"error": {"status": 500, "message": "Server error."}})

user = {"display_name": "Disco Tester", "external_urls": {"spotify": "https://open.spotify.com/user/discotester"},
        "href": f"{API}/users/discotester", "id": "discotester", "type": "user", "uri": "spotify:user:discotester"}
pl = "3cEYpjA9oz9GiPac4AsH4n"
dump("me_playlists.json", {
    "collaborative": False, "description": "Ordered by disco",
    "external_urls": {"spotify": f"https://open.spotify.com/playlist/{pl}"},
    "followers": {"href": None, "total": 0}, "href": f"{API}/playlists/{pl}", "id": pl, "images": [],
    "name": "disco test", "owner": user, "primary_color": None, "public": False,
    "snapshot_id": "AAAAAQAAAAA=",
    "tracks": {"href": f"{API}/playlists/{pl}/tracks", "items": [], "limit": 100, "next": None, "offset": 0, "previous": None, "total": 0},
    "type": "playlist", "uri": f"spotify:playlist:{pl}"})
dump("playlist_items.json", {"snapshot_id": "AAAAAgAAAAB="})
