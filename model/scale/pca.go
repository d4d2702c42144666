package scale

import (
	"errors"
	"fmt"
	"github.com/discoflow/disco/features"
	"math"

	"gonum.org/v1/gonum/mat"
)

// PCA is a principal component analysis of scaled feature vectors, used to
// draw playlists in two or three dimensions. Its fields are exported so
// that it serialises (encoding/json, gob) with a model.
//
// The zero PCA is not usable; fit one with FitPCA.
type PCA struct {
	// Components holds k unit principal axes, each of features.NumAbstract
	// weights, by decreasing explained variance.
	Components [][]float64
	// Means is the mean of the fitting data, subtracted before projecting.
	Means features.Vector
	// Explained is the fraction of the total variance along each
	// component, in the order of Components.
	Explained []float64
}

// FitPCA fits k principal components (1 <= k <= features.NumAbstract; DISCO's plots
// use 2 or 3) to the scaled feature vectors zs, as scikit-learn 1.2's
// PCA(n_components=k).fit does: the components are the leading
// eigenvectors of the sample covariance matrix, and each is signed as
// scikit-learn's svd_flip signs it, so that the fitting row with the
// largest absolute projection onto it (the first such row on a tie)
// projects positively. Explained holds scikit-learn's
// explained_variance_ratio_.
//
// FitPCA returns an error wrapping ErrNoData when zs has fewer than 2 rows
// or fewer rows than k, an error naming the first NaN or infinite value,
// and an error for k out of range or when every row is the same. zs is not
// modified.
func FitPCA(zs []features.Vector, k int) (*PCA, error) {
	if k < 1 || k > features.NumAbstract {
		return nil, fmt.Errorf("features: fit pca: %d components, want 1 to %d", k, features.NumAbstract)
	}
	for r := range zs {
		for j, v := range zs[r] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("features: fit pca: row %d: %s is %v", r, features.AbstractNames[j], v)
			}
		}
	}
	rows := make([][]float64, len(zs))
	for r := range zs {
		rows[r] = zs[r][:]
	}
	ax, err := FitAxes(rows, features.NumAbstract, k)
	if err != nil {
		return nil, err
	}
	p := &PCA{Components: ax.Components, Explained: ax.Explained}
	copy(p.Means[:], ax.Means)
	return p, nil
}

// Axes are k principal axes of rows of any width d: the unit components
// (each of d weights) by decreasing explained variance, the rows' means,
// and the share of the variance along each. FitPCA fits them to scaled
// features, the Map page to song2vec vectors.
type Axes struct {
	Components [][]float64
	Means      []float64
	Explained  []float64
}

// Project returns the coordinates of row x on the axes.
func (a *Axes) Project(x []float64) []float64 {
	out := make([]float64, len(a.Components))
	for c, comp := range a.Components {
		s := 0.0
		for j, w := range comp {
			s += (x[j] - a.Means[j]) * w
		}
		out[c] = s
	}
	return out
}

