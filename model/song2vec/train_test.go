package song2vec

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// twoGroups returns n synthetic playlists of length 10, each drawn from one
// of two disjoint groups of 20 tracks ("a0".."a19" or "b0".."b19").
func twoGroups(n int, seed uint64) Playlists { return groups(2, 20, n, seed) }

// groups returns n synthetic playlists of length 10, playlist i drawn
// uniformly from group i%k of size tracks, named by the group's letter
// ('a', 'b', ...) and a number.
func groups(k, size, n int, seed uint64) Playlists {
	r := rand.New(rand.NewPCG(seed, 99))
	var pls Playlists
	for i := range n {
		g := 'a' + rune(i%k)
		pl := make([]string, 10)
		for j := range pl {
			pl[j] = fmt.Sprintf("%c%d", g, r.IntN(size))
		}
		pls = append(pls, pl)
	}
	return pls
}

func cosine(a, b []float64) float64 {
	return dot(a, b) / math.Sqrt(dot(a, a)*dot(b, b))
}

var groupCfg = Config{Dim: 16, Window: 5, MinCount: 1, Epochs: 10, Workers: 1, Seed: 1, Sample: -1}

func TestTrainTwoGroups(t *testing.T) {
	v, st, err := Train(context.Background(), twoGroups(400, 1), groupCfg)
	if err != nil {
		t.Fatal(err)
	}
	if v.Len() != 40 || st.Vocab != 40 || st.Playlists != 400 || st.Tokens != 4000 || st.TrainWords != 4000 {
		t.Fatalf("vocab %d, stats %+v", v.Len(), st)
	}
	if st.Words != 4000*int64(groupCfg.Epochs) || st.Effective != st.Words {
		t.Errorf("words %d effective %d, want %d both (sub-sampling off)", st.Words, st.Effective, 4000*groupCfg.Epochs)
	}
	var within, across []float64
	for i := range v.Len() {
		for j := i + 1; j < v.Len(); j++ {
			c := cosine(v.Row(i), v.Row(j))
			if v.Words[i][0] == v.Words[j][0] {
				within = append(within, c)
			} else {
				across = append(across, c)
			}
		}
	}
	mean := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s / float64(len(x))
	}
	t.Logf("mean cosine within groups %.3f (min %.3f), across %.3f (max %.3f)", mean(within), slices.Min(within), mean(across), slices.Max(across))
	if m := mean(within); m < 0.5 {
		t.Errorf("mean cosine within groups %.3f, want >= 0.5", m)
	}
	// Skip-gram vectors share a common direction, so unrelated tracks
	// are not orthogonal; they are far from each other's group all the same.
	if m := mean(across); m > 0.3 {
		t.Errorf("mean cosine across groups %.3f, want <= 0.3", m)
	}
	if lo, hi := slices.Min(within), slices.Max(across); lo <= hi {
		t.Errorf("some pair across groups (%.3f) is closer than some pair within (%.3f)", hi, lo)
	}
	// Every track's nearest neighbours are in its group.
	for i, w := range v.Words {
		for _, n := range v.Nearest(v.Row(i), 10, func(j int) bool { return j == i }) {
			if n.Word[0] != w[0] {
				t.Fatalf("neighbour %s of %s is in the other group", n.Word, w)
			}
		}
	}
}

