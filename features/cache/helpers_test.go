package cache_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/cache"
)

// genID is the i-th generated Spotify-style id. Its 18 digits are i
// times an odd constant modulo 10^18, a bijection, so that consecutive ids
// land all over the key space, as real (random) Spotify ids do, rather
// than one after another in the B-tree.
func genID(i int) string { return fmt.Sprintf("0Gen%018d", mulMod(uint64(i), genMul)) }

func genIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = genID(i)
	}
	return ids
}

func genIndex(id string) int {
	x, _ := strconv.ParseUint(id[4:], 10, 64)
	return int(mulMod(x, genInv))
}

const (
	genMod = 1_000_000_000_000_000_000
	genMul = 7_640_891_576_956_012_809 % genMod // odd, not a multiple of 5
)

// genInv is genMul's inverse modulo 10^18.
var genInv = func() uint64 {
	a, m := new(big.Int).SetUint64(genMul), new(big.Int).SetUint64(genMod)
	return new(big.Int).ModInverse(a, m).Uint64()
}()

// mulMod returns a*b mod 10^18.
func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	_, rem := bits.Div64(hi%genMod, lo, genMod)
	return rem
}

// unknownIndex marks the generated ids no source knows.
func unknownIndex(i int) bool { return i%7 == 3 }

// genTrack is what a source answers for generated id i.
func genTrack(id string, from string) *features.Track {
	i := genIndex(id)
	if unknownIndex(i) {
		return nil
	}
	t := &features.Track{ID: id, Key: i % 12, Mode: i % 2, Tempo: 90 + float64(i%60), TimeSignature: 4, DurationMS: -1, Popularity: -1,
		From: features.Provenance{Features: from}}
	if i%11 == 5 {
		t.Features = features.NoFeatures // known, but without all abstract features
		return t
	}
	t.HasFeatures = true
	t.Features = features.Vector{0.5, float64(i%1000) / 1000, 0.5, 0.1, 0.1, -7.5, 0.05, float64(i%100) / 100}
	return t
}

// memSource is an in-memory Source that records its calls.
type memSource struct {
	batch  int
	mu     sync.Mutex
	calls  [][]string
	failAt int // fail the failAt-th call (1-based); 0 never
	err    error
}

func (s *memSource) Name() string   { return "mem" }
func (s *memSource) BatchSize() int { return s.batch }

func (s *memSource) GetFeatures(ctx context.Context, ids []string) ([]*features.Track, error) {
	s.mu.Lock()
	s.calls = append(s.calls, append([]string(nil), ids...))
	n := len(s.calls)
	s.mu.Unlock()
	if n == s.failAt {
		return nil, s.err
	}
	out := make([]*features.Track, len(ids))
	for i, id := range ids {
		out[i] = genTrack(id, "mem")
	}
	return out, nil
}

func (s *memSource) asked() (calls, ids int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.calls {
		ids += len(c)
	}
	return len(s.calls), ids
}

func (s *memSource) Recommend(ctx context.Context, seeds []string, n int) ([]*features.Track, error) {
	s.mu.Lock()
	s.calls = append(s.calls, seeds)
	s.mu.Unlock()
	var out []*features.Track
	for i := range n {
		out = append(out, &features.Track{ID: genID(1000 + i), Name: fmt.Sprintf("Song %d", i), Artists: []string{"A", "B"},
			Album: "Album", ReleaseDate: "2001-02-03", DurationMS: 200000 + i, Popularity: i, Key: -1, Mode: -1, Features: features.NoFeatures})
	}
	return out, nil
}

var errSource = errors.New("source failed")

func openDB(t testing.TB) *cache.DB {
	t.Helper()
	db, err := cache.Open(filepath.Join(t.TempDir(), "sub", "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fakeRecco serves ReccoBeats' audio-features answer for generated ids:
// unknown ids left out, the rest in reverse order, matched by href.
type fakeRecco struct {
	srv      *httptest.Server
	requests atomic.Int64
	ids      atomic.Int64
	onReq    atomic.Pointer[func(n int64, r *http.Request)]
	latency  time.Duration // added to every request; set before use
}

// setOnReq sets a hook run at the start of every request (nil: none).
func (f *fakeRecco) setOnReq(h func(n int64, r *http.Request)) {
	if h == nil {
		f.onReq.Store(nil)
		return
	}
	f.onReq.Store(&h)
}

func newFakeRecco(t testing.TB) *fakeRecco {
	f := &fakeRecco{}
	f.srv = httptest.NewServer(f.handler())
	t.Cleanup(f.srv.Close)
	return f
}

// handler answers ReccoBeats' GET /v1/audio-features?ids=...
func (f *fakeRecco) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := f.requests.Add(1)
		if f.latency > 0 {
			time.Sleep(f.latency)
		}
		ids := strings.Split(r.URL.Query().Get("ids"), ",")
		f.ids.Add(int64(len(ids)))
		if h := f.onReq.Load(); h != nil {
			(*h)(n, r)
			if r.Context().Err() != nil {
				return
			}
		}
		type entry struct {
			ID               string  `json:"id"`
			Href             string  `json:"href"`
			ISRC             string  `json:"isrc"`
			Acousticness     float64 `json:"acousticness"`
			Danceability     float64 `json:"danceability"`
			Energy           float64 `json:"energy"`
			Instrumentalness float64 `json:"instrumentalness"`
			Key              int     `json:"key"`
			Liveness         float64 `json:"liveness"`
			Loudness         float64 `json:"loudness"`
			Mode             int     `json:"mode"`
			Speechiness      float64 `json:"speechiness"`
			Tempo            float64 `json:"tempo"`
			Valence          float64 `json:"valence"`
		}
		var content []entry
		for k := len(ids) - 1; k >= 0; k-- {
			t := genTrack(ids[k], "")
			if t == nil || !t.HasFeatures {
				continue
			}
			i := genIndex(ids[k])
			content = append(content, entry{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Href: "https://open.spotify.com/track/" + ids[k],
				ISRC: fmt.Sprintf("QZGEN%07d", i), Acousticness: t.Features[0], Danceability: t.Features[1], Energy: t.Features[2],
				Instrumentalness: t.Features[3], Key: t.Key, Liveness: t.Features[4], Loudness: t.Features[5], Mode: t.Mode,
				Speechiness: t.Features[6], Tempo: t.Tempo, Valence: t.Features[7]})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"content": content})
	})
}

// checkTrack reports whether t is what the source answers for id (nil for
// unknown ids; ReccoBeats answers no features for the i%11 == 5 ones).
func checkTrack(t *features.Track, id string) error {
	want := genTrack(id, "")
	if want != nil && !want.HasFeatures && t == nil {
		return nil // ReccoBeats-style sources leave these out
	}
	if (t == nil) != (want == nil) {
		return fmt.Errorf("%s: got %v, want %v", id, t, want)
	}
	if t == nil {
		return nil
	}
	if t.ID != id || !features.SameFeatures(t, want, 0) {
		return fmt.Errorf("%s: got %+v, want %+v", id, t, want)
	}
	return nil
}

// TestGenID checks that genID is a bijection genIndex inverts.
func TestGenID(t *testing.T) {
	seen := make(map[string]bool)
	for i := range 100_000 {
		id := genID(i)
		if len(id) != 22 || genIndex(id) != i || seen[id] {
			t.Fatalf("genID(%d) = %q, genIndex %d, seen before %v", i, id, genIndex(id), seen[id])
		}
		seen[id] = true
	}
}
