package tsne

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// Options control Embed. The zero value means the defaults per field.
type Options struct {
	// Perplexity, the effective number of neighbours. Default 30. It must
	// be less than the number of points.
	Perplexity float64
	// Iterations of gradient descent. Default 1000 (250 of them with early
	// exaggeration).
	Iterations int
	// LearnRate; default max(N/48, 50), scikit-learn's "auto".
	LearnRate float64
	// Seed of the initial positions (Gaussian, sd 1e-4).
	Seed uint64
	// Workers is the number of goroutines; default GOMAXPROCS. It does not
	// change the result.
	Workers int
	// Theta is the Barnes-Hut trade-off: cells narrower than Theta times
	// their distance to a point repel it as one body. 0 means exact
	// repulsion up to ExactMax points and 0.5 (scikit-learn's angle)
	// above; a negative value means exact whatever the size.
	Theta float64
}

// ExactMax is the largest number of points that Embed, with Theta 0,
// embeds with exact repulsion.
const ExactMax = 2000

// ErrPoints is wrapped by the errors for unusable input.
var ErrPoints = errors.New("tsne: bad points")

const (
	exaggeration = 12.0
	exagIters    = 250
)

// sparse is a row-compressed symmetric matrix.
type sparse struct {
	start []int
	col   []int
	val   []float64
}

// Embed returns the 2-D t-SNE embedding of x (n points of equal
// dimension). It returns an error wrapping ErrPoints for fewer than 4
// points, points of different dimensions, non-finite values or a
// perplexity not below n, and ctx.Err() if ctx is cancelled (checked every
// iteration).
func Embed(ctx context.Context, x [][]float64, opt Options) ([][2]float64, error) {
	n := len(x)
	if n < 4 {
		return nil, fmt.Errorf("%w: %d points, want at least 4", ErrPoints, n)
	}
	for i, p := range x {
		if len(p) != len(x[0]) {
			return nil, fmt.Errorf("%w: point %d has %d values, point 0 %d", ErrPoints, i, len(p), len(x[0]))
		}
		for _, v := range p {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: point %d has %v", ErrPoints, i, v)
			}
		}
	}
	if opt.Perplexity == 0 {
		opt.Perplexity = 30
	}
	if !(opt.Perplexity > 1) || opt.Perplexity >= float64(n) {
		return nil, fmt.Errorf("%w: perplexity %v for %d points; it must be above 1 and below the number of points", ErrPoints, opt.Perplexity, n)
	}
	if opt.Iterations == 0 {
		opt.Iterations = 1000
	}
	if opt.LearnRate == 0 {
		opt.LearnRate = max(float64(n)/exaggeration/4, 50)
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Theta == 0 && n > ExactMax {
		opt.Theta = 0.5
	}
	theta2 := opt.Theta * opt.Theta
	P := affinities(x, opt.Perplexity, opt.Workers)

	rng := rand.New(rand.NewPCG(opt.Seed, 0x75e))
	y := make([][2]float64, n)
	for i := range y {
		y[i] = [2]float64{1e-4 * rng.NormFloat64(), 1e-4 * rng.NormFloat64()}
	}
	grad := make([][2]float64, n)
	upd := make([][2]float64, n)
	gains := make([][2]float64, n)
	for i := range gains {
		gains[i] = [2]float64{1, 1}
	}
	rowZ := make([]float64, n)
	rep := make([][2]float64, n)
	var qt quadtree
	for it := range opt.Iterations {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		exag, mom := exaggeration, 0.5
		if it >= exagIters {
			exag, mom = 1, 0.8
		}
		var tree *quadtree
		if opt.Theta > 0 {
			qt.rebuild(y)
			tree = &qt
		}
		parallel(n, opt.Workers, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				yi := y[i]
				var z, rx, ry float64
				if tree != nil {
					z, rx, ry = tree.repulse(y, i, theta2)
				}
				for j := range n {
					if tree != nil {
						break
					}
					if j == i {
						continue
					}
					dx, dy := yi[0]-y[j][0], yi[1]-y[j][1]
					w := 1 / (1 + dx*dx + dy*dy)
					z += w
					w2 := w * w
					rx += w2 * dx
					ry += w2 * dy
				}
				rowZ[i] = z
				rep[i] = [2]float64{rx, ry}
				var ax, ay float64
				for k := P.start[i]; k < P.start[i+1]; k++ {
					j := P.col[k]
					dx, dy := yi[0]-y[j][0], yi[1]-y[j][1]
					w := P.val[k] / (1 + dx*dx + dy*dy)
					ax += w * dx
					ay += w * dy
				}
				grad[i] = [2]float64{ax * exag, ay * exag}
			}
		})
		Z := 0.0
		for _, z := range rowZ {
			Z += z
		}
		for i := range n {
			for d := range 2 {
				g := 4 * (grad[i][d] - rep[i][d]/Z)
				if (g > 0) != (upd[i][d] > 0) {
					gains[i][d] += 0.2
				} else {
					gains[i][d] *= 0.8
				}
				gains[i][d] = max(gains[i][d], 0.01)
				upd[i][d] = mom*upd[i][d] - opt.LearnRate*gains[i][d]*g
				y[i][d] += upd[i][d]
			}
		}
	}
	var mx, my float64
	for _, p := range y {
		mx += p[0] / float64(n)
		my += p[1] / float64(n)
	}
	for i := range y {
		y[i][0] -= mx
		y[i][1] -= my
	}
	return y, nil
}

