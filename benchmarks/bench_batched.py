"""Benchmark: S networks trained together (``playground.engine.stacked``) vs one after another.

The workload of the "Sigmoid vs tanh vs ReLU" page: 3 activations (sigmoid, tanh, ReLU)
× 10 seeds on a 2-[8, 8]-1 network, 400 points of the flower, 2,000 iterations of
full-batch gradient descent, float64. The sequential baselines do the same work with the
plain ``playground.core.nn`` functions (forward, backward, update) in a loop:

* ``nn, public API``: ``forward_propagation``, ``backward_propagation``,
  ``update_parameters`` (what a page would write; they validate their arguments);
* ``nn, no checks``: the core's own ``forward_propagation``, ``backward_propagation``,
  ``update_parameters`` (``playground.core.propagation``), which ``Trainer`` runs inside
  its loop (the strictest baseline).

Two more rows answer one question: does an in-place activation layer pay? Both train the
same 30 networks by the same equations as plain stacked loops (one stack per activation,
no history, no divergence checks): ``stacked, plain`` through the core's functions on the
stacks (new arrays for every Z, A and gradient, as ``BatchedTrainer`` does); ``stacked,
in-place`` into buffers allocated once, every NumPy call with ``out=``. The engine keeps
in-place versions of the activations only if the second is at least 20 % faster.

The batched runs also do what the sequential ones do not: the per-network divergence
check at every iteration and a history point (costs, accuracies, ||dW||, saturation, dead
units) every ``record_every`` iterations (10 by default; once per iteration in the third
row, thinned to stride 2 after 1,000 points, like ``Trainer``); the second row also
computes J of every network at every iteration for an exact ``first_below(0.3)``.

Run from the project root: ``python -m benchmarks.bench_batched [--repeats 3]``. The
runs are interleaved and repeated; the table gives the best of each (the least disturbed
by other work on the machine), as CPU time of this process (``time.process_time``, the
fairer measure on a shared machine) and as wall-clock time, and the ratios.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from playground.core import nn, propagation
from playground.core.datasets import make_dataset
from playground.engine.stacked import BatchedTrainer

ACTIVATIONS = ("sigmoid", "tanh", "relu")
HIDDEN = (8, 8)
LEARNING_RATE = 0.5


def problem(m: int = 400, seed: int = 0):
    X, Y = make_dataset("flower", m, seed=seed)
    return X, Y


class _Clock:
    """CPU and wall-clock seconds since it was made."""

    def __init__(self):
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def read(self) -> tuple[float, float]:
        return time.process_time() - self.cpu, time.perf_counter() - self.wall


def run_batched(X, Y, *, activations=ACTIVATIONS, seeds=range(1, 11), hidden=HIDDEN,
                iterations=2000, record_every=10, thresholds=()):
    """(CPU seconds, wall seconds), and the trainer (for its final parameters)."""
    clock = _Clock()
    bt = BatchedTrainer.grid(X, Y, hidden=hidden, activations=activations, seeds=list(seeds),
                             learning_rate=LEARNING_RATE, record_every=record_every,
                             thresholds=thresholds)
    bt.step(iterations)
    return clock.read(), bt


def run_sequential(X, Y, *, activations=ACTIVATIONS, seeds=range(1, 11), hidden=HIDDEN,
                   iterations=2000, checked=True):
    """(CPU seconds, wall seconds), and the final parameters of each network
    (activation-major order)."""
    dims = [X.shape[0], *hidden, 1]
    finals = []
    clock = _Clock()
    for a in activations:
        acts = [a] * len(hidden) + [nn.OUTPUT_ACTIVATION]
        for seed in seeds:
            params = nn.initialize_parameters(dims, "random", None, seed)
            if checked:
                for _ in range(iterations):
                    AL, caches = nn.forward_propagation(X, params, acts)
                    grads = nn.backward_propagation(AL, Y, caches, acts)
                    params = nn.update_parameters(params, grads, LEARNING_RATE)
            else:
                with np.errstate(all="ignore"):
                    for _ in range(iterations):
                        AL, caches = propagation.forward_propagation(X, params, acts)
                        grads = propagation.backward_propagation(AL, Y, caches, acts)
                        params = propagation.update_parameters(params, grads, LEARNING_RATE)
            finals.append(params)
    return clock.read(), finals


def _stacks(X, activations, seeds, hidden):
    dims = [X.shape[0], *hidden, 1]
    out = []
    for a in activations:
        sets = [nn.initialize_parameters(dims, "random", None, s) for s in seeds]
        out.append(([a] * len(hidden) + [nn.OUTPUT_ACTIVATION],
                    {k: np.array([p[k] for p in sets]) for k in sets[0]}))
    return out


def run_stacked_plain(X, Y, *, activations=ACTIVATIONS, seeds=range(1, 11), hidden=HIDDEN,
                      iterations=2000):
    """The core's functions on one stack per activation: (CPU s, wall s), parameters."""
    stacks = _stacks(X, activations, seeds, hidden)
    clock = _Clock()
    with np.errstate(all="ignore"):
        for i, (acts, P) in enumerate(stacks):
            for _ in range(iterations):
                AL, caches = propagation.forward_propagation(X, P, acts)
                grads = propagation.backward_propagation(AL, Y, caches, acts)
                P = propagation.update_parameters(P, grads, LEARNING_RATE)
            stacks[i] = (acts, P)
    return clock.read(), stacks


