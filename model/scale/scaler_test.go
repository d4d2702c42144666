package scale

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"errors"
	"github.com/discoflow/disco/features"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

const ulp1 = 0x1p-52 // one ulp of 1

// roundTripTol is how far InverseYeoJohnson(YeoJohnson(x, l), l) may be
// from x. Two sources: the exp in both directions turns the rounding of
// its argument (about eps*|l log1p(|x|)|) into a relative error, which
// maps back to a relative error in 1+|x| of about eps*log1p(|x|); and the
// rounding of y (a few ulps of |y|) carried back through the inverse's
// slope dx/dy, which is huge where the transform saturates (x >= 0 with
// l << 0, x < 0 with l >> 2).
func roundTripTol(x, y, l float64) float64 {
	a := math.Log1p(math.Abs(x))
	return 8*ulp1*(math.Abs(x)+(1+math.Abs(x))*a) + 8*ulp1*math.Abs(y)*yjSlope(x, l) + 1e-300
}

func TestYeoJohnsonExtremeLambdas(t *testing.T) {
	lambdas := []struct {
		name string
		l    float64
	}{
		{"-20", -20}, {"-16.7", -16.7}, {"-1", -1}, {"0", 0}, {"1e-17", 1e-17},
		{"0.5", 0.5}, {"1", 1}, {"2", 2}, {"2+1e-17", 2 + 1e-17}, {"2-1e-15", 2 - 1e-15}, {"5", 5},
	}
	xs := []float64{-60, -46.448, -10, -1, -0.5, -1e-10, -1e-300, 0, 1e-300, 1e-10, 0.001, 0.5, 1, 5, 60, 1e6}
	for _, lc := range lambdas {
		t.Run(lc.name, func(t *testing.T) {
			l := lc.l
			prev := math.Inf(-1)
			for _, x := range xs {
				y := YeoJohnson(x, l)
				if math.IsNaN(y) || math.IsInf(y, 0) {
					t.Fatalf("YeoJohnson(%v, %v) = %v", x, l, y)
				}
				// Increasing (saturated values may tie), sign-preserving.
				if y < prev {
					t.Errorf("YeoJohnson(%v, %v) = %v below the previous value %v", x, l, y, prev)
				}
				prev = y
				if math.Signbit(y) != math.Signbit(x) && y != 0 {
					t.Errorf("YeoJohnson(%v, %v) = %v has the wrong sign", x, l, y)
				}
				if want, ok := yjReference(x, l); ok && math.Abs(y-want) > 1e-13*math.Abs(want) {
					t.Errorf("YeoJohnson(%v, %v) = %v, want %v", x, l, y, want)
				}
				back := InverseYeoJohnson(y, l)
				if math.IsNaN(back) || math.IsInf(back, 0) {
					t.Fatalf("InverseYeoJohnson(%v, %v) = %v", y, l, back)
				}
				if saturated(y, l) {
					// y rounded to the bound of the transform's range: x
					// is lost, and the inverse is documented to return the
					// largest finite value.
					if math.Abs(back) != math.MaxFloat64 || math.Signbit(back) != math.Signbit(x) {
						t.Errorf("InverseYeoJohnson(%v, %v) = %v at the bound, want %v MaxFloat64", y, l, back, x)
					}
					continue
				}
				if tol := roundTripTol(x, y, l); math.Abs(back-x) > tol {
					t.Errorf("InverseYeoJohnson(YeoJohnson(%v)) = %v at lambda %v (diff %.3g, tolerance %.3g)", x, back, l, back-x, tol)
				}
			}
		})
	}
}

// saturated reports whether y is at or beyond the bound of the transform's
// range for lambda l: 1/|l| for x >= 0 when l < 0, 1/(l-2) for x < 0 when
// l > 2.
func saturated(y, l float64) bool {
	if y >= 0 {
		return l < 0 && l*y <= -1
	}
	return l > 2 && -(2-l)*y <= -1
}

