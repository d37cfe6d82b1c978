"""The Trainer's history, metrics and snapshots, bit for bit, against a plain computation.

``Trainer`` records its history rows the fast way (``_state`` at each recorded iteration,
then ``_rows_of`` for all the rows of a ``step`` at once, NumPy calls over stacks of
states). Here a slow reference trains the same network with the public ``nn`` functions
and computes every read-out the straightforward way, with the formulas as the course
writes them (``np.mean``, ``np.linalg.norm``, the symmetry measure and the distinct units
unit by unit); every recorded number must be the same double, in float64 and float32.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.core import nn
from playground.core.datasets import make_dataset, train_test_split
from playground.core.diagnostics import DISTINCT_TOL
from playground.engine.trainer import (
    CHECK_EVERY,
    HISTORY_FIELDS,
    MAX_HISTORY,
    PARAM_LIMIT,
    Trainer,
    learning_rate_at,
)

# --------------------------------------------------------------------------------------
# The reference: one state's read-outs, the plain way
# --------------------------------------------------------------------------------------


def plain_cost(ZL: np.ndarray, Y: np.ndarray) -> float:
    return float(np.mean(np.maximum(ZL, 0) - ZL * Y + np.log1p(np.exp(-np.abs(ZL)))))


def plain_accuracy(AL: np.ndarray, Y: np.ndarray) -> float:
    return float(np.mean((AL > 0.5) == (Y > 0.5)))


def plain_symmetry(W: np.ndarray, b: np.ndarray) -> float:
    """The RMS distance of the units [w_i | b_i] from their mean, after subtracting the
    first unit (which changes nothing mathematically, and makes clones exactly 0)."""
    U = np.hstack([W, b]).astype(np.float64)
    U = U - U[0]
    d = U - U.mean(axis=0)
    return math.sqrt(float(np.mean(np.sum(d * d, axis=1))))


def plain_distinct(W: np.ndarray, b: np.ndarray) -> int:
    """Each unit joins the first representative within DISTINCT_TOL in every entry."""
    U = np.hstack([W, b])
    reps: list[int] = []
    for i in range(U.shape[0]):
        if not any(np.max(np.abs(U[i] - U[r])) <= DISTINCT_TOL for r in reps):
            reps.append(i)
    return len(reps)


def plain_row(tr: Trainer, params: dict, iteration: int) -> tuple:
    """The history row of ``params`` at ``iteration``, as HISTORY_FIELDS, then ||dW[l]||,
    then the symmetry measures and the distinct units of the hidden layers."""
    acts, L = tr.activations, tr.L
    with np.errstate(all="ignore"):
        AL, caches = nn.forward_propagation(tr.X_train, params, acts)
        grads = nn.backward_propagation(AL, tr.Y_train, caches, acts,
                                        regularization=tr.regularization, lambd=tr.lambd)
        data_cost = plain_cost(caches[-1].Z, tr.Y_train)
        total = data_cost + nn.regularization_cost(params, tr.m, tr.regularization, tr.lambd)
        if tr.X_test.shape[1]:
            ALt, ct = nn.forward_propagation(tr.X_test, params, acts)
            test_cost = plain_cost(ct[-1].Z, tr.Y_test)
            test_accuracy = plain_accuracy(ALt, tr.Y_test)
        else:
            test_cost = test_accuracy = float("nan")
        alpha = float(learning_rate_at(iteration, tr.learning_rate, tr.schedule,
                                       tr.decay_rate, tr.decay_steps))
        norms = [float(np.linalg.norm(grads[f"dW{l}"])) for l in range(1, L + 1)]
        sym = [plain_symmetry(params[f"W{l}"], params[f"b{l}"]) for l in range(1, L)]
        distinct = [plain_distinct(params[f"W{l}"], params[f"b{l}"]) for l in range(1, L)]
    return (iteration, total, data_cost, test_cost, plain_accuracy(AL, tr.Y_train),
            test_accuracy, alpha, *norms, *sym, *distinct)


# --------------------------------------------------------------------------------------
# The reference: training, and which iterations the history keeps
# --------------------------------------------------------------------------------------


class Reference:
    """Trains like ``Trainer.step`` with the public nn functions, keeping the parameters
    of every iteration (as training left them: an edit between steps is ``edited``), and
    follows the history's stride and thinning."""

    def __init__(self, tr: Trainer):
        self.tr = tr
        self.params = {0: {k: v.copy() for k, v in tr.initial_parameters.items()}}
        self.edited: dict | None = None
        self.iteration = 0
        self.rows = [0]  # the recorded iterations; reset records iteration 0
        self.stride = 1

    def _append(self, it: int) -> None:
        if self.rows[-1] == it:
            return
        self.rows.append(it)
        if len(self.rows) > MAX_HISTORY:
            self.stride *= 2
            last = len(self.rows) - 1
            self.rows = [r for i, r in enumerate(self.rows) if r % self.stride == 0 or i == last]

    def _batch(self, it: int):
        tr = self.tr
        if tr.batch_size >= tr.m:
            return slice(None)
        per_epoch = math.ceil(tr.m / tr.batch_size)
        epoch, k = divmod(it, per_epoch)
        perm = np.random.default_rng([tr.weight_seed, epoch]).permutation(tr.m)
        return perm[k * tr.batch_size:(k + 1) * tr.batch_size]

    def step(self, end: int, diverged_at: int | None = None) -> None:
        """The iterations the trainer went through to ``end`` (its iteration after the
        step); a divergence detected at ``diverged_at`` rolled the trainer back to
        ``end``."""
        tr, start = self.tr, self.iteration
        last = diverged_at if diverged_at is not None else end
        P = self.params[start] if self.edited is None else self.edited
        self.edited = None
        for it in range(start, last):
            if it % self.stride == 0 and it > self.rows[-1]:
                self._append(it)
            idx = self._batch(it)
            X, Y = tr.X_train[:, idx], tr.Y_train[:, idx]
            with np.errstate(all="ignore"):
                AL, caches = nn.forward_propagation(X, P, tr.activations)
                grads = nn.backward_propagation(AL, Y, caches, tr.activations,
                                                regularization=tr.regularization,
                                                lambd=tr.lambd)
                alpha = float(learning_rate_at(it, tr.learning_rate, tr.schedule,
                                               tr.decay_rate, tr.decay_steps))
                P = nn.update_parameters(P, grads, alpha)
            self.params[it + 1] = P
        if diverged_at is not None:
            assert end % CHECK_EVERY == 0 or end == start
            bad = self.params[diverged_at]
            assert any(not np.all(np.isfinite(v)) or np.max(np.abs(v)) > PARAM_LIMIT
                       for v in bad.values())
            self.rows = [r for r in self.rows if r <= end]
        self.iteration = end
        if end > start:
            self._append(end)  # step() ends with the current state's row

    def edit(self, params: dict) -> None:
        """An edit between steps (set_parameter, break_symmetry): the trainer's result.
        The row of this iteration, recorded before it, keeps the parameters before it."""
        self.edited = {k: v.copy() for k, v in params.items()}