// parallel runs f over [0, n) in workers contiguous chunks.
func parallel(n, workers int, f func(lo, hi int)) {
	if workers <= 1 || n < 64 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += chunk {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			f(lo, hi)
		}(lo, min(lo+chunk, n))
	}
	wg.Wait()
}

func sqDist(a, b []float64) float64 {
	s := 0.0
	for k := range a {
		d := a[k] - b[k]
		s += d * d
	}
	return s
}

// nearest returns, for each point, the indices of its k nearest other
// points by Euclidean distance, nearest first (ties to the lower index),
// and their squared distances.
func nearest(x [][]float64, k, workers int) ([][]int, [][]float64) {
	n := len(x)
	idx := make([][]int, n)
	dist := make([][]float64, n)
	parallel(n, workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			// A sorted list of the k best so far: a candidate goes in only
			// when strictly nearer than the worst kept, so of equal
			// distances the lower index (seen first) stays first.
			bi := make([]int, 0, k)
			bd := make([]float64, 0, k)
			for j := range n {
				if j == i {
					continue
				}
				d := sqDist(x[i], x[j])
				if len(bi) == k && d >= bd[k-1] {
					continue
				}
				p := len(bd)
				for p > 0 && bd[p-1] > d {
					p--
				}
				if len(bi) < k {
					bi, bd = append(bi, 0), append(bd, 0)
				}
				copy(bi[p+1:], bi[p:len(bi)-1])
				copy(bd[p+1:], bd[p:len(bd)-1])
				bi[p], bd[p] = j, d
			}
			idx[i], dist[i] = bi, bd
		}
	})
	return idx, dist
}

// affinities returns the symmetric joint probabilities P of t-SNE.
func affinities(x [][]float64, perplexity float64, workers int) sparse {
	n := len(x)
	k := min(n-1, int(3*perplexity+1))
	nbr, dist := nearest(x, k, workers)
	cond := make([][]float64, n)
	target := math.Log(perplexity)
	parallel(n, workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			cond[i] = conditional(dist[i], target)
		}
	})
	// P = (P_j|i + P_i|j) / (2n), over the union of the neighbour lists.
	rows := make([]map[int]float64, n)
	for i := range rows {
		rows[i] = make(map[int]float64, 2*k)
	}
	for i := range n {
		for m, j := range nbr[i] {
			v := cond[i][m]
			rows[i][j] += v
			rows[j][i] += v
		}
	}
	var P sparse
	P.start = make([]int, n+1)
	sum := 0.0
	for i := range n {
		cols := make([]int, 0, len(rows[i]))
		for j := range rows[i] {
			cols = append(cols, j)
		}
		slices.Sort(cols)
		for _, j := range cols {
			P.col = append(P.col, j)
			P.val = append(P.val, rows[i][j])
			sum += rows[i][j]
		}
		P.start[i+1] = len(P.col)
	}
	for k := range P.val {
		P.val[k] = max(P.val[k]/sum, 1e-300)
	}
	return P
}

// conditional returns p_j|i over the neighbours at squared distances d:
// exp(-beta d_j) normalised, beta found by bisection (at most 100 steps,
// as scikit-learn) so that the entropy is target nats.
func conditional(d []float64, target float64) []float64 {
	p := make([]float64, len(d))
	beta, lo, hi := 1.0, math.Inf(-1), math.Inf(1)
	for range 100 {
		sum, sdp := 0.0, 0.0
		for j, dj := range d {
			p[j] = math.Exp(-dj * beta)
			sum += p[j]
		}
		if sum == 0 {
			sum = 1e-8
		}
		for j, dj := range d {
			p[j] /= sum
			sdp += dj * p[j]
		}
		h := math.Log(sum) + beta*sdp
		diff := h - target
		if math.Abs(diff) <= 1e-5 {
			break
		}
		if diff > 0 {
			lo = beta
			if math.IsInf(hi, 1) {
				beta *= 2
			} else {
				beta = (beta + hi) / 2
			}
		} else {
			hi = beta
			if math.IsInf(lo, -1) {
				beta /= 2
			} else {
				beta = (beta + lo) / 2
			}
		}
	}
	return p
}

// NeighboursKept returns the mean over points of the share of each
// point's k nearest neighbours in x that are also among its k nearest in
// y (ties broken by index). It panics if x and y differ in length or k is
// not in [1, len(x)-1].
func NeighboursKept(x [][]float64, y [][2]float64, k int) float64 {
	if len(x) != len(y) || k < 1 || k >= len(x) {
		panic("tsne: NeighboursKept with mismatched points or k out of range")
	}
	ys := make([][]float64, len(y))
	for i := range y {
		ys[i] = y[i][:]
	}
	a, _ := nearest(x, k, runtime.GOMAXPROCS(0))
	b, _ := nearest(ys, k, runtime.GOMAXPROCS(0))
	kept := 0
	for i := range a {
		for _, j := range a[i] {
			if slices.Contains(b[i], j) {
				kept++
			}
		}
	}
	return float64(kept) / float64(len(x)*k)
}
