"""What the cost landscape costs: J on a 41 × 41 grid of networks, stacked against a loop.

Run from the project root: ``python -m benchmarks.bench_landscape`` (``--quick`` for 3
rounds). On 320 training points of the flower (the Playground's default split), for a
trained 2-4-1 tanh network (the default), 2-16-1 tanh and 2-[8, 8]-1 ReLU, all in
float64 (what ``playground.lab.landscape`` computes in), in one process:

* ``stacked``: ``landscape.grid_costs``: the 1,681 grid networks stacked, ``CHUNK`` at a
  time, through the core's ``forward_propagation`` and ``compute_cost`` (one NumPy call
  per layer for a chunk); also with every network in one chunk, and in chunks of 256;
* ``loop``: the same J, one network at a time: ``forward_propagation`` and
  ``compute_cost`` per grid point (what the tab would do without stacking);
* ``tab``: ``landscape.landscape(trainer, "pca")``: everything the tab computes (the path,
  PCA, projection, the grid, J along the path, the lessons).

Rounds alternate the variants; the table gives the median with the best in brackets,
and the load average before and after (the machine is shared: 2 cores). The stacked and
the looped J are compared (the largest difference is printed; they are equal to rounding).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import numpy as np

from playground.core.datasets import make_dataset, train_test_split
from playground.core.propagation import compute_cost, forward_propagation, regularization_cost
from playground.engine.trainer import Trainer
from playground.lab import landscape as LS

NETWORKS = {
    "2-4-1 tanh": dict(hidden=(4,), activations=("tanh",)),
    "2-16-1 tanh": dict(hidden=(16,), activations=("tanh",)),
    "2-[8,8]-1 relu": dict(hidden=(8, 8), activations=("relu", "relu"), init="he",
                           learning_rate=0.3),
}
RESOLUTION = 41
TRAIN_ITERATIONS = 500


def looped_costs(theta, d, s, t, X, Y, dims, acts, reg="none", lambd=0.0):
    """J at each grid point, one network at a time."""
    J = np.empty((len(t), len(s)))
    m = Y.shape[-1]
    for i, tv in enumerate(t):
        for j, sv in enumerate(s):
            p = LS.unflatten(theta + sv * d[0] + tv * d[1], dims)
            _, caches = forward_propagation(X, p, acts)
            J[i, j] = compute_cost(caches[-1].Z, Y) + regularization_cost(p, m, reg, lambd)
    return J


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(rounds: int) -> None:
    X, Y = make_dataset("flower", 400, None, 0)
    data = train_test_split(X, Y, 0.2, 0)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} CPUs; {RESOLUTION} × {RESOLUTION} grid, "
          f"m = {data[0].shape[1]} points, float64, {rounds} rounds")
    print(f"{'network':16} {'stacked':>16} {'one chunk':>16} {'chunks of 256':>16} "
          f"{'loop':>16} {'loop/stacked':>12} {'tab':>16}  max |ΔJ|")
    for name, kw in NETWORKS.items():
        tr = Trainer(*data, **kw)
        tr.step(TRAIN_ITERATIONS)
        _, path = LS.trajectory(tr)
        theta = path[-1]
        dirs = LS.choose_directions(path, tr.layer_dims, "pca")
        s, t = LS.grid_axes(LS.project(path, theta, dirs.d), dirs.kind, RESOLUTION)
        X64 = tr.X_train.astype(np.float64)
        Y64 = tr.Y_train.astype(np.float64)
        args = (theta, dirs.d, s, t, X64, Y64, tr.layer_dims, tr.activations)
        variants = {
            "stacked": lambda a=args: LS.grid_costs(*a),
            "one chunk": lambda a=args: LS.grid_costs(*a, chunk=RESOLUTION ** 2),
            "chunks of 256": lambda a=args: LS.grid_costs(*a, chunk=256),
            "loop": lambda a=args: looped_costs(*a),
            "tab": lambda tr=tr: LS.landscape(tr, "pca", RESOLUTION),
        }
        times = {k: [] for k in variants}
        for _ in range(rounds):
            for k, fn in variants.items():
                times[k].append(timed(fn))
        diff = float(np.max(np.abs(LS.grid_costs(*args) - looped_costs(*args))))
        med = {k: statistics.median(v) for k, v in times.items()}
        cells = [f"{med[k] * 1e3:7.1f} ({min(v) * 1e3:6.1f})" for k, v in times.items()]
        print(f"{name:16} {cells[0]:>16} {cells[1]:>16} {cells[2]:>16} {cells[3]:>16} "
              f"{med['loop'] / med['stacked']:11.1f}× {cells[4]:>16}  {diff:.1e}")
    print("ms: median (best) over the rounds")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main(3 if "--quick" in sys.argv else 7)