def as_bits(values) -> bytes:
    return np.asarray(values, dtype=np.float64).tobytes()


def check_trainer(tr: Trainer, ref: Reference) -> None:
    """The trainer's history, metrics, parameters and snapshots against the reference."""
    h = tr.history()
    assert h["iteration"].tolist() == ref.rows
    L = tr.L
    expected = [plain_row(tr, ref.params[it], it) for it in ref.rows]
    columns = list(zip(*expected, strict=True))
    for j, key in enumerate(HISTORY_FIELDS):
        assert as_bits(h[key]) == as_bits(columns[j]), key
    k = len(expected)
    norms = np.array([r[7:7 + L] for r in expected], dtype=float).reshape(k, L)
    sym = np.array([r[7 + L:6 + 2 * L] for r in expected], dtype=float).reshape(k, L - 1)
    distinct = [list(r[6 + 2 * L:]) for r in expected]
    assert as_bits(h["dW_norms"]) == as_bits(norms)
    assert as_bits(h["symmetry"]) == as_bits(sym)
    assert h["distinct"].tolist() == distinct
    assert h["iteration"].dtype == np.int64 and h["distinct"].dtype == np.int64
    for key in (*HISTORY_FIELDS[1:], "dW_norms", "symmetry"):
        assert h[key].dtype == np.float64 and h[key].flags.c_contiguous, key
    # The metrics of the current state: the last row, bit for bit.
    m = tr.metrics()
    last = expected[-1]
    assert last[0] == tr.iteration == m.iteration
    got = (m.train_cost, m.train_data_cost, m.test_cost, m.train_accuracy, m.test_accuracy,
           *m.dW_norms, *m.symmetry)
    assert as_bits(got) == as_bits(last[1:6] + last[7:6 + 2 * L])
    assert m.distinct == tuple(last[6 + 2 * L:])
    for k, v in tr.parameters.items():
        assert v.tobytes() == ref.params[tr.iteration][k].tobytes() and v.dtype == tr.dtype
    for it, snap in tr.snapshots:
        for k, v in snap.items():
            assert v.tobytes() == ref.params[it][k].tobytes(), (it, k)