func TestTrainLossFalls(t *testing.T) {
	// Ten groups of 100 tracks: enough to learn for several epochs.
	cfg := groupCfg
	cfg.Epochs = 6
	var seen []float64
	cfg.OnEpoch = func(e EpochStats) {
		seen = append(seen, e.Loss)
		if e.Epoch != len(seen) || e.Words != 20000 {
			t.Errorf("epoch report %+v", e)
		}
	}
	_, st, err := Train(context.Background(), groups(10, 100, 2000, 2), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loss per epoch: %.4f", st.Loss)
	if !slices.Equal(seen, st.Loss) || len(st.Loss) != cfg.Epochs {
		t.Fatalf("OnEpoch saw %v, stats %v", seen, st.Loss)
	}
	// Untrained, every pair costs about (1+Negative)·log 2.
	if first := st.Loss[0]; first > 6*math.Ln2+0.01 || first < 2 {
		t.Errorf("first epoch loss %.3f, want a little under 6 log 2 = %.3f", first, 6*math.Ln2)
	}
	for i := 1; i < len(st.Loss); i++ {
		if st.Loss[i] >= st.Loss[i-1] {
			t.Errorf("loss rose from epoch %d to %d: %.4f -> %.4f", i, i+1, st.Loss[i-1], st.Loss[i])
		}
	}
	if last := st.Loss[len(st.Loss)-1]; last > 0.8*st.Loss[0] {
		t.Errorf("loss only fell from %.3f to %.3f", st.Loss[0], last)
	}
}

func TestTrainDeterministic(t *testing.T) {
	c := twoGroups(100, 3)
	cfg := groupCfg
	cfg.Epochs = 3
	cfg.Sample = 1e-2 // exercise sub-sampling's random numbers too
	cfg.BatchWords = 50
	a, sa, err := Train(context.Background(), c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, sb, err := Train(context.Background(), c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Data, b.Data) || !slices.Equal(a.Words, b.Words) || !slices.Equal(sa.Loss, sb.Loss) || sa.Effective != sb.Effective {
		t.Error("two runs with one worker and the same seed differ")
	}
	if sa.Effective >= sa.Words {
		t.Errorf("sub-sampling kept all %d words", sa.Words)
	}
	cfg.Seed = 2
	d, _, err := Train(context.Background(), c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(a.Data, d.Data) {
		t.Error("different seeds give identical vectors")
	}
}

func TestTrainWorkers(t *testing.T) {
	cfg := groupCfg
	cfg.Workers = 4
	cfg.BatchWords = 100 // many batches, so that all workers get some
	v, st, err := Train(context.Background(), twoGroups(400, 4), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if st.Workers != 4 || st.Words != 4000*int64(cfg.Epochs) {
		t.Fatalf("stats %+v", st)
	}
	a, b := v.Row(v.Index("a1")), v.Row(v.Index("a2"))
	x := v.Row(v.Index("b1"))
	if cosine(a, b) < 0.5 || cosine(a, x) > 0.3 {
		t.Errorf("with 4 workers: cos(a1,a2) = %.3f, cos(a1,b1) = %.3f", cosine(a, b), cosine(a, x))
	}
}

func TestTrainVocab(t *testing.T) {
	c := Playlists{{"x", "y", "z", "y"}, {"z", "y", "w"}, {"q"}}
	v, st, err := Train(context.Background(), c, Config{Dim: 4, MinCount: 2, Epochs: 1, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v.Words, []string{"y", "z"}) || !slices.Equal(v.Counts, []int64{3, 2}) {
		t.Errorf("vocabulary %v counts %v, want [y z] [3 2]", v.Words, v.Counts)
	}
	if st.Dropped != 3 || st.Tokens != 8 || st.TrainWords != 5 {
		t.Errorf("stats %+v", st)
	}
	// Ties keep the order of first appearance.
	v, _, err = Train(context.Background(), Playlists{{"c", "b", "a"}, {"a", "b", "c"}}, Config{Dim: 2, MinCount: 1, Epochs: 1, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v.Words, []string{"c", "b", "a"}) {
		t.Errorf("tied words in order %v, want [c b a]", v.Words)
	}
}

var errCorpus = errors.New("corpus broke")

type failingCorpus struct{ after int }

func (f failingCorpus) Each(fn func([]string) error) error {
	for i := range f.after {
		if err := fn([]string{"a", "b", fmt.Sprint(i % 3)}); err != nil {
			return err
		}
	}
	return errCorpus
}

func TestTrainErrors(t *testing.T) {
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	tests := []struct {
		name   string
		ctx    context.Context
		corpus Corpus
		cfg    Config
		want   error // nil: any error
	}{
		{"empty vocabulary", ctx, Playlists{{"a"}}, Config{MinCount: 2}, ErrEmptyVocab},
		{"empty corpus", ctx, Playlists{}, Config{}, ErrEmptyVocab},
		{"corpus error", ctx, failingCorpus{10}, Config{MinCount: 1}, errCorpus},
		{"cancelled", cancelled, twoGroups(10, 1), Config{MinCount: 1}, context.Canceled},
		{"negative window", ctx, twoGroups(10, 1), Config{Window: -1}, nil},
		{"negative workers", ctx, twoGroups(10, 1), Config{Workers: -2}, nil},
		{"min alpha above alpha", ctx, twoGroups(10, 1), Config{Alpha: 0.01, MinAlpha: 0.1}, nil},
		{"huge dimension", ctx, twoGroups(10, 1), Config{Dim: MaxDim + 1}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, st, err := Train(tc.ctx, tc.corpus, tc.cfg)
			if err == nil || v != nil || st != nil {
				t.Fatalf("Train = %v, %v, %v; want an error", v, st, err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
		})
	}
}

// cancelAfter is a corpus that cancels a context after n playlists of the
// training pass and would otherwise go on.
type cancelAfter struct {
	n      int
	cancel context.CancelFunc
	pass   *int
}

func (c cancelAfter) Each(fn func([]string) error) error {
	*c.pass++
	for i := range 1000 {
		if *c.pass > 1 && i == c.n {
			c.cancel()
		}
		if err := fn([]string{"a", "b", "c", "d"}); err != nil {
			return err
		}
	}
	return nil
}

func TestTrainCancelMidEpoch(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pass := 0
	_, _, err := Train(ctx, cancelAfter{n: 10, cancel: cancel, pass: &pass}, Config{MinCount: 1, Workers: 2, BatchWords: 8, Epochs: 3})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if pass != 2 {
		t.Errorf("corpus read %d times, want 2 (stopped in the first epoch)", pass)
	}
}

// TestAlias checks that negative samples follow count^0.75.
func TestAlias(t *testing.T) {
	counts := []int64{1000, 300, 300, 50, 7, 1, 1}
	tab := buildAlias(counts, 0.75)
	want := make([]float64, len(counts))
	sum := 0.0
	for i, c := range counts {
		want[i] = math.Pow(float64(c), 0.75)
		sum += want[i]
	}
	r := rand.NewPCG(5, 6)
	const n = 1 << 20
	got := make([]float64, len(counts))
	for range n {
		i, frac := bits.Mul64(r.Uint64(), uint64(len(tab)))
		if uint32(frac>>32) >= tab[i].prob {
			i = uint64(tab[i].alias)
		}
		got[i]++
	}
	for i := range got {
		p := want[i] / sum
		sd := math.Sqrt(p * (1 - p) / n)
		if d := got[i]/n - p; math.Abs(d) > 5*sd {
			t.Errorf("word %d (count %d) drawn with frequency %.5f, want %.5f ± %.5f", i, counts[i], got[i]/n, p, sd)
		}
	}
}

// BenchmarkTrain reports training speed in words per second on synthetic
// playlists (50 groups of 2000 tracks, 200k occurrences), one epoch.
func BenchmarkTrain(b *testing.B) {
	c := groups(50, 2000, 20000, 1)
	for _, workers := range []int{1, 2} {
		for _, dim := range []int{64, 100} {
			b.Run(fmt.Sprintf("workers=%d/dim=%d", workers, dim), func(b *testing.B) {
				cfg := Config{Dim: dim, Window: 5, MinCount: 1, Epochs: 1, Workers: workers, Seed: 1}
				b.ReportAllocs()
				var words int64
				var secs float64
				for b.Loop() {
					_, st, err := Train(context.Background(), c, cfg)
					if err != nil {
						b.Fatal(err)
					}
					words += st.Words
					secs += st.TrainTime.Seconds()
				}
				b.ReportMetric(float64(words)/secs, "words/s")
			})
		}
	}
}
