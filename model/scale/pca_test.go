package scale

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"errors"
	"github.com/discoflow/disco/features"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

type pcaGolden struct {
	Versions    map[string]string `json:"versions"`
	Tracks      int               `json:"tracks"`
	Rows        []int             `json:"rows"`
	Mean        features.Vector   `json:"mean"`
	Components  [][]float64       `json:"components"`
	Explained   []float64         `json:"explained_variance_ratio"`
	Projections [][]float64       `json:"projection"`
}

// scaledCatalog returns the catalog's rows scaled by s.
func scaledCatalog(tb testing.TB, s *Scaler) []features.Vector {
	_, xs := loadCatalog(tb)
	zs := make([]features.Vector, len(xs))
	for i, x := range xs {
		zs[i] = s.Transform(x)
	}
	return zs
}

// TestPCAGolden compares FitPCA with scikit-learn's PCA(n_components=3) on
// the scaled catalog (testdata/pca/golden.json): components (signs
// included), means, explained variance ratios and the projections of the
// golden subset within 1e-6 absolute. It runs twice: on the catalog scaled
// with scikit-learn's own scaler parameters, which isolates the PCA, and
// end to end with FitScaler's.
func TestPCAGolden(t *testing.T) {
	var g pcaGolden
	readGolden(t, "testdata/pca/golden.json", &g)
	var sg scalerGolden
	readGolden(t, "testdata/scaler/golden.json", &sg)
	_, fitted := fittedCatalog(t)
	for _, sc := range []struct {
		name string
		zs   []features.Vector
	}{
		{"sklearn-scaler", scaledCatalog(t, &Scaler{Lambdas: sg.Lambdas, Means: sg.Means, Stds: sg.Scales})},
		{"fitted-scaler", fitted},
	} {
		t.Run(sc.name, func(t *testing.T) {
			zs := sc.zs
			p, err := FitPCA(zs, 3)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			worst := 0.0
			cmp := func(what string, got, want float64) {
				d := math.Abs(got - want)
				worst = max(worst, d)
				if d > 1e-6 {
					t.Errorf("%s: %v, scikit-learn %v", what, got, want)
				}
			}
			for c := range g.Components {
				for j := range g.Components[c] {
					cmp("component "+features.AbstractNames[j], p.Components[c][j], g.Components[c][j])
				}
				cmp("explained", p.Explained[c], g.Explained[c])
			}
			for j := range g.Mean {
				cmp("mean "+features.AbstractNames[j], p.Means[j], g.Mean[j])
			}
			for i, r := range g.Rows {
				got := p.Project(zs[r])
				for c := range got {
					cmp("projection", got[c], g.Projections[i][c])
				}
			}
			t.Logf("explained %.4f (scikit-learn %.4f); worst difference %.3g", p.Explained, g.Explained, worst)
		})
	}
}

// TestPCAProperties checks what holds for any fit: orthonormal components
// by decreasing explained ratio, ratios summing to at most 1 (exactly 1
// with all components), the 2-component fit a prefix of the 3-component
// one, and the documented sign convention.
func TestPCAProperties(t *testing.T) {
	_, zs := fittedCatalog(t)
	all, err := FitPCA(zs, features.NumAbstract)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for c, comp := range all.Components {
		for d, other := range all.Components {
			dot := 0.0
			for j := range comp {
				dot += comp[j] * other[j]
			}
			want := 0.0
			if c == d {
				want = 1
			}
			if math.Abs(dot-want) > 1e-12 {
				t.Errorf("components %d.%d = %v, want %v", c, d, dot, want)
			}
		}
		if c > 0 && all.Explained[c] > all.Explained[c-1] {
			t.Errorf("explained ratios not decreasing: %v", all.Explained)
		}
		sum += all.Explained[c]

		// Sign: the row with the largest |projection| projects positively.
		best, arg := 0.0, 0.0
		for _, z := range zs {
			v := all.Project(z)[c]
			if math.Abs(v) > best {
				best, arg = math.Abs(v), v
			}
		}
		if arg < 0 {
			t.Errorf("component %d: largest |projection| %v is negative", c, arg)
		}
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("explained ratios of all components sum to %v", sum)
	}
	two, err := FitPCA(zs, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(two.Components, all.Components[:2]) || !reflect.DeepEqual(two.Explained, all.Explained[:2]) {
		t.Errorf("2-component fit is not a prefix of the full one")
	}
}

func TestFitPCAErrors(t *testing.T) {
	z := features.Vector{1, 2, 3, 4, 5, 6, 7, 8}
	for _, tc := range []struct {
		name string
		zs   []features.Vector
		k    int
		want string
		is   error
	}{
		{"k 0", []features.Vector{z, z}, 0, "0 components", nil},
		{"k 9", []features.Vector{z, z}, 9, "9 components", nil},
		{"no rows", nil, 2, "0 rows", ErrNoData},
		{"one row", []features.Vector{z}, 2, "1 rows", ErrNoData},
		{"rows < k", []features.Vector{z, {}}, 3, "2 rows for 3", ErrNoData},
		{"nan", []features.Vector{z, z, {0, 0, math.NaN()}}, 2, "row 2: energy is NaN", nil},
		{"same rows", []features.Vector{z, z, z}, 2, "all rows are the same", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := FitPCA(tc.zs, tc.k)
			if err == nil {
				t.Fatalf("FitPCA = %+v, want error", p)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "features: ") {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v is not %v", err, tc.is)
			}
		})
	}
}

