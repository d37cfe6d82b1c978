"""Training state: the object the pages drive.

A ``Trainer`` owns the data split, the parameters, the hyperparameters and the history,
and advances with ``step(n)``. The math stays in ``playground.core.nn``; this module only
loops, records and guards:

* History is recorded at a stride that doubles whenever ``MAX_HISTORY`` points are
  stored, so memory stays bounded however long it trains (every iteration is recorded
  at first). A recorded iteration keeps what its row needs; the rows of one ``step``
  are computed together at its end, each NumPy call over all of them (the numbers are
  those of computing each row alone, to the last bit).
* Up to ``MAX_SNAPSHOTS`` copies of the parameters are kept, likewise thinned, for
  replaying the decision boundary's evolution; and the parameters of the last
  ``MAX_RECENT`` iterations, each one (``recent``), for the cost landscape's path, where
  a step that jumps back and forth across a valley must show as such (the thinned
  snapshots keep every other iteration, then every fourth, ...: a step back and forth
  disappears from them).
* When the cost or any parameter becomes inf/NaN, or a weight grows past
  ``PARAM_LIMIT``, training stops, keeps the last good parameters, and reports
  ``status == "diverged"`` with the iteration.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from playground.core import checks, nn, text
from playground.core.diagnostics import hidden_layer_symmetry_stack
from playground.core.features import DEFAULT_FEATURES, feature_matrix
from playground.core.propagation import (
    backward_propagation,
    compute_cost,
    forward_propagation,
    regularization_cost,
    update_parameters,
)

MAX_HISTORY = 300
MAX_SNAPSHOTS = 48
MAX_RECENT = 16  # the latest iterations' parameters, each one (Trainer.recent)
PARAM_LIMIT = 1e6
MAX_STEPS_PER_CALL = 100_000
CHECK_EVERY = 8

SCHEDULES = {
    "constant": "α(t) = α₀",
    "step": "α(t) = α₀ · γ^⌊t / s⌋",
    "inverse_time": "α(t) = α₀ / (1 + γ · t / s)",
}


def learning_rate_at(t: int | np.ndarray, alpha: float, schedule: str = "constant",
                     decay_rate: float = 0.5, decay_steps: int = 1000):
    """α at iteration t for a schedule (γ = decay_rate, s = decay_steps)."""
    if schedule == "constant":
        return alpha + 0 * np.asarray(t, dtype=float) if np.ndim(t) else float(alpha)
    if schedule == "step":
        # Python's float power, element by element, as the training loop computes it:
        # NumPy's vectorised power may differ from it in the last bit.
        k = np.floor(np.asarray(t, dtype=float) / decay_steps)
        if not np.ndim(k):
            return alpha * decay_rate ** float(k)
        powers = [decay_rate ** float(e) for e in k.ravel()]
        return alpha * np.asarray(powers, dtype=float).reshape(k.shape)
    if schedule == "inverse_time":
        return alpha / (1 + decay_rate * np.asarray(t, dtype=float) / decay_steps)
    raise ValueError(f"unknown schedule {schedule!r}; choose one of {', '.join(SCHEDULES)}")


def _learning_rate_scalar(t: int, alpha: float, schedule: str, decay_rate: float,
                          decay_steps: int) -> float:
    """``learning_rate_at`` for one iteration t, to the last bit, without building arrays
    (the training loop asks for it every iteration)."""
    if schedule == "constant":
        return float(alpha)
    if schedule == "step":
        # float(t) / s is correctly rounded either way; the power is Python's, as in
        # learning_rate_at.
        return alpha * decay_rate ** float(math.floor(float(t) / decay_steps))
    return alpha / (1 + decay_rate * float(t) / decay_steps)


@dataclass(frozen=True)
class Metrics:
    """The read-outs of one state of the network."""

    iteration: int
    train_cost: float  # total J, regularization included
    train_data_cost: float  # the cross-entropy term alone
    test_cost: float  # cross-entropy on the test set (NaN without one)
    train_accuracy: float
    test_accuracy: float
    dW_norms: tuple[float, ...]  # ||dW[l]||_F for l = 1..L
    symmetry: tuple[float, ...]  # per hidden layer
    distinct: tuple[int, ...]  # distinct units per hidden layer


HISTORY_FIELDS = ("iteration", "train_cost", "train_data_cost", "test_cost",
                  "train_accuracy", "test_accuracy", "learning_rate")

_NAN = float("nan")
_PENDING = 2  # the length of a history row not computed yet, (iteration, state)
# Pending rows are computed together at the end of each step(), or as soon as this many
# wait: a state holds Z[L], A[L] and e^-|Z[L]| of the training set and the dW[l].
PENDING_ROWS = 64


class Checkpoint(NamedTuple):
    """Where a :class:`Trainer`'s training is, for :meth:`Trainer.restore`: the state that
    steps change (the settings stay as they are when it is restored)."""

    parameters: dict[str, np.ndarray]
    iteration: int
    status: str
    diverged_at: int | None
    diverged_reason: str | None
    stopped_reason: str | None
    stride: int
    snap_stride: int
    rows: list
    snapshots: list[tuple[int, dict[str, np.ndarray]]]
    kept: list[tuple[int, dict[str, np.ndarray]]]
    recent: tuple[tuple[int, dict[str, np.ndarray]], ...]
    changes: list[tuple[int, str, tuple]]
    epoch: float


def _batch_size(batch_size: int, m: int) -> int:
    """The mini-batch size to train with: ``batch_size`` examples, or all ``m`` for 0 (full
    batch) or more than there are; raises ValueError for anything but a whole number ≥ 0."""
    if not (checks.is_real(batch_size) and batch_size >= 0 and batch_size == int(batch_size)):
        raise ValueError(f"batch_size must be a whole number ≥ 0 (0: full batch), "
                         f"got {batch_size!r}")
    return m if not batch_size or batch_size >= m else int(batch_size)


class Trainer:
    """Trains one network on one data split, step by step.

    Parameters
    ----------
    X_train, Y_train : raw points ``(2, m)`` and labels ``(1, m)``.
    X_test, Y_test : the held-out split, possibly with 0 columns.
    hidden : units per hidden layer, e.g. ``(4,)``; ``()`` is logistic regression.
    activations : one per hidden layer (the output layer is always sigmoid).
    features : input features computed from (x1, x2) (``playground.core.features``).
    dtype : the dtype the core computes in (float64 reproduces the course's numbers).
    initial_parameters : given initial weights (a course notebook's own, say) instead of
        drawing them with ``init``; their shapes must be those of the network.
    keep_every : keep the parameters of every ``keep_every``-th iteration, as they are
        when that iteration starts (before its update), in ``kept``: a course notebook
        prints its cost every 1,000 iterations. 0: keep none.
    """

    def __init__(
        self,
        X_train: np.ndarray,
        Y_train: np.ndarray,
        X_test: np.ndarray | None = None,
        Y_test: np.ndarray | None = None,
        *,
        hidden: Sequence[int] = (4,),
        activations: Sequence[str] = ("tanh",),
        features: Sequence[str] = DEFAULT_FEATURES,
        init: str = "random",
        init_scale: float | None = None,
        weight_seed: int = 1,
        learning_rate: float = 1.2,
        regularization: str = "none",
        lambd: float = 0.0,
        batch_size: int = 0,
        schedule: str = "constant",
        decay_rate: float = 0.5,
        decay_steps: int = 1000,
        dtype=np.float64,
        initial_parameters: Mapping[str, np.ndarray] | None = None,
        keep_every: int = 0,
    ):
        self.dtype = np.dtype(dtype)
        self.changes: list[tuple[int, str, tuple]] = []  # see reset()
        if X_test is None:
            X_test = np.zeros((2, 0))
            Y_test = np.zeros((1, 0))
        self.X_train_raw, self.Y_train = X_train, Y_train.astype(self.dtype)
        self.X_test_raw, self.Y_test = X_test, Y_test.astype(self.dtype)
        checks.check_labels(self.Y_train, X_train.shape[1], "Y_train")
        checks.check_labels(self.Y_test, X_test.shape[1], "Y_test")
        if X_train.shape[1] == 0:
            raise ValueError("the training set is empty")
        self.features = tuple(features)
        self.X_train = feature_matrix(X_train.astype(self.dtype), self.features)
        self.X_test = feature_matrix(X_test.astype(self.dtype), self.features)
        if len(activations) != len(hidden):
            raise ValueError(
                f"{len(activations)} activations given for {len(hidden)} hidden layers"
            )
        self.hidden = tuple(int(n) for n in hidden)
        self.activations = [*activations, nn.OUTPUT_ACTIVATION]
        for a in self.activations:
            nn.get_activation(a)
        self.layer_dims = [self.X_train.shape[0], *self.hidden, 1]
        # For the recorded rows: the labels as the accuracy compares them (y > 0.5).
        self._train_positive = self.Y_train > 0.5
        self._test_positive = self.Y_test > 0.5
        self.init, self.init_scale, self.weight_seed = init, init_scale, int(weight_seed)
        self.set_learning_rate(learning_rate)
        self.set_regularization(regularization, lambd)
        self.batch_size = _batch_size(batch_size, self.X_train.shape[1])
        self.set_schedule(schedule, decay_rate, decay_steps)
        if initial_parameters is None:
            self.initial_parameters = nn.initialize_parameters(
                self.layer_dims, init, init_scale, self.weight_seed, dtype=self.dtype
            )
        else:
            self.initial_parameters = _given_parameters(initial_parameters, self.layer_dims,
                                                        self.dtype)
        if not (isinstance(keep_every, int) and keep_every >= 0):
            raise ValueError(f"keep_every must be a whole number ≥ 0, got {keep_every!r}")
        self.keep_every = keep_every
        self.reset()

    # ---- state ----------------------------------------------------------------------
    @property
    def L(self) -> int:
        return len(self.layer_dims) - 1

    @property
    def m(self) -> int:
        return self.X_train.shape[1]

    @property
    def full_batch(self) -> bool:
        return self.batch_size >= self.m

    @property
    def epoch(self) -> float:
        """Passes over the training set so far: whole epochs, plus the share of the
        current one done (an epoch is ⌈m / batch⌉ iterations, the last batch smaller)."""
        per_epoch = math.ceil(self.m / self.batch_size)
        full, k = divmod(self.iteration - self._batch_since, per_epoch)
        return self._epochs_before + full + k * self.batch_size / self.m

    @property
    def diverged(self) -> bool:
        return self.status == "diverged"

    def reset(self) -> None:
        """Back to exactly the initial weights of this seed, with an empty history."""
        self.parameters = {k: v.copy() for k, v in self.initial_parameters.items()}
        self.iteration = 0
        self.status = "ready"
        self.diverged_at: int | None = None
        self.diverged_reason = ""
        self.stopped_reason = ""
        self._stride = 1
        self._snap_stride = 1
        # One tuple per recorded iteration (see _rows_of); history() makes the arrays.
        self._rows: list[tuple] = []
        self._pending = 0  # rows recorded as (iteration, state) since the last _finish_rows
        self.snapshots: list[tuple[int, dict[str, np.ndarray]]] = []
        # (iteration, parameters) of every keep_every-th iteration, before its update.
        self.kept: list[tuple[int, dict[str, np.ndarray]]] = []
        # (iteration, parameters) of the latest iterations, references (steps never change
        # an array in place): bounded, for the cost landscape's path.
        self.recent: deque[tuple[int, dict[str, np.ndarray]]] = deque(maxlen=MAX_RECENT)
        self._metrics_cache: tuple[int, Metrics] | None = None
        self._perm: tuple[int, np.ndarray] | None = None  # (epoch, its shuffle)
        # The batch size may change while training (set_batch_size): epochs are counted
        # from the iteration it took effect, after the epochs done before.
        self._batch_since, self._epochs_before, self._batch_changes = 0, 0.0, 0
        self.seconds_per_iteration = float("nan")
        # What this run started with, and every change made since, (iteration, what, values),
        # in order: an exported notebook replays them (playground.lab.notebook).
        self.start_settings = self.settings()
        self.changes = []
        self._record(self._evaluate())
        self._snapshot()

    def set_learning_rate(self, alpha: float) -> None:
        """Changes α for the next steps; keeps the parameters and the history."""
        if not (math.isfinite(alpha) and alpha > 0):
            raise ValueError(f"the learning rate α must be a positive number, got {alpha!r}")
        self.learning_rate = float(alpha)
        self._log("alpha", self.learning_rate)

    def set_regularization(self, regularization: str, lambd: float) -> None:
        """Changes the regularization and λ from the next iteration on; the parameters
        and the history stay (J includes the new penalty from the next recorded row)."""
        checks.check_regularization(regularization, lambd)
        self.regularization, self.lambd = regularization, float(lambd)
        self._metrics_cache = None
        self._log("regularization", regularization, self.lambd)

    def set_schedule(self, schedule: str, decay_rate: float, decay_steps: int) -> None:
        """Changes the learning-rate schedule from the next iteration on. α(t) is read at
        the current iteration t, as if the schedule had been on from the start."""
        learning_rate_at(0, 1.0, schedule)  # validates the name
        if not (checks.is_real(decay_rate) and math.isfinite(decay_rate) and decay_rate >= 0):
            raise ValueError(f"the decay rate γ must be a finite number ≥ 0, got {decay_rate!r}")
        if not (checks.is_real(decay_steps) and decay_steps >= 1
                and decay_steps == int(decay_steps)):
            raise ValueError(f"the decay steps s must be a whole number ≥ 1, got {decay_steps!r}")
        self.schedule, self.decay_rate, self.decay_steps = schedule, decay_rate, decay_steps
        self._log("schedule", schedule, decay_rate, decay_steps)

    def set_batch_size(self, batch_size: int) -> None:
        """Changes the mini-batch size from the next iteration on (0: full batch). A new
        epoch, with a new shuffle, starts there; ``epoch`` keeps counting on."""
        new = _batch_size(batch_size, self.m)
        if new == self.batch_size:
            return
        self._epochs_before = self.epoch
        self._batch_since = self.iteration
        self._batch_changes += 1
        self.batch_size = new
        self._perm = None
        self._log("batch_size", new)

    def current_learning_rate(self) -> float:
        return float(_learning_rate_scalar(self.iteration, self.learning_rate, self.schedule,
                                           self.decay_rate, self.decay_steps))

    def set_parameter(self, name: str, index: tuple[int, int], value: float) -> None:
        """Edit one weight or bias, e.g. ``("W1", (0, 1), 0.5)``; the history goes on."""
        if name not in self.parameters:
            raise ValueError(f"no parameter {name!r}; the network has {', '.join(self.parameters)}")
        if not math.isfinite(value):
            raise ValueError("a weight must be a finite number")
        arr = self.parameters[name]
        i, j = index
        if not (0 <= i < arr.shape[0] and 0 <= j < arr.shape[1]):
            raise ValueError(f"{name} has shape {arr.shape}; ({i}, {j}) is outside it")
        arr = arr.copy()  # snapshots may share the old array
        arr[i, j] = value
        self.parameters = {**self.parameters, name: arr}
        self._log("parameter", name, i, j, float(value))
        self._metrics_cache = None
        if self.status == "diverged":
            self.status = "paused"

    def break_symmetry(self, size: float = 1e-3, seed: int = 0) -> None:
        """Add Gaussian noise × size to every weight: clones become different units."""
        rng = np.random.default_rng(seed)
        new = dict(self.parameters)
        for l in range(1, self.L + 1):
            W = new[f"W{l}"]
            new[f"W{l}"] = (W + size * rng.standard_normal(W.shape)).astype(self.dtype)
        self.parameters = new
        self._metrics_cache = None
        self._log("noise", float(size), seed)

    def settings(self) -> dict:
        """The settings a run may change as it goes (the rest are fixed at construction)."""
        return {"learning_rate": self.learning_rate, "regularization": self.regularization,
                "lambd": self.lambd, "schedule": self.schedule,
                "decay_rate": self.decay_rate, "decay_steps": self.decay_steps,
                "batch_size": self.batch_size}

    def _log(self, what: str, *values) -> None:
        """Record a change made after construction, at the current iteration."""
        if hasattr(self, "start_settings"):  # not while __init__ sets the first values
            self.changes.append((self.iteration, what, values))

    # ---- training -------------------------------------------------------------------
    def _batch_indices(self, iteration: int) -> slice | np.ndarray:
        if self.full_batch:
            return slice(None)
        per_epoch = math.ceil(self.m / self.batch_size)
        epoch, k = divmod(iteration - self._batch_since, per_epoch)
        if self._perm is None or self._perm[0] != epoch:  # one shuffle per epoch, kept
            # After a change of batch size, shuffles of its own (same seed, same shuffles).
            seed = ([self.weight_seed, epoch] if not self._batch_changes
                    else [self.weight_seed, self._batch_changes, epoch])
            perm = np.random.default_rng(seed).permutation(self.m)
            self._perm = (epoch, perm)
        return self._perm[1][k * self.batch_size:(k + 1) * self.batch_size]

    def step(self, n: int = 1, *, stop_cost: float = 0.0, stop_iterations: int = 0) -> int:
        """Train ``n`` iterations of gradient descent (or fewer if it diverges, or when a
        stop condition is met: the cost below ``stop_cost``, or ``stop_iterations``
        reached). Returns the number of iterations done."""
        if self.status == "diverged":
            return 0
        n = int(min(max(n, 0), MAX_STEPS_PER_CALL))
        self.stopped_reason = ""
        params = self.parameters
        last_good = (self.iteration, params)
        t0 = time.perf_counter()
        with np.errstate(all="ignore"):
            try:
                done = self._loop(n, stop_cost, stop_iterations, last_good)
            finally:
                self._finish_rows()  # the rows recorded in the loop, all at once
        if stop_iterations and self.iteration >= stop_iterations and not self.diverged:
            # A step that lands exactly on the stop (Step ×1,000 from 9,000 to a lesson's
            # 10,000) has reached it too: say so now, not at the next click.
            self.stopped_reason = f"reached {stop_iterations:,} iterations"
        if done:
            self.seconds_per_iteration = (time.perf_counter() - t0) / done
            if self.status != "diverged":
                self.status = "training"
            self._record(self.metrics())  # the chart always ends at the current state
        return done

    @classmethod
    def training_loop(cls) -> Callable:
        """The method ``step`` runs its iterations in, for the *Under the hood* page, which
        shows its source (private: only ``step`` may call it, inside its set-up)."""
        return cls._loop

    def _loop(self, n, stop_cost, stop_iterations, last_good) -> int:
        # The caller holds np.errstate(all="ignore"). Everything that does not change
        # between iterations is looked up once: this loop runs up to 100,000 times a call.
        params, acts = self.parameters, self.activations
        reg, lambd = self.regularization, self.lambd
        full = self.full_batch
        X_all, Y_all = self.X_train, self.Y_train
        alpha0, schedule = self.learning_rate, self.schedule
        rate, steps = self.decay_rate, self.decay_steps
        keep = self.keep_every
        done = 0
        remember = self.recent.append
        for _ in range(n):
            it = self.iteration
            if stop_iterations and it >= stop_iterations:
                self.stopped_reason = f"reached {stop_iterations:,} iterations"
                break
            if full:
                X, Y = X_all, Y_all
            else:
                idx = self._batch_indices(it)
                X, Y = X_all[:, idx], Y_all[:, idx]
            AL, caches = forward_propagation(X, params, acts)
            if stop_cost:
                if full:
                    cost = (float(compute_cost(caches[-1].Z, Y_all))
                            + float(regularization_cost(params, self.m, reg, lambd)))
                else:
                    cost = self.metrics().train_cost
                if cost < stop_cost:
                    self.stopped_reason = f"the cost fell below {stop_cost:g}"
                    break
            grads = backward_propagation(AL, Y, caches, acts, reg, lambd)
            if it % self._stride == 0 and it > self._last_recorded():
                # A row to compute later, with the others of this step() (_finish_rows):
                # the thinning of the history needs only its iteration.
                if full:
                    self._append((it, self._state(params, caches, grads)))
                else:  # the read-outs on the whole training set, later and together
                    self._append((it, (it, params, None, None, None)))
                self._pending += 1
                if self._pending >= PENDING_ROWS:  # bounds the memory the states hold
                    self._finish_rows()
            if keep and it % keep == 0:  # the course's print-out: J before this update
                self.kept.append((it, params))
            alpha = alpha0 if schedule == "constant" else _learning_rate_scalar(
                it, alpha0, schedule, rate, steps)
            params = update_parameters(params, grads, float(alpha))
            self.iteration = it = it + 1
            done += 1
            # Divergence is checked every CHECK_EVERY iterations and at the end; on a
            # fault the parameters go back to the last state that passed the check.
            if it % CHECK_EVERY == 0:
                if self._diverges(params, last_good):
                    return self._undo(done)
                last_good = (it, params)
            self.parameters = params
            remember((it, params))
            if it % self._snap_stride == 0:
                self._snapshot()
        self.parameters = params
        if self.iteration != last_good[0] and self._diverges(params, last_good):
            return self._undo(done)
        self._metrics_cache = None
        return done

    def _diverges(self, params, last_good) -> bool:
        problem = self._check(params)
        if problem:
            self.status = "diverged"
            self.diverged_at = self.iteration
            self.diverged_reason = problem
            self._rollback = last_good
        return bool(problem)

    def _undo(self, done: int) -> int:
        """Go back to the last good state after a divergence; returns the iterations kept."""
        good_iteration, good_params = self._rollback
        done -= self.iteration - good_iteration
        self.iteration, self.parameters = good_iteration, good_params
        self.snapshots = [s for s in self.snapshots if s[0] <= good_iteration]
        self.recent = deque((r for r in self.recent if r[0] <= good_iteration),
                            maxlen=MAX_RECENT)
        self._rows = [row for row in self._rows if row[0] <= good_iteration]
        self.kept = [k for k in self.kept if k[0] < good_iteration]  # to be run again
        self._metrics_cache = None
        return done

    def _check(self, params: Mapping[str, np.ndarray]) -> str:
        for k, v in params.items():
            big = np.maximum.reduce(np.abs(v), axis=None) if v.size else 0.0
            if not math.isfinite(big):
                return f"{k} became inf or NaN"
            if big > PARAM_LIMIT:
                return f"a weight in {k} grew past {PARAM_LIMIT:.0e}"
        return ""

    # ---- read-outs ------------------------------------------------------------------
    def _evaluate(self, params=None, caches=None, grads=None) -> Metrics:
        """Metrics for ``params`` (default: the current ones); ``caches`` and ``grads`` of
        a full-batch iteration are reused when given."""
        params = self.parameters if params is None else params
        # Read-outs also run outside step() (reset, metrics after set_parameter), where a
        # hand-set huge weight may overflow: hence their own errstate.
        with np.errstate(all="ignore"):
            row = self._rows_of([self._state(params, caches, grads)])[0]
        L = self.L
        return Metrics(*row[:6], dW_norms=row[7:7 + L], symmetry=row[7 + L:6 + 2 * L],
                       distinct=row[6 + 2 * L:])

    def _state(self, params, caches=None, grads=None) -> tuple:
        """What the history row of ``params`` at this iteration needs from the training
        set, kept for ``_rows_of``: (iteration, params, Z[L], A[L], [dW[1], ..., dW[L]]).
        The ``caches`` and ``grads`` of a full-batch iteration are these; otherwise they
        are computed here. (A mini-batch iteration records ``(iteration, params, None,
        None, None)``, which ``_rows_of`` completes.) Callers hold np.errstate."""
        if caches is None:
            acts = self.activations
            AL, caches = forward_propagation(self.X_train, params, acts)
            grads = backward_propagation(AL, self.Y_train, caches, acts,
                                         self.regularization, self.lambd)
        last = caches[-1]
        return (self.iteration, params, last.Z, last.A,
                [grads[f"dW{l}"] for l in range(1, self.L + 1)])

    def _rows_of(self, states: Sequence[tuple]) -> list[tuple]:
        """The history rows of K ``_state``s: per state, the values of ``HISTORY_FIELDS``
        (in that order; the learning rate of that iteration), then ||dW[l]||_F for
        l = 1..L, then the symmetry measure and the distinct units of each hidden layer.

        The K states' parameters are stacked, and the core runs on the stack: one NumPy
        call per operation for all of them (NumPy's per-call cost, not its arithmetic, is
        what these small networks pay for), each state getting the numbers it would get
        alone, to the last bit (tests/engine/test_history_exact.py compares them with a plain
        computation). Callers hold np.errstate(all="ignore")."""
        K, L, m, m_test = len(states), self.L, self.m, self.X_test.shape[1]
        acts = self.activations
        states = self._completed(states)
        its, params, ZLs, ALs, dWs = zip(*states, strict=True)
        stack = _stack(params)  # W[l] (K, n[l], n[l-1]), b[l] (K, n[l], 1)
        # The training set: the cost from the logits and the accuracy, per state.
        # (np.array stacks K arrays of one shape, with less overhead than np.stack.)
        data_cost = compute_cost(np.array(ZLs), self.Y_train).tolist()
        penalty = regularization_cost(stack, m, self.regularization, self.lambd)
        total = [c + r for c, r in zip(data_cost, np.broadcast_to(penalty, K).tolist(),
                                       strict=True)]
        agree = (np.array(ALs).reshape(K, m) > 0.5) == self._train_positive
        train_accuracy = _counts(agree, m)
        if m_test:
            ALt, caches = forward_propagation(self.X_test, stack, acts)
            test_cost = compute_cost(caches[-1].Z, self.Y_test).tolist()
            agree = (ALt.reshape(K, m_test) > 0.5) == self._test_positive
            test_accuracy = _counts(agree, m_test)
        else:
            test_cost = test_accuracy = [_NAN] * K
        norms = [_frobenius_stack([d[l] for d in dWs]) for l in range(L)]
        sym, distinct = hidden_layer_symmetry_stack(
            [stack[f"W{l}"] for l in range(1, L + 1)], [stack[f"b{l}"] for l in range(1, L + 1)],
            L)
        alpha0, schedule = self.learning_rate, self.schedule
        alphas = [alpha0 if schedule == "constant" else float(_learning_rate_scalar(
            it, alpha0, schedule, self.decay_rate, self.decay_steps)) for it in its]
        columns = (its, total, data_cost, test_cost, train_accuracy, test_accuracy, alphas,
                   *norms, *sym, *distinct)
        return list(zip(*columns, strict=True))

    def _completed(self, states: Sequence[tuple]) -> Sequence[tuple]:
        """The states, with those a mini-batch iteration recorded, (iteration, params,
        None, ...), completed on the whole training set: all at once, on a stack."""
        todo = [i for i, s in enumerate(states) if s[2] is None]
        if not todo:
            return states
        states = list(states)
        acts = self.activations
        AL, caches = forward_propagation(self.X_train, _stack([states[i][1] for i in todo]),
                                         acts)
        grads = backward_propagation(AL, self.Y_train, caches, acts, self.regularization,
                                     self.lambd)
        for j, i in enumerate(todo):
            it, params = states[i][:2]
            states[i] = (it, params, caches[-1].Z[j], AL[j],
                         [grads[f"dW{l}"][j] for l in range(1, self.L + 1)])
        return states

    def metrics(self) -> Metrics:
        """Read-outs for the current parameters (cached until they change)."""
        if self._metrics_cache is None or self._metrics_cache[0] != self.iteration:
            self._metrics_cache = (self.iteration, self._evaluate())
        return self._metrics_cache[1]

    def gradients(self) -> dict[str, np.ndarray]:
        """dW[l], db[l] (and dZ, dA) at the current parameters, on the whole training set."""
        with np.errstate(all="ignore"):
            AL, caches = forward_propagation(self.X_train, self.parameters, self.activations)
            return backward_propagation(AL, self.Y_train, caches, self.activations,
                                        self.regularization, self.lambd)

    def caches(self, on: str = "train") -> list[nn.LayerCache]:
        """The forward caches (Z[l], A[l]) at the current parameters."""
        X = self.X_train if on == "train" else self.X_test
        with np.errstate(all="ignore"):
            return forward_propagation(X, self.parameters, self.activations)[1]

    def _last_recorded(self) -> int:
        return self._rows[-1][0] if self._rows else -1

    def _record(self, mt: Metrics) -> None:
        self._append((mt.iteration, mt.train_cost, mt.train_data_cost, mt.test_cost,
                      mt.train_accuracy, mt.test_accuracy, self.current_learning_rate(),
                      *mt.dW_norms, *mt.symmetry, *mt.distinct))

    def _append(self, row: tuple) -> None:
        """Adds a history row, or a pending one ``(iteration, state)`` that
        ``_finish_rows`` computes later, and thins the history past MAX_HISTORY rows."""
        rows = self._rows
        if rows and rows[-1][0] == row[0]:
            return
        rows.append(row)
        if len(rows) > MAX_HISTORY:
            self._stride *= 2
            last = len(rows) - 1
            self._rows = [r for i, r in enumerate(rows) if r[0] % self._stride == 0 or i == last]

    def _finish_rows(self) -> None:
        """Computes the pending rows, all at once (those the history still has: the
        thinning may have dropped some). Callers hold np.errstate(all="ignore").

        Looks for them whatever ``_pending`` says: a step that Streamlit stopped (it
        raises at a yield point; Pause does that to a frame) may have left some behind,
        and its counter out of step with them."""
        rows = self._rows
        idx = [i for i, r in enumerate(rows) if len(r) == _PENDING]
        if idx:
            for i, row in zip(idx, self._rows_of([rows[i][1] for i in idx]), strict=True):
                rows[i] = row
        self._pending = 0

    def _snapshot(self) -> None:
        self.snapshots.append((self.iteration, self.parameters))
        if len(self.snapshots) > MAX_SNAPSHOTS:
            self._snap_stride *= 2
            self.snapshots = [s for s in self.snapshots if s[0] % self._snap_stride == 0]

    def replay_points(self) -> list[tuple[int, dict[str, np.ndarray]]]:
        """The snapshots to replay, ending at the current state: the thinned snapshots
        before this iteration, then ``(iteration, parameters)`` as they are now (a run at
        2,200 whose last snapshot is 2,176 replays up to 2,200; a weight edited by hand
        since the last snapshot is shown as edited). Reads only: nothing is recorded."""
        return ([s for s in self.snapshots if s[0] < self.iteration]
                + [(self.iteration, self.parameters)])

    def checkpoint(self) -> Checkpoint:
        """Where the training is now, for :meth:`restore` (not the settings). References
        and list copies only: steps never change an array in place."""
        return Checkpoint(
            self.parameters, self.iteration, self.status, self.diverged_at,
            self.diverged_reason, self.stopped_reason, self._stride, self._snap_stride,
            list(self._rows), list(self.snapshots), list(self.kept), tuple(self.recent),
            list(self.changes), self.epoch)

    def restore(self, checkpoint: Checkpoint) -> None:
        """Back to a :meth:`checkpoint`, as if the steps since had not been taken (a frame
        of Play that Pause stopped before the page showed it)."""
        c = checkpoint
        (self.parameters, self.iteration, self.status, self.diverged_at,
         self.diverged_reason, self.stopped_reason, self._stride, self._snap_stride) = c[:8]
        self._rows, self.snapshots, self.kept = list(c.rows), list(c.snapshots), list(c.kept)
        self.recent = deque(c.recent, maxlen=MAX_RECENT)
        if self._batch_since > self.iteration:
            # The batch size changed after the checkpoint: the new size stays, from the
            # iteration gone back to (its epochs count on from the checkpoint's).
            self._batch_since, self._epochs_before = self.iteration, c.epoch
            self._perm = None
        # The log as it was, plus the settings changed since: they stay in force (restore
        # keeps the settings), from the iteration gone back to. Edits of the parameters
        # since are undone with them.
        changes = c.changes
        since = self.changes[len(changes):] if self.changes[:len(changes)] == changes else []
        self.changes = list(changes) + [(self.iteration, what, values)
                                        for _, what, values in since
                                        if what not in ("parameter", "noise")]
        self._pending = 0
        self._metrics_cache = None

    def history(self) -> dict[str, np.ndarray]:
        """The recorded history as arrays: ``iteration`` (k,), costs and accuracies (k,),
        ``dW_norms`` (k, L), ``symmetry`` and ``distinct`` (k, L-1)."""
        L = self.L
        # Only the computed rows: those a step still has pending (it runs in another
        # thread while the run of a click reads the history, or it was stopped before
        # computing them) come with the next step. One read of the list: a step may swap
        # it for a thinned one meanwhile.
        rows = [r for r in self._rows if len(r) != _PENDING]
        # Rows hold Python floats and ints (iterations, unit counts: exact as doubles).
        table = np.array(rows, dtype=float).reshape(len(rows), 5 + 3 * L)
        out = {k: table[:, j].copy() for j, k in enumerate(HISTORY_FIELDS)}
        out["iteration"] = table[:, 0].astype(np.int64)
        out["dW_norms"] = table[:, 7:7 + L].copy()
        out["symmetry"] = table[:, 7 + L:6 + 2 * L].copy()
        out["distinct"] = table[:, 6 + 2 * L:].astype(np.int64)
        return out

    def history_csv(self) -> str:
        """The history as CSV, one row per recorded iteration."""
        h = self.history()
        cols = list(HISTORY_FIELDS)
        cols += [f"norm_dW{l}" for l in range(1, self.L + 1)]
        cols += [f"symmetry{l}" for l in range(1, self.L)]
        cols += [f"distinct_units{l}" for l in range(1, self.L)]
        lines = [",".join(cols)]
        for i in range(len(h["iteration"])):
            row = [h[k][i] for k in HISTORY_FIELDS]
            row += list(h["dW_norms"][i]) + list(h["symmetry"][i]) + list(h["distinct"][i])
            lines.append(",".join(text.exact(v) for v in row))
        return "\n".join(lines) + "\n"

    def predict_proba(self, X_raw: np.ndarray) -> np.ndarray:
        """ŷ ``(1, m)`` for raw points ``(2, m)``."""
        A0 = feature_matrix(X_raw.astype(self.dtype), self.features)
        with np.errstate(all="ignore"):
            return forward_propagation(A0, self.parameters, self.activations)[0]


def _given_parameters(given: Mapping[str, np.ndarray], layer_dims: Sequence[int],
                      dtype) -> dict[str, np.ndarray]:
    """Copies of given initial weights in ``dtype``, checked against the network's shapes:
    ``W[l]`` ``(n[l], n[l-1])``, ``b[l]`` ``(n[l], 1)``, nothing else."""
    want = {}
    for l in range(1, len(layer_dims)):
        want[f"W{l}"] = (layer_dims[l], layer_dims[l - 1])
        want[f"b{l}"] = (layer_dims[l], 1)
    if set(given) != set(want):
        raise ValueError(f"initial parameters must be {', '.join(want)}, got "
                         f"{', '.join(given)}")
    out = {}
    for k, shape in want.items():
        v = np.asarray(given[k])
        if v.shape != shape:
            raise ValueError(f"initial {k} has shape {v.shape}; the network needs {shape}")
        if not np.all(np.isfinite(v)):
            raise ValueError(f"initial {k} has a value that is not finite")
        out[k] = v.astype(dtype, copy=True)
    return out


def _stack(parameter_sets: Sequence[Mapping[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """K parameter sets of one shape as one stacked set: ``W{l}`` (K, n[l], n[l-1])."""
    return {k: np.array([p[k] for p in parameter_sets]) for k in parameter_sets[0]}


class FrameRing:
    """The last frames of Play that were sent to the browser, each with the checkpoints
    of the trainers it showed (:meth:`Trainer.checkpoint`: references and list copies,
    cheap for these small networks), so that Pause can go back to the frame the browser
    last DREW: the server is up to a frame ahead of what a student sees while the browser
    draws the charts.

    The frames form one chain: :meth:`begin` (a frame starts training) forgets them when
    the trainers are not where the newest frame left them (a Step, Reset, Break or new
    trainers came between), so :meth:`rewind` only ever undoes Play's own frames.
    ``lock`` is held by a frame while it trains a chunk and by :meth:`rewind`, so that a
    Pause callback (in the click's thread) never restores under a step in progress.
    ``sent``: the serial of the newest frame sent (None: none since Play), ``sent_at``
    its time.monotonic()."""

    def __init__(self, size: int = 16):
        self.size = int(size)
        self.lock = threading.RLock()
        self.frames: list[tuple[int, list, list[tuple]]] = []  # (serial, trainers, checkpoints)
        self.sent: int | None = None
        self.sent_at = 0.0
        self.training_from: int | None = None  # the newest frame's serial, while a frame trains

    @staticmethod
    def _at(trainer, checkpoint: Checkpoint) -> bool:
        return (trainer.parameters is checkpoint.parameters
                and trainer.iteration == checkpoint.iteration)

    def _is_newest(self, trainers) -> bool:
        if not self.frames:
            return False
        _, ts, cks = self.frames[-1]
        return (len(ts) == len(trainers)
                and all(a is b for a, b in zip(ts, trainers, strict=True))
                and all(self._at(t, c) for t, c in zip(ts, cks, strict=True)))

    def begin(self, trainers) -> None:
        """A frame starts training ``trainers``: forget the chain unless they are where its
        newest frame left them."""
        with self.lock:
            if not self._is_newest(trainers):
                self.frames = []
                self.training_from = None
            else:
                self.training_from = self.frames[-1][0]

    def push(self, serial: int, trainers) -> None:
        """The frame ``serial`` (increasing) is about to be sent: remember where
        ``trainers`` are."""
        with self.lock:
            trainers = list(trainers)
            if self.frames and self.training_from != self.frames[-1][0] \
                    and not self._is_newest(trainers):
                self.frames = []  # not a frame that followed the newest: a new chain
            self.frames.append((int(serial), trainers, [t.checkpoint() for t in trainers]))
            del self.frames[:-self.size]
            self.training_from = None
            self.sent, self.sent_at = int(serial), time.monotonic()

    def rewind(self, serial: int | None) -> int | None:
        """Put the trainers back where frame ``serial`` showed them, if it is in the chain
        and nothing but Play moved them since. Returns the iteration it went back to, or
        None (nothing changed). Forgets the chain and ``sent`` either way (Play starts
        afresh)."""
        with self.lock:
            try:
                if serial is None or not self.frames:
                    return None
                serials = [f[0] for f in self.frames]
                if serial not in serials:
                    return None
                _, trainers, _ = self.frames[-1]
                if not (self._is_newest(trainers) or self.training_from == serials[-1]):
                    return None  # something else moved them since the newest frame
                _, trainers, cks = self.frames[serials.index(serial)]
                for t, c in zip(trainers, cks, strict=True):
                    t.restore(c)
                return int(cks[0][1]) if cks else None
            finally:
                self.frames, self.sent, self.training_from = [], None, None


def _frobenius(a: np.ndarray) -> float:
    """``float(np.linalg.norm(a))`` to the last bit (the same ravel, dot and sqrt),
    without its checks: it runs at every recorded iteration."""
    x = a.ravel(order="K")
    return float(np.sqrt(x.dot(x)))


def _frobenius_stack(arrays: Sequence[np.ndarray]) -> list[float]:
    """``_frobenius`` of each of K arrays of one shape: np.vecdot of the stacked arrays
    takes each dot product with the same BLAS call as ``x.dot(x)`` (the dtype's dot
    function), and the square roots are the same IEEE ones."""
    if len(arrays) < 4:
        return [_frobenius(a) for a in arrays]
    S = np.array(arrays).reshape(len(arrays), -1)
    return np.sqrt(np.vecdot(S, S)).tolist()


def _counts(agree: np.ndarray, m: int) -> list[float]:
    """The share of True in each row of ``agree`` (K, m): ``nn.accuracy``'s count / m
    (a sum of booleans in np.intp is the count)."""
    return (np.add.reduce(agree, axis=1, dtype=np.intp) / m).tolist()


def trainer_from_config(cfg, X_train, Y_train, X_test=None, Y_test=None, dtype=np.float64,
                        **kwargs):
    """A Trainer for a ``playground.lab.config.Config`` on an already split data set
    (``kwargs``: ``initial_parameters``, ``keep_every``)."""
    return Trainer(
        X_train, Y_train, X_test, Y_test,
        hidden=cfg.hidden, activations=cfg.activations, features=cfg.features,
        init=cfg.init, init_scale=cfg.init_scale, weight_seed=cfg.weight_seed,
        learning_rate=cfg.alpha, regularization=cfg.regularization, lambd=cfg.lambd,
        batch_size=cfg.batch_size, schedule=cfg.schedule, decay_rate=cfg.decay_rate,
        decay_steps=cfg.decay_steps, dtype=dtype, **kwargs,
    )
