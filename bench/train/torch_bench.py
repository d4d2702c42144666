"""Times PyTorch training of DISCO's recurrent network, for bench/train.

The same network as disco's (9 inputs, two recurrent layers of 16, Dense(8),
h_t = act(x_t W + h_{t-1} U + b), act linear or tanh), masked mean absolute
error, Adam lr 0.001, on synthetic data of shape (T, N, 9) -> (T, N, 8), in
one of three forms:

  hand    the recurrence written out step by step (linear or tanh)
  rnn     the fused nn.RNN(9, 16, num_layers=2, nonlinearity='tanh') and
          nn.Linear(16, 8), eager (tanh only: nn.RNN has no linear form)
  script  the same module compiled with torch.jit.script (tanh only)

The batches of every epoch (a permutation per epoch, seeded) are gathered
before timing; one whole epoch is warm-up and not timed, as disco's first
epoch is; then --epochs epochs are timed. Prints one JSON line:
{"form", "seq_per_sec", "seq_per_cpu_sec", "epochs", "threads", "torch",
"dtype", ...}; seq_per_cpu_sec divides by the CPU time of all the
process's threads.

Run with Debian's python3-torch:
  /usr/bin/python3 torch_bench.py --n 18013 --activation tanh --form rnn
"""
import argparse
import json
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=72051)
    ap.add_argument("--t", type=int, default=50)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--hidden", type=int, default=16)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--activation", default="linear", choices=["linear", "tanh"])
    ap.add_argument("--form", default="hand", choices=["hand", "rnn", "script"])
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"],
                    help="float32 is PyTorch's default and its fastest; disco is float64")
    a = ap.parse_args()
    if a.form != "hand" and a.activation != "tanh":
        ap.error("--form rnn and script need --activation tanh (nn.RNN has no linear form)")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    dt = torch.float32 if a.dtype == "float32" else torch.float64
    x = torch.randn(a.t, a.n, 9, dtype=dt)
    y = torch.randn(a.t, a.n, 8, dtype=dt)
    mask = torch.ones(a.t, a.n, 1, dtype=dt)
    H = a.hidden

    if a.form == "hand":
        def glorot(r, c):
            lim = (6.0 / (r + c)) ** 0.5
            return ((torch.rand(r, c, dtype=dt) * 2 - 1) * lim).requires_grad_()

        def orth(n):
            q, _ = torch.linalg.qr(torch.randn(n, n, dtype=dt))
            return q.clone().requires_grad_()

        params = [glorot(9, H), orth(H), torch.zeros(H, dtype=dt, requires_grad=True),
                  glorot(H, H), orth(H), torch.zeros(H, dtype=dt, requires_grad=True),
                  glorot(H, 8), torch.zeros(8, dtype=dt, requires_grad=True)]
        W1, U1, b1, W2, U2, b2, Wo, bo = params
        act = torch.tanh if a.activation == "tanh" else (lambda v: v)

        def forward(xb):
            B = xb.shape[1]
            h1 = torch.zeros(B, H, dtype=dt)
            h2 = torch.zeros(B, H, dtype=dt)
            outs = []
            for t in range(xb.shape[0]):
                h1 = act(xb[t] @ W1 + h1 @ U1 + b1)
                h2 = act(h1 @ W2 + h2 @ U2 + b2)
                outs.append(h2 @ Wo + bo)
            return torch.stack(outs)
    else:
        class Net(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = torch.nn.RNN(9, H, num_layers=2, nonlinearity="tanh")
                self.out = torch.nn.Linear(H, 8)

            def forward(self, xb):
                h, _ = self.rnn(xb)
                return self.out(h)

        net = Net().to(dt)
        if a.form == "script":
            net = torch.jit.script(net)
        params = list(net.parameters())
        forward = net
    opt = torch.optim.Adam(params, lr=0.001, eps=1e-7)

    def step(xb, yb, mb):
        yh = forward(xb)
        loss = ((yh - yb).abs() * mb).sum() / (mb.sum() * 8)
        opt.zero_grad()
        loss.backward()
        opt.step()

    def batches():
        perm = torch.randperm(a.n)
        out = []
        for i in range(0, a.n, a.batch):
            idx = perm[i: i + a.batch]
            out.append((x[:, idx].contiguous(), y[:, idx].contiguous(), mask[:, idx].contiguous()))
        return out

    warm = batches()
    timed = [batches() for _ in range(a.epochs)]
    for b in warm:
        step(*b)
    t0 = time.perf_counter()
    c0 = time.process_time()
    for epoch in timed:
        for b in epoch:
            step(*b)
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(json.dumps({"form": a.form, "activation": a.activation,
                      "seq_per_sec": a.n * a.epochs / secs, "seq_per_cpu_sec": a.n * a.epochs / cpu,
                      "epochs": a.epochs, "seconds": secs,
                      "threads": torch.get_num_threads(), "torch": torch.__version__, "dtype": str(dt)}))


if __name__ == "__main__":
    main()
