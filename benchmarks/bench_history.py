"""What recording the history costs the Trainer: dense recording against sparse.

Run from the project root: ``python -m benchmarks.bench_history`` (``--quick`` for fewer
rounds). ``Trainer`` records a history row at every iteration whose index is a multiple
of its stride: 1 for the first ``MAX_HISTORY`` iterations, then doubling. So:

* ``fresh``: ``Trainer.step(300)`` from a freshly reset trainer: every iteration is
  recorded (forward, backward and update, and a history row each);
* ``late``: ``step(300)`` once the trainer is past iteration 20,000: the stride is in the
  hundreds, so these 300 iterations record 1-3 rows (and the one ``step`` ends with);
* ``fresh / late``: the ratio (1.0 would be free recording, were the first iterations
  as costly as late ones, which they need not be);
* ``unrecorded``: the fresh 300 iterations again with no row recorded inside the loop
  (the trainer's private stride set past them), and ``recording``: best fresh − best
  unrecorded, what one recorded iteration adds, in µs.

For the live page's default 2-4-1 tanh network (also with mini-batches of 32), a
2-[8, 8]-1 ReLU network and 6 hidden layers of 8 tanh units, on 320 training and 80 test
points of the flower, in float32 (what the page computes in) and float64.

A second table times the read-outs of one full-batch state (costs, accuracies, ||dW[l]||,
symmetry) with the iteration's forward caches and gradients reused: ``Trainer._evaluate``,
which builds the ``Metrics`` (``metrics()``, ``reset``, the row each ``step`` ends with;
before the change also the loop's every recorded row), and, where the code has them, what
the loop now does instead: ``Trainer._state`` at each recorded iteration (keeps what the
row needs) and ``Trainer._rows_of`` once per ``step`` for all of them, per row, for 1, 10
and 100 rows at once.

The script also runs on the code before the batched recording (the second table then
has ``_evaluate`` only), for a before/after comparison on the same machine.

The machine may be shared and noisy: fresh and late runs alternate in rounds; the tables
give the best sample (the least disturbed one) with the median in brackets.
"""

from __future__ import annotations

import statistics
import sys
import time
from functools import partial

import numpy as np

from playground.core import propagation
from playground.core.datasets import make_dataset, train_test_split
from playground.engine.trainer import Trainer

NETWORKS = {
    "2-4-1 tanh": dict(hidden=(4,), activations=("tanh",)),
    "2-4-1 tanh, batch 32": dict(hidden=(4,), activations=("tanh",), batch_size=32),
    "2-[8,8]-1 relu": dict(hidden=(8, 8), activations=("relu", "relu"), init="he",
                           learning_rate=0.3),
    "2-[8]*6-1 tanh": dict(hidden=(8,) * 6, activations=("tanh",) * 6, init="xavier",
                           learning_rate=0.3),
}
DTYPES = (np.float32, np.float64)
STEPS = 300
LATE = 20_000
ROUNDS = 7
EVAL_CALLS = 2000
ROWS_BATCHES = (1, 10, 100)


def _split():
    X, Y = make_dataset("flower", n_samples=400, seed=0)
    return train_test_split(X, Y, 0.2, 0)


def _summary(samples: list[float]) -> tuple[float, float]:
    return min(samples), statistics.median(samples)


def _us(t: tuple[float, float]) -> str:
    return f"{t[0] * 1e6:7.1f} ({t[1] * 1e6:6.1f})"