// yjReference is the textbook formula where it is accurate: the power
// form where l log1p(|x|) is not small (no cancellation in the -1), the
// log form at exactly 0 or 2.
func yjReference(x, l float64) (float64, bool) {
	if x >= 0 {
		if l == 0 {
			return math.Log(1 + x), x > 0.5
		}
		if math.Abs(l*math.Log1p(x)) < 0.5 {
			return 0, false
		}
		return (math.Pow(x+1, l) - 1) / l, true
	}
	if l == 2 {
		return -math.Log(1 - x), x < -0.5
	}
	if math.Abs((2-l)*math.Log1p(-x)) < 0.5 {
		return 0, false
	}
	return -(math.Pow(1-x, 2-l) - 1) / (2 - l), true
}

// TestYeoJohnsonLogBranches checks the thresholds at which the log forms
// take over: the same as scikit-learn's (|l| < eps for x >= 0,
// |l-2| <= eps for x < 0), and continuity across them.
func TestYeoJohnsonLogBranches(t *testing.T) {
	for _, tc := range []struct {
		name string
		x, l float64
		want float64
	}{
		{"pos at 0", 1, 0, math.Log(2)},
		{"pos below eps", 1, 1e-17, math.Log(2)},
		{"pos at -eps", 1, -lambdaEps, math.Log(2)},
		{"neg at 2", -1, 2, -math.Log(2)},
		{"neg at 2+eps", -1, 2 + lambdaEps, -math.Log(2)},
		{"neg at 2-1e-17", -1, 2 - 1e-17, -math.Log(2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := YeoJohnson(tc.x, tc.l); math.Abs(got-tc.want) > 4*ulp1 {
				t.Errorf("YeoJohnson(%v, %v) = %v, want %v", tc.x, tc.l, got, tc.want)
			}
			if got := InverseYeoJohnson(tc.want, tc.l); math.Abs(got-tc.x) > 4*ulp1 {
				t.Errorf("InverseYeoJohnson(%v, %v) = %v, want %v", tc.want, tc.l, got, tc.x)
			}
		})
	}
}

// TestInverseYeoJohnsonOutOfRange checks that values the transform cannot
// reach, or whose inverse overflows, map to the largest finite value
// instead of NaN or Inf.
func TestInverseYeoJohnsonOutOfRange(t *testing.T) {
	for _, tc := range []struct {
		name string
		y, l float64
		want float64
	}{
		{"above -1/l", 0.06, -16.7, math.MaxFloat64},
		{"far above", 1e10, -20, math.MaxFloat64},
		{"below 1/(2-l)", -0.4, 5, -math.MaxFloat64},
		{"far below", -1e10, 8, -math.MaxFloat64},
		{"overflowing inverse", 1e300, 0.5, math.MaxFloat64},
		{"overflowing inverse, log branch", 1000, 0, math.MaxFloat64},
		{"overflowing negative inverse", -1e300, 1.5, -math.MaxFloat64},
		{"+Inf", math.Inf(1), 1, math.MaxFloat64},
		{"-Inf", math.Inf(-1), 1, -math.MaxFloat64},
		{"-Inf at 2", math.Inf(-1), 2, -math.MaxFloat64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := InverseYeoJohnson(tc.y, tc.l); got != tc.want {
				t.Errorf("InverseYeoJohnson(%v, %v) = %v, want %v", tc.y, tc.l, got, tc.want)
			}
		})
	}
}

