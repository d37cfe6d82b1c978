"""Many networks trained together: the engine of the "Sigmoid vs tanh vs ReLU" page.

S networks share the data, the hidden sizes ``n[1..L-1]``, the initialization method and
(by default) α; each has its own hidden activation(s) and its own initial weights (seed).
Their parameters are stacked along a first axis, so one NumPy call per layer does the
work of all of them:

* ``W{l}``: ``(S, n[l], n[l-1])``, ``b{l}``: ``(S, n[l], 1)``,
* ``Z[l] = W[l] @ A[l-1] + b[l]`` with ``np.matmul`` broadcasting, ``(S, n[l], m)``;
  ``A[0] = X`` of shape ``(n[0], m)`` is shared (broadcast, never copied); every product
  is the core's ``dot`` (``playground.core.clones``), which keeps clone units bit-equal,
* ``A[l] = g(Z[l])``: one call per group of networks with the same activation; networks
  are ordered internally so that every group is a contiguous slice,
* backward propagation in the course's equations, batched::

      dZ[L] = A[L] - Y;  dW[l] = (1/m) dZ[l] A[l-1]ᵀ;  db[l] = (1/m) Σ dZ[l]
      dA[l-1] = W[l]ᵀ dZ[l];  dZ[l-1] = dA[l-1] * g'(Z[l-1])

Every operation is the one the core (``playground.core.propagation``) does for a single
network, in the same order and the same dtype, so network s follows the trajectory that
``playground.core.nn`` / ``playground.engine.trainer.Trainer`` give it alone: bit for bit with this
NumPy and OpenBLAS (the tests allow 1e-10, as another BLAS could round a product
differently). Unlike the core, this engine computes into buffers it allocates once
(every call with ``out=``, the registry's activations included): at the comparison page's
sizes a fresh array of a few hundred kB is a fresh mmap whose page faults cost more than
the arithmetic, and ``benchmarks/bench_batched.py`` measures the in-place form at about
twice the speed of the same stacked loop through the core's allocating functions.

Divergence is handled per network: after every update, a network whose parameters
became inf/NaN or grew past ``PARAM_LIMIT`` is frozen at its last good parameters (the
ones before that update) and flagged with the iteration; the others go on unchanged.

Differences from ``Trainer``: full-batch gradient descent with a constant α, no
regularization, no input features (``X`` is ``A[0]`` itself), and divergence is checked
at every iteration (``Trainer`` checks every ``CHECK_EVERY``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial

import numpy as np

from playground.core import checks, nn
from playground.core.clones import dot
from playground.core.diagnostics import SATURATION_THRESHOLD
from playground.core.propagation import compute_cost, forward_propagation
from playground.engine.trainer import MAX_HISTORY, MAX_STEPS_PER_CALL, PARAM_LIMIT

Array = np.ndarray

NETWORK_FIELDS = ("train_cost", "test_cost", "train_accuracy", "test_accuracy")
"""Per-network read-outs recorded in the history, each ``(k, S)``."""


# --------------------------------------------------------------------------------------
# The trainer.
# --------------------------------------------------------------------------------------


def _t(a: Array) -> Array:
    """The matrices of ``a`` transposed: ``(S, p, q)`` -> ``(S, q, p)``, or a 2-D ``a.T``."""
    return a.T if a.ndim == 2 else a.transpose(0, 2, 1)


class _Run:
    """Networks ``start:stop`` (internal order) share the activation of one layer."""

    __slots__ = ("sl", "name", "act")

    def __init__(self, start: int, stop: int, name: str):
        self.sl = slice(start, stop)
        self.name = name
        self.act = nn.ACTIVATIONS[name]


def _runs(names: Sequence[str]) -> list[_Run]:
    runs, start = [], 0
    for i in range(1, len(names) + 1):
        if i == len(names) or names[i] != names[start]:
            runs.append(_Run(start, i, names[start]))
            start = i
    return runs


class BatchedTrainer:
    """S networks of the same shape, trained together by full-batch gradient descent.

    Parameters
    ----------
    X_train, Y_train : ``A[0]`` of shape ``(n[0], m)`` and labels ``(1, m)``.
    X_test, Y_test : an optional held-out set, ``(n[0], m_test)`` and ``(1, m_test)``.
    hidden : units per hidden layer, shared by every network, e.g. ``(4,)`` or ``(8, 8)``.
    activations_list : one tuple of hidden activations per network (names of
        ``playground.core.nn.ACTIVATIONS``; a plain name means that activation in every hidden
        layer). The output layer is always the sigmoid.
    seeds : one initialization seed per network: network s starts from exactly
        ``nn.initialize_parameters(layer_dims, init, init_scale, seeds[s], dtype)``.
    init, init_scale : the initialization method and its scale, shared.
    learning_rate : α, one number for all, or one per network.
    dtype : the dtype everything computes in; default: X_train's dtype if it is a float
        type, else float64.
    record_every : the initial stride of the history (in iterations); it doubles whenever
        more than ``max_history`` points are stored, as in ``Trainer``.
    thresholds : train-cost thresholds whose first crossing is tracked exactly, at every
        iteration (see ``first_below``). This computes J of every network at every
        iteration: about 1 % more time on the benchmark's 30 networks of 2-[8, 8]-1.
    labels : names for the networks (default: "tanh · seed 3").

    Attributes (network index s in the order given)
    ----------
    S, L, layer_dims : the number of networks, of layers, and ``[n[0], ..., n[L]]``.
    labels, seed_of, activations_of, activation_of : per network: its name, seed, tuple
        of hidden activations, and that tuple as one key ("tanh", or "tanh/relu").
    iteration : iterations done by the networks still training; ``iterations`` (S,)
        per network.
    diverged (S,) bool, diverged_at (S,) (-1 if not), diverged_reason : per network.
    """

    def __init__(
        self,
        X_train: Array,
        Y_train: Array,
        X_test: Array | None = None,
        Y_test: Array | None = None,
        *,
        hidden: Sequence[int] = (4,),
        activations_list: Sequence[Sequence[str] | str],
        seeds: Sequence[int],
        init: str = "random",
        init_scale: float | None = None,
        learning_rate: float | Sequence[float] = 1.2,
        dtype=None,
        record_every: int = 1,
        max_history: int = MAX_HISTORY,
        thresholds: Iterable[float] = (),
        labels: Sequence[str] | None = None,
    ):
        self._set_data(X_train, Y_train, X_test, Y_test, dtype)
        self._set_networks(hidden, activations_list, seeds, labels)
        self._set_training(learning_rate, init, init_scale, record_every, max_history,
                           thresholds)
        self._set_initial_parameters()
        self._set_order()
        self.reset()

    # ---- construction helpers -------------------------------------------------------
    def _set_data(self, X_train, Y_train, X_test, Y_test, dtype) -> None:
        """The dtype (see the class) and the checked training and test sets in it."""
        if dtype is None:
            dtype = X_train.dtype if np.issubdtype(
                getattr(X_train, "dtype", np.float64), np.floating) else np.float64
        self.dtype = np.dtype(dtype)
        if not np.issubdtype(self.dtype, np.floating):
            raise ValueError(f"dtype must be a float type, got {self.dtype}")
        dt = self.dtype
        X_train = checks.check_2d("X_train", np.asarray(X_train, dtype=dt))
        m = X_train.shape[1]
        if m == 0:
            raise ValueError("the training set is empty")
        # X keeps the caller's memory layout, as Trainer does: BLAS may take another
        # path (and round differently) for a transposed layout.
        self.X_train = X_train
        self.Y_train = np.ascontiguousarray(
            checks.check_labels(np.asarray(Y_train), m, "Y_train"), dtype=dt)
        n0 = self.X_train.shape[0]
        if X_test is None or np.asarray(X_test).size == 0:
            X_test, Y_test = np.zeros((n0, 0), dt), np.zeros((1, 0), dt)
        X_test = checks.check_2d("X_test", np.asarray(X_test, dtype=dt))
        if X_test.shape[0] != n0:
            raise ValueError(f"X_test has {X_test.shape[0]} rows but X_train has {n0}")
        if Y_test is None:
            raise ValueError("X_test was given without Y_test")
        self.X_test = X_test
        self.Y_test = np.ascontiguousarray(
            checks.check_labels(np.asarray(Y_test), X_test.shape[1], "Y_test"), dtype=dt)

    def _set_networks(self, hidden, activations_list, seeds, labels) -> None:
        """The shared layer sizes, and per network its activations, seed and label."""
        self.hidden = tuple(int(n) for n in hidden)
        self.layer_dims = checks.check_layer_dims([self.X_train.shape[0], *self.hidden, 1])
        self.L = len(self.layer_dims) - 1
        acts = [self._activation_tuple(a) for a in activations_list]
        seeds = [int(s) for s in seeds]
        if not acts:
            raise ValueError("give at least one network (activations_list is empty)")
        if len(seeds) != len(acts):
            raise ValueError(f"{len(acts)} activation tuples but {len(seeds)} seeds: "
                             "give one seed per network")
        self.S = len(acts)
        self.activations_of: list[tuple[str, ...]] = acts
        self.activation_of: list[str] = ["/".join(dict.fromkeys(a)) or "none" for a in acts]
        self.seed_of: list[int] = seeds
        if labels is None:
            labels = [self._label(a, s) for a, s in zip(acts, seeds, strict=True)]
        if len(labels) != self.S:
            raise ValueError(f"{len(labels)} labels for {self.S} networks")
        self.labels: list[str] = list(labels)

    def _set_training(self, learning_rate, init, init_scale, record_every, max_history,
                      thresholds) -> None:
        """The checked hyperparameters: α per network, initialization, history, thresholds."""
        alpha = np.asarray(learning_rate, dtype=np.float64)
        if alpha.ndim > 1 or alpha.ndim == 1 and alpha.size != self.S:
            raise ValueError(f"give one learning rate α for all, or one per network "
                             f"({self.S}), got {learning_rate!r}")
        alpha = np.broadcast_to(alpha, (self.S,))
        if not np.all(np.isfinite(alpha) & (alpha > 0)):
            raise ValueError(f"the learning rate α must be positive, got {learning_rate!r}")
        self.learning_rate = alpha.copy()
        self.init, self.init_scale = init, init_scale
        self.record_every = int(record_every)
        self.max_history = int(max_history)
        if self.record_every < 1 or self.max_history < 2:
            raise ValueError("record_every must be ≥ 1 and max_history ≥ 2")
        self.thresholds = tuple(float(t) for t in thresholds)

    def _set_initial_parameters(self) -> None:
        """The flat layout of one network's parameters (W1, b1, W2, b2, ...) and every
        network's initial parameters in it, one row per network."""
        self._slots: list[tuple[str, int, int, tuple[int, int]]] = []
        off = 0
        for l in range(1, self.L + 1):
            for p, shape in (("W", (self.layer_dims[l], self.layer_dims[l - 1])),
                             ("b", (self.layer_dims[l], 1))):
                size = shape[0] * shape[1]
                self._slots.append((f"{p}{l}", off, off + size, shape))
                off += size
        self.P = off
        self._initial = np.empty((self.S, self.P), dtype=self.dtype)
        for s in range(self.S):
            params = nn.initialize_parameters(self.layer_dims, self.init, self.init_scale,
                                              self.seed_of[s], self.dtype)
            self._initial[s] = self._flatten(params)

    def _set_order(self) -> None:
        """The internal order of the networks: grouped by activation tuple (first
        appearance), stable."""
        acts = self.activations_of
        rank = [{} for _ in range(self.L - 1)]
        for a in acts:
            for l, name in enumerate(a):
                rank[l].setdefault(name, len(rank[l]))
        self._order = np.array(
            sorted(range(self.S), key=lambda s: tuple(rank[l][acts[s][l]]
                                                     for l in range(self.L - 1))),
            dtype=np.intp)

    def _activation_tuple(self, a) -> tuple[str, ...]:
        names = (a,) * (self.L - 1) if isinstance(a, str) else tuple(a)
        if len(names) != self.L - 1:
            raise ValueError(
                f"{len(names)} activations given for {self.L - 1} hidden layers: {a!r}")
        for name in names:
            nn.get_activation(name)
        return names

    @staticmethod
    def _label(acts: tuple[str, ...], seed: int) -> str:
        names = [nn.ACTIVATIONS[a].label for a in dict.fromkeys(acts)]
        return f"{'/'.join(names) or 'no hidden layer'} · seed {seed}"

    @classmethod
    def grid(
        cls,
        X_train: Array,
        Y_train: Array,
        X_test: Array | None = None,
        Y_test: Array | None = None,
        *,
        hidden: Sequence[int] = (4,),
        activations: Sequence[str] = ("sigmoid", "tanh", "relu"),
        seeds: int | Iterable[int] = 1,
        **kwargs,
    ) -> BatchedTrainer:
        """Every (activation, seed) pair, the activation in every hidden layer.

        Network ``s = i * n_seeds + j`` has ``activations[i]`` and the j-th seed. ``seeds``
        is a list of seeds, or a count n meaning seeds ``1..n`` (seed 1 is ``Trainer``'s
        default ``weight_seed``, so the first seed reproduces the single-network pages).
        """
        seeds = list(range(1, int(seeds) + 1)) if isinstance(seeds, int | np.integer) else [
            int(s) for s in seeds]
        L1 = len(tuple(hidden))
        acts = [(a,) * L1 for a in activations for _ in seeds]
        all_seeds = [s for _ in activations for s in seeds]
        return cls(X_train, Y_train, X_test, Y_test, hidden=hidden, activations_list=acts,
                   seeds=all_seeds, **kwargs)

    def _flatten(self, params) -> Array:
        row = np.empty(self.P, dtype=self.dtype)
        for key, a, b, _ in self._slots:
            row[a:b] = np.asarray(params[key]).ravel()
        return row

    def _unflatten(self, row: Array) -> dict[str, Array]:
        return {key: row[a:b].reshape(shape).copy() for key, a, b, shape in self._slots}

    # ---- state ----------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the initial parameters of every network, with an empty history."""
        self.iteration = 0
        self.diverged = np.zeros(self.S, dtype=bool)
        self.diverged_at = np.full(self.S, -1, dtype=np.int64)
        self.diverged_reason = [""] * self.S
        self._frozen: dict[int, Array] = {}
        self._stride = self.record_every
        cap = self.max_history + 1
        S, L = self.S, self.L
        self._h_iter = np.zeros(cap, dtype=np.int64)
        self._h = {k: np.full((cap, S), np.nan) for k in NETWORK_FIELDS}
        self._h["dW_norms"] = np.full((cap, S, L), np.nan)
        self._h["saturation"] = np.full((cap, S, L - 1), np.nan)
        self._h["dead_units"] = np.full((cap, S, L - 1), np.nan)
        self._k = 0
        self._first = np.full((S, len(self.thresholds)), -1, dtype=np.int64)
        self._thr = np.array(self.thresholds, dtype=self.dtype)
        self._build(self._order, self._initial[self._order])
        with np.errstate(all="ignore"):
            self._forward()
            self._backward()
            self._track(self._cost())
            self._record()
        self._state_ready = True

    @property
    def iterations(self) -> Array:
        """Iterations each network has trained (frozen networks stopped earlier)."""
        it = np.full(self.S, self.iteration, dtype=np.int64)
        it[self.diverged] = self.diverged_at[self.diverged] - 1
        return it

    @property
    def n_active(self) -> int:
        return int(self._active.size)

    def _build(self, active: Array, theta: Array) -> None:
        """(Re)allocate every buffer for the networks ``active`` (internal order) and
        precompute the operations of one iteration on them."""
        dt, m, dims, L = self.dtype, self.X_train.shape[1], self.layer_dims, self.L
        S = active.size
        self._active = active
        self._theta = [np.ascontiguousarray(theta, dtype=dt), np.empty((S, self.P), dt)]
        self._cur = 0
        self._grad = np.empty((S, self.P), dt)
        self._absbuf = np.empty((S, self.P), dt)
        a = self.learning_rate[active]
        self._alpha = dt.type(a[0]) if S and np.all(a == a[0]) else a.astype(dt)[:, None]
        self._inv_m = dt.type(1.0 / m)
        self._views = [self._make_views(t) for t in self._theta]
        self._gviews = self._make_views(self._grad)
        # Z[l] and A[l] for l = 1..L (A[0] is X, shared by broadcasting, never copied). dA/dZ
        # live in two
        # buffers used in turn (dZ[l] is spent once dA[l-1] is computed); g' and the
        # masks in one scratch buffer each: the fewer buffers, the more stays in cache.
        n_max = max(dims[1:])

        def scratch(dtype):
            flat = np.empty(S * n_max * m, dtype)
            return [None] + [flat[:S * dims[l] * m].reshape(S, dims[l], m)
                             for l in range(1, L + 1)]

        self._Z = [None] + [np.empty((S, dims[l], m), dt) for l in range(1, L + 1)]
        self._A = [self.X_train] + [
            np.empty((S, dims[l], m), dt) for l in range(1, L + 1)]
        d0, d1 = scratch(dt), scratch(dt)
        self._D = [None] + [(d0, d1)[l % 2][l] for l in range(1, L + 1)]
        self._G = scratch(dt)
        self._M = scratch(bool)
        self._cost_cache: Array | None = None
        names = [[self.activations_of[u][l] for u in active] for l in range(L - 1)]
        self._layer_runs = [None] + [_runs(names[l - 1]) for l in range(1, L)]
        self._plans = [self._plan(W, b) for W, b in self._views]

    def _make_views(self, buf: Array) -> tuple[list[Array], list[Array]]:
        S = buf.shape[0]
        W, b = [None], [None]
        for key, a, c, shape in self._slots:
            (W if key[0] == "W" else b).append(buf[:, a:c].reshape(S, *shape))
        return W, b

    # ---- the math, batched ------------------------------------------------------------
    def _plan(self, W: list[Array], b: list[Array]) -> tuple[list, list]:
        """Forward and backward propagation as lists of calls bound to fixed views (no
        per-iteration indexing or slicing), for the parameters ``W``, ``b`` (one plan per
        parameter buffer): the core's equations, each result into its buffer."""
        A, Z, D, G, L = self._A, self._Z, self._D, self._G, self.L
        fwd: list = []
        for l in range(1, L + 1):
            # Z[l] = W[l] A[l-1] + b[l];  A[l] = g[l](Z[l]), one call per run of networks
            fwd.append((dot, (W[l], A[l - 1]), {"out": Z[l]}))
            fwd.append((np.add, (Z[l], b[l]), {"out": Z[l]}))
            runs = self._layer_runs[l] if l < L else [
                _Run(0, Z[L].shape[0], nn.OUTPUT_ACTIVATION)]
            for r in runs:
                fwd.append((r.act, (Z[l][r.sl],), {"out": A[l][r.sl]}))

        dW, db = self._gviews
        bwd: list = [(np.subtract, (A[L], self.Y_train), {"out": D[L]})]  # dZ[L] = A[L] - Y
        for l in range(L, 0, -1):
            # dW[l] = dZ[l] A[l-1]ᵀ and db[l] = Σ dZ[l] (× 1/m below, for all at once)
            bwd.append((dot, (D[l], _t(A[l - 1])), {"out": dW[l], "clone_columns": True}))
            bwd.append((np.add.reduce, (D[l],), {"axis": 2, "keepdims": True, "out": db[l]}))
            if l == 1:
                continue
            # dA[l-1] = W[l]ᵀ dZ[l];  dZ[l-1] = dA[l-1] * g'(Z[l-1]), per run
            bwd.append((dot, (_t(W[l]), D[l]), {"out": D[l - 1]}))
            for r in self._layer_runs[l - 1]:
                sl = r.sl
                bwd.append((r.act.prime, (Z[l - 1][sl], A[l - 1][sl]), {"out": G[l - 1][sl]}))
                bwd.append((np.multiply, (D[l - 1][sl], G[l - 1][sl]), {"out": D[l - 1][sl]}))
        bwd.append((np.multiply, (self._grad, self._inv_m), {"out": self._grad}))

        def bind(ops):
            return [partial(f, *args, **kw) for f, args, kw in ops]

        return bind(fwd), bind(bwd)

    def _forward(self) -> None:
        self._cost_cache = None
        for op in self._plans[self._cur][0]:
            op()

    def _backward(self) -> None:
        for op in self._plans[self._cur][1]:
            op()

    def _cost(self) -> Array:
        """J per active network, the core's ``compute_cost`` from the logits Z[L]."""
        if self._cost_cache is None:
            self._cost_cache = compute_cost(self._Z[self.L], self.Y_train)
        return self._cost_cache

    def _update(self) -> Array | None:
        """θ := θ - α dθ into the other buffer; returns the internal indices of networks
        whose new parameters are bad (None if all are fine)."""
        old, new = self._theta[self._cur], self._theta[1 - self._cur]
        np.multiply(self._grad, self._alpha, out=self._grad)
        np.subtract(old, self._grad, out=new)
        np.abs(new, out=self._absbuf)
        big = np.maximum.reduce(self._absbuf, axis=1)
        ok = big <= PARAM_LIMIT  # False for NaN too
        self._cur = 1 - self._cur
        if ok.all():
            return None
        return np.flatnonzero(~ok)

    def _freeze(self, bad: Array) -> None:
        """Networks ``bad`` (internal indices) diverged at this update: keep their
        parameters from before it, drop them from the batch."""
        old, new = self._theta[1 - self._cur], self._theta[self._cur]
        for i in bad:
            u = int(self._active[i])
            self._frozen[u] = old[i].copy()
            self.diverged[u] = True
            self.diverged_at[u] = self.iteration
            self.diverged_reason[u] = self._reason(new[i])
        keep = np.ones(self._active.size, dtype=bool)
        keep[bad] = False
        self._build(self._active[keep], new[keep])

    def _reason(self, row: Array) -> str:
        for key, a, b, _ in self._slots:
            big = np.max(np.abs(row[a:b]))
            if not np.isfinite(big):
                return f"{key} became inf or NaN"
            if big > PARAM_LIMIT:
                return f"a weight in {key} grew past {PARAM_LIMIT:.0e}"
        return ""

    def _track(self, cost: Array | None) -> None:
        if cost is None or not self.thresholds:
            return
        below = cost[:, None] < self._thr[None, :]
        first = self._first[self._active]
        new = below & (first < 0)
        if new.any():
            first[new] = self.iteration
            self._first[self._active] = first

    # ---- training -------------------------------------------------------------------
    def step(self, n: int = 1, callback: Callable[[int, int], None] | None = None,
             every: int | None = None) -> int:
        """Train every network that has not diverged for ``n`` iterations (at most
        ``MAX_STEPS_PER_CALL``, as ``Trainer``).

        ``callback(done, n)`` is called every ``every`` iterations (default: about 100
        times per call) and at the end, e.g. to move a progress bar. Returns the number
        of iterations done (fewer than ``n`` only when every network has diverged).
        """
        n = int(min(max(n, 0), MAX_STEPS_PER_CALL))
        every = max(1, int(every) if every else n // 100)
        track = bool(self.thresholds)
        done = 0
        with np.errstate(all="ignore"):
            while done < n and self._active.size:
                if not self._state_ready:
                    self._forward()
                    self._backward()
                    if track:
                        self._track(self._cost())
                self._state_ready = False
                if self.iteration % self._stride == 0 and self.iteration > self._last():
                    self._record()
                bad = self._update()
                self.iteration += 1
                done += 1
                if bad is not None:
                    self._freeze(bad)
                if callback is not None and done % every == 0 and done < n:
                    callback(done, n)
            if done and self._active.size:
                # The state after the last update: its cost (for the thresholds) and a
                # history point, as Trainer ends its chart at the current state.
                self._forward()
                self._backward()
                self._state_ready = True
                if track:
                    self._track(self._cost())
                if self.iteration > self._last():
                    self._record()
        if callback is not None:
            callback(done, n)
        return done

    # ---- recording ------------------------------------------------------------------
    def _last(self) -> int:
        return int(self._h_iter[self._k - 1]) if self._k else -1

    def _forward_alloc(self, X: Array) -> tuple[Array, Array]:
        """Z[L] and A[L] of the active networks for X, with fresh arrays (for the test
        set and other inputs): the plan's forward propagation, allocating."""
        W, b = self._views[self._cur]
        A = X
        for l in range(1, self.L + 1):
            Z = dot(W[l], A) + b[l]
            if l < self.L:
                A = np.empty_like(Z)
                for r in self._layer_runs[l]:
                    r.act(Z[r.sl], out=A[r.sl])
        return Z, nn.ACTIVATIONS[nn.OUTPUT_ACTIVATION](Z)

    @staticmethod
    def _accuracy_of(AL: Array, Y: Array) -> Array:
        return np.mean((AL > 0.5) == (Y > 0.5), axis=(1, 2))

    def _record(self) -> None:
        """A history row for the current state (forward and backward buffers filled)."""
        k, act = self._k, self._active
        h = self._h
        self._h_iter[k] = self.iteration
        for key in h:
            h[key][k] = np.nan
        if act.size:
            h["train_cost"][k, act] = self._cost()
            h["train_accuracy"][k, act] = self._accuracy_of(self._A[self.L], self.Y_train)
            if self.X_test.shape[1]:
                ZLt, ALt = self._forward_alloc(self.X_test)
                h["test_cost"][k, act] = compute_cost(ZLt, self.Y_test)
                h["test_accuracy"][k, act] = self._accuracy_of(ALt, self.Y_test)
            dW = self._gviews[0]
            h["dW_norms"][k, act] = np.stack(
                [np.sqrt(np.sum(dW[l] * dW[l], axis=(1, 2))) for l in range(1, self.L + 1)],
                axis=1)
            for l in range(1, self.L):
                # g'[l] into the scratch buffer G[l] (free between backward and update).
                G, M = self._G[l], self._M[l]
                for r in self._layer_runs[l]:
                    r.act.prime(self._Z[l][r.sl], self._A[l][r.sl], out=G[r.sl])
                np.abs(G, out=G)
                np.less(G, self.dtype.type(SATURATION_THRESHOLD), out=M)
                for r in self._layer_runs[l]:
                    if not r.act.saturates:  # a leaky ReLU's leak is no saturation
                        M[r.sl] = False
                h["saturation"][k, act, l - 1] = np.sum(M, axis=(1, 2)) / M[0].size
                np.equal(G, 0, out=M)
                h["dead_units"][k, act, l - 1] = np.sum(np.all(M, axis=2), axis=1)
        self._k = k + 1
        if self._k > self.max_history:
            self._stride *= 2
            its = self._h_iter[:self._k]
            keep = (its % self._stride == 0)
            keep[-1] = True
            idx = np.flatnonzero(keep)
            self._h_iter[:idx.size] = its[idx]
            for key in h:
                h[key][:idx.size] = h[key][idx]
            self._k = idx.size

    # ---- read-outs ------------------------------------------------------------------
    def history(self) -> dict[str, Array]:
        """The recorded history, network index s in the order given:

        ``iteration`` (k,); ``train_cost``, ``test_cost``, ``train_accuracy``,
        ``test_accuracy`` (k, S); ``dW_norms`` (k, S, L) (||dW[l]||_F); ``saturation``
        (k, S, L-1) (share of (unit, example) pairs with |g'(z)| < 0.05) and
        ``dead_units`` (k, S, L-1) (units with g'(z) = 0 for every example, as floats).
        Entries are NaN after a network diverged (and test read-outs without a test set).
        At most ``max_history`` rows: the stride starts at ``record_every`` and doubles.
        """
        k = self._k
        out = {"iteration": self._h_iter[:k].copy()}
        out.update({key: v[:k].copy() for key, v in self._h.items()})
        return out

    @property
    def stride(self) -> int:
        """The current recording stride, in iterations."""
        return self._stride

    def _row(self, s: int) -> Array:
        if not 0 <= s < self.S:
            raise IndexError(f"network index {s} out of range 0..{self.S - 1}")
        if s in self._frozen:
            return self._frozen[s]
        i = int(np.flatnonzero(self._active == s)[0])
        return self._theta[self._cur][i]

    def network_parameters(self, s: int) -> dict[str, Array]:
        """Network s's parameters ``{"W1": (n1, n0), "b1": (n1, 1), ...}`` (copies); for a
        diverged network, the last good ones."""
        return self._unflatten(self._row(s))

    def network_activations(self, s: int) -> list[str]:
        """Network s's activations for layers 1..L, as ``playground.core.nn`` takes them."""
        return [*self.activations_of[s], nn.OUTPUT_ACTIVATION]

    def initial_parameters(self, s: int) -> dict[str, Array]:
        """Network s's parameters before any training (copies)."""
        return self._unflatten(self._initial[s])

    @property
    def parameters(self) -> dict[str, Array]:
        """All parameters stacked in the order given: ``W{l}`` (S, n[l], n[l-1]), ``b{l}``
        (S, n[l], 1) (copies)."""
        rows = np.stack([self._row(s) for s in range(self.S)])
        return {key: rows[:, a:b].reshape(self.S, *shape)
                for key, a, b, shape in self._slots}

    def probabilities(self, X: Array) -> Array:
        """ŷ of every network for the columns of X ``(n[0], k)``: ``(S, k)``, in one
        batched forward pass (e.g. over a ``diagnostics.make_grid`` grid)."""
        X = checks.check_2d("X", np.asarray(X, dtype=self.dtype))
        out = np.full((self.S, X.shape[1]), np.nan, dtype=self.dtype)
        with np.errstate(all="ignore"):
            if self._active.size:
                out[self._active] = self._forward_alloc(X)[1][:, 0, :]
            for s, row in self._frozen.items():
                p = self._unflatten(row)
                out[s] = forward_propagation(X, p, self.network_activations(s))[0][0]
        return out

    def groups(self) -> dict[str, list[int]]:
        """Network indices by activation (``activation_of``), in order of appearance."""
        out: dict[str, list[int]] = {}
        for s, a in enumerate(self.activation_of):
            out.setdefault(a, []).append(s)
        return out

    def first_below(self, threshold: float) -> Array:
        """The iteration at which each network's train cost first fell below
        ``threshold``, ``(S,)`` int64, -1 if it never did.

        Exact (every iteration is checked) when ``threshold`` is one of the
        ``thresholds`` given to the constructor. Otherwise it is read off the recorded
        history, so it is only as fine as the recording stride: the first *recorded*
        iteration below the threshold, which can be up to one stride later than the
        exact one (and misses a dip that rose again between two records).
        """
        threshold = float(threshold)
        if threshold in self.thresholds:
            return self._first[:, self.thresholds.index(threshold)].copy()
        h = self.history()
        with np.errstate(all="ignore"):
            below = h["train_cost"] < threshold
        first = np.where(below.any(axis=0), h["iteration"][np.argmax(below, axis=0)], -1)
        return first.astype(np.int64)

    def final_metrics(self) -> dict[str, Array]:
        """The last recorded read-outs of each network (its last good state if it
        diverged): the history fields, ``(S,)`` or ``(S, L)``/``(S, L-1)``."""
        h = self.history()
        out = {}
        for key, v in h.items():
            if key == "iteration":
                continue
            flat = v.reshape(v.shape[0], self.S, -1)
            ok = ~np.all(np.isnan(flat), axis=2)  # rows where the network was recorded
            last = np.where(ok.any(axis=0), v.shape[0] - 1 - np.argmax(ok[::-1], axis=0), 0)
            out[key] = v[last, np.arange(self.S)]
        return out


__all__ = ["NETWORK_FIELDS", "BatchedTrainer"]
