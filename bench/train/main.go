// Command train times disco's training of DISCO's linear RNN (9-16-16-8,
// T = 50, batch 256) against PyTorch's on the same synthetic data shape,
// and prints one line with both throughputs, their ratio and disco's
// achieved GFLOP/s.
//
// Usage, from the repository root (2 cores; Debian's python3-torch):
//
//	go run ./bench/train                     # a quarter of the original tensor, 2 epochs each
//	go run ./bench/train -frac 1             # the original's 72,051 x 50 x 9
//	go run ./bench/train -engine gorgonia    # the reference engine instead
//	go run ./bench/train -torch=false        # disco only
//	go run ./bench/train -rounds 3           # best of 3 alternations, on a busy machine
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/discoflow/disco/model"
)

func main() {
	frac := flag.Float64("frac", 0.25, "fraction of the original 72,051 sequences")
	T := flag.Int("t", 50, "steps per sequence")
	batch := flag.Int("batch", 256, "batch size")
	epochs := flag.Int("epochs", 2, "timed epochs (disco and torch each)")
	workers := flag.Int("workers", 2, "disco workers; torch threads")
	engine := flag.String("engine", model.Native, "disco engine: native or gorgonia")
	residual := flag.String("residual", model.ResidualNone, "disco formulation: none, mean or ewma (the residual models' baseline costs a pass over the batch)")
	withTorch := flag.Bool("torch", true, "also time PyTorch (/usr/bin/python3 with python3-torch)")
	dtype := flag.String("dtype", "float32", "PyTorch's float type: float32 (its default) or float64 (disco's)")
	python := flag.String("python", "/usr/bin/python3", "python with torch")
	rounds := flag.Int("rounds", 1, "alternate disco and torch this many times and keep each one's best (for a busy machine)")
	flag.Parse()
	runtime.GOMAXPROCS(*workers)

	n := int(*frac*72051 + 0.5)
	rng := rand.New(rand.NewPCG(1, 2))
	seqs := make([]model.Sequence, n)
	for i := range seqs {
		s := make(model.Sequence, *T+1)
		for t := range s {
			for j := range s[t] {
				s[t][j] = rng.NormFloat64()
			}
		}
		seqs[i] = s
	}
	cfg := model.Config{
		Hidden: []int{16, 16}, BatchSize: *batch, Epochs: *epochs + 1, Window: *T,
		Workers: *workers, Patience: -1, Engine: *engine, Seed: 1, Residual: *residual,
	}
	flops := float64(model.TrainFLOPs(cfg.Hidden)) * float64(*T)
	var disco, discoCPU, torch, torchCPU float64
	var info string
	for range *rounds {
		d, c, err := timeDisco(cfg, seqs)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		disco, discoCPU = max(disco, d), max(discoCPU, c)
		if *withTorch {
			t, tc, i, err := runTorch(*python, n, *T, *batch, *epochs, *workers, *dtype)
			if err != nil {
				fmt.Fprintln(os.Stderr, "bench: torch:", err)
				os.Exit(1)
			}
			torch, torchCPU, info = max(torch, t), max(torchCPU, tc), i
		}
	}
	line := fmt.Sprintf("linear 9-16-16-8 T=%d batch=%d n=%d (%.2f of 72,051) %d cores: disco(%s, float64) %.0f seq/s, %.2f GFLOP/s (%.2f per CPU-second)",
		*T, *batch, n, *frac, *workers, *engine, disco, disco*flops/1e9, discoCPU*flops/1e9)
	if *withTorch {
		line += fmt.Sprintf("; pytorch %s (%s, %d threads) %.0f seq/s; disco/pytorch = %.2fx (per CPU-second: %.0f vs %.0f seq, %.2fx)",
			info, *dtype, *workers, torch, disco/torch, discoCPU, torchCPU, discoCPU/torchCPU)
	}
	if *rounds > 1 {
		line += fmt.Sprintf(" (best of %d rounds)", *rounds)
	}
	fmt.Println(line)
}

// timeDisco trains for cfg.Epochs epochs and returns the throughput of all
// but the first, which warms up (graphs, buffers).
func timeDisco(cfg model.Config, seqs []model.Sequence) (float64, float64, error) {
	var secs, cpu, cpu0 float64
	var done int
	_, err := model.TrainSequences(context.Background(), cfg, model.IdentityScaler(), seqs, nil, model.Hooks{
		Batch: func(s model.BatchStats) {
			if s.Epoch == 2 && s.Batch == 1 {
				cpu0 = cpuSeconds()
			}
		},
		Epoch: func(s model.EpochStats) {
			if s.Epoch > 1 {
				secs += s.Seconds
				done += s.Sequences
				cpu = cpuSeconds() - cpu0
			}
		},
	})
	return float64(done) / secs, float64(done) / cpu, err
}

// cpuSeconds returns the process's user and system CPU time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// runTorch runs torch_bench.py and returns its throughput per wall second
// and per CPU second, and torch's version.
func runTorch(python string, n, T, batch, epochs, threads int, dtype string) (float64, float64, string, error) {
	_, self, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(self), "torch_bench.py")
	cmd := exec.Command(python, script, "--n", strconv.Itoa(n), "--t", strconv.Itoa(T),
		"--batch", strconv.Itoa(batch), "--epochs", strconv.Itoa(epochs), "--threads", strconv.Itoa(threads), "--dtype", dtype)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, "", fmt.Errorf("%v after %s: %s", err, time.Since(start).Round(time.Second), errb.String())
	}
	var r struct {
		SeqPerSec    float64 `json:"seq_per_sec"`
		SeqPerCPUSec float64 `json:"seq_per_cpu_sec"`
		Torch        string  `json:"torch"`
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return 0, 0, "", fmt.Errorf("reading %q: %v", out.String(), err)
	}
	return r.SeqPerSec, r.SeqPerCPUSec, r.Torch, nil
}
