#!/usr/bin/python3
"""Reference figures for disco's song2vec from gensim's Word2Vec.

Run with Debian's python (python3-gensim), from the repository root:

    /usr/bin/python3 bench/song2vec/gensim_ref.py --csv /work/shared/data/spotify_songs.csv

1. With --csv, builds the corpus: the CSV's rows grouped by playlist_id in
   row order, one playlist per line, track ids separated by spaces. A
   playlist that appears as several blocks of rows (under different
   subgenres) keeps its first block only. The playlists are split by a
   seeded shuffle into train (80%) and held-out (20%), written gzipped to
   model/song2vec/testdata/{train,heldout}.txt.gz. Without --csv the
   committed corpus files are used.
2. Trains gensim Word2Vec (skip-gram, negative sampling) on the train
   split with the SETTINGS below, once per seed, and evaluates each model on
   the held-out split exactly as song2vec.Evaluate does: every track
   occurrence is hidden in turn and ranked among all vocabulary by cosine
   similarity to the mean of the unit vectors of the rest of its playlist,
   the rest excluded from the candidates; HR@10 and MRR@10, plus
   most-popular and (exact expected) random baselines.
3. Writes the figures to model/song2vec/testdata/gensim_golden.json, and a
   few of seed 1's vectors in word2vec text and binary formats
   (gensim_small.txt, gensim_small.bin) for song2vec's format tests.
"""
import argparse
import collections
import csv
import gzip
import hashlib
import io
import json
import os
import random
import sys
import time

import numpy as np

SETTINGS = dict(dim=32, window=10, negative=5, min_count=2, sample=1e-3,
                epochs=100, alpha=0.025)
SPLIT_SEED = 7
HELDOUT_SHARE = 0.2
K = 10


def build_corpus(csv_path):
    playlists = collections.OrderedDict()
    last_block = None
    skip = False
    with open(csv_path, newline='', encoding='utf-8') as f:
        for row in csv.DictReader(f):
            pid = row['playlist_id']
            block = (pid, row['playlist_subgenre'])
            if block != last_block:
                last_block = block
                skip = pid in playlists
                if not skip:
                    playlists[pid] = []
            if not skip:
                playlists[pid].append(row['track_id'])
    ids = list(playlists)
    random.Random(SPLIT_SEED).shuffle(ids)
    held = set(ids[:round(len(ids) * HELDOUT_SHARE)])
    train = [p for pid, p in playlists.items() if pid not in held]
    heldout = [p for pid, p in playlists.items() if pid in held]
    return train, heldout


def write_gz(path, playlists):
    raw = ''.join(' '.join(p) + '\n' for p in playlists).encode()
    with open(path, 'wb') as f:
        # mtime=0 and no file name: the same corpus gives the same bytes.
        with gzip.GzipFile(filename='', mode='wb', fileobj=f, mtime=0) as z:
            z.write(raw)


def read_gz(path):
    with gzip.open(path, 'rt', encoding='utf-8') as f:
        return [line.split() for line in f if line.strip()]


def evaluate(wv, heldout, k=K):
    """Leave-one-out ranking; see song2vec.Evaluate."""
    vecs = wv.vectors.astype(np.float64)
    norms = np.linalg.norm(vecs, axis=1)
    inv = np.where(norms > 0, 1 / np.where(norms > 0, norms, 1), 0)
    unit = vecs * inv[:, None]
    n = len(wv.index_to_key)
    counts = np.array([wv.get_vecattr(w, 'count') for w in wv.index_to_key])
    order = np.argsort(-counts, kind='stable')
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n)
    harmonic = np.concatenate([[0.0], np.cumsum(1 / np.arange(1, k + 1))])
    queries = answerable = 0
    hr = mrr = phr = pmrr = rhr = rmrr = 0.0
    for pl in heldout:
        rows = [wv.key_to_index.get(t, -1) for t in pl]
        queries += len(rows)
        present = [r for r in rows if r >= 0]
        if len(present) < 2:
            continue
        total = unit[present].sum(axis=0)
        for qi, target in enumerate(rows):
            if target < 0:
                continue
            answerable += 1
            excluded = {r for ci, r in enumerate(rows) if ci != qi and r >= 0 and r != target}
            mean = total - unit[target]
            scores = vecs @ mean * inv
            st = scores[target]
            better = (scores > st) | ((scores == st) & (np.arange(n) < target))
            if excluded:
                better[list(excluded)] = False
            rank = 1 + int(better.sum())
            if rank <= k:
                hr += 1
                mrr += 1 / rank
            prank = pos[target] + 1 - sum(1 for r in excluded if pos[r] < pos[target])
            if prank <= k:
                phr += 1
                pmrr += 1 / prank
            m = n - len(excluded)
            c = min(k, m)
            rhr += c / m
            rmrr += harmonic[c] / m
    q = float(queries)
    return dict(queries=queries, answerable=answerable, hr=hr / q, mrr=mrr / q,
                popular_hr=phr / q, popular_mrr=pmrr / q, random_hr=rhr / q, random_mrr=rmrr / q)


