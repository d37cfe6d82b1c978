"""Record (or compare) training results for fixed seeds, bit for bit.

``python -m benchmarks.bitwise_record record out.pkl`` on one commit, then
``python -m benchmarks.bitwise_record compare out.pkl`` on another: every cost of the
history and every final parameter of ~14 configurations (activations, initializations,
L2/L1, mini-batch, schedules, features, float32/float64, the stacked trainer, the grid
read-out and the public functions) must be equal to the last bit. The script uses only
public names that exist before and after the one-core refactor (issue 14).
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import numpy as np

from playground.core import nn
from playground.core.datasets import make_dataset, train_test_split
from playground.core.diagnostics import grid_activations, make_grid
from playground.engine.stacked import BatchedTrainer
from playground.engine.trainer import Trainer

SIX = ("x1", "x2", "x1sq", "x2sq", "x1x2", "sin_x1")
TRAINERS = {
    "tanh 2-4-1 f64": dict(),
    "tanh 2-4-1 f32": dict(dtype=np.float32),
    "relu 2-8-8-1 he f64": dict(hidden=(8, 8), activations=("relu", "relu"), init="he",
                                learning_rate=0.3),
    "sigmoid xavier f32": dict(activations=("sigmoid",), init="xavier", dtype=np.float32),
    "L2 0.1 f64": dict(regularization="L2", lambd=0.1),
    "L1 0.05 f32": dict(regularization="L1", lambd=0.05, dtype=np.float32),
    "batch 32 f64": dict(batch_size=32),
    "batch 50 relu f32": dict(batch_size=50, activations=("relu",), dtype=np.float32),
    "step schedule f64": dict(schedule="step", decay_rate=0.5, decay_steps=300),
    "inverse_time f32": dict(schedule="inverse_time", decay_rate=1.0, decay_steps=200,
                             dtype=np.float32),
    "6 features 2-8x3-1": dict(hidden=(8, 8, 8), activations=("tanh", "leaky_relu", "elu"),
                               features=SIX, learning_rate=0.3),
    "constant clones tanh": dict(init="constant", init_scale=0.5),
    "zeros sigmoid": dict(init="zeros", activations=("sigmoid",)),
    "gelu silu softplus f32": dict(hidden=(5, 5, 5), activations=("gelu", "silu", "softplus"),
                                   learning_rate=0.3, dtype=np.float32),
    "linear + L2 mini-batch": dict(hidden=(3, 3), activations=("linear", "tanh"),
                                   regularization="L2", lambd=0.3, batch_size=64),
}
ITERATIONS = 1500


def results() -> dict:
    X, Y = make_dataset("flower", 400, 0.2, 0)
    split = train_test_split(X, Y, 0.2, 0)
    out = {}
    for name, kw in TRAINERS.items():
        tr = Trainer(*split, **kw)
        tr.step(700)
        tr.step(ITERATIONS - 700)
        h = tr.history()
        out[name] = {"history": h, "params": tr.parameters,
                     "snapshots": [(i, p) for i, p in tr.snapshots],
                     "grads": tr.gradients(), "proba": tr.predict_proba(split[2])}
        grid = make_grid(X, 30, dtype=tr.dtype)
        out[name]["grid"] = grid_activations(grid, tr.parameters, tr.activations, tr.features)
    for dtype in (np.float64, np.float32):
        bt = BatchedTrainer.grid(split[0].astype(dtype), split[1], split[2].astype(dtype),
                                 split[3], hidden=(8, 8),
                                 activations=("sigmoid", "tanh", "relu", "leaky_relu", "gelu"),
                                 seeds=3, learning_rate=0.5, record_every=3, thresholds=(0.3,))
        bt.step(600)
        out[f"batched {np.dtype(dtype).name}"] = {
            "history": bt.history(), "params": bt.parameters,
            "first": bt.first_below(0.3),
            "proba": bt.probabilities(make_grid(X, 20, dtype=dtype).X)}
    bt = BatchedTrainer.grid(split[0], split[1], hidden=(4,), activations=("tanh", "relu"),
                             seeds=2, init="constant", init_scale=0.5, learning_rate=1.2)
    bt.step(2000)
    out["batched clones"] = {"history": bt.history(), "params": bt.parameters}
    # The public functions a student calls.
    p = nn.initialize_parameters([2, 6, 3, 1], "xavier", seed=4)
    acts = ["tanh", "relu", "sigmoid"]
    Xt, Yt = split[0], split[1]
    costs = []
    for _ in range(300):
        AL, caches = nn.forward_propagation(Xt, p, acts)
        costs.append(nn.compute_cost(AL, Yt, parameters=p, regularization="L2", lambd=0.2))
        costs.append(nn.cost_from_logits(caches[-1].Z, Yt))
        g = nn.backward_propagation(AL, Yt, caches, acts, regularization="L2", lambd=0.2)
        p = nn.update_parameters(p, g, 0.5)
    out["public"] = {"costs": np.array(costs), "params": p, "grads": g,
                     "gradcheck": nn.gradient_check(Xt[:, :40], Yt[:, :40], p, acts),
                     "predict": nn.predict(Xt, p, acts)}
    return out


def _flat(obj, prefix=""):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _flat(v, f"{prefix}/{k}")
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from _flat(v, f"{prefix}[{i}]")
    else:
        yield prefix, np.asarray(obj)


def compare(old: dict, new: dict) -> int:
    a, b = dict(_flat(old)), dict(_flat(new))
    bad = 0
    if a.keys() != b.keys():
        print("different keys:", sorted(a.keys() ^ b.keys())[:10])
        bad += 1
    for k in sorted(a.keys() & b.keys()):
        x, y = a[k], b[k]
        if x.shape != y.shape or x.dtype != y.dtype:
            print(f"{k}: shape/dtype {x.shape} {x.dtype} -> {y.shape} {y.dtype}")
            bad += 1
        elif x.tobytes() != y.tobytes():
            with np.errstate(all="ignore"):
                d = np.nanmax(np.abs(x.astype(float) - y.astype(float)))
            print(f"{k}: differs, max |diff| {d:.3g}")
            bad += 1
    print(f"{len(a)} arrays compared, {bad} differ")
    return bad


def main(argv) -> int:
    mode, path = argv[0], Path(argv[1])
    res = results()
    if mode == "record":
        path.write_bytes(pickle.dumps(res))
        print(f"recorded {len(dict(_flat(res)))} arrays to {path}")
        return 0
    return 1 if compare(pickle.loads(path.read_bytes()), res) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
