"""Pure logic behind the "Symmetry breaking" page: a group of networks trained in
lockstep, and what their numbers say about symmetry.

Nothing here draws or imports Streamlit; the page only lays these facts out.

* :class:`LockstepGroup` trains several ``Trainer``s that share the data, the architecture
  and α but differ in their initialization, with one Step / Reset for all of them.
* :func:`column_state` reads a network's parameters, gradients and forward caches and
  measures, per hidden layer, how many distinct units it has, whether every ``dW[l]`` is
  exactly 0, and whether the output is the same everywhere.
* :func:`verdict` turns that into the sentence the page shows ("4 units, 1 distinct: the
  layer acts as one unit"). Every statement is computed, never assumed from the name of
  the initialization.

Why the page trains in float64: a clone layer stays a clone only if every row of a matrix
product is rounded the same way. BLAS kernels handle rows in blocks, so with some layer
sizes (e.g. 3, 5, 9 units) rows can differ in the last bit; gradient descent amplifies
that difference and the clones split by themselves. Measured on the flower data with
c = 0.5 over 2,000 iterations: float32 split 37 of 105 (units, layers, activation)
settings, float64 2 of 105 (9 units). :func:`split_by_rounding` detects it, and the page
says so instead of hiding it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from playground.core.diagnostics import DISTINCT_TOL, distinct_units, symmetry_measure
from playground.core.nn import ACTIVATIONS
from playground.core.text import number
from playground.engine.trainer import Trainer
from playground.lab.inits import InitChoice, selection

Array = np.ndarray

# ---- the initializations the page compares --------------------------------------------


INIT_CHOICES: dict[str, InitChoice] = selection(
    "zeros", "constant", "random_0.01", "random_10", "xavier", "he")
"""The page's options, in the order its multiselect shows them."""
DEFAULT_CHOICES = ("zeros", "constant", "random_0.01")
DEFAULT_C = 0.5
MAX_COLUMNS = 3


def choice_label(key: str, c: float = DEFAULT_C) -> str:
    """``"constant c = 0.5"``, ``"random × 0.01"``: how a column is titled."""
    return INIT_CHOICES[key].title(c)


def break_seed(seed: int, column: int, count: int) -> int:
    """The seed of the ``count``-th noise added to ``column``: reproducible, and different
    each time the button is pressed."""
    return int(np.random.SeedSequence([int(seed), int(column), int(count)]).generate_state(1)[0])


# ---- the lockstep group ---------------------------------------------------------------


