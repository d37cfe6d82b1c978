"""Pure logic behind the two activation pages: facts read off the ``ACTIVATIONS``
registry, and the summary of a batch of networks trained with different activations.

Nothing here draws or imports Streamlit; the pages only lay these numbers out.

* :func:`activation_facts` measures an activation numerically (range, g(0), g'(0), g'
  far out, where it saturates), so the comparison table cannot contradict the formulas.
* :func:`run_comparison` trains every (activation, seed) network of a
  :class:`CompareSettings` together in one ``playground.engine.stacked.BatchedTrainer``.
* :func:`summary_rows` turns per-seed results into one table row per activation
  (mean ± spread over seeds, first iteration below a cost threshold, dead units,
  diverged seeds); :func:`cost_series`, :func:`per_layer_series` and
  :func:`layer_profiles` turn the recorded history into lines for the figures.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from playground.core.diagnostics import SATURATION_THRESHOLD, saturation_threshold
from playground.core.nn import ACTIVATIONS, OUTPUT_ACTIVATION, forward_propagation, get_activation
from playground.core.text import number
from playground.engine.stacked import BatchedTrainer

Array = np.ndarray

# ---- facts about an activation, measured on a grid ---------------------------------------

Z_WIDE = 50.0  # the table's numbers are measured over z ∈ [-50, 50]
Z_WIDER = 100.0  # ... and compared with [-100, 100] to tell a bound from growth
Z_NEAR = 10.0  # an extreme reached within |z| ≤ 10 is attained, not only approached
FAR = 10.0  # "g' far out" is read at z = ±10
GRID_POINTS = 200_001  # step 0.0005 on [-50, 50]
_BOUND_TOL = 1e-6
_ATTAIN_TOL = 1e-9

TYPICAL_USE: dict[str, str] = {
    "sigmoid": "Output layer of a binary classifier: ŷ = σ(z) is a probability. "
               "Rarely in hidden layers: not zero-centred, and g' ≤ 0.25.",
    "tanh": "Hidden layers: usually beats sigmoid there (zero-centred, four times steeper "
            "at 0). Saturates for large |z|.",
    "relu": "The default for hidden layers: cheap, g' = 1 for every z > 0, so it learns "
            "fast. A unit with z ≤ 0 on every example is dead: g' = 0, its weights stop "
            "moving.",
    "leaky_relu": "Hidden layers: ReLU with g' = 0.01 for z < 0, so a unit cannot die.",
    "linear": "Output layer of a regression only. In hidden layers the network collapses "
              "to W'x + b': a straight boundary, like logistic regression.",
    "elu": "Hidden layers: smooth, negative outputs down to −1 pull the mean activation "
           "towards 0; no dead units.",
    "softplus": "A smooth ReLU with g' = σ(z), never exactly 0; less used than ReLU.",
    "silu": "Hidden layers of deep modern networks (e.g. EfficientNet): smooth, "
            "with a small negative dip.",
    "gelu": "Hidden layers of Transformers (BERT, GPT): smooth, close to SiLU.",
}


@dataclass(frozen=True)
class ActivationFacts:
    """What the table says about one activation, all measured from ``g`` and ``dg``."""

    name: str
    label: str
    lo: float  # min g over z ∈ [-Z_WIDE, Z_WIDE]
    hi: float  # max g over the same range
    lo_bounded: bool  # False: g keeps falling as z → -∞
    hi_bounded: bool  # False: g keeps growing as z → +∞
    lo_attained: bool  # the min is reached at some z (True) or only approached (False)
    hi_attained: bool
    g0: float  # g(0)
    dg0: float  # g'(0)
    dg_left: float  # g'(-FAR)
    dg_right: float  # g'(+FAR)
    dg_max: float  # max g' over the range: how steep it gets
    zero_centred: str  # "yes", "partly" or "no"
    saturated: tuple[tuple[float, float], ...]  # intervals of z where |g'| < threshold

    @property
    def range_text(self) -> str:
        """The range of g in interval notation: ``(0, 1)``, ``[0, ∞)``, ``[−0.278, ∞)``."""
        left = "(−∞" if not self.lo_bounded else (
            ("[" if self.lo_attained else "(") + number(self.lo, 3))
        right = "∞)" if not self.hi_bounded else (
            number(self.hi, 3) + ("]" if self.hi_attained else ")"))
        return f"{left}, {right}"

    @property
    def saturated_text(self) -> str:
        """Where |g'| < threshold, e.g. ``z < −4.4 or z > 4.4``; ``never``."""
        if not self.saturated:
            return "never"
        parts = []
        for a, b in self.saturated:
            if a <= -Z_WIDE and b >= Z_WIDE:
                parts.append("every z")
            elif a <= -Z_WIDE:
                parts.append(f"z ≤ {number(b, 2)}")
            elif b >= Z_WIDE:
                parts.append(f"z ≥ {number(a, 2)}")
            elif abs(b - a) < 1e-3:
                parts.append(f"z = {number(a, 2)}")
            else:
                parts.append(f"{number(a, 2)} < z < {number(b, 2)}")
        return " or ".join(parts)


