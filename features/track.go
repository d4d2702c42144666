package features

import (
	"fmt"
	"math"
	"strings"
)

// The eight abstract features, in DISCO's order. They index Track.Features.
const (
	Acousticness = iota
	Danceability
	Energy
	Instrumentalness
	Liveness
	Loudness
	Speechiness
	Valence
	// NumAbstract is the number of abstract features.
	NumAbstract
)

// AbstractNames are the names of the abstract features, indexed like
// Track.Features.
var AbstractNames = [NumAbstract]string{
	"acousticness", "danceability", "energy", "instrumentalness",
	"liveness", "loudness", "speechiness", "valence",
}

// AbstractIndex returns the index of the abstract feature of the given
// name (as in AbstractNames, case-insensitive), or -1.
func AbstractIndex(name string) int {
	for i, n := range AbstractNames {
		if strings.EqualFold(n, strings.TrimSpace(name)) {
			return i
		}
	}
	return -1
}

// Range is the documented closed interval of an abstract feature.
type Range struct{ Min, Max float64 }

// AbstractRanges are the documented ranges of the abstract features: all in
// [0, 1] but loudness, in [-60, 5] dB (Spotify documents -60..0; real
// masters reach a few dB above 0).
var AbstractRanges = [NumAbstract]Range{
	{0, 1}, {0, 1}, {0, 1}, {0, 1}, {0, 1}, {-60, 5}, {0, 1}, {0, 1},
}

// Vector is the eight abstract features of one track, raw or scaled.
type Vector [NumAbstract]float64

// Dist2 returns the squared Euclidean distance of v and o.
func (v *Vector) Dist2(o *Vector) float64 {
	var d float64
	for i := range v {
		e := v[i] - o[i]
		d += e * e
	}
	return d
}

// Provenance says where a track's values came from, for example
// "csv:spotify_songs.csv:42", "exportify:liked.csv:7", "spotify",
// "reccobeats" or "cache:spotify". An empty field means not known.
type Provenance struct {
	Meta     string // id, name, artists, album, duration, popularity
	Features string // the abstract features, key, mode, tempo, time signature
}

// Track is one recording with its audio features.
//
// Unknown values: Key and Mode are -1, Tempo is 0, TimeSignature is 0,
// Popularity and DurationMS are -1 when not known. Features holds NaN in
// every position when HasFeatures is false.
type Track struct {
	ID          string   // Spotify track id (22 base-62 characters) or a source's own id
	Name        string   // title
	Artists     []string // in credit order
	Album       string
	ReleaseDate string // as given: "2019", "2019-06" or "2019-06-14"
	Genre       string // genre of the playlist the track came from, if any
	Subgenre    string
	DurationMS  int
	Popularity  int // 0-100

	Key           int     // pitch class 0-11 (C = 0), -1 unknown
	Mode          int     // 1 major, 0 minor, -1 unknown
	Tempo         float64 // BPM, 0 unknown
	TimeSignature int     // beats per bar, 0 unknown

	Features    Vector // abstract features, raw (unscaled)
	HasFeatures bool   // all eight abstract features are known

	From Provenance
}

// Artist returns the track's artists joined by ", ".
func (t *Track) Artist() string { return strings.Join(t.Artists, ", ") }

// String returns "artist - title".
func (t *Track) String() string {
	a := t.Artist()
	switch {
	case a == "":
		return t.Name
	case t.Name == "":
		return a
	}
	return a + " - " + t.Name
}

// URI returns the track's Spotify URI, "spotify:track:<id>".
func (t *Track) URI() string { return "spotify:track:" + t.ID }

// NoFeatures is a Vector of NaN, the value of Features when HasFeatures is
// false.
var NoFeatures = Vector{math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()}

// CheckFeatures reports the first abstract feature of v that is NaN,
// infinite or outside its documented range, as an error naming it.
func CheckFeatures(v Vector) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("features: %s is %v", AbstractNames[i], x)
		}
		if r := AbstractRanges[i]; x < r.Min || x > r.Max {
			return fmt.Errorf("features: %s = %v outside [%v, %v]", AbstractNames[i], x, r.Min, r.Max)
		}
	}
	return nil
}

// SameFeatures reports whether two tracks carry the same audio features
// (abstract features, key, mode and tempo), within tol for the floats.
func SameFeatures(a, b *Track, tol float64) bool {
	if a.HasFeatures != b.HasFeatures || a.Key != b.Key || a.Mode != b.Mode {
		return false
	}
	if math.Abs(a.Tempo-b.Tempo) > tol {
		return false
	}
	if !a.HasFeatures {
		return true
	}
	for i := range a.Features {
		if math.Abs(a.Features[i]-b.Features[i]) > tol {
			return false
		}
	}
	return true
}

// ModeInput is the value of the mode input of the RNN for a track's mode:
// 1 major, 0 minor, and 0.5 when the mode is unknown (the midpoint, so an
// unknown mode pulls the prediction towards neither).
func ModeInput(mode int) float64 {
	switch mode {
	case 1:
		return 1
	case 0:
		return 0
	}
	return 0.5
}