class LockstepGroup:
    """Networks of one architecture on one data split, one per initialization, trained
    together: ``step(n)`` advances every network that has not diverged by n iterations.

    Parameters
    ----------
    X_train, Y_train, X_test, Y_test : raw points ``(2, m)`` and labels ``(1, m)``.
    hidden : units per hidden layer, e.g. ``(4,)``.
    activation : the activation of every hidden layer (the output is σ).
    choices : keys of :data:`INIT_CHOICES`, one network each.
    c : the value of every entry of W[l] for ``"constant"``.
    seed : the weight seed of every random initialization.
    """

    def __init__(self, X_train: Array, Y_train: Array, X_test: Array | None = None,
                 Y_test: Array | None = None, *, hidden: Sequence[int] = (4,),
                 activation: str = "tanh", choices: Sequence[str] = DEFAULT_CHOICES,
                 c: float = DEFAULT_C, seed: int = 1, alpha: float = 1.2,
                 dtype=np.float64):
        choices = tuple(choices)
        if not choices:
            raise ValueError("choose at least one initialization")
        unknown = [k for k in choices if k not in INIT_CHOICES]
        if unknown:
            raise ValueError(f"unknown initialization(s) {unknown}; choose from "
                             f"{', '.join(INIT_CHOICES)}")
        if len(set(choices)) != len(choices):
            raise ValueError(f"each initialization may appear once, got {choices}")
        self.choices = choices
        self.c, self.seed = float(c), int(seed)
        self.labels = [choice_label(k, self.c) for k in choices]
        self.trainers: list[Trainer] = []
        for k in choices:
            ch = INIT_CHOICES[k]
            scale = self.c if ch.method == "constant" else ch.scale
            self.trainers.append(Trainer(
                X_train, Y_train, X_test, Y_test, hidden=tuple(hidden),
                activations=(activation,) * len(hidden), init=ch.method, init_scale=scale,
                weight_seed=self.seed, learning_rate=alpha, dtype=dtype))
        self.breaks: list[list[tuple[int, float]]] = [[] for _ in choices]

    def __len__(self) -> int:
        return len(self.trainers)

    @property
    def iteration(self) -> int:
        """The iteration of the group: that of the networks still training."""
        return max(t.iteration for t in self.trainers)

    @property
    def all_diverged(self) -> bool:
        return all(t.diverged for t in self.trainers)

    def step(self, n: int) -> int:
        """n iterations for every network that has not diverged; returns the most done."""
        done = [t.step(n) for t in self.trainers if not t.diverged]
        return max(done, default=0)

    def reset(self) -> None:
        """Every network back to its initial weights; the added noise is forgotten."""
        for t in self.trainers:
            t.reset()
        self.breaks = [[] for _ in self.trainers]

    def set_learning_rate(self, alpha: float) -> None:
        for t in self.trainers:
            if t.learning_rate != alpha:
                t.set_learning_rate(alpha)

    def break_symmetry(self, column: int, size: float = 1e-3) -> None:
        """Add Gaussian noise × size (seeded) to every W[l] of one network."""
        if not (math.isfinite(size) and size > 0):
            raise ValueError(f"the noise size must be a positive number, got {size!r}")
        t = self.trainers[column]
        t.break_symmetry(size, break_seed(self.seed, column, len(self.breaks[column])))
        self.breaks[column].append((t.iteration, float(size)))

    def seconds_per_iteration(self) -> list[float]:
        return [t.seconds_per_iteration for t in self.trainers if not t.diverged]


def frame_iterations(seconds_per_iteration: Sequence[float], rate: float | None,
                     frame_seconds: float, budget: float, guess: float = 2e-4) -> int:
    """Iterations per frame of Play for a group: every network trains that many, so the
    frame's training time is n × Σ (seconds per iteration), kept under ``budget``; and no
    more than ``rate`` × ``frame_seconds`` (``rate=None``: as fast as the budget allows)."""
    per_it = [s if (math.isfinite(s) and s > 0) else guess for s in seconds_per_iteration]
    total = sum(per_it) or guess
    n = max(1, int(budget / total))
    if rate is None:
        return n
    return max(1, min(n, int(rate * frame_seconds)))


MAX_FRAME_STRETCH = 3.0


def frame_seconds(elapsed: float | None, frame: float,
                  max_stretch: float = MAX_FRAME_STRETCH) -> float:
    """The time one frame of Play stands for: the time since the previous frame, between
    ``frame`` and ``max_stretch`` × ``frame``. Drawing several networks can take the
    browser longer than ``frame``; sizing the frame by the time that really passed keeps
    the speed (iterations per second) close to the one chosen, while the training time
    per frame stays the same share of the frame."""
    if elapsed is None or not math.isfinite(elapsed):
        return frame
    return min(max(elapsed, frame), max_stretch * frame)


# ---- what the numbers say -------------------------------------------------------------


@dataclass(frozen=True)
class LayerState:
    """One hidden layer l: its units, how many differ, and how its gradient looks."""

    l: int
    units: int
    distinct: int  # distinct rows of [W[l] | b[l]] (within DISTINCT_TOL)
    symmetry: float  # RMS distance of the units from their mean (0 for clones)
    grad_distinct: int  # distinct rows of [dW[l] | db[l]]
    output_value: float | None  # the one value every unit outputs at every example, if so
    silent: int = 0  # units whose output is exactly 0 for every example (dead ReLUs, ...)

    @property
    def clones(self) -> bool:
        return self.units > 1 and self.distinct < self.units


