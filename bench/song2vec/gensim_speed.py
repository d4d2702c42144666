#!/usr/bin/python3
"""Times gensim's Word2Vec training for bench/song2vec/run.sh.

Trains skip-gram with negative sampling on a playlist-per-line file and
prints one JSON line: raw words (in-vocabulary track occurrences over all
epochs) per second of train(), build_vocab() excluded, as disco's figure
excludes its vocabulary pass. --mode lines streams the file through
LineSentence (a Python iterator feeding the worker threads, gensim's usual
way); --mode corpus_file has gensim's C++ reader split the file among the
workers (its fastest way); --mode mpd reads a directory of MPD slices
(--corpus DIR) with Python's json module, one slice at a time, as a user
without a converter would, and feeds the track ids through an iterable
that re-reads the slices on every pass (build_vocab's and each epoch's),
as `disco song2vec --mpd` does.
"""
import argparse
import glob
import json
import os
import re
import time

from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence


class MPDCorpus:
    """The playlists of a directory of MPD slices, in numeric order, each a
    list of bare track ids; iterable any number of times."""

    def __init__(self, d):
        paths = glob.glob(os.path.join(d, 'mpd.slice.*.json'))
        self.paths = sorted(paths, key=lambda p: int(re.search(r'slice\.(\d+)-', p).group(1)))

    def __iter__(self):
        for p in self.paths:
            with open(p) as f:
                doc = json.load(f)
            for pl in doc['playlists']:
                yield [t['track_uri'].rsplit(':', 1)[-1] for t in pl['tracks']]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--mode', choices=['lines', 'corpus_file', 'mpd'], default='lines')
    ap.add_argument('--dim', type=int, default=64)
    ap.add_argument('--window', type=int, default=5)
    ap.add_argument('--negative', type=int, default=5)
    ap.add_argument('--min-count', type=int, default=1)
    ap.add_argument('--sample', type=float, default=1e-3)
    ap.add_argument('--epochs', type=int, default=1)
    ap.add_argument('--alpha', type=float, default=0.025)
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    m = Word2Vec(vector_size=a.dim, window=a.window, negative=a.negative, min_count=a.min_count,
                 sample=a.sample, alpha=a.alpha, min_alpha=a.alpha * 1e-4, sg=1, hs=0,
                 workers=a.workers, seed=a.seed, epochs=a.epochs)
    if a.mode == 'mpd':
        c = MPDCorpus(a.corpus)
        m.build_vocab(corpus_iterable=c)
        t = time.perf_counter()
        eff, raw = m.train(corpus_iterable=c, total_examples=m.corpus_count, epochs=a.epochs)
    elif a.mode == 'lines':
        m.build_vocab(corpus_iterable=LineSentence(a.corpus))
        t = time.perf_counter()
        eff, raw = m.train(corpus_iterable=LineSentence(a.corpus), total_examples=m.corpus_count, epochs=a.epochs)
    else:
        m.build_vocab(corpus_file=a.corpus)
        t = time.perf_counter()
        eff, raw = m.train(corpus_file=a.corpus, total_words=m.corpus_total_words, epochs=a.epochs)
    secs = time.perf_counter() - t
    print(json.dumps(dict(impl='gensim-' + a.mode, workers=a.workers, vocab=len(m.wv), words=raw,
                          effective_words=eff, seconds=secs, words_per_sec=raw / secs)))


if __name__ == '__main__':
    main()