func TestPCAProjectTo(t *testing.T) {
	_, xs := loadCatalog(t)
	zs := xs[:2000] // raw features will do
	p, err := FitPCA(zs, 3)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float64, 3)
	if n := testing.AllocsPerRun(100, func() { p.ProjectTo(dst, zs[7]) }); n != 0 {
		t.Errorf("ProjectTo allocates %v times", n)
	}
	if got := p.Project(zs[7]); !reflect.DeepEqual(got, dst) {
		t.Errorf("Project = %v, ProjectTo = %v", got, dst)
	}
	// The mean projects to the origin.
	for c, v := range p.Project(p.Means) {
		if v != 0 {
			t.Errorf("mean projects to %v on component %d", v, c)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("ProjectTo with a short dst did not panic")
		}
	}()
	p.ProjectTo(make([]float64, 2), zs[0])
}

func TestPCASerialisation(t *testing.T) {
	_, xs := loadCatalog(t)
	p, err := FitPCA(xs[:3000], 3)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("json", func(t *testing.T) {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var got PCA
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(&got, p) {
			t.Errorf("JSON round trip changed the PCA:\n%+v\n%+v", got, *p)
		}
	})
	t.Run("gob", func(t *testing.T) {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(p); err != nil {
			t.Fatal(err)
		}
		var got PCA
		if err := gob.NewDecoder(&buf).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(&got, p) {
			t.Errorf("gob round trip changed the PCA:\n%+v\n%+v", got, *p)
		}
	})
}

func TestPCAValidate(t *testing.T) {
	good := func() *PCA {
		return &PCA{Components: [][]float64{{1, 0, 0, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0, 0, 0}}, Explained: []float64{0.5, 0.2}}
	}
	if err := good().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(*PCA)
	}{
		{"zero", func(p *PCA) { *p = PCA{} }},
		{"short component", func(p *PCA) { p.Components[1] = p.Components[1][:7] }},
		{"missing ratio", func(p *PCA) { p.Explained = p.Explained[:1] }},
		{"nan weight", func(p *PCA) { p.Components[0][3] = math.NaN() }},
		{"ratio above 1", func(p *PCA) { p.Explained[0] = 1.5 }},
		{"nan ratio", func(p *PCA) { p.Explained[1] = math.NaN() }},
		{"inf mean", func(p *PCA) { p.Means[2] = math.Inf(1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := good()
			tc.edit(p)
			if err := p.Validate(); err == nil {
				t.Errorf("Validate(%+v) = nil", p)
			}
		})
	}
}

func BenchmarkFitPCA(b *testing.B) {
	for _, bc := range []struct {
		name string
		n    int
	}{{"10k", 10_000}, {"1M", 1_000_000}} {
		b.Run(bc.name, func(b *testing.B) {
			zs := syntheticRows(b, bc.n, 2)
			b.ReportAllocs()
			c0 := cpuTime()
			for b.Loop() {
				if _, err := FitPCA(zs, 3); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, c0)
		})
	}
}

func BenchmarkPCAProjectTo(b *testing.B) {
	_, xs := loadCatalog(b)
	p, err := FitPCA(xs, 3)
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]float64, 3)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p.ProjectTo(dst, xs[i])
		if i++; i == len(xs) {
			i = 0
		}
	}
}

// FitAxes is FitPCA's fit for rows of any width: on scaled features it
// gives FitPCA's components, means and ratios bit for bit, and on wider
// rows its components are orthonormal and its ratios decrease.
func TestFitAxes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	zs := make([]features.Vector, 500)
	rows := make([][]float64, len(zs))
	for i := range zs {
		for j := range zs[i] {
			zs[i][j] = rng.NormFloat64() * float64(j+1)
		}
		rows[i] = zs[i][:]
	}
	p, err := FitPCA(zs, 3)
	if err != nil {
		t.Fatal(err)
	}
	a, err := FitAxes(rows, features.NumAbstract, 3)
	if err != nil {
		t.Fatal(err)
	}
	for c := range 3 {
		if !slices.Equal(p.Components[c], a.Components[c]) || p.Explained[c] != a.Explained[c] {
			t.Fatalf("component %d differs", c)
		}
		if got, want := a.Project(rows[7])[c], p.Project(zs[7])[c]; got != want {
			t.Fatalf("projection %d: %v, FitPCA's %v", c, got, want)
		}
	}
	if !slices.Equal(p.Means[:], a.Means) {
		t.Fatal("means differ")
	}

	wide := make([][]float64, 300)
	for i := range wide {
		wide[i] = make([]float64, 16)
		for j := range wide[i] {
			wide[i][j] = rng.NormFloat64() * (1 + float64(j%5))
		}
	}
	w, err := FitAxes(wide, 16, 4)
	if err != nil {
		t.Fatal(err)
	}
	for c := range 4 {
		for e := range 4 {
			dot := 0.0
			for j := range 16 {
				dot += w.Components[c][j] * w.Components[e][j]
			}
			want := 0.0
			if c == e {
				want = 1
			}
			if math.Abs(dot-want) > 1e-12 {
				t.Fatalf("components %d·%d = %v", c, e, dot)
			}
		}
		if c > 0 && w.Explained[c] > w.Explained[c-1] {
			t.Fatalf("explained ratios %v do not decrease", w.Explained)
		}
	}
	for _, tc := range []struct {
		rows [][]float64
		d, k int
	}{{wide[:1], 16, 1}, {wide, 16, 17}, {wide, 15, 2}, {[][]float64{{1, 2}, {1, 2}}, 2, 1}} {
		if _, err := FitAxes(tc.rows, tc.d, tc.k); err == nil {
			t.Errorf("FitAxes(%d rows, d %d, k %d): no error", len(tc.rows), tc.d, tc.k)
		}
	}
}