@dataclass(frozen=True)
class ColumnState:
    """What one network's numbers say about symmetry right now."""

    layers: tuple[LayerState, ...]  # hidden layers 1..L-1
    dW_zero: tuple[bool, ...]  # every entry of dW[l] is exactly 0, l = 1..L
    db_zero: tuple[bool, ...]
    output_value: float | None  # ŷ where it is the same at every point looked at
    diverged: bool = False
    W_zero: tuple[bool, ...] = ()  # every entry of W[l] is exactly 0, l = 1..L

    @property
    def all_dW_zero(self) -> bool:
        return all(self.dW_zero)

    @property
    def all_zero(self) -> bool:
        return self.all_dW_zero and all(self.db_zero)

    @property
    def frozen(self) -> bool:
        """No weight can move: every dW[l] is exactly 0."""
        return self.all_dW_zero and not self.diverged

    @property
    def has_clones(self) -> bool:
        return any(s.clones for s in self.layers)

    @property
    def stuck(self) -> bool:
        """Stuck for good unless something changes: frozen or with clones."""
        return not self.diverged and (self.frozen or self.has_clones)

    @property
    def breakable(self) -> bool:
        """Noise on W would unstick it: clones to split, or every W exactly 0. (A network
        frozen with distinct units, e.g. by dead ReLUs, has no symmetry to break.)"""
        return not self.diverged and (self.has_clones or (bool(self.W_zero)
                                                          and all(self.W_zero)))


def _constant_value(a: Array) -> float | None:
    """The single value of an array whose entries are all equal, else None."""
    a = np.asarray(a)
    if a.size == 0:
        return None
    first = a.flat[0]
    return float(first) if np.all(a == first) else None


def column_state(parameters: Mapping[str, Array], grads: Mapping[str, Array],
                 hidden_outputs: Sequence[Array] = (), yhat: Array | None = None,
                 *, diverged: bool = False, tol: float = DISTINCT_TOL) -> ColumnState:
    """Measure a network's symmetry from its numbers.

    Parameters
    ----------
    parameters : ``W1, b1, ..., WL, bL``.
    grads : ``dW1, db1, ...`` at these parameters (``Trainer.gradients()``).
    hidden_outputs : ``A[1] .. A[L-1]`` on the training set, ``(n[l], m)`` each
        (``[c.A for c in Trainer.caches()[:-1]]``); may be empty.
    yhat : ŷ at the points shown (e.g. over the grid), any shape; None: not checked.
    """
    L = sum(1 for k in parameters if k.startswith("W"))
    layers = []
    for l in range(1, L):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        A = hidden_outputs[l - 1] if l - 1 < len(hidden_outputs) else None
        layers.append(LayerState(
            l=l, units=W.shape[0], distinct=distinct_units(W, b, tol),
            symmetry=symmetry_measure(W, b),
            grad_distinct=distinct_units(grads[f"dW{l}"], grads[f"db{l}"], tol),
            output_value=None if A is None else _constant_value(A),
            silent=0 if A is None else int(np.sum(np.all(A == 0, axis=1))),
        ))
    return ColumnState(
        layers=tuple(layers),
        dW_zero=tuple(bool(np.all(grads[f"dW{l}"] == 0)) for l in range(1, L + 1)),
        W_zero=tuple(not np.any(parameters[f"W{l}"]) for l in range(1, L + 1)),
        db_zero=tuple(bool(np.all(grads[f"db{l}"] == 0)) for l in range(1, L + 1)),
        output_value=None if yhat is None else _constant_value(yhat),
        diverged=diverged,
    )


def trainer_state(trainer: Trainer, yhat: Array | None = None) -> ColumnState:
    """:func:`column_state` of a ``Trainer`` at its current parameters."""
    caches = trainer.caches()
    return column_state(trainer.parameters, trainer.gradients(),
                        [c.A for c in caches[:-1]], yhat, diverged=trainer.diverged)


def layer_summary(s: LayerState) -> str:
    """``"4 distinct units"``, ``"4 units, 1 distinct"``, ``"1 unit"``."""
    if s.units == 1:
        return "1 unit"
    if s.distinct == s.units:
        return f"{s.units} distinct units"
    return f"{s.units} units, {s.distinct} distinct"