def _eval(fn, z: Array) -> Array:
    with np.errstate(all="ignore"):
        return np.asarray(fn(z), dtype=np.float64)


def _intervals(z: Array, mask: Array) -> tuple[tuple[float, float], ...]:
    """The runs of True in ``mask`` as (first z, last z) pairs."""
    if not mask.any():
        return ()
    m = mask.astype(np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], m, [0]])))
    starts, ends = edges[::2], edges[1::2] - 1
    return tuple((float(z[s]), float(z[e])) for s, e in zip(starts, ends, strict=True))


def activation_facts(name: str, threshold: float = SATURATION_THRESHOLD) -> ActivationFacts:
    """Measure activation ``name`` of the registry numerically (see :class:`ActivationFacts`)."""
    act = get_activation(name)
    z = np.linspace(-Z_WIDE, Z_WIDE, GRID_POINTS)
    g, dg = _eval(act.g, z), _eval(act.dg, z)
    g_wider = _eval(act.g, np.array([-Z_WIDER, Z_WIDER]))
    near = np.abs(z) <= Z_NEAR
    lo, hi = float(g.min()), float(g.max())
    at = _eval(act.g, np.array([0.0]))[0], _eval(act.dg, np.array([0.0, -FAR, FAR]))
    g0 = float(at[0])
    dg0, dg_left, dg_right = (float(v) for v in at[1])
    # Zero-centred: g is odd around 0 (tanh); "partly": g(0) = 0 and some outputs are
    # negative, but fewer and smaller than the positive ones; "no": outputs never < 0,
    # or g(0) ≠ 0.
    probe = np.linspace(0.1, 3.0, 30)
    odd = np.allclose(_eval(act.g, -probe), -_eval(act.g, probe), atol=1e-9)
    if abs(g0) < 1e-12 and odd:
        centred = "yes"
    elif abs(g0) < 1e-12 and lo < -1e-9:
        centred = "partly"
    else:
        centred = "no"
    lo_attained = bool(abs(g[near].min() - lo) <= _ATTAIN_TOL)
    hi_attained = bool(abs(g[near].max() - hi) <= _ATTAIN_TOL)
    # A bound only approached (σ → 0 as z → -∞) is the limit: read it far out, rounded.
    if not lo_attained:
        lo = round(float(g_wider[0]), 6) + 0.0
    if not hi_attained:
        hi = round(float(g_wider[1]), 6) + 0.0
    return ActivationFacts(
        name=name,
        label=act.label,
        lo=lo,
        hi=hi,
        lo_bounded=bool(abs(g_wider[0] - g[0]) <= _BOUND_TOL * max(1.0, abs(g[0]))),
        hi_bounded=bool(abs(g_wider[1] - g[-1]) <= _BOUND_TOL * max(1.0, abs(g[-1]))),
        lo_attained=lo_attained,
        hi_attained=hi_attained,
        g0=g0,
        dg0=dg0,
        dg_left=dg_left,
        dg_right=dg_right,
        dg_max=float(dg.max()),
        zero_centred=centred,
        saturated=_intervals(z, np.abs(dg) < saturation_threshold(name, threshold)),
    )


def activation_table_rows(names: Sequence[str] | None = None) -> list[dict]:
    """One row per activation (default: every one in the registry) for ``st.dataframe``."""
    rows = []
    for name in names if names is not None else ACTIVATIONS:
        f = activation_facts(name)
        rows.append({
            "activation": f.label,
            "range of g": f.range_text,
            "g(0)": number(f.g0, 3),
            "g'(0)": number(f.dg0, 3),
            "max g'": number(f.dg_max, 3),
            "zero-centred?": f.zero_centred,
            "g'(−10)": number(f.dg_left, 2),
            "g'(+10)": number(f.dg_right, 2),
            "saturated (|g'| < 0.05)": f.saturated_text,
            "typical use": TYPICAL_USE.get(name, "—"),
        })
    return rows


# ---- a comparison run ----------------------------------------------------------------------