_IN_PLACE = {  # g(z) into a, and g'(a) into d, with out= (tmp: a scratch buffer)
    "sigmoid": (lambda z, a, tmp: (np.negative(z, out=tmp), np.exp(tmp, out=tmp),
                                   np.add(tmp, 1, out=tmp), np.divide(1, tmp, out=a)),
                lambda a, d: (np.subtract(1, a, out=d), np.multiply(a, d, out=d))),
    "tanh": (lambda z, a, tmp: np.tanh(z, out=a),
             lambda a, d: (np.multiply(a, a, out=d), np.subtract(1, d, out=d))),
    "relu": (lambda z, a, tmp: np.maximum(z, 0, out=a),
             lambda a, d: np.greater(a, 0, out=d, casting="unsafe")),
}


def run_stacked_in_place(X, Y, *, activations=ACTIVATIONS, seeds=range(1, 11),
                         hidden=HIDDEN, iterations=2000):
    """The same loop into buffers allocated once (every call with out=): (CPU s, wall s),
    parameters. Plain matmul, no clone rule (the most the in-place form can gain)."""
    stacks = _stacks(X, activations, seeds, hidden)
    m, L = X.shape[1], len(hidden) + 1
    clock = _Clock()
    with np.errstate(all="ignore"):
        for acts, P in stacks:
            K = P["W1"].shape[0]
            W = [None] + [P[f"W{l}"] for l in range(1, L + 1)]
            b = [None] + [P[f"b{l}"] for l in range(1, L + 1)]
            Z = [None] + [np.empty((K, w.shape[1], m)) for w in W[1:]]
            A = [X] + [np.empty_like(z) for z in Z[1:]]
            dZ = [None] + [np.empty_like(z) for z in Z[1:]]
            tmp = [None] + [np.empty_like(z) for z in Z[1:]]
            dW = [None] + [np.empty_like(w) for w in W[1:]]
            db = [None] + [np.empty_like(v) for v in b[1:]]
            for _ in range(iterations):
                for l in range(1, L + 1):
                    np.matmul(W[l], A[l - 1], out=Z[l])
                    np.add(Z[l], b[l], out=Z[l])
                    _IN_PLACE[acts[l - 1]][0](Z[l], A[l], tmp[l])
                np.subtract(A[L], Y, out=dZ[L])
                for l in range(L, 0, -1):
                    np.matmul(dZ[l], A[l - 1].mT, out=dW[l])
                    np.multiply(dW[l], 1 / m, out=dW[l])
                    np.sum(dZ[l], axis=-1, keepdims=True, out=db[l])
                    np.multiply(db[l], 1 / m, out=db[l])
                    if l > 1:
                        np.matmul(W[l].mT, dZ[l], out=dZ[l - 1])
                        _IN_PLACE[acts[l - 2]][1](A[l - 1], tmp[l - 1])
                        np.multiply(dZ[l - 1], tmp[l - 1], out=dZ[l - 1])
                for l in range(1, L + 1):
                    np.multiply(dW[l], LEARNING_RATE, out=dW[l])
                    np.subtract(W[l], dW[l], out=W[l])
                    np.multiply(db[l], LEARNING_RATE, out=db[l])
                    np.subtract(b[l], db[l], out=b[l])
    return clock.read(), stacks