# --------------------------------------------------------------------------------------
# The configurations
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flower_split():
    X, Y = make_dataset("flower", n_samples=200, seed=0)
    return train_test_split(X, Y, 0.2, 0)


@pytest.fixture(scope="module")
def blobs():
    return make_dataset("blobs", n_samples=48, seed=3)


CONFIGS = {
    # The live page's network: 300 rows and beyond, so the history is thinned once.
    "full batch": (dict(), [MAX_HISTORY, 1, 120]),
    "mini-batch": (dict(batch_size=32, hidden=(5, 3), activations=("tanh", "relu")),
                   [90, 70]),
    "L2, step schedule": (dict(regularization="L2", lambd=0.7, schedule="step",
                               decay_rate=0.5, decay_steps=40), [150]),
    "mini-batch, L1, inverse time": (dict(batch_size=50, regularization="L1", lambd=0.3,
                                          schedule="inverse_time", decay_rate=0.5,
                                          decay_steps=20, hidden=(3,),
                                          activations=("sigmoid",)), [110]),
    "constant init (clones)": (dict(init="constant", hidden=(4, 3),
                                    activations=("tanh", "tanh")), [120]),
    "diverging": (dict(learning_rate=10.0, hidden=(8,), activations=("relu",)), [5, 100]),
    "diverging at once": (dict(learning_rate=200.0, init_scale=5.0, hidden=(8,),
                               activations=("relu",)), [40]),
    "relu 8-8": (dict(hidden=(8, 8), activations=("relu", "relu"), init="he",
                      learning_rate=0.3), [70]),
    "6 tanh layers": (dict(hidden=(8,) * 6, activations=("tanh",) * 6, init="xavier",
                           learning_rate=0.3), [40]),
    "logistic regression": (dict(hidden=(), activations=()), [60]),
    "one unit, wide": (dict(hidden=(1, 16), activations=("gelu", "leaky_relu")), [60]),
}


def run(tr: Trainer, steps) -> Reference:
    ref = Reference(tr)
    for n in steps:
        tr.step(n)
        ref.step(tr.iteration, tr.diverged_at)
    return ref


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", list(CONFIGS))
def test_history_is_the_plain_computation(flower_split, name, dtype):
    kwargs, steps = CONFIGS[name]
    tr = Trainer(*flower_split, dtype=dtype, **kwargs)
    check_trainer(tr, run(tr, steps))
    if name.startswith("diverging"):
        assert tr.diverged


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_edits_between_steps(flower_split, dtype):
    # Clones, then a hand-set weight, then broken symmetry: distinct units 1 → 2 → 4.
    tr = Trainer(*flower_split, dtype=dtype, init="constant")
    ref = run(tr, [40])
    assert tr.metrics().distinct == (1,)
    tr.set_parameter("W1", (1, 0), 0.25)
    ref.edit(tr.parameters)
    tr.step(30)
    ref.step(tr.iteration)
    tr.break_symmetry(1e-3, seed=2)
    ref.edit(tr.parameters)
    tr.step(1)  # a step of one recorded row and the final one
    ref.step(tr.iteration)
    tr.step(25)
    ref.step(tr.iteration)
    check_trainer(tr, ref)
    assert tr.history()["distinct"][:, 0].tolist()[-1] == 4


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_no_test_set_and_stop_conditions(blobs, dtype):
    tr = Trainer(*blobs, dtype=dtype, batch_size=20)
    ref = Reference(tr)
    tr.step(400, stop_cost=0.2)
    assert tr.stopped_reason
    ref.step(tr.iteration)
    tr.step(50, stop_iterations=tr.iteration + 30)
    ref.step(tr.iteration)
    check_trainer(tr, ref)
    assert np.isnan(tr.history()["test_cost"]).all()


def test_long_training_keeps_every_recorded_number(flower_split):
    # Past 2·MAX_HISTORY iterations in one call: rows computed later are thinned out
    # before they are computed; those kept are exact.
    tr = Trainer(*flower_split, dtype=np.float32, hidden=(3,), activations=("tanh",))
    check_trainer(tr, run(tr, [2 * MAX_HISTORY + 37, 3]))
