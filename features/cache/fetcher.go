package cache

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/discoflow/disco/features"
)

// Source is an online source of audio features: the Spotify and
// ReccoBeats clients implement it.
type Source interface {
	// Name names the source in the cache ("spotify", "reccobeats").
	Name() string
	// BatchSize is the most ids one request takes.
	BatchSize() int
	// GetFeatures returns one entry per id, in order, nil where the source
	// does not know the id.
	GetFeatures(ctx context.Context, ids []string) ([]*features.Track, error)
}

// Fetcher gets audio features through the cache: it implements the same
// GetFeatures as its Source, so it can stand in for it (for example as a
// pool's Features).
type Fetcher struct {
	DB     *DB
	Source Source

	// Refresh ignores what is cached: every id is fetched again (and the
	// answers stored).
	Refresh bool
	// MaxAge, if positive, treats entries fetched longer ago as missing.
	MaxAge time.Duration
	// Progress, if set, is called after the look-up with (0, n), n being
	// the number of distinct ids the cache could not answer, and after each
	// stored batch with the number of them fetched so far.
	Progress func(fetched, toFetch int)
}

// Result is what one Fetch did.
type Result struct {
	Tracks   []*features.Track // one per asked id, nil where the source does not know it
	Cached   int               // distinct ids answered by the cache
	Fetched  int               // distinct ids asked of the source
	Unknown  int               // distinct ids the source (or the cache) does not know
	Requests int               // batches asked of the source
}

// GetFeatures returns the features of ids as Fetch does, or an error.
func (f *Fetcher) GetFeatures(ctx context.Context, ids []string) ([]*features.Track, error) {
	r, err := f.Fetch(ctx, ids)
	if err != nil {
		return nil, err
	}
	return r.Tracks, nil
}

// Fetch returns the features of ids: from the cache where it has them
// (From.Features "cache:<source>"), otherwise from the source, asked only
// for the missing distinct ids, in batches of its BatchSize, one request
// at a time. Each answer is stored (appended to the log, see
// DB.StoreFeatures) in one transaction while the next batch is being asked
// for. On an error (the source's, returned unchanged, or
// the database's) the batches stored so far stay stored, and Result
// counts them; Result.Tracks is nil.
func (f *Fetcher) Fetch(ctx context.Context, ids []string) (Result, error) {
	var res Result
	if f.DB == nil || f.Source == nil {
		return res, errors.New("cache: fetcher without a database or a source")
	}
	source := f.Source.Name()
	// Distinct ids, in order of first appearance.
	first := make(map[string]int, len(ids))
	uniq := make([]string, 0, len(ids))
	for _, id := range ids {
		if _, ok := first[id]; !ok {
			first[id] = len(uniq)
			uniq = append(uniq, id)
		}
	}
	got := make([]*features.Track, len(uniq))
	missing := uniq
	var where []int // positions in uniq of missing
	if !f.Refresh && len(uniq) > 0 {
		tracks, cached, err := f.DB.LookupFeatures(ctx, source, uniq, f.MaxAge)
		if err != nil {
			return res, err
		}
		copy(got, tracks)
		missing = make([]string, 0, len(uniq))
		for i, ok := range cached {
			if ok {
				res.Cached++
				if tracks[i] == nil {
					res.Unknown++
				}
				continue
			}
			missing = append(missing, uniq[i])
			where = append(where, i)
		}
	} else {
		where = make([]int, len(uniq))
		for i := range where {
			where[i] = i
		}
	}
	if f.Progress != nil {
		f.Progress(0, len(missing))
	}
	size := f.Source.BatchSize()
	if size <= 0 {
		size = 1
	}
	// One goroutine asks the source while this one stores the previous
	// answer. The channel is unbuffered, so at any time at most one batch
	// is being stored and one asked for (or answered, waiting for that
	// store to end): that is all a kill can lose. The asking goroutine
	// waits only when storing a batch takes longer than asking for the
	// next; a buffer would let it run further ahead, which measured no
	// faster (see TestFetchOverhead) and would put more answered batches
	// at risk.
	type answer struct {
		lo, hi int
		tracks []*features.Track
		err    error
	}
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	answers := make(chan answer)
	go func() {
		defer close(answers)
		for lo := 0; lo < len(missing); lo += size {
			hi := min(lo+size, len(missing))
			tracks, err := f.Source.GetFeatures(fctx, missing[lo:hi])
			if err == nil && len(tracks) != hi-lo {
				err = fmt.Errorf("cache: %s answered %d entries for %d ids", source, len(tracks), hi-lo)
			}
			select {
			case answers <- answer{lo, hi, tracks, err}:
			case <-fctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	fail := func(err error) (Result, error) {
		cancel()
		for range answers { // let the fetching goroutine end
		}
		return res, err
	}
	for a := range answers {
		if a.err != nil {
			return fail(a.err)
		}
		res.Requests++
		batch := missing[a.lo:a.hi]
		// An answer that arrived is stored even when ctx is cancelled
		// meanwhile (Ctrl-C): it cost a request.
		if err := f.DB.StoreFeatures(context.WithoutCancel(ctx), source, batch, a.tracks); err != nil {
			return fail(err)
		}
		for k, t := range a.tracks {
			got[where[a.lo+k]] = t
			if t == nil {
				res.Unknown++
			}
		}
		res.Fetched += len(batch)
		if f.Progress != nil {
			f.Progress(res.Fetched, len(missing))
		}
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.Tracks = make([]*features.Track, len(ids))
	used := make([]bool, len(uniq))
	for i, id := range ids {
		j := first[id]
		t := got[j]
		if t != nil && used[j] {
			cp := *t
			t = &cp
		}
		used[j] = true
		res.Tracks[i] = t
	}
	return res, nil
}

// RecommendSource is an online source of recommendations.
type RecommendSource interface {
	Name() string
	Recommend(ctx context.Context, seeds []string, n int) ([]*features.Track, error)
}

// Recommender gets recommendations through the cache; it implements the
// same Recommend as its Source. A cached list is returned with each
// track's cached metadata (From.Meta "cache:<source>").
type Recommender struct {
	DB      *DB
	Source  RecommendSource
	Refresh bool          // ask the source even when cached
	MaxAge  time.Duration // if positive, older lists count as missing
}

// RecommendKey is the cache id of a recommendation request: the seeds in
// the order given and the size.
func RecommendKey(seeds []string, n int) string {
	return "seeds=" + strings.Join(seeds, ",") + "&size=" + strconv.Itoa(n)
}

// Recommend returns the cached list for (seeds, n), or asks the source and
// stores its answer and the tracks' metadata in one transaction.
func (r *Recommender) Recommend(ctx context.Context, seeds []string, n int) ([]*features.Track, error) {
	if r.DB == nil || r.Source == nil {
		return nil, errors.New("cache: recommender without a database or a source")
	}
	source, key := r.Source.Name(), RecommendKey(seeds, n)
	if !r.Refresh {
		tracks, ok, err := r.DB.LookupRecommendation(ctx, source, key, r.MaxAge)
		if err != nil {
			return nil, err
		}
		if ok {
			return tracks, nil
		}
	}
	tracks, err := r.Source.Recommend(ctx, seeds, n)
	if err != nil {
		return nil, err
	}
	if err := r.DB.StoreRecommendation(ctx, source, key, tracks); err != nil {
		return nil, err
	}
	return tracks, nil
}