DEFAULT_ACTIVATIONS = ("sigmoid", "tanh", "relu")
THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
"""The cost thresholds the page offers; all are tracked exactly, at every iteration, so
changing the threshold never needs a new run."""
ITERATIONS_RANGE = (100, 10_000)
SEEDS_RANGE = (1, 20)
HIDDEN_LAYERS_RANGE = (1, 4)
UNITS_RANGE = (1, 16)
COST_ROSE_TOL = 1e-3  # a final J this much above the initial J means training went wrong
COST_LOG_LIMIT = 5.0  # a mean cost above this: show the cost on a log axis
HISTORY_POINTS = 400  # about this many points per curve: smooth, and cheap to record
LAYER_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


@dataclass(frozen=True)
class CompareSettings:
    """What defines a comparison: the same for every activation compared.

    The default opens the page on a result that makes its point: on the flower, a
    2 → 8 → 8 → 1 network with Xavier initialization and α = 0.6 for 3,000 iterations;
    tanh reaches a low cost fastest, sigmoid is several times slower, and ReLU learns
    fast but leaves a few units dead.
    """

    dataset: str = "flower"
    hidden_layers: int = 2
    units: int = 8
    activations: tuple[str, ...] = DEFAULT_ACTIVATIONS
    init: str = "xavier"
    init_scale: float | None = None  # only for "random" (× scale) and "constant" (c)
    alpha: float = 0.6
    iterations: int = 3000
    n_seeds: int = 5

    @property
    def hidden(self) -> tuple[int, ...]:
        return (int(self.units),) * int(self.hidden_layers)

    @property
    def architecture(self) -> str:
        """``2 → 8 → 8 → 1``."""
        return " → ".join(str(n) for n in (2, *self.hidden, 1))

    @property
    def n_networks(self) -> int:
        return len(self.activations) * int(self.n_seeds)

    def check(self) -> None:
        """Raise ``ValueError`` with a message for a student when a setting is unusable."""
        if not self.activations:
            raise ValueError("choose at least one activation to compare")
        for a in self.activations:
            get_activation(a)
        if len(set(self.activations)) != len(self.activations):
            raise ValueError("each activation can be compared only once")
        lo, hi = ITERATIONS_RANGE
        if not lo <= int(self.iterations) <= hi:
            raise ValueError(f"iterations must be between {lo:,} and {hi:,}")
        lo, hi = SEEDS_RANGE
        if not lo <= int(self.n_seeds) <= hi:
            raise ValueError(f"the number of seeds must be between {lo} and {hi}")
        if not (math.isfinite(self.alpha) and self.alpha > 0):
            raise ValueError(f"the learning rate α must be a positive number, got {self.alpha}")
        lo, hi = HIDDEN_LAYERS_RANGE
        if not lo <= int(self.hidden_layers) <= hi:
            raise ValueError(f"hidden layers must be between {lo} and {hi}")
        lo, hi = UNITS_RANGE
        if not lo <= int(self.units) <= hi:
            raise ValueError(f"units per layer must be between {lo} and {hi}")


# Rough cost of one iteration, in ms: per network, plus per hidden unit by activation
# (the registry's general functions cost more than the batched engine's in-place ones).
# Measured on the 2-core classroom server with 320 training points; a guide, not a promise.
MS_PER_NETWORK = 0.05
MS_PER_UNIT = {"sigmoid": 0.006, "tanh": 0.005, "relu": 0.002, "leaky_relu": 0.007,
               "linear": 0.001, "elu": 0.024, "softplus": 0.033, "silu": 0.025, "gelu": 0.039}
MS_PER_UNIT_OTHER = 0.04
SLOW_RUN_SECONDS = 30  # the page warns above this
MAX_RUN_SECONDS = 300  # and refuses above this: a class would wait for minutes


def estimated_seconds(settings: CompareSettings) -> float:
    """Roughly how long ``run_comparison`` takes for ``settings``, in seconds."""
    units = sum(settings.hidden)
    ms = sum(int(settings.n_seeds) * (MS_PER_NETWORK + units * MS_PER_UNIT.get(
        a, MS_PER_UNIT_OTHER)) for a in settings.activations)
    return ms * int(settings.iterations) / 1000


