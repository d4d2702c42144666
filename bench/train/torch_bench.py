"""Times PyTorch training of DISCO's linear RNN, written out step by step.

The same network as disco's (9 inputs, SimpleRNN(16, linear) x 2, Dense(8),
h_t = x_t W + h_{t-1} U + b), masked mean absolute error, Adam lr 0.001,
on synthetic data of shape (N, T, 9) -> (N, T, 8). Prints one JSON line:
{"seq_per_sec": ..., "seq_per_cpu_sec": ..., "epochs": ..., "threads": ...,
"torch": ...}; seq_per_cpu_sec divides by the CPU time of all the process's
threads, a figure less at the mercy of a busy machine.

Run with Debian's python3-torch: /usr/bin/python3 torch_bench.py --n 18013
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
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"],
                    help="float32 is PyTorch's default and its fastest; disco is float64")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    dt = torch.float32 if a.dtype == "float32" else torch.float64
    x = torch.randn(a.t, a.n, 9, dtype=dt)
    y = torch.randn(a.t, a.n, 8, dtype=dt)
    mask = torch.ones(a.t, a.n, 1, dtype=dt)
    H = a.hidden

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
    opt = torch.optim.Adam(params, lr=0.001, eps=1e-7)

    def step(xb, yb, mb):
        B = xb.shape[1]
        h1 = torch.zeros(B, H, dtype=dt)
        h2 = torch.zeros(B, H, dtype=dt)
        outs = []
        for t in range(xb.shape[0]):
            h1 = xb[t] @ W1 + h1 @ U1 + b1
            h2 = h1 @ W2 + h2 @ U2 + b2
            outs.append(h2 @ Wo + bo)
        yh = torch.stack(outs)
        loss = ((yh - yb).abs() * mb).sum() / (mb.sum() * 8)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    # Warm up on one batch, then time whole epochs.
    step(x[:, : a.batch], y[:, : a.batch], mask[:, : a.batch])
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(a.epochs):
        perm = torch.randperm(a.n)
        for i in range(0, a.n, a.batch):
            idx = perm[i : i + a.batch]
            step(x[:, idx], y[:, idx], mask[:, idx])
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(json.dumps({"seq_per_sec": a.n * a.epochs / secs, "seq_per_cpu_sec": a.n * a.epochs / cpu,
                      "epochs": a.epochs, "seconds": secs,
                      "threads": torch.get_num_threads(), "torch": torch.__version__, "dtype": str(dt)}))


if __name__ == "__main__":
    main()
