package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model"
	modelbuiltin "github.com/discoflow/disco/model/builtin"
)

func init() {
	register(command{name: "model", summary: "inspect flow model files (disco model info)", run: runModel})
}

const modelHelp = `
Subcommands:
  info [--json] [FILE]   print everything in a model file: configuration,
                         scaler, weights, training record and validation
                         scores (FILE defaults to the embedded model)
`

const modelInfoHelp = `
Prints everything in a model file: its configuration, the fitted scaler,
the weights (shapes and norms; --json prints every value), the training
record (data fingerprint, seed, epochs, history, date, disco version) and
the validation scores against the baselines, and the training domain
(genres, validation gain over the running mean, and how far a seed may
lie from the training songs before build and eval warn). Without FILE, the model
embedded in disco.
`

func runModel(ctx context.Context, e *env, args []string) error {
	return runGroup(ctx, e, args, "model", modelHelp, map[string]func(context.Context, *env, []string) error{"info": runModelInfo})
}

func runModelInfo(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "model info", "[--json] [FILE]", modelInfoHelp)
	asJSON := fs.Bool("json", false, "print the file's full content as JSON")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(e.stderr, "disco model info: one file at most, got %d\n", fs.NArg())
		return errUsage
	}
	path := fs.Arg(0)
	m, err := openModel(path)
	if err != nil {
		return err
	}
	if path == "" {
		path = modelbuiltin.Name
	}
	if *asJSON {
		return m.WriteJSON(e.stdout)
	}
	printModelInfo(e.stdout, path, m)
	return nil
}

func printModelInfo(w io.Writer, path string, m *model.Model) {
	c, in := m.Config, m.Info
	fmt.Fprintf(w, "Model %s (format %s v%d)\n\n", path, model.Magic, m.FileVersion())

	fmt.Fprintln(w, "Network")
	fmt.Fprintf(w, "  layers       %d inputs -> %s (%s) -> %d outputs\n", model.NumInputs, joinInts(c.Hidden), c.Activation, model.NumOutputs)
	fmt.Fprintf(w, "  predicts     %s\n", describeResidual(c))
	fmt.Fprintf(w, "  parameters   %d\n", len(m.Weights.Data))
	for _, p := range m.Weights.Params() {
		norm := 0.0
		for _, v := range p.Data {
			norm += v * v
		}
		fmt.Fprintf(w, "    %-8s %3d x %-3d  |w| %.4f\n", p.Name, p.Rows, p.Cols, math.Sqrt(norm))
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "Training configuration")
	fmt.Fprintf(w, "  loss, optimizer  mean absolute error (masked), Adam lr %g", c.LearnRate)
	if c.WeightDecay > 0 {
		fmt.Fprintf(w, ", weight decay %g (AdamW)", c.WeightDecay)
	}
	fmt.Fprintln(w)
	if c.InputNoise > 0 || c.Dropout > 0 {
		fmt.Fprintf(w, "  regularisation   input noise %g, dropout %g between layers (training only)\n", c.InputNoise, c.Dropout)
	}
	fmt.Fprintf(w, "  batch, epochs    %d, at most %d\n", c.BatchSize, c.Epochs)
	fmt.Fprintf(w, "  window, stride   %d, %d (min run %d tracks)\n", c.Window, c.Stride, c.MinLen)
	fmt.Fprintf(w, "  validation       %g of playlists, patience %d\n", c.ValFrac, c.Patience)
	fmt.Fprintf(w, "  seed, workers    %d, %d\n", c.Seed, c.Workers)
	fmt.Fprintf(w, "  engine           %s\n\n", c.Engine)

	fmt.Fprintln(w, "Scaler (Yeo-Johnson, then standardised; fitted on the training tracks)")
	fmt.Fprintf(w, "  %-17s %10s %10s %10s\n", "feature", "lambda", "mean", "std")
	for i, n := range features.AbstractNames {
		fmt.Fprintf(w, "  %-17s %10.4f %10.4f %10.4f\n", n, m.Scaler.Lambdas[i], m.Scaler.Means[i], m.Scaler.Stds[i])
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "Training record")
	if !in.Created.IsZero() {
		fmt.Fprintf(w, "  created        %s\n", in.Created.Format("2006-01-02 15:04:05 UTC"))
	}
	fmt.Fprintf(w, "  disco version  %s\n", in.Version)
	if len(in.Data) > 0 {
		fmt.Fprintf(w, "  data           %s\n", strings.Join(in.Data, ", "))
	}
	fmt.Fprintf(w, "  fingerprint    %s\n", in.Fingerprint)
	fmt.Fprintf(w, "  playlists      %d training, %d validation\n", in.TrainPlaylists, in.ValPlaylists)
	fmt.Fprintf(w, "  tracks         %d distinct training tracks; %d runs, %d windows, %d transitions\n", in.TrainTracks, in.TrainRuns, in.TrainSequences, in.TrainSteps)
	fmt.Fprintf(w, "  validation     %d runs, %d transitions\n", in.ValRuns, in.ValSteps)
	fmt.Fprintf(w, "  epochs         %d run (%s), best %d, %.1f s\n", in.EpochsRun, in.Stopped, in.BestEpoch, in.Seconds)
	fmt.Fprintf(w, "  best epoch     train MAE %.4f, validation MAE %.4f\n\n", in.TrainMAE, in.ValMAE)
	if len(in.History) > 0 {
		fmt.Fprintln(w, "History")
		fmt.Fprintf(w, "  %5s %10s %10s %10s\n", "epoch", "train MAE", "val MAE", "seq/s")
		for _, s := range in.History {
			mark := ""
			if s.Epoch == in.BestEpoch {
				mark = "  best"
			}
			fmt.Fprintf(w, "  %5d %10.4f %10.4f %10.0f%s\n", s.Epoch, s.TrainMAE, s.ValMAE, s.SeqPerSec, mark)
		}
		fmt.Fprintln(w)
	}
	if in.Eval != nil {
		printEvaluation(w, in.Eval, in.ValPlaylists)
	}
	printDomain(w, m.Domain)
}