@dataclass
class ComparisonRun:
    """A finished comparison: what the page shows of the trained networks.

    Network ``s = i * n_seeds + j`` has activation ``settings.activations[i]`` and seed
    ``j + 1`` (``BatchedTrainer.grid``), so seed 1 is the Playground's default network.

    Only the read-outs and the final parameters are kept, not the ``BatchedTrainer``
    (whose work buffers for 180 networks of 4 × 16 units take tens of MB): a session can
    keep a few runs, and every session can share the default one.
    """

    settings: CompareSettings
    seconds: float
    X_train: Array
    Y_train: Array
    X_test: Array
    Y_test: Array
    history: dict[str, Array]  # BatchedTrainer.history()
    final: dict[str, Array]  # BatchedTrainer.final_metrics()
    first_below: dict[float, Array]  # exact first iteration below each of THRESHOLDS
    diverged: Array  # (S,) bool
    diverged_at: Array  # (S,) iteration, -1 if not
    parameters: list[dict[str, Array]]  # per network; a diverged one's last good state

    @property
    def names(self) -> tuple[str, ...]:
        return self.settings.activations

    @property
    def n_seeds(self) -> int:
        return int(self.settings.n_seeds)

    @property
    def L(self) -> int:
        return int(self.settings.hidden_layers) + 1

    def networks_of(self, name: str) -> range:
        i = self.names.index(name)
        return range(i * self.n_seeds, (i + 1) * self.n_seeds)

    def activations_of(self, s: int) -> list[str]:
        """Network s's activations for layers 1..L (the output layer's sigmoid last)."""
        name = self.names[s // self.n_seeds]
        return [name] * int(self.settings.hidden_layers) + [OUTPUT_ACTIVATION]

    @property
    def any_diverged(self) -> bool:
        return bool(np.any(self.diverged))

    def probabilities(self, X: Array, s: int) -> Array:
        """ŷ of network s for the columns of X ``(2, k)``: ``(k,)``."""
        p = self.parameters[s]
        X = np.asarray(X, dtype=p["W1"].dtype)
        with np.errstate(all="ignore"):
            return forward_propagation(X, p, self.activations_of(s))[0][0]

    def first_below_at(self, threshold: float) -> Array:
        """The iteration at which each network's cost first fell below ``threshold``,
        ``(S,)``, -1 for never: exact for THRESHOLDS, else the first recorded one."""
        threshold = float(threshold)
        if threshold in self.first_below:
            return self.first_below[threshold]
        with np.errstate(invalid="ignore"):
            below = self.history["train_cost"] < threshold
        its = self.history["iteration"]
        return np.where(below.any(axis=0), its[np.argmax(below, axis=0)], -1)


def run_comparison(settings: CompareSettings, X_train: Array, Y_train: Array,
                   X_test: Array | None = None, Y_test: Array | None = None, *,
                   callback=None, dtype=np.float32) -> ComparisonRun:
    """Train every (activation, seed) network of ``settings`` together, in one
    ``BatchedTrainer``: the same data, architecture, initialization method and α for all.

    ``callback(done, n)`` is passed on to ``BatchedTrainer.step`` (a progress bar).
    Diverging networks are frozen at their last good state and flagged, never raised.
    """
    settings.check()
    dt = np.dtype(dtype)
    X_test = np.zeros((2, 0)) if X_test is None else X_test
    Y_test = np.zeros((1, 0)) if Y_test is None else Y_test
    t0 = time.perf_counter()
    bt = BatchedTrainer.grid(
        np.asarray(X_train, dtype=dt), Y_train, np.asarray(X_test, dtype=dt), Y_test,
        hidden=settings.hidden, activations=settings.activations, seeds=int(settings.n_seeds),
        init=settings.init, init_scale=settings.init_scale,
        learning_rate=float(settings.alpha), dtype=dt, thresholds=THRESHOLDS,
        record_every=max(1, int(settings.iterations) // HISTORY_POINTS))
    bt.step(int(settings.iterations), callback=callback)
    seconds = time.perf_counter() - t0
    return ComparisonRun(
        settings=settings, seconds=seconds, X_train=X_train, Y_train=Y_train, X_test=X_test,
        Y_test=Y_test, history=bt.history(), final=bt.final_metrics(),
        first_below={t: bt.first_below(t) for t in THRESHOLDS},
        diverged=bt.diverged.copy(), diverged_at=bt.diverged_at.copy(),
        parameters=[bt.network_parameters(s) for s in range(bt.S)])


# ---- summarising a run ---------------------------------------------------------------------


def mean_band(curves: Array) -> tuple[Array, Array, Array]:
    """Mean, min and max over seeds of ``curves`` ``(n_seeds, n_points)``, ignoring NaN
    (a diverged seed's missing points); all-NaN columns stay NaN, without a warning."""
    curves = np.asarray(curves, dtype=np.float64)
    if curves.ndim == 1:
        curves = curves[None, :]
    ok = ~np.all(np.isnan(curves), axis=0)
    out = []
    for fn in (np.nanmean, np.nanmin, np.nanmax):
        res = np.full(curves.shape[1], np.nan)
        if ok.any():
            res[ok] = fn(curves[:, ok], axis=0)
        out.append(res)
    return out[0], out[1], out[2]


def mean_spread(values: Sequence[float]) -> tuple[float, float]:
    """Mean and spread (half the range: (max − min) / 2) of the finite values; NaNs if none.
    One value has no spread (NaN, not 0: "± 0.0" would claim seeds that agree)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return math.nan, math.nan
    spread = float((v.max() - v.min()) / 2) if v.size > 1 else math.nan
    return float(v.mean()), spread


def count_text(n: int, noun: str) -> str:
    """``"1 seed"``, ``"5 seeds"``, ``"1,000 networks"``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def summary_caption(n_seeds: int, threshold: float) -> str:
    """What the summary table's numbers are, for ``n_seeds`` seeds per activation."""
    first = f'"J < {threshold:g} at iteration": '
    if n_seeds == 1:
        return ("One seed per activation: each number is that one network's, with no "
                "spread (more seeds show how much they vary; — : it diverged). " + first
                + "the first iteration at which its training cost fell below the threshold.")
    return (f"Mean over the {n_seeds:,} seeds ± half their range (diverged seeds left out; a "
            "number without ± had one seed left; — : every seed diverged). " + first
            + "the median over seeds of the first iteration at which the training cost fell "
              "below the threshold.")


def threshold_text(first: Sequence[int | None]) -> str:
    """Per-seed first iterations → ``"1,240"`` (the median of the seeds that got there,
    with ``(3/5 seeds)`` when not all did), or ``"never"``."""
    got = [f for f in first if f is not None]
    if not got:
        return "never"
    text = f"{int(np.median(got)):,}"
    if len(got) < len(first):
        text += f" ({len(got)}/{count_text(len(first), 'seed')})"
    return text


@dataclass(frozen=True)
class ActivationResult:
    """Per-seed results of the networks that used one activation (arrays over seeds)."""

    name: str
    train_accuracy: Array  # (n_seeds,)
    test_accuracy: Array  # (n_seeds,), NaN without a test set
    final_cost: Array  # (n_seeds,)
    diverged: Array  # (n_seeds,) bool
    first_below: Sequence[int | None]  # per seed; None: never
    dead_units: Array  # (n_seeds,) dead hidden units at the end, all layers together
    hidden_units: int  # how many hidden units each network has
    initial_cost: Array | None = None  # (n_seeds,) J before training

    @property
    def cost_rose(self) -> Array:
        """Seeds that did not diverge but ended with a higher cost than they started
        with: the steps overshot (α too large), or every unit died."""
        if self.initial_cost is None:
            return np.zeros(len(self.diverged), dtype=bool)
        with np.errstate(invalid="ignore"):
            rose = self.final_cost > self.initial_cost + COST_ROSE_TOL
        return rose & ~self.diverged


def results_from_arrays(names: Sequence[str], n_seeds: int, *, train_accuracy, test_accuracy,
                        final_cost, diverged, first_below, dead_units, hidden_units: int,
                        initial_cost=None) -> list[ActivationResult]:
    """Split arrays over the stacked networks (activation-major: network s is activation
    ``s // n_seeds``) into one :class:`ActivationResult` per activation.
    ``first_below`` holds -1 for "never"."""
    K = len(names) * int(n_seeds)
    if initial_cost is None:
        initial_cost = np.full(K, np.nan)
    arrays = [np.asarray(a) for a in (train_accuracy, test_accuracy, final_cost, diverged,
                                      first_below, dead_units, initial_cost)]
    for a in arrays:
        if a.shape[:1] != (K,):
            raise ValueError(f"expected {K} networks ({len(names)} × {n_seeds}), "
                             f"got an array of shape {a.shape}")
    out = []
    for i, name in enumerate(names):
        sl = slice(i * n_seeds, (i + 1) * n_seeds)
        out.append(ActivationResult(
            name=name, train_accuracy=arrays[0][sl].astype(float),
            test_accuracy=arrays[1][sl].astype(float), final_cost=arrays[2][sl].astype(float),
            diverged=arrays[3][sl].astype(bool),
            first_below=[None if f < 0 else int(f) for f in arrays[4][sl]],
            dead_units=arrays[5][sl].astype(float), hidden_units=int(hidden_units),
            initial_cost=arrays[6][sl].astype(float)))
    return out


def run_results(run: ComparisonRun, threshold: float) -> list[ActivationResult]:
    """The per-activation results of a run, with the first iteration below ``threshold``."""
    fm = run.final
    dead = fm["dead_units"]
    dead = np.nansum(dead, axis=1) if dead.ndim == 2 else dead
    return results_from_arrays(
        run.names, run.n_seeds, train_accuracy=fm["train_accuracy"],
        test_accuracy=fm["test_accuracy"], final_cost=fm["train_cost"],
        diverged=run.diverged, first_below=run.first_below_at(threshold), dead_units=dead,
        hidden_units=sum(run.settings.hidden), initial_cost=run.history["train_cost"][0])


def summary_rows(results: Sequence[ActivationResult], threshold: float) -> list[dict]:
    """One row per activation for the summary table.

    Accuracies are fractions in [0, 1] (the page shows them as percents). Means and
    spreads (half the range over seeds) leave the diverged seeds out: their numbers mean
    nothing. A row whose every seed diverged has NaN numbers.
    """
    rows = []
    for r in results:
        ok = ~np.asarray(r.diverged, dtype=bool)
        tr_mean, tr_spread = mean_spread(r.train_accuracy[ok])
        te_mean, te_spread = mean_spread(r.test_accuracy[ok])
        cost_mean, cost_spread = mean_spread(r.final_cost[ok])
        dead_mean, _ = mean_spread(r.dead_units[ok])
        n, n_div = ok.size, int((~ok).sum())
        rows.append({
            "activation": _label(r.name),
            "train accuracy": tr_mean,
            "± train": tr_spread,
            "test accuracy": te_mean,
            "± test": te_spread,
            "final cost J": cost_mean,
            "± J": cost_spread,
            f"J < {threshold:g} at iteration": threshold_text(
                [f for f, good in zip(r.first_below, ok, strict=True) if good]),
            "dead units": "—" if math.isnan(dead_mean) else
                          f"{dead_mean:.3g} of {r.hidden_units}",
            "status": status_text(n, n_div, int(r.cost_rose.sum())),
        })
    return rows


def display_rows(rows: Sequence[Mapping]) -> list[dict]:
    """``summary_rows`` as the page shows them: mean ± spread in one cell,
    ``"91.3 % ± 0.9"`` and ``"0.209 ± 0.015"``, no ``±`` where one seed counts, and ``"—"``
    where every seed diverged."""
    def pct(mean, spread):
        if math.isnan(mean):
            return "—"
        return f"{100 * mean:.1f} %" + ("" if math.isnan(spread) else f" ± {100 * spread:.1f}")

    def num(mean, spread):
        if math.isnan(mean):
            return "—"
        return f"{mean:.3f}" + ("" if math.isnan(spread) else f" ± {spread:.3f}")

    out = []
    for r in rows:
        d = {"activation": r["activation"],
             "train accuracy": pct(r["train accuracy"], r["± train"]),
             "test accuracy": pct(r["test accuracy"], r["± test"]),
             "final cost J": num(r["final cost J"], r["± J"])}
        d.update({k: v for k, v in r.items() if k not in d and not k.startswith("±")})
        out.append(d)
    return out


def status_text(n: int, n_diverged: int, n_rose: int) -> str:
    """``"ok"``, ``"diverged: 2 of 5"``, ``"cost rose: 3 of 5"`` or both."""
    parts = []
    if n_diverged:
        parts.append(f"diverged: {n_diverged} of {n}")
    if n_rose:
        parts.append(f"cost rose: {n_rose} of {n}")
    return ", ".join(parts) or "ok"


def _label(name: str) -> str:
    return ACTIVATIONS[name].label if name in ACTIVATIONS else name


def _describe_flagged(results: Sequence[ActivationResult], flag: str) -> str:
    parts = []
    for r in results:
        d = int(np.sum(getattr(r, flag)))
        if d:
            parts.append(f"{_label(r.name)} ({d} of {count_text(len(r.diverged), 'seed')})")
    return ", ".join(parts)


def describe_divergence(results: Sequence[ActivationResult]) -> str:
    """``"sigmoid (5 of 5 seeds), tanh (2 of 5 seeds)"``, or ``""`` if nothing diverged."""
    return _describe_flagged(results, "diverged")


def describe_cost_rose(results: Sequence[ActivationResult]) -> str:
    """``"ReLU (3 of 3 seeds)"``: activations with seeds whose cost ended above its start."""
    return _describe_flagged(results, "cost_rose")


def is_linear_network(hidden_activations: Sequence[str]) -> bool:
    """True when every hidden layer is linear: then ``W[2](W[1]x + b[1]) + b[2] = W'x + b'``
    and the network is logistic regression, whose boundary is a straight line."""
    return len(hidden_activations) > 0 and all(a == "linear" for a in hidden_activations)


# ---- the curves of a run, as series for figures.make_series_figure -----------------------


def activation_colors(names: Sequence[str], palette: Sequence[str]) -> dict[str, str]:
    """One colour of ``palette`` (the figures' series palette, which the page passes in) per
    compared activation, the same on every chart of a run."""
    return {n: palette[i % len(palette)] for i, n in enumerate(names)}


def cost_series(history: Mapping[str, Array], names: Sequence[str], n_seeds: int,
                key: str = "train_cost", *, palette: Sequence[str]
                ) -> tuple[list[dict], list[dict]]:
    """Mean over seeds of ``history[key]`` ``(k, S)`` per activation, and the min–max band."""
    its = np.asarray(history["iteration"])
    colors = activation_colors(names, palette)
    values = np.asarray(history[key], dtype=np.float64)
    series, band = [], []
    for i, name in enumerate(names):
        mean, lo, hi = mean_band(values[:, i * n_seeds:(i + 1) * n_seeds].T)
        series.append({"name": _label(name), "x": its, "y": mean, "color": colors[name]})
        band.append({"name": _label(name), "x": its, "lo": lo, "hi": hi,
                     "color": colors[name]})
    return series, band


def per_layer_series(history: Mapping[str, Array], names: Sequence[str], n_seeds: int,
                     key: str, *, layer_names: Sequence[str], scale: Sequence[float] | None = None,
                     layers: Sequence[int] | None = None, palette: Sequence[str]
                     ) -> list[dict]:
    """Mean over seeds of ``history[key]`` ``(k, S, n_layers)``: one series per
    (activation, layer), coloured by activation and dashed by layer.

    ``layer_names`` label the layers (e.g. ``"dW[1]"``); ``scale`` divides layer j's values
    (e.g. by n[l], to turn dead-unit counts into fractions); ``layers`` (1-based) keeps only
    those layers. A layer keeps its dash whichever layers are shown.
    """
    its = np.asarray(history["iteration"])
    colors = activation_colors(names, palette)
    values = np.asarray(history[key], dtype=np.float64)
    out = []
    for i, name in enumerate(names):
        block = values[:, i * n_seeds:(i + 1) * n_seeds, :]
        for j, layer in enumerate(layer_names):
            if layers is not None and j + 1 not in layers:
                continue
            mean, _, _ = mean_band(block[:, :, j].T)
            if scale is not None:
                mean = mean / scale[j]
            out.append({"name": f"{_label(name)} · {layer}", "x": its, "y": mean,
                        "color": colors[name], "dash": LAYER_DASHES[j % len(LAYER_DASHES)]})
    return out


def layer_profiles(history: Mapping[str, Array], names: Sequence[str], n_seeds: int,
                   key: str = "dW_norms", *, palette: Sequence[str]) -> list[dict]:
    """``history[key]`` ``(k, S, L)`` layer by layer, at the start and at the end: for each
    activation the mean over seeds of its first row and of each network's last recorded
    row (a diverged network's last good one). Profiles for
    ``figures_compare.make_layer_profile_figure``."""
    values = np.asarray(history[key], dtype=np.float64)
    recorded = ~np.all(np.isnan(values), axis=2)  # (k, S)
    last = values.shape[0] - 1 - np.argmax(recorded[::-1], axis=0)  # (S,)
    end = values[last, np.arange(values.shape[1])]  # (S, L)
    colors = activation_colors(names, palette)
    out = []
    for when, rows, dash in (("start", values[0], "solid"), ("end", end, "dash")):
        for i, name in enumerate(names):
            mean, _, _ = mean_band(rows[i * n_seeds:(i + 1) * n_seeds])
            out.append({"name": f"{_label(name)} · {when}", "y": mean,
                        "color": colors[name], "dash": dash})
    return out


def needs_log_scale(series: Sequence[Mapping], limit: float = COST_LOG_LIMIT) -> bool:
    """True when some curve climbs past ``limit`` (a cost that exploded before its network
    was flagged as diverged): on a linear axis it would flatten every other curve."""
    with np.errstate(all="ignore"):
        peaks = [np.nanmax(np.asarray(s["y"], dtype=np.float64)) for s in series
                 if np.isfinite(np.asarray(s["y"], dtype=np.float64)).any()]
    return bool(peaks) and max(peaks) > limit


# ---- sentences about a run, computed from it ---------------------------------------------


@dataclass(frozen=True)
class GradientGap:
    """How layer 1's gradient compares with the last layer's for one activation, from the
    mean over seeds of ``‖dW[1]‖`` and ``‖dW[L]‖`` (the curves the gradients chart draws)."""

    name: str
    start: float  # ‖dW[1]‖ / ‖dW[L]‖ at the first recorded iteration (0)
    end: float  # ... at the last recorded iteration where both are finite
    start_iteration: int
    end_iteration: int
    smaller_share: float  # share of recorded iterations with ‖dW[1]‖ < ‖dW[L]‖


def gradient_gaps(history: Mapping[str, Array], names: Sequence[str],
                  n_seeds: int) -> list[GradientGap]:
    """One :class:`GradientGap` per activation whose ratio is defined at some recorded
    iteration (both norms finite, the last layer's above 0). ``history["dW_norms"]`` is
    ``(k, S, L)``; network ``s`` has activation ``names[s // n_seeds]``."""
    its = np.asarray(history["iteration"])
    values = np.asarray(history["dW_norms"], dtype=np.float64)
    out = []
    for i, name in enumerate(names):
        block = values[:, i * n_seeds:(i + 1) * n_seeds, :]
        first, _, _ = mean_band(block[:, :, 0].T)
        last, _, _ = mean_band(block[:, :, -1].T)
        with np.errstate(all="ignore"):
            ratio = first / last
        ok = np.isfinite(ratio) & (last > 0)
        if not ok.any():
            continue
        idx = np.flatnonzero(ok)
        out.append(GradientGap(
            name=name, start=float(ratio[idx[0]]), end=float(ratio[idx[-1]]),
            start_iteration=int(its[idx[0]]), end_iteration=int(its[idx[-1]]),
            smaller_share=float(np.mean(ratio[ok] < 1))))
    return out


def _times(r: float) -> str:
    return f"{r:.2g}×"


def gradient_gap_sentence(gaps: Sequence[GradientGap], L: int) -> str:
    """What the gradients chart shows about ``‖dW[1]‖`` against ``‖dW[L]‖``, activation by
    activation, with the iterations it holds at: ``"sigmoid: 0.064× at iteration 0, 1.8×
    at iteration 3,000; smaller during 14 % of training"`` (the share of the recorded
    iterations, which are evenly spaced). Empty without gaps."""
    if not gaps:
        return ""
    parts = []
    for g in gaps:
        text = (f"{_label(g.name)}: {_times(g.start)} at iteration {g.start_iteration:,}, "
                f"{_times(g.end)} at iteration {g.end_iteration:,}")
        if g.smaller_share >= 1:
            text += "; smaller all through training"
        elif g.smaller_share <= 0:
            text += "; never smaller"
        else:
            text += f"; smaller during {100 * g.smaller_share:.0f} % of training"
        parts.append(text)
    return (f"In this run, ‖dW[1]‖ as a multiple of the last layer's ‖dW[{L}]‖ (means over "
            "seeds; below 1× the first layer's gradient is the smaller): "
            + " · ".join(parts) + ".")


def fastest_sentence(results: Sequence[ActivationResult], threshold: float) -> str:
    """Which activation ended with the lowest cost J (mean over the seeds that did not
    diverge) and which got below ``threshold`` first (median over those seeds), in the
    run of ``results`` (``run_results(run, threshold)``: the same threshold). Empty for
    fewer than two activations or when every seed diverged."""
    costs = {}
    firsts = {}
    for r in results:
        ok = ~np.asarray(r.diverged, dtype=bool)
        mean, _ = mean_spread(r.final_cost[ok])
        if not math.isnan(mean):
            costs[r.name] = mean
        got = [f for f, good in zip(r.first_below, ok, strict=True) if good and f is not None]
        if got:
            firsts[r.name] = int(np.median(got))
    if len(results) < 2 or not costs:
        return ""
    best = min(costs, key=costs.get)
    text = f"In this run, {_label(best)} ended with the lowest cost (J = {costs[best]:.3f})"
    if firsts:
        quick = min(firsts, key=firsts.get)
        who = "was" if quick == best else f"{_label(quick)} got"
        one_seed = all(len(r.diverged) == 1 for r in results)
        text += (f" and {who} the first below J = {threshold:g} "
                 f"({'iteration' if one_seed else 'median iteration'} {firsts[quick]:,})")
    else:
        text += f"; none got below J = {threshold:g}"
    return text + "."
