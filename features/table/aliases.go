package table

import (
	"slices"

	"github.com/discoflow/disco/features"
)

// HeaderAliases maps normalised header names (NormalizeHeader) to the
// track field a column holds: the one registry of column names that every
// table reader (tidycsv, exportify) and format sniffing (features/load)
// use. The eight abstract features go by their own names.
var HeaderAliases = headerAliases()

func headerAliases() map[string]Field {
	m := map[string]Field{
		"id": FieldID, "track_id": FieldID, "spotify_id": FieldID,
		"track_uri": FieldID, "uri": FieldID,

		"name": FieldName, "track_name": FieldName, "song": FieldName,
		"song_name": FieldName, "title": FieldName,

		"artist": FieldArtists, "artists": FieldArtists, "track_artist": FieldArtists,
		"artist_name": FieldArtists, "artist_names": FieldArtists, "artist_name(s)": FieldArtists,

		"album": FieldAlbum, "album_name": FieldAlbum, "track_album_name": FieldAlbum,

		"release_date": FieldReleaseDate, "album_release_date": FieldReleaseDate,
		"track_album_release_date": FieldReleaseDate,

		"popularity": FieldPopularity, "track_popularity": FieldPopularity,
		"duration_ms": FieldDuration, "duration": FieldDuration,
		"genre": FieldGenre, "playlist_genre": FieldGenre, "track_genre": FieldGenre,
		"subgenre": FieldSubgenre, "playlist_subgenre": FieldSubgenre,

		"key": FieldKey, "mode": FieldMode, "tempo": FieldTempo,
		"time_signature": FieldTimeSignature,

		// spotifyr's get_playlist_audio_features, written by write.csv: the
		// track's fields under dotted names, and the key and mode as text
		// ("C#", "minor", "C# minor"), read when the numeric columns, which
		// come first, are absent.
		"track.id": FieldID, "track.uri": FieldID, "track.name": FieldName,
		"track.album.name": FieldAlbum, "track.album.release_date": FieldReleaseDate,
		"track.duration_ms": FieldDuration, "track.popularity": FieldPopularity,
		"key_name": FieldKey, "key_mode": FieldKey, "mode_name": FieldMode,

		// Exportify's names.
		"spotify_uri": FieldID, "duration_(ms)": FieldDuration, "track_duration_(ms)": FieldDuration,
		"genres": FieldGenre, "artist_genres": FieldGenre,
	}
	for i, n := range features.AbstractNames {
		m[n] = FieldFeature + Field(i)
	}
	return m
}

// IDHeaders returns the normalised header names of a track id column, in
// order, for messages.
func IDHeaders() []string {
	var out []string
	for h, f := range HeaderAliases {
		if f == FieldID {
			out = append(out, h)
		}
	}
	slices.Sort(out)
	return out
}