class ProbedTrainer(Trainer):
    """A ``Trainer`` that lets this benchmark reach the recording machinery it measures:
    private parts of ``Trainer``, reached from a subclass (where they may be)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The very bound methods the loop calls: no wrapper between the timer and them.
        self.evaluate = self._evaluate
        self.state = getattr(self, "_state", None)
        self.rows_of = getattr(self, "_rows_of", None)

    def stop_recording(self) -> None:
        """No history row recorded inside the loop from now on: a stride beyond any
        iteration (the one row ``step()`` ends with stays)."""
        self._stride = 1 << 40


def _timed_step(trainer: ProbedTrainer, *, unrecorded: bool = False) -> float:
    trainer.reset()
    if unrecorded:
        # The same iterations with no history row recorded inside the loop.
        trainer.stop_recording()
    t0 = time.perf_counter()
    trainer.step(STEPS)
    return (time.perf_counter() - t0) / STEPS


def step_table(rounds: int) -> list[dict]:
    split = _split()
    rows = []
    for name, kw in NETWORKS.items():
        for dtype in DTYPES:
            fresh_trainer = ProbedTrainer(*split, dtype=dtype, **kw)
            late_trainer = Trainer(*split, dtype=dtype, **kw)
            late_trainer.step(LATE + 1)
            fresh, bare, late = [], [], []
            for _ in range(rounds):
                fresh.append(_timed_step(fresh_trainer))
                bare.append(_timed_step(fresh_trainer, unrecorded=True))
                t0 = time.perf_counter()
                late_trainer.step(STEPS)
                late.append((time.perf_counter() - t0) / STEPS)
            assert late_trainer.status == "training", (name, late_trainer.diverged_reason)
            rows.append({"net": name, "dtype": np.dtype(dtype).name,
                         "fresh": _summary(fresh), "bare": _summary(bare),
                         "late": _summary(late),
                         "ratio": statistics.median(
                             f / s for f, s in zip(fresh, late, strict=True)),
                         "recording": min(fresh) - min(bare)})
    return rows


def _time_calls(call, n: int, rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(n):
            call()
        samples.append((time.perf_counter() - t0) / n)
    return _summary(samples)


def evaluate_table(rounds: int, calls: int) -> list[dict]:
    split = _split()
    rows = []
    for name, kw in NETWORKS.items():
        if kw.get("batch_size"):
            continue  # the same read-outs as its full-batch network, plus a forward pass
        for dtype in DTYPES:
            tr = ProbedTrainer(*split, dtype=dtype, **kw)
            tr.step(50)
            params = tr.parameters
            with np.errstate(all="ignore"):
                AL, caches = propagation.forward_propagation(tr.X_train, params,
                                                             tr.activations)
                grads = propagation.backward_propagation(AL, tr.Y_train, caches,
                                                         tr.activations)
                row = {"net": name, "dtype": np.dtype(dtype).name,
                       "evaluate": _time_calls(partial(tr.evaluate, params, caches, grads),
                                               calls, rounds)}
                if tr.rows_of is not None:  # the code after the change
                    # The loop's recording: a state kept at each recorded iteration, and
                    # the rows of a step's states computed together (per row here).
                    row["state"] = _time_calls(partial(tr.state, params, caches, grads),
                                               calls, rounds)
                    for k in ROWS_BATCHES:
                        states = [tr.state(params, caches, grads)] * k
                        t = _time_calls(partial(tr.rows_of, states), max(1, calls // k),
                                        rounds)
                        row[f"rows{k}"] = (t[0] / k, t[1] / k)
            rows.append(row)
    return rows


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    rounds = 3 if quick else ROUNDS
    print(f"Trainer.step({STEPS}), µs per iteration: best of {rounds} rounds (median in "
          f"brackets);\nfresh: from a reset trainer, every iteration recorded; late: past "
          f"iteration {LATE:,}, sparse recording;\nratio: fresh / late (median over the "
          f"rounds); unrecorded: fresh without the rows inside the loop;\nrecording: best "
          f"fresh − best unrecorded, what a recorded iteration adds, µs\n")
    header = (f"{'network':22}  {'dtype':7}  {'fresh':>16}  {'late':>16}  {'ratio':>6}  "
              f"{'unrecorded':>16}  {'recording':>9}")
    print(header)
    print("-" * len(header))
    for r in step_table(rounds):
        print(f"{r['net']:22}  {r['dtype']:7}  {_us(r['fresh'])}  {_us(r['late'])}  "
              f"{r['ratio']:5.2f}×  {_us(r['bare'])}  {r['recording'] * 1e6:9.1f}")

    calls = EVAL_CALLS // 4 if quick else EVAL_CALLS
    print(f"\nThe read-outs of one full-batch state, the caches reused, µs (best of {rounds} "
          f"rounds, median in brackets);\n_rows_of(k): per row, k rows at once")
    cols = ["_evaluate", "_state", *(f"_rows_of({k})" for k in ROWS_BATCHES)]
    header = f"{'network':22}  {'dtype':7}  " + "  ".join(f"{c:>16}" for c in cols)
    print(header)
    print("-" * len(header))
    keys = ["evaluate", "state", *(f"rows{k}" for k in ROWS_BATCHES)]
    for r in evaluate_table(rounds, calls):
        cells = [_us(r[k]) if k in r else f"{'—':>16}" for k in keys]
        print(f"{r['net']:22}  {r['dtype']:7}  " + "  ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