def train(corpus, seed, workers=1, settings=SETTINGS):
    from gensim.models import Word2Vec
    s = settings
    return Word2Vec(sentences=corpus, vector_size=s['dim'], window=s['window'], negative=s['negative'],
                    min_count=s['min_count'], sample=s['sample'], epochs=s['epochs'], alpha=s['alpha'],
                    min_alpha=s['alpha'] * 1e-4, sg=1, hs=0, workers=workers, seed=seed)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--csv', help='rebuild the corpus from this spotify_songs.csv')
    ap.add_argument('--testdata', default='model/song2vec/testdata')
    ap.add_argument('--seeds', type=int, default=10, help='train this many models (seeds 1..n)')
    ap.add_argument('--no-write', action='store_true', help='print figures, write nothing')
    ap.add_argument('--set', action='append', default=[], metavar='KEY=VALUE',
                    help='override a setting, for exploring (implies nothing is written unless you want it)')
    args = ap.parse_args()
    td = args.testdata
    train_path, held_path = os.path.join(td, 'train.txt.gz'), os.path.join(td, 'heldout.txt.gz')
    for kv in args.set:
        key, val = kv.split('=', 1)
        SETTINGS[key] = type(SETTINGS[key])(float(val))
    if args.csv:
        tr, ho = build_corpus(args.csv)
        if not args.no_write:
            write_gz(train_path, tr)
            write_gz(held_path, ho)
    else:
        tr, ho = read_gz(train_path), read_gz(held_path)
    import gensim
    runs = []
    small = None
    for seed in range(1, args.seeds + 1):
        t = time.time()
        m = train(tr, seed)
        r = evaluate(m.wv, ho)
        r['seed'] = seed
        r['seconds'] = round(time.time() - t, 2)
        runs.append(r)
        print(json.dumps(r), file=sys.stderr)
        if seed == 1:
            small = m.wv
    mean = lambda key: float(np.mean([r[key] for r in runs]))
    sha = lambda p: hashlib.sha256(open(p, 'rb').read()).hexdigest()
    golden = dict(
        gensim=gensim.__version__, k=K, settings=SETTINGS, workers=1,
        train=dict(file='train.txt.gz', sha256=sha(train_path), playlists=len(tr), tokens=sum(map(len, tr))),
        heldout=dict(file='heldout.txt.gz', sha256=sha(held_path), playlists=len(ho), tokens=sum(map(len, ho))),
        queries=runs[0]['queries'], answerable=runs[0]['answerable'],
        hr=mean('hr'), mrr=mean('mrr'),
        hr_sd=float(np.std([r['hr'] for r in runs], ddof=1)) if len(runs) > 1 else 0.0,
        popular_hr=runs[0]['popular_hr'], popular_mrr=runs[0]['popular_mrr'],
        random_hr=runs[0]['random_hr'], random_mrr=runs[0]['random_mrr'],
        runs=[dict(seed=r['seed'], hr=r['hr'], mrr=r['mrr']) for r in runs],
    )
    print(json.dumps(golden, indent=1))
    if args.no_write:
        return
    with open(os.path.join(td, 'gensim_golden.json'), 'w') as f:
        json.dump(golden, f, indent=1)
        f.write('\n')
    # A few vectors in both formats, for the format tests.
    from gensim.models import KeyedVectors
    kv = KeyedVectors(vector_size=small.vector_size)
    keys = small.index_to_key[:12]
    kv.add_vectors(keys, small.vectors[:12])
    kv.save_word2vec_format(os.path.join(td, 'gensim_small.txt'), binary=False)
    kv.save_word2vec_format(os.path.join(td, 'gensim_small.bin'), binary=True)


if __name__ == '__main__':
    main()
