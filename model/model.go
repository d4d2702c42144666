package model

import (
	"runtime/debug"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
)

// Model is a trained flow model: its configuration (defaults filled in),
// the scaler fitted on its training data, its weights and a record of how
// it was trained.
type Model struct {
	Config  Config
	Scaler  scale.Scaler
	Weights *Weights
	Info    Info
	// Domain describes the training data for run-time checks (see
	// Domain); nil for a model from a file of format version 1 or 2, or
	// from TrainSequences.
	Domain *Domain
}

// Info records how a model was trained. Zero fields are unknown (for
// example the data fields of a model from TrainSequences).
type Info struct {
	Created time.Time `json:"created"` // UTC, to the second
	Version string    `json:"version"` // disco's version (module version and VCS revision when known)
	Engine  string    `json:"engine"`
	Data    []string  `json:"data,omitempty"` // where the playlists came from (set by the caller)
	// Fingerprint is the SHA-256 of the training and validation data as
	// the model saw them (see Fingerprint).
	Fingerprint string `json:"fingerprint"`

	TrainPlaylists int `json:"train_playlists"`
	ValPlaylists   int `json:"val_playlists"`
	TrainTracks    int `json:"train_tracks"` // distinct tracks the scaler was fitted on
	TrainRuns      int `json:"train_runs"`   // runs of tracks with features (see Runs)
	ValRuns        int `json:"val_runs"`
	TrainSequences int `json:"train_sequences"` // windows (see Windows)
	TrainSteps     int `json:"train_steps"`     // transitions in the windows
	ValSteps       int `json:"val_steps"`       // transitions in the validation runs

	EpochsRun int     `json:"epochs_run"`
	BestEpoch int     `json:"best_epoch"` // whose weights these are; 0 if none finished
	Stopped   string  `json:"stopped"`    // StopCompleted, StopEarly or StopInterrupted
	TrainMAE  float64 `json:"train_mae"`  // of the best epoch
	ValMAE    float64 `json:"val_mae"`    // of the best epoch; 0 without validation
	Seconds   float64 `json:"seconds"`    // wall time of training

	// TargetMean and TargetMAD are the per-feature mean of the scaled
	// training targets and their mean absolute deviation around it: the
	// global-mean baseline and the scale of MAE/MAD.
	TargetMean features.Vector `json:"target_mean"`
	TargetMAD  features.Vector `json:"target_mad"`

	// Eval scores the model against the baselines on the validation data;
	// nil without validation data.
	Eval *Evaluation `json:"eval,omitempty"`

	History []EpochStats `json:"history"`
}

// Version returns disco's version as the Go toolchain recorded it in the
// binary: the main module's version and, when built from a VCS checkout,
// the revision (and "+dirty" for uncommitted changes).
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " " + rev + dirty
	}
	return v
}
