"""The NumPy core against scikit-learn: one full training iteration, timed.

Run from the project root: ``python -m benchmarks.bench_core`` (``--quick`` for fewer
repeats, ``--breakdown`` to split the core's extra time over the plain loop into the
numerics and the L-layer structure, ``--profile`` to add cProfile's view of the core
iteration and of ``Trainer.step``). One iteration is forward propagation, the cost,
backward propagation and the update, on a 2-[8, 8]-1 tanh network with a sigmoid output,
full batch, on the flower:

* ``nn``: the public functions of ``playground.core.nn`` as a student calls them
  (``forward_propagation``, ``cost_from_logits``, ``backward_propagation``,
  ``update_parameters``), argument checks included;
* ``core``: ``playground.core.propagation``'s own functions (no argument checks) under
  one ``np.errstate``, which is what ``Trainer.step`` runs;
* ``plain loop``: the course's loop written out in this file (``Z = W @ A + b``,
  ``np.tanh``, ``dZ = AL - Y``, ``dW = (1 / m) * (dZ @ A.T)`` ...), no clone rule, no
  checks, the same arithmetic as the core (the overflow-free σ, ``(1 / m)·``): it ends
  with the core's parameters to the last bit (``same_work``, checked before timing), so
  the ratio is what the core's structure costs, not different numerics. The core must
  stay within 10 % of it;
* ``sklearn``: ``MLPClassifier.partial_fit`` doing the same work: same architecture, tanh
  hidden layers, plain full-batch gradient descent (``solver="sgd"``, ``batch_size=m``,
  no momentum, ``alpha=0`` so no L2 term, constant learning rate, no shuffling).

The machine may be shared and noisy: the three are timed in interleaved rounds of batches
of about ``BATCH_SECONDS`` each; the table shows the best batch (the least disturbed one)
with the median in brackets, and each ratio is the median over the rounds of
``sklearn / nn`` within a round (a burst of load hits both sides of a round alike). The
issue's target is ``nn`` at least 10× faster than ``partial_fit`` at 400 points.

A second table times ``Trainer.step(1000)`` on the live page's default 2-4-1 tanh network
with 320 training points: the loop, the divergence checks and the recording of the history
included, per iteration (the first 1,000 iterations record every iteration), and the same
network as a plain course loop (forward, backward, update; no history, no checks): the
last column is how much ``Trainer.step`` costs on top of that loop once the history is
sparse.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import sys
import time

import numpy as np
from sklearn.neural_network import MLPClassifier

from playground.core import nn, propagation
from playground.core.activations import ACTIVATIONS as REGISTRY
from playground.core.clones import dot
from playground.core.datasets import make_dataset, train_test_split
from playground.engine.trainer import Trainer

HIDDEN = (8, 8)
ACTIVATIONS = ["tanh", "tanh", "sigmoid"]
LEARNING_RATE = 0.1
SIZES = (400, 2000)
DTYPES = (np.float64, np.float32)
BATCHES = 15
BATCH_SECONDS = 0.04
TARGET_RATIO = 10.0


def _flower(m: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    X, Y = make_dataset("flower", n_samples=m, seed=0)
    return X.astype(dtype), Y.astype(dtype)


def _core_loop(X, Y, dtype, forward, cost, backward, update, logits=None):
    """One call runs ``n`` iterations of the given four core functions (the cost is
    computed from Z[L], as the Trainer does; ``logits(caches)`` finds it where the caches
    are not ``LayerCache``s)."""
    params = nn.initialize_parameters([X.shape[0], *HIDDEN, 1], "xavier", seed=0, dtype=dtype)

    def run(n: int) -> dict:
        nonlocal params
        with np.errstate(all="ignore"):
            for _ in range(n):
                AL, caches = forward(X, params, ACTIVATIONS)
                cost(caches[-1].Z if logits is None else logits(caches), Y)
                grads = backward(AL, Y, caches, ACTIVATIONS)
                params = update(params, grads, LEARNING_RATE)
        return params

    return run


def core_public(X, Y, dtype):
    """``n`` iterations with the public, checked functions a student calls."""
    return _core_loop(X, Y, dtype, nn.forward_propagation, nn.cost_from_logits,
                      nn.backward_propagation, nn.update_parameters)


def core_internal(X, Y, dtype):
    """The same iterations through the core's functions, which the Trainer calls."""
    return _core_loop(X, Y, dtype, propagation.forward_propagation,
                      propagation.compute_cost, propagation.backward_propagation,
                      propagation.update_parameters)


