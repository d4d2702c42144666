// Package scale maps the eight abstract features to the space the flow
// model, the selector and the plots work in, and projects that space.
//
// A [Scaler] applies, per feature, a Yeo-Johnson power transform with its
// own lambda and then standardisation, as scikit-learn's
// PowerTransformer(method="yeo-johnson", standardize=True); [FitScaler]
// fits the lambdas with Brent's method step for step as SciPy does
// (internal/optim), and golden files from scikit-learn hold the two
// together (testdata/scaler). [PCA] projects scaled features to two or
// three principal components for maps and plots; t-SNE, the other
// projection, lives in model/tsne.
package scale
