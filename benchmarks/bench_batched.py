"""Benchmark: S networks trained together (``playground.batched``) vs one after another.

The workload of the "Sigmoid vs tanh vs ReLU" page: 3 activations (sigmoid, tanh, ReLU)
× 10 seeds on a 2-[8, 8]-1 network, 400 points of the flower, 2,000 iterations of
full-batch gradient descent, float64. The sequential baselines do the same work with the
plain ``playground.nn`` functions (forward, backward, update) in a loop:

* ``nn, public API``: ``forward_propagation``, ``backward_propagation``,
  ``update_parameters`` (what a page would write; they validate their arguments);
* ``nn, no checks``: the unchecked ``_forward``, ``_backward``, ``_update`` that
  ``Trainer`` uses inside its loop (the strictest baseline).

The batched runs also do what the sequential ones do not: the per-network divergence
check at every iteration and a history point (costs, accuracies, ||dW||, saturation, dead
units) every ``record_every`` iterations (10 by default; once per iteration in the third
row, thinned to stride 2 after 1,000 points, like ``Trainer``); the second row also
computes J of every network at every iteration for an exact ``first_below(0.3)``.

Run from the project root: ``python benchmarks/bench_batched.py [--repeats 3]``. The
runs are interleaved and repeated; the table gives the best of each (the least disturbed
by other work on the machine), as CPU time of this process (``time.process_time``, the
fairer measure on a shared machine) and as wall-clock time, and the ratios.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # so that `python benchmarks/bench_batched.py` finds playground
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from playground import nn  # noqa: E402
from playground.batched import BatchedTrainer  # noqa: E402
from playground.datasets import make_dataset  # noqa: E402

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
                L = len(dims) - 1
                with np.errstate(all="ignore"):
                    for _ in range(iterations):
                        AL, caches = nn._forward(X, params, acts, L)
                        grads = nn._backward(AL, Y, caches, acts)
                        params = nn._update(params, grads, LEARNING_RATE, L)
            finals.append(params)
    return clock.read(), finals


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
            "nn, public API, one by one": [], "nn, no checks, one by one": []}
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
    print(table(rows, S * args.iterations))
    print(f"\nmax |batched - one by one| over all final parameters: {diff:.1e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