def max_difference(bt: BatchedTrainer, finals) -> float:
    """Largest |batched - sequential| over every final parameter of every network."""
    return max(
        float(np.max(np.abs(bt.network_parameters(s)[k] - p[k])))
        for s, p in enumerate(finals) for k in p
    )


def table(rows: dict[str, list[tuple[float, float]]], net_iterations: int) -> str:
    """The best CPU and wall times of each row, per network-iteration, and ÷ the first."""
    base_cpu, base_wall = (min(t[i] for t in next(iter(rows.values()))) for i in (0, 1))
    width = max(len(k) for k in rows)
    head = (f"{'run':<{width}}  {'CPU s':>7}  {'wall s':>7}  {'µs/net/it':>9}  "
            f"{'÷ batched (CPU)':>15}  {'÷ batched (wall)':>16}")
    lines = ["", head, "-" * len(head)]
    for name, ts in rows.items():
        cpu, wall = min(t[0] for t in ts), min(t[1] for t in ts)
        lines.append(f"{name:<{width}}  {cpu:7.2f}  {wall:7.2f}  "
                     f"{cpu / net_iterations * 1e6:9.1f}  {cpu / base_cpu:15.2f}  "
                     f"{wall / base_wall:16.2f}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--points", type=int, default=400)
    ap.add_argument("--record-every", type=int, default=10)
    args = ap.parse_args(argv)
    X, Y = problem(args.points)
    seeds = range(1, args.seeds + 1)
    kw = {"seeds": seeds, "iterations": args.iterations}
    S = len(ACTIVATIONS) * args.seeds
    print(f"{len(ACTIVATIONS)} activations × {args.seeds} seeds = {S} networks, "
          f"2-{list(HIDDEN)}-1, m = {args.points}, {args.iterations:,} iterations, float64, "
          f"best of {args.repeats}")
    every = args.record_every
    rows = {f"batched, history every {every} it.": [], "batched, + exact first_below": [],
            "batched, history every it.": [],
            "nn, public API, one by one": [], "nn, no checks, one by one": [],
            "stacked, plain": [], "stacked, in-place": []}
    diff = 0.0
    for _ in range(args.repeats):
        t, bt = run_batched(X, Y, record_every=every, **kw)
        rows[f"batched, history every {every} it."].append(t)
        t, _ = run_batched(X, Y, record_every=every, thresholds=(0.3,), **kw)
        rows["batched, + exact first_below"].append(t)
        t, _ = run_batched(X, Y, record_every=1, **kw)
        rows["batched, history every it."].append(t)
        t, finals = run_sequential(X, Y, checked=True, **kw)
        rows["nn, public API, one by one"].append(t)
        diff = max(diff, max_difference(bt, finals))
        t, finals = run_sequential(X, Y, checked=False, **kw)
        rows["nn, no checks, one by one"].append(t)
        diff = max(diff, max_difference(bt, finals))
        t, _ = run_stacked_plain(X, Y, **kw)
        rows["stacked, plain"].append(t)
        t, _ = run_stacked_in_place(X, Y, **kw)
        rows["stacked, in-place"].append(t)
    print(table(rows, S * args.iterations))
    print(f"\nmax |batched - one by one| over all final parameters: {diff:.1e}")
    plain = min(t[0] for t in rows["stacked, plain"])
    in_place = min(t[0] for t in rows["stacked, in-place"])
    print(f"in-place gain over plain (CPU): {1 - in_place / plain:+.0%} "
          f"(the engine keeps in-place activations only from +20 %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