def plain_loop(X, Y, dtype):
    """The course's loop, written out: 2-[8, 8]-1, tanh, tanh, sigmoid.

    The same arithmetic as the core, operation for operation, so that the two compute the
    same numbers (``same_work`` checks it, bit for bit) and the ratio measures only what
    the core adds around the arithmetic. That takes the core's overflow-free σ
    (``e^min(z, 0) / (1 + e^-|z|)``) and ``(1/m)·`` rather than ``/ m``; the cost is
    ``np.sum(...) / m`` as the course writes it (``np.mean`` gives the same number through
    a slower Python wrapper)."""
    p = nn.initialize_parameters([X.shape[0], *HIDDEN, 1], "xavier", seed=0, dtype=dtype)
    W1, b1, W2, b2, W3, b3 = (p[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    m = X.shape[1]

    def run(n: int) -> dict:
        nonlocal W1, b1, W2, b2, W3, b3
        with np.errstate(all="ignore"):
            for _ in range(n):
                Z1 = W1 @ X + b1
                A1 = np.tanh(Z1)
                Z2 = W2 @ A1 + b2
                A2 = np.tanh(Z2)
                Z3 = W3 @ A2 + b3
                A3 = np.exp(np.fmin(Z3, 0)) / (1 + np.exp(-np.abs(Z3)))
                np.sum(np.maximum(Z3, 0) - Z3 * Y + np.log1p(np.exp(-np.abs(Z3)))) / m
                dZ3 = A3 - Y
                dW3, db3 = (1 / m) * (dZ3 @ A2.T), (1 / m) * np.sum(dZ3, axis=1, keepdims=True)
                dZ2 = (W3.T @ dZ3) * (1 - A2 ** 2)
                dW2, db2 = (1 / m) * (dZ2 @ A1.T), (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
                dZ1 = (W2.T @ dZ2) * (1 - A1 ** 2)
                dW1, db1 = (1 / m) * (dZ1 @ X.T), (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
                W1, b1 = W1 - LEARNING_RATE * dW1, b1 - LEARNING_RATE * db1
                W2, b2 = W2 - LEARNING_RATE * dW2, b2 - LEARNING_RATE * db2
                W3, b3 = W3 - LEARNING_RATE * dW3, b3 - LEARNING_RATE * db3
        return {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}

    return run


def same_work(dtype, iterations: int = 100) -> bool:
    """Whether the core and the plain loop end with the same parameters, bit for bit,
    after ``iterations`` iterations from the same start (they must: same arithmetic)."""
    X, Y = _flower(400, dtype)
    core, plain = core_internal(X, Y, dtype)(iterations), plain_loop(X, Y, dtype)(iterations)
    return core.keys() == plain.keys() and all(
        core[k].dtype == plain[k].dtype and np.array_equal(core[k], plain[k]) for k in core)


def core_unrolled(X, Y, dtype):
    """The core's own operations for this network in straight-line code: ``dot`` (the clone
    rule), the registry's g and g', ``compute_cost``, ``(1/m)·`` and ``.sum``, but no layer
    loop, no ``parameters[f"W{l}"]`` / ``grads[f"dW{l}"]`` keys, no ``LayerCache``, no
    dicts. Between the plain loop and the core: it splits the gap into what the numerics
    cost (this ÷ plain) and what the L-layer structure costs (core ÷ this)."""
    p = nn.initialize_parameters([X.shape[0], *HIDDEN, 1], "xavier", seed=0, dtype=dtype)
    W1, b1, W2, b2, W3, b3 = (p[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    m = X.shape[1]
    g1, g2, g3 = (REGISTRY[a] for a in ACTIVATIONS)

    def run(n: int) -> dict:
        nonlocal W1, b1, W2, b2, W3, b3
        with np.errstate(all="ignore"):
            for _ in range(n):
                Z1 = dot(W1, X) + b1
                A1 = g1.g(Z1)
                Z2 = dot(W2, A1) + b2
                A2 = g2.g(Z2)
                Z3 = dot(W3, A2) + b3
                A3 = g3.g(Z3)
                propagation.compute_cost(Z3, Y)
                dZ3 = A3 - Y
                dW3 = (1 / m) * dot(dZ3, A2.mT, clone_columns=True)
                db3 = (1 / m) * dZ3.sum(axis=-1, keepdims=True)
                dZ2 = dot(W3.mT, dZ3) * g2.prime(Z2, A2)
                dW2 = (1 / m) * dot(dZ2, A1.mT, clone_columns=True)
                db2 = (1 / m) * dZ2.sum(axis=-1, keepdims=True)
                dZ1 = dot(W2.mT, dZ2) * g1.prime(Z1, A1)
                dW1 = (1 / m) * dot(dZ1, X.mT, clone_columns=True)
                db1 = (1 / m) * dZ1.sum(axis=-1, keepdims=True)
                W1, b1 = W1 - LEARNING_RATE * dW1, b1 - LEARNING_RATE * db1
                W2, b2 = W2 - LEARNING_RATE * dW2, b2 - LEARNING_RATE * db2
                W3, b3 = W3 - LEARNING_RATE * dW3, b3 - LEARNING_RATE * db3
        return {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}

    return run


_KEYS = {l: (f"W{l}", f"b{l}", f"dW{l}", f"db{l}") for l in range(1, 10)}


def core_stripped(X, Y, dtype):
    """The core's L-layer loop with everything item 1 of issue 14 keeps for the reader
    taken out: a precomputed key table instead of ``f"W{l}"``, plain tuples instead of
    ``LayerCache``, no ``dZ``/``dA`` kept for the views, no regularization branches. Not
    a proposal: the floor of what a layer loop costs over the straight-line code, so that
    the 10 % target can be judged (the rest of the gap is what the readable core spends on
    names)."""
    def forward(X, parameters, activations):
        A, caches = X, []
        for l, name in enumerate(activations, 1):
            W, b = parameters[_KEYS[l][0]], parameters[_KEYS[l][1]]
            Z = dot(W, A) + b
            caches.append((A, W, Z))
            A = REGISTRY[name].g(Z)
        caches.append(A)
        return A, caches

    def backward(AL, Y, caches, activations):
        m = Y.shape[-1]
        grads, dZ = {}, AL - Y
        for l in range(len(activations), 0, -1):
            A_prev, W, _ = caches[l - 1]
            grads[_KEYS[l][2]] = (1 / m) * dot(dZ, A_prev.mT, clone_columns=True)
            grads[_KEYS[l][3]] = (1 / m) * dZ.sum(axis=-1, keepdims=True)
            if l > 1:
                dZ = dot(W.mT, dZ) * REGISTRY[activations[l - 2]].prime(caches[l - 2][2],
                                                                         A_prev)
        return grads

    return _core_loop(X, Y, dtype, forward, propagation.compute_cost, backward,
                      propagation.update_parameters, logits=lambda caches: caches[-2][2])


def breakdown_table(rounds: int, m: int = 400, n: int = 100) -> list[dict]:
    """Where the core's extra time goes: plain loop, the core's operations unrolled, the
    core; CPU time of this process (``time.process_time``: another process's load does not
    count), interleaved rounds of ``n`` iterations, ratios as medians over the rounds."""
    rows = []
    for dtype in DTYPES:
        X, Y = _flower(m, dtype)
        ref = plain_loop(X, Y, dtype)(50)
        same = all(np.array_equal(run(X, Y, dtype)(50)[k], ref[k]) for k in ref
                   for run in (core_unrolled, core_stripped))
        runs = {"plain": plain_loop(X, Y, dtype), "unrolled": core_unrolled(X, Y, dtype),
                "stripped": core_stripped(X, Y, dtype), "core": core_internal(X, Y, dtype)}
        samples: dict[str, list[float]] = {name: [] for name in runs}
        for run in runs.values():
            run(n)  # warm up
        for _ in range(rounds):
            for name, run in runs.items():
                t0 = time.process_time()
                run(n)
                samples[name].append((time.process_time() - t0) / n)
        rows.append({"dtype": np.dtype(dtype).name, "same": same,
                     **{name: statistics.median(v) for name, v in samples.items()},
                     "unrolled/plain": _ratio(samples["unrolled"], samples["plain"]),
                     "stripped/plain": _ratio(samples["stripped"], samples["plain"]),
                     "core/unrolled": _ratio(samples["core"], samples["unrolled"]),
                     "core/plain": _ratio(samples["core"], samples["plain"])})
    return rows


def sklearn_partial_fit(X, Y, dtype):
    """``partial_fit`` on the same data: with ``batch_size = m`` one call is one iteration."""
    m = X.shape[1]
    Xs = np.ascontiguousarray(X.T, dtype=dtype)  # scikit-learn puts examples in rows
    ys = Y.ravel().astype(np.int64)
    clf = MLPClassifier(
        hidden_layer_sizes=HIDDEN, activation="tanh", solver="sgd", batch_size=m,
        learning_rate_init=LEARNING_RATE, learning_rate="constant", momentum=0.0,
        nesterovs_momentum=False, alpha=0.0, shuffle=False, random_state=0,
    )
    clf.partial_fit(Xs, ys, classes=np.array([0, 1]))  # the first call sets the network up

    def run(n: int) -> None:
        for _ in range(n):
            clf.partial_fit(Xs, ys)

    return run


def _calibrate(run, seconds: float) -> int:
    """How many iterations make a batch of about ``seconds``."""
    n = 1
    while True:
        t0 = time.perf_counter()
        run(n)
        dt = time.perf_counter() - t0
        if dt >= seconds / 4 or n >= 1 << 20:
            return max(1, int(n * seconds / max(dt, 1e-9)))
        n *= 2


def time_interleaved(runs: dict[str, object], batches: int,
                     seconds: float) -> dict[str, list[float]]:
    """Seconds per iteration of each run, one sample per round; in each round every run
    does one batch, so that the machine's noise hits all of them alike."""
    sizes = {name: _calibrate(run, seconds) for name, run in runs.items()}
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(batches):
        for name, run in runs.items():
            n = sizes[name]
            t0 = time.perf_counter()
            run(n)
            samples[name].append((time.perf_counter() - t0) / n)
    return samples


def _summary(samples: list[float]) -> tuple[float, float]:
    return min(samples), statistics.median(samples)


def _ratio(slow: list[float], fast: list[float]) -> float:
    """The median over rounds of slow / fast."""
    return statistics.median(s / f for s, f in zip(slow, fast, strict=True))


def _us(t: tuple[float, float]) -> str:
    return f"{t[0] * 1e6:8.1f} ({t[1] * 1e6:7.1f})"


def core_table(batches: int, seconds: float) -> list[dict]:
    rows = []
    for dtype in DTYPES:
        for m in SIZES:
            X, Y = _flower(m, dtype)
            samples = time_interleaved({
                "nn": core_public(X, Y, dtype),
                "internals": core_internal(X, Y, dtype),
                "plain": plain_loop(X, Y, dtype),
                "sklearn": sklearn_partial_fit(X, Y, dtype),
            }, batches, seconds)
            rows.append({"m": m, "dtype": np.dtype(dtype).name,
                         **{name: _summary(s) for name, s in samples.items()},
                         "ratio": _ratio(samples["sklearn"], samples["nn"]),
                         "ratio_int": _ratio(samples["sklearn"], samples["internals"]),
                         "vs_plain": _ratio(samples["internals"], samples["plain"]),
                         "nn_vs_plain": _ratio(samples["nn"], samples["plain"])})
    return rows


def plain_trainer_loop(X, Y, dtype):
    """``Trainer``'s network written out as a plain course loop: 2-4-1, tanh then sigmoid,
    α = 1.2, the Trainer's initial parameters, one full-batch iteration per call of the
    loop (forward, backward, update; no history, no divergence checks)."""
    p = Trainer(X, Y, dtype=dtype).parameters
    W1, b1, W2, b2 = (p[k] for k in ("W1", "b1", "W2", "b2"))
    X, Y = X.astype(dtype), Y.astype(dtype)
    m = X.shape[1]

    def run(n: int) -> None:
        nonlocal W1, b1, W2, b2
        with np.errstate(all="ignore"):
            for _ in range(n):
                Z1 = W1 @ X + b1
                A1 = np.tanh(Z1)
                Z2 = W2 @ A1 + b2
                A2 = np.exp(np.fmin(Z2, 0)) / (1 + np.exp(-np.abs(Z2)))
                dZ2 = A2 - Y
                dW2, db2 = (1 / m) * (dZ2 @ A1.T), (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
                dZ1 = (W2.T @ dZ2) * (1 - A1 ** 2)
                dW1, db1 = (1 / m) * (dZ1 @ X.T), (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
                W1, b1 = W1 - 1.2 * dW1, b1 - 1.2 * db1
                W2, b2 = W2 - 1.2 * dW2, b2 - 1.2 * db2

    return run


def trainer_table(batches: int) -> list[dict]:
    """``Trainer.step(1000)`` per iteration, fresh (the first 1,000 iterations record
    every one) and after 5,000, interleaved with the plain loop of the same network."""
    rows = []
    X, Y = make_dataset("flower", n_samples=400, seed=0)
    split = train_test_split(X, Y, 0.2, 0)
    for dtype in DTYPES:
        fresh, steady, plain = [], [], []
        steady_trainer = Trainer(*split, dtype=dtype)
        steady_trainer.step(5000)
        loop = plain_trainer_loop(split[0], split[1], dtype)
        loop(200)
        for _ in range(max(3, batches // 3)):
            trainer = Trainer(*split, dtype=dtype)
            t0 = time.perf_counter()
            trainer.step(1000)
            fresh.append((time.perf_counter() - t0) / 1000)
            t0 = time.perf_counter()
            steady_trainer.step(1000)
            steady.append((time.perf_counter() - t0) / 1000)
            t0 = time.perf_counter()
            loop(1000)
            plain.append((time.perf_counter() - t0) / 1000)
        rows.append({"dtype": np.dtype(dtype).name,
                     "fresh": (min(fresh), statistics.median(fresh)),
                     "steady": (min(steady), statistics.median(steady)),
                     "plain": (min(plain), statistics.median(plain)),
                     "vs_plain": _ratio(steady, plain)})
    return rows


def profile_report(top: int = 15) -> str:
    """cProfile's top functions (by own time) for 2,000 core iterations at 400 points and
    for ``Trainer.step(1000)`` from a fresh trainer."""
    X, Y = _flower(400, np.float64)
    run = core_public(X, Y, np.float64)
    split = train_test_split(*make_dataset("flower", n_samples=400, seed=0), 0.2, 0)
    trainer = Trainer(*split)
    out = io.StringIO()
    for title, call in (("core iteration x 2,000", lambda: run(2000)),
                        ("Trainer.step(1000)", lambda: trainer.step(1000))):
        prof = cProfile.Profile()
        prof.runcall(call)
        out.write(f"\n== cProfile: {title}\n")
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    batches = 5 if quick else BATCHES
    seconds = BATCH_SECONDS / 2 if quick else BATCH_SECONDS
    print("One training iteration (forward, cost, backward, update), 2-[8, 8]-1 tanh, "
          "full batch;")
    print(f"µs per iteration: best of {batches} interleaved batches (median in brackets);")
    print("ratio: partial_fit / nn, the median over the rounds\n")
    header = (f"{'points':>6}  {'dtype':7}  {'nn':>18}  {'core':>18}  {'plain loop':>18}  "
              f"{'sklearn partial_fit':>19}  {'ratio':>6}  {'ratio int.':>10}  "
              f"{'core÷plain':>10}  {'nn÷plain':>8}")
    same = {np.dtype(d).name: same_work(d) for d in DTYPES}
    print("The plain loop ends with the core's parameters, bit for bit: "
          + ", ".join(f"{k} {'yes' if v else 'NO (the ratio compares different work)'}"
                      for k, v in same.items()) + "\n")
    print(header)
    print("-" * len(header))
    rows = core_table(batches, seconds)
    for r in rows:
        print(f"{r['m']:>6}  {r['dtype']:7}  {_us(r['nn'])}  {_us(r['internals'])}  "
              f"{_us(r['plain'])}  {_us(r['sklearn']):>19}  {r['ratio']:5.1f}×  "
              f"{r['ratio_int']:9.1f}×  {r['vs_plain']:10.2f}  {r['nn_vs_plain']:8.2f}")
    print()
    at_400 = next(r for r in rows if r["m"] == 400 and r["dtype"] == "float64")
    for r in rows:
        if r["m"] == 400:
            ok = "met" if r["vs_plain"] <= 1.10 else "NOT met"
            print(f"Target (core within 10 % of the plain loop, 400 points, {r['dtype']}): "
                  f"{r['vs_plain']:.2f}×, {ok}.")
    for label, ratio in (("nn", at_400["ratio"]), ("core", at_400["ratio_int"])):
        verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
        print(f"Target ({label} ≥ {TARGET_RATIO:g}× faster than partial_fit at 400 points, "
              f"float64): {ratio:.1f}×, {verdict}.")

    print("\nTrainer.step(1000), 2-4-1 tanh, 320 training + 80 test points, µs per iteration")
    print("(plain loop: the same network as a plain course loop, no history or checks)")
    print(f"{'dtype':7}  {'first 1,000 (dense history)':>28}  {'after 5,000':>18}  "
          f"{'plain loop':>18}  {'after 5,000÷plain':>17}")
    for r in trainer_table(batches):
        print(f"{r['dtype']:7}  {_us(r['fresh']):>28}  {_us(r['steady']):>18}  "
              f"{_us(r['plain']):>18}  {r['vs_plain']:17.2f}")
    if "--breakdown" in argv:
        print("\nWhere the core's extra time goes, 400 points, CPU time per iteration (median "
              f"of {3 * batches} interleaved rounds)")
        print("(unrolled: the core's own operations - dot, g, g', compute_cost - in straight-"
              "line code, no layer loop, keys, caches or dicts; stripped: the layer loop with "
              "a key table, plain tuples, no dZ/dA, no regularization branches)")
        print(f"{'dtype':7}  {'plain µs':>8}  {'unrolled µs':>11}  {'core µs':>7}  "
              f"{'unrolled÷plain':>14}  {'stripped÷plain':>14}  {'core÷unrolled':>13}  "
              f"{'core÷plain':>10}")
        for r in breakdown_table(3 * batches):
            flag = "" if r["same"] else "  (unrolled or stripped compute other numbers!)"
            print(f"{r['dtype']:7}  {r['plain'] * 1e6:8.1f}  {r['unrolled'] * 1e6:11.1f}  "
                  f"{r['core'] * 1e6:7.1f}  {r['unrolled/plain']:14.3f}  "
                  f"{r['stripped/plain']:14.3f}  "
                  f"{r['core/unrolled']:13.3f}  {r['core/plain']:10.3f}{flag}")
    if "--profile" in argv:
        print(profile_report())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
