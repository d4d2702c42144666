package scale

import (
	"fmt"
	"github.com/discoflow/disco/features"
	"math"
)

// Scaler maps raw abstract features to scaled ones: per feature, a
// Yeo-Johnson power transform with its own lambda, then standardisation to
// mean 0 and variance 1, as scikit-learn's
// PowerTransformer(method="yeo-johnson", standardize=True). Its fields are
// exported so that it serialises (encoding/json, gob) with a model.
//
// The zero Scaler is not usable; fit one with FitScaler.
type Scaler struct {
	Lambdas features.Vector // Yeo-Johnson lambda per feature
	Means   features.Vector // mean of the transformed feature over the fitting data
	Stds    features.Vector // standard deviation (population, ddof 0) of the same
}

// Validate reports whether s is a usable fitted Scaler: every lambda and
// mean finite, every standard deviation finite and positive. FitScaler
// returns only valid Scalers; use Validate on one decoded from a file.
func (s *Scaler) Validate() error {
	for j := range s.Lambdas {
		l, m, d := s.Lambdas[j], s.Means[j], s.Stds[j]
		if math.IsNaN(l) || math.IsInf(l, 0) || math.IsNaN(m) || math.IsInf(m, 0) ||
			!(d > 0) || math.IsInf(d, 0) {
			return fmt.Errorf("features: scaler: %s has lambda %v, mean %v, std %v", features.AbstractNames[j], l, m, d)
		}
	}
	return nil
}

// Transform returns the scaled features of raw feature vector x. NaN stays
// NaN; a raw value so far outside the fitting data that its transform
// overflows (see YeoJohnson) scales to ±Inf.
func (s *Scaler) Transform(x features.Vector) features.Vector {
	var z features.Vector
	for i, v := range x {
		z[i] = (YeoJohnson(v, s.Lambdas[i]) - s.Means[i]) / s.Stds[i]
	}
	return z
}

// Inverse returns the raw features whose scaled features are z. Values of z
// beyond what the transform can reach (possible for |lambda| far from 1),
// or whose raw value exceeds the float64 range, map to ±math.MaxFloat64
// (see InverseYeoJohnson), never to Inf. NaN stays NaN.
func (s *Scaler) Inverse(z features.Vector) features.Vector {
	var x features.Vector
	for i, v := range z {
		x[i] = InverseYeoJohnson(v*s.Stds[i]+s.Means[i], s.Lambdas[i])
	}
	return x
}

// lambdaEps is how close to 0 or 2 a lambda must be to use the log branch:
// |l| < lambdaEps for x >= 0, |l-2| <= lambdaEps for x < 0, the same
// thresholds (np.spacing(1.0)) and comparisons as scikit-learn.
const lambdaEps = 2.220446049250313e-16

// YeoJohnson returns the Yeo-Johnson transform of x with parameter l:
//
//	x >= 0, l != 0:  ((x+1)^l - 1) / l
//	x >= 0, l == 0:  log(x+1)
//	x <  0, l != 2:  -((1-x)^(2-l) - 1) / (2-l)
//	x <  0, l == 2:  -log(1-x)
//
// It is computed as expm1(l*log1p(x))/l, which keeps precision for lambdas
// near 0 and for extreme ones (loudness can reach lambda -16.7). The
// result is ±Inf only where the true value exceeds the float64 range
// (|l log1p(|x|)| above about 709, or |2-l| log1p(|x|) for x < 0).
func YeoJohnson(x, l float64) float64 {
	if x >= 0 {
		if math.Abs(l) < lambdaEps {
			return math.Log1p(x)
		}
		return math.Expm1(l*math.Log1p(x)) / l
	}
	if math.Abs(l-2) <= lambdaEps {
		return -math.Log1p(-x)
	}
	return -math.Expm1((2-l)*math.Log1p(-x)) / (2 - l)
}

// InverseYeoJohnson returns the x with YeoJohnson(x, l) = y. It never
// returns an infinity: for y outside the transform's range (when l < 0 the
// positive branch is bounded above by -1/l; when l > 2 the negative branch
// is bounded below by 1/(2-l)), and for y whose inverse exceeds the
// float64 range, it returns math.MaxFloat64 with the sign of y. NaN stays
// NaN.
func InverseYeoJohnson(y, l float64) float64 {
	x := inverseYJ(y, l)
	if math.IsInf(x, 0) {
		return math.Copysign(math.MaxFloat64, x)
	}
	return x
}

func inverseYJ(y, l float64) float64 {
	if y >= 0 {
		if math.Abs(l) < lambdaEps {
			return math.Expm1(y)
		}
		u := l * y
		if u <= -1 {
			return math.MaxFloat64
		}
		return math.Expm1(math.Log1p(u) / l)
	}
	if math.Abs(l-2) <= lambdaEps {
		return -math.Expm1(-y)
	}
	u := -(2 - l) * y
	if u <= -1 {
		return -math.MaxFloat64
	}
	return -math.Expm1(math.Log1p(u) / (2 - l))
}
