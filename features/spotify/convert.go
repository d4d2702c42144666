package spotify

import (
	"strconv"

	"github.com/discoflow/disco/features"
	zspotify "github.com/zmb3/spotify/v2"
)

// f64 converts a float32 from the library to the float64 whose shortest
// decimal form is the float32's: Spotify sends at most 6 significant
// digits, so this gives back the number in the JSON (0.123, not
// 0.12300000339746475).
func f64(x float32) float64 {
	v, err := strconv.ParseFloat(strconv.FormatFloat(float64(x), 'g', -1, 32), 64)
	if err != nil {
		return float64(x)
	}
	return v
}

// featuresTrack maps Spotify audio features to a Track holding only its
// id and features. Key -1 (or out of 0..11) is unknown, mode other than 0
// or 1 is unknown (-1), tempo <= 0 is unknown (0), time signature <= 0 is
// unknown (0). HasFeatures is false, and Features all NaN, when any
// abstract feature is outside its documented range.
func featuresTrack(af *zspotify.AudioFeatures) *features.Track {
	t := &features.Track{
		ID:            string(af.ID),
		Key:           int(af.Key),
		Mode:          int(af.Mode),
		Tempo:         f64(af.Tempo),
		TimeSignature: int(af.TimeSignature),
		DurationMS:    int(af.Duration),
		Popularity:    -1,
		From:          features.Provenance{Features: Source},
	}
	if t.Key < 0 || t.Key > 11 {
		t.Key = -1
	}
	if t.Mode != 0 && t.Mode != 1 {
		t.Mode = -1
	}
	if t.Tempo <= 0 {
		t.Tempo = 0
	}
	if t.TimeSignature < 0 {
		t.TimeSignature = 0
	}
	if t.DurationMS <= 0 {
		t.DurationMS = -1
	}
	var v features.Vector
	v[features.Acousticness] = f64(af.Acousticness)
	v[features.Danceability] = f64(af.Danceability)
	v[features.Energy] = f64(af.Energy)
	v[features.Instrumentalness] = f64(af.Instrumentalness)
	v[features.Liveness] = f64(af.Liveness)
	v[features.Loudness] = f64(af.Loudness)
	v[features.Speechiness] = f64(af.Speechiness)
	v[features.Valence] = f64(af.Valence)
	if features.CheckFeatures(v) == nil {
		t.Features, t.HasFeatures = v, true
	} else {
		t.Features = features.NoFeatures
	}
	return t
}

// metaTrack maps a track object to a Track with metadata only: no
// features (key and mode -1, tempo 0, HasFeatures false).
func metaTrack(st *zspotify.SimpleTrack, popularity int) *features.Track {
	t := &features.Track{
		ID:          string(st.ID),
		Name:        st.Name,
		Album:       st.Album.Name,
		ReleaseDate: st.Album.ReleaseDate,
		DurationMS:  int(st.Duration),
		Popularity:  popularity,
		Key:         -1,
		Mode:        -1,
		Features:    features.NoFeatures,
		From:        features.Provenance{Meta: Source},
	}
	if t.DurationMS <= 0 {
		t.DurationMS = -1
	}
	for _, a := range st.Artists {
		t.Artists = append(t.Artists, a.Name)
	}
	return t
}

func fullTrack(ft *zspotify.FullTrack) *features.Track {
	st := ft.SimpleTrack
	st.Album = ft.Album
	return metaTrack(&st, int(ft.Popularity))
}