def _acts_as(d: int) -> str:
    return "one unit" if d == 1 else f"{d} units"


@dataclass(frozen=True)
class Verdict:
    """The badge and sentences a column shows."""

    kind: str  # "frozen", "clones", "distinct" or "diverged"
    headline: str
    details: tuple[str, ...]

    @property
    def stuck(self) -> bool:
        return self.kind in ("frozen", "clones")


BADGES = {  # kind: (badge text, colour, Material icon)
    "frozen": ("frozen", "red", ":material/ac_unit:"),
    "clones": ("clones", "orange", ":material/content_copy:"),
    "distinct": ("symmetry broken", "green", ":material/scatter_plot:"),
    "diverged": ("diverged", "red", ":material/warning:"),
}


def named_layer(layers: Sequence[LayerState], s: LayerState, text: str) -> str:
    """``text``, prefixed with "layer l: " when there are several hidden layers."""
    return text if len(layers) == 1 else f"layer {s.l}: {text}"


def verdict(state: ColumnState, L: int | None = None) -> Verdict:
    """The page's statement about one network, from :func:`column_state` alone."""
    L = len(state.dW_zero) if L is None else L
    if state.diverged:
        return Verdict("diverged", "training diverged", ())
    if state.frozen:
        return _frozen_verdict(state, L)
    return _learning_verdict(state)


def _frozen_verdict(state: ColumnState, L: int) -> Verdict:
    """A network whose weights cannot move: why, and what the page shows for it."""
    layers = state.layers
    details: list[str] = []
    outs = [s.output_value for s in layers]
    if layers and all(v is not None for v in outs):
        vals = {number(v) for v in outs}
        details.append(
            f"every hidden unit outputs exactly {vals.pop()} for every example"
            if len(vals) == 1 else "every hidden layer outputs one same value for "
            "every example")
    if state.all_zero:
        headline = "all gradients are exactly 0: nothing can learn"
    else:
        moving = [f"b[{l}]" for l, z in enumerate(state.db_zero, 1) if not z]
        headline = "every dW[l] is exactly 0: no weight can move"
        details.append(f"only {', '.join(moving)} can still learn")
    if state.output_value is not None:
        details.append(f"ŷ = σ(b[{L}]) = {state.output_value:.3f} at every point: "
                       "a flat colour, no boundary")
    if not state.breakable:
        details.append("its units are distinct, so this is not symmetry and noise will "
                       "not help")
        for s in layers:
            if s.silent and s.output_value is None:
                details.append(named_layer(layers, s, f"{s.silent} of {s.units} units "
                                                      "output exactly 0 for every example"))
    return Verdict("frozen", headline, tuple(details))


def _learning_verdict(state: ColumnState) -> Verdict:
    """A network whose weights move: its layers' distinct units ("clones" when a layer
    has equal units, else "distinct"), with why clones stay clones."""
    layers = state.layers

    def named(s: LayerState, text: str) -> str:
        return named_layer(layers, s, text)

    details: list[str] = []
    if state.has_clones:
        parts = []
        for s in layers:
            text = layer_summary(s)
            if s.clones:
                text += f": the layer acts as {_acts_as(s.distinct)}"
            parts.append(named(s, text))
        for s in layers:
            if s.clones:
                rows = "row" if s.grad_distinct == 1 else "rows"
                details.append(
                    f"dW[{s.l}] has {s.grad_distinct} distinct {rows}: every step moves "
                    "equal units by equal amounts, so they stay equal")
        kind = "clones"
    else:
        parts = [named(s, layer_summary(s)) for s in layers]
        kind = "distinct"
    for s in layers:
        if s.units > 1 and not s.clones:
            details.append(named(s, f"symmetry measure {s.symmetry:.2g}"))
    if state.output_value is not None:
        details.append(f"ŷ = {state.output_value:.3f} at every point: a flat colour, "
                       "no boundary")
    return Verdict(kind, "; ".join(parts) if parts else "no hidden layer", tuple(details))