func FuzzYeoJohnsonRoundTrip(f *testing.F) {
	for _, s := range [][2]float64{
		{0, 1}, {-60, -16.7}, {0.918, -11}, {-46.4, 1.9}, {0.5, 0}, {-0.5, 2},
		{1e-300, -20}, {-1e-10, 5}, {1e6, 5}, {-1e6, -20},
		{1.142857142857143e+06, 40}, // exp rounding: needs the log1p(|x|) term of roundTripTol
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, x, l float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(l) || math.Abs(l) > 50 {
			return
		}
		// Any finite value has a finite inverse.
		if v := InverseYeoJohnson(x, l); math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("InverseYeoJohnson(%v, %v) = %v", x, l, v)
		}
		y := YeoJohnson(x, l)
		if math.IsNaN(y) {
			t.Fatalf("YeoJohnson(%v, %v) is NaN", x, l)
		}
		if math.IsInf(y, 0) {
			return // the true value overflows
		}
		back := InverseYeoJohnson(y, l)
		if math.IsNaN(back) || math.IsInf(back, 0) {
			t.Fatalf("InverseYeoJohnson(%v, %v) = %v (x %v)", y, l, back, x)
		}
		if saturated(y, l) {
			if math.Abs(back) != math.MaxFloat64 {
				t.Fatalf("InverseYeoJohnson(%v, %v) = %v at the bound (x %v)", y, l, back, x)
			}
			return
		}
		if tol := roundTripTol(x, y, l); math.Abs(back-x) > tol {
			t.Fatalf("InverseYeoJohnson(YeoJohnson(%v, %v)) = %v (diff %.3g, tolerance %.3g)", x, l, back, back-x, tol)
		}
	})
}

func TestExpm1Fast(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	worst := 0.0
	check := func(x float64) {
		got, want := expm1Fast(x), math.Expm1(x)
		if want == 0 {
			if got != 0 {
				t.Errorf("expm1Fast(%v) = %v, want 0", x, got)
			}
			return
		}
		e := math.Abs(got-want) / math.Abs(want)
		worst = max(worst, e)
		if e > 4*ulp1 { // math.Expm1 is within 1 ulp; expm1Fast within 2
			t.Errorf("expm1Fast(%v) = %v, math.Expm1 %v (%.2f ulps)", x, got, want, e/ulp1)
		}
	}
	for _, x := range []float64{0, 1e-300, -1e-300, 1e-17, 1e-10, -1e-10, 0.0108, -0.0108, 0.0109, -0.0109,
		0.5, -0.5, math.Ln2, 1, -1, 36.04, -36.04, 300, 700, -700} {
		check(x)
	}
	for range 200000 {
		check((rng.Float64()*2 - 1) * math.Pow(10, rng.Float64()*4-2) * 7)
	}
	if got := expm1Fast(-1000); got != -1 {
		t.Errorf("expm1Fast(-1000) = %v, want -1", got)
	}
	t.Logf("worst %.2f ulps", worst/ulp1)
}

