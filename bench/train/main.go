// Command train times disco's training of DISCO's RNN (9-16-16-8, T = 50,
// batch 256; linear as in DISCO, or tanh as the shipped model) against
// PyTorch's on the same synthetic data shape, and prints the medians and
// ranges of both throughputs over alternating rounds, their ratio, disco's
// achieved GFLOP/s and the machine's float64 FMA peak measured by a small
// kernel (peak_amd64.s) on as many cores.
//
// Usage, from the repository root (2 cores; Debian's python3-torch):
//
//	go run ./bench/train                     # linear, a quarter of the original tensor, 2 epochs each, 3 rounds
//	go run ./bench/train -activation tanh    # the shipped model's activation; PyTorch hand-stepped, nn.RNN, TorchScript
//	go run ./bench/train -frac 1             # the original's 72,051 x 50 x 9
//	go run ./bench/train -engine gorgonia    # the reference engine instead
//	go run ./bench/train -torch=false        # disco only
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
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/discoflow/disco/model"
)

func main() {
	frac := flag.Float64("frac", 0.25, "fraction of the original 72,051 sequences")
	T := flag.Int("t", 50, "steps per sequence")
	batch := flag.Int("batch", 256, "batch size")
	epochs := flag.Int("epochs", 2, "timed epochs (disco and torch each), after one epoch of warm-up")
	workers := flag.Int("workers", 2, "disco workers and GOMAXPROCS; torch threads")
	engine := flag.String("engine", model.Native, "disco engine: native or gorgonia")
	activation := flag.String("activation", model.Linear, "recurrent activation: linear (DISCO's) or tanh (the shipped model's)")
	residual := flag.String("residual", model.ResidualNone, "disco formulation: none, mean or ewma (the residual models' baseline costs a pass over the batch; PyTorch has none)")
	withTorch := flag.Bool("torch", true, "also time PyTorch (/usr/bin/python3 with python3-torch)")
	forms := flag.String("forms", "", "PyTorch forms, comma-separated: hand, rnn, script (default: hand for linear; hand,rnn,script for tanh)")
	dtype := flag.String("dtype", "float32", "PyTorch's float type: float32 (its default) or float64 (disco's)")
	python := flag.String("python", "/usr/bin/python3", "python with torch")
	rounds := flag.Int("rounds", 3, "alternating rounds of disco and each PyTorch form; medians and ranges over them")
	flag.Parse()
	runtime.GOMAXPROCS(*workers)
	if *activation != model.Linear && *activation != model.Tanh {
		fail(fmt.Errorf("-activation %q: want linear or tanh", *activation))
	}
	var torchForms []string
	switch {
	case !*withTorch:
	case *forms != "":
		torchForms = strings.Split(*forms, ",")
	case *activation == model.Tanh:
		torchForms = []string{"hand", "rnn", "script"}
	default:
		torchForms = []string{"hand"}
	}
	if len(torchForms) > 0 {
		if err := exec.Command(*python, "-c", "import torch").Run(); err != nil {
			fmt.Fprintf(os.Stderr, "bench: PyTorch missing (%s -c 'import torch': %v): disco alone, no ratio\n", *python, err)
			torchForms = nil
		}
	}

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
		Hidden: []int{16, 16}, Activation: *activation, BatchSize: *batch, Epochs: *epochs + 1, Window: *T,
		Workers: *workers, Patience: -1, Engine: *engine, Seed: 1, Residual: *residual,
	}
	flops := float64(model.TrainFLOPs(cfg.Hidden)) * float64(*T)
	load0 := loadAvg()
	peaks := measurePeaks(*workers)

	wall := map[string][]float64{}
	cpu := map[string][]float64{}
	var info string
	for r := range *rounds {
		order := append([]string{"disco"}, torchForms...)
		if r%2 == 1 {
			slices.Reverse(order)
		}
		for _, impl := range order {
			var w, c float64
			var err error
			if impl == "disco" {
				w, c, err = timeDisco(cfg, seqs)
			} else {
				w, c, info, err = runTorch(*python, impl, *activation, n, *T, *batch, *epochs, *workers, *dtype)
			}
			if err != nil {
				fail(fmt.Errorf("%s: %v", impl, err))
			}
			wall[impl] = append(wall[impl], w)
			cpu[impl] = append(cpu[impl], c)
			fmt.Fprintf(os.Stderr, "round %d %-6s %8.0f seq/s (%.0f per CPU-second)\n", r+1, impl, w, c)
		}
	}
	for _, p := range measurePeaks(*workers) {
		for i := range peaks {
			if peaks[i].name == p.name {
				peaks[i].gflops = max(peaks[i].gflops, p.gflops)
			}
		}
	}

	dm := median(wall["disco"])
	dg := dm * flops / 1e9
	fmt.Printf("%s 9-16-16-8 residual %s, T=%d batch=%d n=%d (%.2f of 72,051), %d cores (GOMAXPROCS %d, torch threads %d); load %s -> %s; medians of %d alternating rounds [range]\n",
		*activation, *residual, *T, *batch, n, *frac, *workers, *workers, *workers, load0, loadAvg(), *rounds)
	fmt.Printf("  disco (%s, float64)  %8.0f seq/s [%s], %.0f per CPU-second; %.1f GFLOP/s [%s]\n",
		*engine, dm, spread(wall["disco"], 1), median(cpu["disco"]), dg, spread(wall["disco"], flops/1e9))
	best := ""
	for _, f := range torchForms {
		tm := median(wall[f])
		fmt.Printf("  pytorch %-6s (%s) %8.0f seq/s [%s], %.0f per CPU-second\n", f, *dtype, tm, spread(wall[f], 1), median(cpu[f]))
		if best == "" || tm > median(wall[best]) {
			best = f
		}
	}
	if best != "" {
		var per []float64
		for i := range wall["disco"] {
			per = append(per, wall["disco"][i]/wall[best][i])
		}
		fmt.Printf("  disco / fastest pytorch (%s, %s): %.2fx (per round [%s]; per CPU-second %.2fx)\n",
			best, info, dm/median(wall[best]), spread(per, 1), median(cpu["disco"])/median(cpu[best]))
	}
	for _, p := range peaks {
		fmt.Printf("  measured %s FMA peak on %d cores: %.1f GFLOP/s float64; disco at %.0f%% of it (%.2fx below)\n",
			p.name, *workers, p.gflops, 100*dg/p.gflops, p.gflops/dg)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

type peak struct {
	name   string
	gflops float64
}

// measurePeaks measures each FMA kernel's throughput on workers cores,
// best of 5 runs of about 0.1 s.
func measurePeaks(workers int) []peak {
	var out []peak
	for _, k := range fmaKernels() {
		out = append(out, peak{k.name, fmaPeak(k, workers, 5, 10_000_000)})
	}
	return out
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// spread formats the range of xs times scale.
func spread(xs []float64, scale float64) string {
	if len(xs) == 0 {
		return ""
	}
	lo, hi := slices.Min(xs)*scale, slices.Max(xs)*scale
	if scale == 1 && lo > 100 {
		return fmt.Sprintf("%.0f-%.0f", lo, hi)
	}
	return fmt.Sprintf("%.2f-%.2f", lo, hi)
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
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
func runTorch(python, form, activation string, n, T, batch, epochs, threads int, dtype string) (float64, float64, string, error) {
	_, self, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(self), "torch_bench.py")
	cmd := exec.Command(python, script, "--form", form, "--activation", activation, "--n", strconv.Itoa(n), "--t", strconv.Itoa(T),
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