def distinct_text(state: ColumnState) -> str:
    """The metric's value: ``"1 of 4"``, or ``"1 · 4 of 4"`` for two hidden layers."""
    return " · ".join(f"{s.distinct} of {s.units}" for s in state.layers)


def split_by_rounding(distinct_start: Sequence[int], distinct_now: Sequence[int],
                      units: Sequence[int], n_breaks: int) -> bool:
    """True when a layer that started as clones has more distinct units now although no
    noise was ever added: rounding in the matrix products split them."""
    if n_breaks:
        return False
    return any(d0 < n and d > d0
               for d0, d, n in zip(distinct_start, distinct_now, units, strict=True))


ROUNDING_NOTE = (
    "No noise was added, yet these clones split. Each row of a matrix product is rounded "
    "on its own, and for some layer sizes the rows come out different in the last bit "
    "(about 1e-16); gradient descent then amplifies that tiny difference. In exact "
    "arithmetic the units would stay clones for ever.")


def bias_note(initial_parameters: Mapping[str, Array]) -> tuple[bool, str]:
    """Whether every b[l] started exactly at 0, and what that shows for this network."""
    L = sum(1 for k in initial_parameters if k.startswith("W"))
    b_max = max(float(np.max(np.abs(initial_parameters[f"b{l}"]))) for l in range(1, L + 1))
    W_zero = all(not np.any(initial_parameters[f"W{l}"]) for l in range(1, L + 1))
    layers = [(initial_parameters[f"W{l}"], initial_parameters[f"b{l}"]) for l in range(1, L)]
    clones = any(W.shape[0] > 1 and distinct_units(W, b) < W.shape[0] for W, b in layers)
    if b_max != 0:
        return False, f"b[l] did not start at 0 (max |b| = {b_max:.3g})."
    if not layers:
        return True, "b started at exactly 0."
    start = ", ".join(f"{distinct_units(W, b)} of {W.shape[0]}" for W, b in layers)
    if W_zero:
        return True, ("b started at exactly 0 and so did W: it is W = 0 that stalls this "
                      "network, not b = 0.")
    if clones:
        return True, (f"b started at exactly 0, like in every column. Distinct units at "
                      f"iteration 0: {start}. The clones come from the equal rows of W.")
    return True, (f"b started at exactly 0 here too, yet the units were distinct from "
                  f"iteration 0 ({start}): random rows of W alone break the symmetry. "
                  "Zero b is harmless.")


# ---- the charts' data ------------------------------------------------------------------


# One per column: equal curves stay visible on each other. Never "dot": a dotted vertical
# line marks the noise added (the page's caption says so).
DASHES = ("solid", "dash", "longdash")


def history_series(group: LockstepGroup, field: str, colors: Sequence[str],
                   layer: int = 1) -> list[dict]:
    """Series for ``make_series_figure``, one per network, coloured and dashed by column:
    ``field`` is a key of ``Trainer.history()`` such as ``"train_cost"``, or
    ``"distinct"`` / ``"symmetry"``, read for hidden layer ``layer``."""
    out = []
    for i, (t, label) in enumerate(zip(group.trainers, group.labels, strict=True)):
        h = t.history()
        y = h[field][:, layer - 1] if field in ("distinct", "symmetry") else h[field]
        out.append({"name": label, "x": h["iteration"], "y": y,
                    "color": colors[i % len(colors)], "dash": DASHES[i % len(DASHES)]})
    return out


def break_events(group: LockstepGroup, colors: Sequence[str]) -> list[dict]:
    """``{"x": iteration, "label", "color"}`` for every noise added, for vertical markers."""
    return [{"x": it, "label": f"noise × {size:g} ({group.labels[i]})",
             "color": colors[i % len(colors)]}
            for i, events in enumerate(group.breaks) for it, size in events]


def activation_zero_value(name: str) -> float:
    """g(0) of a hidden activation: 0 for tanh, ReLU, linear; 0.5 for sigmoid."""
    return float(ACTIVATIONS[name].g(np.zeros(1))[0])