func TestFitScalerErrors(t *testing.T) {
	good := features.Vector{0.1, 0.5, 0.5, 0, 0.1, -5, 0.05, 0.5}
	for _, tc := range []struct {
		name string
		xs   []features.Vector
		want string
		is   error
	}{
		{"nil", nil, "no data", ErrNoData},
		{"empty", []features.Vector{}, "no data", ErrNoData},
		{"nan", []features.Vector{good, good, good, {0.1, 0.5, 0.5, 0, 0.1, math.NaN(), 0.05, 0.5}}, "row 3: loudness is NaN", nil},
		{"inf", []features.Vector{good, {0.1, math.Inf(1), 0.5, 0, 0.1, -5, 0.05, 0.5}}, "row 1: danceability is +Inf", nil},
		{"-inf", []features.Vector{{math.Inf(-1), 0.5, 0.5, 0, 0.1, -5, 0.05, 0.5}}, "row 0: acousticness is -Inf", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := FitScaler(tc.xs)
			if err == nil {
				t.Fatalf("FitScaler = %+v, want error", s)
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

// TestFitScalerConstant checks the documented behaviour for constant
// features: lambda 1, mean the value's transform, std 1, scaled to 0. A single row
// makes every feature constant.
func TestFitScalerConstant(t *testing.T) {
	_, cat := loadCatalog(t)
	xs := make([]features.Vector, 500)
	for i := range xs {
		xs[i] = cat[i]
		xs[i][features.Instrumentalness] = 0
		xs[i][features.Loudness] = -7.5
	}
	s, err := FitScaler(xs)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		j int
		v float64
	}{{features.Instrumentalness, 0}, {features.Loudness, -7.5}} {
		if s.Lambdas[c.j] != 1 || s.Means[c.j] != YeoJohnson(c.v, 1) || s.Stds[c.j] != 1 {
			t.Errorf("%s constant %v: lambda %v mean %v std %v, want 1 %v 1", features.AbstractNames[c.j], c.v, s.Lambdas[c.j], s.Means[c.j], s.Stds[c.j], c.v)
		}
	}
	if z := s.Transform(xs[7]); z[features.Instrumentalness] != 0 || z[features.Loudness] != 0 {
		t.Errorf("constant features scale to %v, %v, want 0", z[features.Instrumentalness], z[features.Loudness])
	}
	if s.Lambdas[features.Energy] == 1 || s.Stds[features.Energy] == 1 {
		t.Errorf("energy (not constant) got lambda %v std %v", s.Lambdas[features.Energy], s.Stds[features.Energy])
	}

	one, err := FitScaler(xs[:1])
	if err != nil {
		t.Fatal(err)
	}
	if err := one.Validate(); err != nil {
		t.Error(err)
	}
	if z := one.Transform(xs[0]); z != (features.Vector{}) {
		t.Errorf("single row scales to %v, want zeros", z)
	}
}

// TestFitScalerTwoStage runs the path for many rows (subsample search,
// then Newton on all rows) on the catalog by lowering its threshold, and
// checks it against scikit-learn's lambdas and the exact path's.
func TestFitScalerTwoStage(t *testing.T) {
	var g scalerGolden
	readGolden(t, "testdata/scaler/golden.json", &g)
	_, xs := loadCatalog(t)
	exact, _ := fittedCatalog(t)
	defer func(e, s int) { exactMaxRows, subsampleRows = e, s }(exactMaxRows, subsampleRows)
	exactMaxRows, subsampleRows = 1000, 2048

	// Newton must converge on every feature, not fall back.
	f, sub := newYJFitter(len(xs)), newYJFitter(subsampleRows)
	for j, name := range features.AbstractNames {
		f.load(xs, j, len(xs))
		sub.load(xs, j, subsampleRows)
		l0, err := sub.fitLambda()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := f.newton(sub, l0); !ok {
			t.Errorf("%s: Newton from %v did not converge", name, l0)
		}
	}

	two, err := FitScaler(xs)
	if err != nil {
		t.Fatal(err)
	}
	for j, name := range features.AbstractNames {
		t.Logf("%-16s two-stage %-20v exact %-20v scikit-learn %v", name, two.Lambdas[j], exact.Lambdas[j], g.Lambdas[j])
		if d := math.Abs(two.Lambdas[j] - g.Lambdas[j]); d > 1e-6 {
			t.Errorf("%s: two-stage lambda %v, scikit-learn %v", name, two.Lambdas[j], g.Lambdas[j])
		}
		if d := math.Abs(two.Lambdas[j] - exact.Lambdas[j]); d > 1e-6 {
			t.Errorf("%s: two-stage lambda %v, exact path %v", name, two.Lambdas[j], exact.Lambdas[j])
		}
	}
	checkStandardised(t, two, xs, 1e-9)

	// And on the extreme data, where Newton falls back near lambda 0 and 2.
	exactMaxRows, subsampleRows = 100, 128
	ex, err := FitScaler(g.Extreme.X)
	if err != nil {
		t.Fatal(err)
	}
	for j := range ex.Lambdas {
		if d := math.Abs(ex.Lambdas[j] - g.Extreme.Lambdas[j]); d > 1e-4 {
			t.Errorf("extreme column %d: two-stage lambda %v, scikit-learn %v", j, ex.Lambdas[j], g.Extreme.Lambdas[j])
		}
	}
}

// TestFitScalerHugeValues checks data whose transformed values are huge
// (|y| up to 1e200, past what their squares can hold), heavy tails and
// values over 40 orders of magnitude: the likelihood and the
// standardisation must be computed rescaled, and nothing may overflow.
func TestFitScalerHugeValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	// x with normal YeoJohnson(x, l) around YeoJohnson(at, l).
	normalAt := func(at, l, q float64) float64 {
		mu := YeoJohnson(at, l)
		return InverseYeoJohnson(mu*(1+0.1*q), l)
	}
	xs := make([]features.Vector, 3000)
	for i := range xs {
		for j := range xs[i] {
			u := rng.NormFloat64()
			switch j {
			case 0: // heavy right tail
				xs[i][j] = math.Expm1(math.Exp(1.2 * u))
			// Over so narrow a relative range of x, lambda is weakly
			// identified: the fit lands far from the generating lambda,
			// but far enough out that |y| exceeds 1e200.
			case 1: // generated with lambda -16.7 around -1e10
				xs[i][j] = normalAt(-1e10, -16.7, u)
			case 2: // log-normal over 40 orders of magnitude
				xs[i][j] = math.Exp(20 * u)
			case 3: // generated with lambda 20 around 1e10
				xs[i][j] = normalAt(1e10, 20, u)
			case 4: // heavy left tail
				xs[i][j] = -math.Expm1(math.Exp(1.2 * u))
			default: // both signs, wide
				xs[i][j] = 1e3 * u * math.Abs(u)
			}
		}
	}
	s, err := FitScaler(xs)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	t.Logf("lambdas %v", s.Lambdas)
	t.Logf("means %v", s.Means)
	t.Logf("stds %v", s.Stds)
	for _, j := range []int{1, 3} {
		f := newYJFitter(len(xs))
		f.load(xs, j, len(xs))
		if !f.rescaled(s.Lambdas[j]) {
			t.Errorf("column %d: lambda %v does not exercise the rescaled path", j, s.Lambdas[j])
		}
	}
	checkStandardised(t, s, xs, 1e-9)

	// The rescaled path gives the same log-variance as the direct one
	// where both work.
	f := newYJFitter(len(xs))
	f.load(xs, 2, len(xs))
	for _, l := range []float64{-0.5, 0.1, 0.5, 2.5} {
		direct := f.logVar(l)
		saved := overflowExpForTest(f.maxExp(l) / 2)
		scaled := f.logVar(l)
		overflowExpForTest(saved)
		if math.Abs(direct-scaled) > 1e-12*math.Abs(direct) {
			t.Errorf("lambda %v: log variance %v direct, %v rescaled", l, direct, scaled)
		}
	}
}

// overflowExpForTest sets the rescaling threshold and returns the old one.
func overflowExpForTest(v float64) float64 {
	old := overflowExp
	overflowExp = v
	return old
}

func TestScalerSerialisation(t *testing.T) {
	s, _ := fittedCatalog(t)
	t.Run("json", func(t *testing.T) {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var got Scaler
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if got != *s {
			t.Errorf("JSON round trip changed the scaler:\n%+v\n%+v", got, *s)
		}
	})
	t.Run("gob", func(t *testing.T) {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(s); err != nil {
			t.Fatal(err)
		}
		var got Scaler
		if err := gob.NewDecoder(&buf).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if got != *s {
			t.Errorf("gob round trip changed the scaler:\n%+v\n%+v", got, *s)
		}
	})
	t.Run("nan", func(t *testing.T) {
		bad := *s
		bad.Means[features.Loudness] = math.NaN()
		if _, err := json.Marshal(&bad); err == nil {
			t.Error("JSON encoded a NaN mean")
		}
		if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "loudness") {
			t.Errorf("Validate = %v, want an error naming loudness", err)
		}
	})
}

func TestScalerValidate(t *testing.T) {
	ok := Scaler{Lambdas: features.Vector{1, 1, 1, 1, 1, 1, 1, 1}, Stds: features.Vector{1, 1, 1, 1, 1, 1, 1, 1}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(*Scaler)
	}{
		{"zero", func(s *Scaler) { *s = Scaler{} }},
		{"nan lambda", func(s *Scaler) { s.Lambdas[0] = math.NaN() }},
		{"inf mean", func(s *Scaler) { s.Means[3] = math.Inf(-1) }},
		{"zero std", func(s *Scaler) { s.Stds[7] = 0 }},
		{"negative std", func(s *Scaler) { s.Stds[2] = -1 }},
		{"inf std", func(s *Scaler) { s.Stds[5] = math.Inf(1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ok
			tc.edit(&s)
			if err := s.Validate(); err == nil {
				t.Errorf("Validate(%+v) = nil", s)
			}
		})
	}
}