// printDomain prints what a model records of its training data for the
// run-time checks, or says that an older file records none.
func printDomain(w io.Writer, d *model.Domain) {
	fmt.Fprintln(w, "\nTraining domain (for the far-from-training check of build and eval)")
	if d == nil {
		fmt.Fprintln(w, "  not recorded (a file older than format v3): seeds are not checked")
		return
	}
	if len(d.Genres) > 0 {
		gs := make([]string, len(d.Genres))
		for i, g := range d.Genres {
			gs[i] = fmt.Sprintf("%s (%d)", g.Genre, g.Playlists)
		}
		fmt.Fprintf(w, "  genres         %s playlists\n", strings.Join(gs, ", "))
	} else {
		fmt.Fprintln(w, "  genres         none named in the training playlists")
	}
	if g := d.ValGain(); !math.IsNaN(g) {
		fmt.Fprintf(w, "  validation     MAE %.4f vs running mean %.4f: %+.1f%%\n", d.ValMAE, d.ValBaselineMAE, -100*g)
	}
	fmt.Fprintf(w, "  far beyond     %.3f scaled units from the nearest of %d prototypes (k-means of the training songs; %g%% of them lie within)\n",
		d.Radius, len(d.Prototypes), 100*d.Quantile)
}

// describeResidual says what a model's outputs are.
func describeResidual(c model.Config) string {
	switch c.Residual {
	case model.ResidualMean:
		return "running mean of the songs so far + network output (residual)"
	case model.ResidualEWMA:
		return fmt.Sprintf("exponentially weighted mean of the songs so far (rate %.4f) + network output (residual)", c.Rate)
	}
	return "the network output (plain)"
}