// FitAxes fits k principal axes (1 <= k <= d) to rows of width d as
// scikit-learn 1.2's PCA(n_components=k).fit does (see FitPCA, which is it
// for scaled features): the leading eigenvectors of the sample covariance,
// each signed so that the row with the largest absolute projection onto
// it (the first on a tie) projects positively. It returns an error
// wrapping ErrNoData for fewer than 2 rows or fewer rows than k, and an
// error for a row of another width, k out of range, or rows all the same.
// rows are not modified; their values must be finite.
func FitAxes(rows [][]float64, d, k int) (*Axes, error) {
	if k < 1 || k > d {
		return nil, fmt.Errorf("features: fit pca: %d components, want 1 to %d", k, d)
	}
	if len(rows) < 2 || len(rows) < k {
		return nil, fmt.Errorf("features: fit pca: %d rows for %d components: %w", len(rows), k, ErrNoData)
	}
	for r, x := range rows {
		if len(x) != d {
			return nil, fmt.Errorf("features: fit pca: row %d has %d values, want %d", r, len(x), d)
		}
	}
	n := len(rows)
	a := &Axes{Means: make([]float64, d)}

	// Means by pairwise sums, then the covariance of the centred rows.
	col := make([]float64, n)
	for j := range d {
		for r := range rows {
			col[r] = rows[r][j]
		}
		a.Means[j] = pairSum(col) / float64(n)
	}
	cov := make([]float64, d*d)
	part := make([]float64, d*d)
	diff := make([]float64, d)
	const block = 1024 // partial sums per block keep rounding small
	for lo := 0; lo < n; lo += block {
		clear(part)
		for _, x := range rows[lo:min(lo+block, n)] {
			for j := range diff {
				diff[j] = x[j] - a.Means[j]
			}
			for i := range d {
				di := diff[i]
				row := part[i*d : i*d+i+1]
				for j := range row {
					row[j] += di * diff[j]
				}
			}
		}
		for i := range cov {
			cov[i] += part[i]
		}
	}
	sym := mat.NewSymDense(d, nil)
	total := 0.0
	for i := range d {
		for j := 0; j <= i; j++ {
			sym.SetSym(i, j, cov[i*d+j]/float64(n-1))
		}
		total += sym.At(i, i)
	}
	if total == 0 {
		return nil, errors.New("features: fit pca: all rows are the same")
	}
	var eig mat.EigenSym
	if !eig.Factorize(sym, true) {
		return nil, errors.New("features: fit pca: eigendecomposition did not converge")
	}
	vals := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)

	a.Components = make([][]float64, k)
	a.Explained = make([]float64, k)
	for c := range k {
		e := d - 1 - c
		comp := make([]float64, d)
		for j := range comp {
			comp[j] = vecs.At(j, e)
		}
		a.Components[c] = comp
		a.Explained[c] = max(vals[e], 0) / total
	}

	// svd_flip (u-based): the largest |score| of each component positive.
	best := make([]float64, k)
	sign := make([]float64, k)
	for _, x := range rows {
		for c, comp := range a.Components {
			s := 0.0
			for j, w := range comp {
				s += (x[j] - a.Means[j]) * w
			}
			if abs := math.Abs(s); abs > best[c] {
				best[c], sign[c] = abs, s
			}
		}
	}
	for c, comp := range a.Components {
		if sign[c] < 0 {
			for j := range comp {
				comp[j] = -comp[j]
			}
		}
	}
	return a, nil
}

// K returns the number of components.
func (p *PCA) K() int { return len(p.Components) }

// Project returns the coordinates of scaled features z on the components:
// (z - Means) times each component.
func (p *PCA) Project(z features.Vector) []float64 {
	dst := make([]float64, len(p.Components))
	p.ProjectTo(dst, z)
	return dst
}

// ProjectTo writes the coordinates of z on the components to dst, without
// allocating. It panics if len(dst) != p.K().
func (p *PCA) ProjectTo(dst []float64, z features.Vector) {
	if len(dst) != len(p.Components) {
		panic(fmt.Sprintf("features: PCA.ProjectTo: len(dst) = %d, want %d", len(dst), len(p.Components)))
	}
	var d features.Vector
	for j := range d {
		d[j] = z[j] - p.Means[j]
	}
	for c, comp := range p.Components {
		s := 0.0
		for j, w := range comp[:features.NumAbstract] {
			s += d[j] * w
		}
		dst[c] = s
	}
}

// Validate reports whether p is a usable fitted PCA: 1 to features.NumAbstract
// components of features.NumAbstract finite weights each, one finite explained
// ratio per component, finite means. Use it on a PCA decoded from a file.
func (p *PCA) Validate() error {
	k := len(p.Components)
	if k < 1 || k > features.NumAbstract {
		return fmt.Errorf("features: pca: %d components, want 1 to %d", k, features.NumAbstract)
	}
	if len(p.Explained) != k {
		return fmt.Errorf("features: pca: %d explained ratios for %d components", len(p.Explained), k)
	}
	for c, comp := range p.Components {
		if len(comp) != features.NumAbstract {
			return fmt.Errorf("features: pca: component %d has %d weights, want %d", c, len(comp), features.NumAbstract)
		}
		for _, w := range comp {
			if math.IsNaN(w) || math.IsInf(w, 0) {
				return fmt.Errorf("features: pca: component %d has weight %v", c, w)
			}
		}
		if e := p.Explained[c]; !(e >= 0 && e <= 1) {
			return fmt.Errorf("features: pca: explained ratio %d is %v", c, e)
		}
	}
	for j, m := range p.Means {
		if math.IsNaN(m) || math.IsInf(m, 0) {
			return fmt.Errorf("features: pca: mean of %s is %v", features.AbstractNames[j], m)
		}
	}
	return nil
}
