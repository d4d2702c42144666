#!/usr/bin/env python3
"""Measures how bridges (disco build --from A --to B) move towards B.

For PAIRS random pairs of catalog songs (the first two seeds disco build
picks with --rand 1, 2, ...), it builds a LENGTH-song bridge for each
--blend in BLENDS, greedily and with --beam 8, and prints, averaged over
the pairs: the share of steps that bring the song nearer to B in scaled
features, the rank correlation of position and distance to B (-1: every
step nearer), the shares of key-compatible (keySim = 1) and tempo-
compatible (within 6%) moves, the mean feature step and the score of the
move into B.

Usage, from the repository root (go build -o /tmp/disco ./cmd/disco first):
  bench/sort/bridge.py [--disco /tmp/disco] [--blends 0.5,0.8,1] [--pairs 30]
      [--length 12] [-- extra build flags, e.g. --pool 100]
"""
import argparse, json, math, statistics as st, subprocess

ap = argparse.ArgumentParser()
ap.add_argument('--disco', default='/tmp/disco')
ap.add_argument('--blends', default='0.5,0.8,1')
ap.add_argument('--pairs', type=int, default=30)
ap.add_argument('--length', type=int, default=12)
ap.add_argument('extra', nargs='*')
a = ap.parse_args()

def build(*args):
    r = subprocess.run([a.disco, 'build', '--format', 'json', '--quiet', *args], capture_output=True, text=True)
    return json.loads(r.stdout) if r.returncode == 0 else None

pairs = []
for i in range(1, a.pairs + 1):
    e = build('--rand', str(i), '--length', '3')
    pairs.append((e[0]['id'], e[1]['id']))

def spearman(d):
    n = len(d)
    rank = [0] * n
    for k, i in enumerate(sorted(range(n), key=lambda i: d[i])):
        rank[i] = k
    m = (n - 1) / 2
    return sum((i - m) * (rank[i] - m) for i in range(n)) / sum((i - m) ** 2 for i in range(n))

tempo_cos = math.cos(2 * math.pi * math.log2(1.06))
print(f"{'blend':>5} {'beam':>4} {'pairs':>5} {'nearer':>7} {'rank r':>7} {'key':>5} {'tempo':>5} {'step':>5} {'into B':>7}")
for blend in a.blends.split(','):
    for beam in ['0', '8']:
        rows = []
        for x, y in pairs:
            e = build('--from', x, '--to', y, '--length', str(a.length), '--blend', blend, '--beam', beam, *a.extra)
            if e is None:
                continue
            b = e[-1]['scaled']
            d = [math.dist(s['scaled'], b) for s in e]
            n = len(e) - 1
            rows.append((
                sum(d[i + 1] < d[i] for i in range(n)) / n,
                spearman(d),
                sum(s['terms']['key_sim'] >= 1 for s in e[1:]) / n,
                sum(s['terms']['tempo_sim'] >= tempo_cos for s in e[1:]) / n,
                st.mean(math.dist(e[i]['scaled'], e[i + 1]['scaled']) for i in range(n)),
                e[-1]['terms']['score'],
            ))
        m = [st.mean(c) for c in zip(*rows)]
        print(f"{blend:>5} {beam:>4} {len(rows):>5} {m[0]:>7.2f} {m[1]:>7.2f} {m[2]:>5.2f} {m[3]:>5.2f} {m[4]:>5.2f} {m[5]:>7.2f}")
