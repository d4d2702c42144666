package features

// Scaler maps raw abstract features to scaled ones: per feature, a
// Yeo-Johnson power transform with its own lambda, then standardisation to
// mean 0 and variance 1, as scikit-learn's
// PowerTransformer(method="yeo-johnson", standardize=True). Its fields are
// exported so that it serialises (encoding/json, gob) with a model.
//
// The zero Scaler is not usable; fit one with FitScaler.
type Scaler struct {
	Lambdas Vector // Yeo-Johnson lambda per feature
	Means   Vector // mean of the transformed feature over the fitting data
	Stds    Vector // standard deviation (population, ddof 0) of the same
}
