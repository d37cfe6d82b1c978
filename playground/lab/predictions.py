"""Predict, then run: one question per lesson card (and on the Symmetry and Sigmoid vs
tanh vs ReLU pages), asked before the run, and the verdict computed from the run.

Pure logic, no Streamlit. A :class:`Question` has 3–4 choices; each choice stands for one
*outcome* of an *aspect* of a run (the boundary's shape, the train accuracy's band, the
hidden units' symmetry, what the cost does, which activation ends lowest). Every aspect
has a classifier that reads :class:`Measurements` (numbers measured from the run:
ŷ's range, how well Z[L] fits an affine or a quadratic function of (x₁, x₂), distinct
units, J at the start and now, divergence …) and returns exactly one of its outcomes, and
a sentence that says why with those numbers. A question offers every outcome of its
aspect, so a run always lands on one of its choices.

``answer`` is the choice the card marks correct: ``tests/lab/test_predictions.py`` trains
every lesson question's run and checks that the classifier, applied to the real run,
gives that choice, like ``tests/lab/test_lessons.py`` checks the cards' claims.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from playground.core import text as fmt
from playground.core.diagnostics import DISTINCT_TOL, distinct_units, symmetry_measure
from playground.core.features import feature_matrix
from playground.core.nn import ACTIVATIONS, forward_propagation
from playground.engine.trainer import Trainer
from playground.lab.config import Config
from playground.lab.lessons import LESSONS_BY_KEY, Lesson, Variant

FLAT_SPREAD = 1e-6  # ŷ varying by less than this over the training points: one flat colour
SHAPE_TOL = 1e-6  # Z[L] fits a function of (x₁, x₂) to this share of max(1, max |Z[L]|)
STUCK_COST = 0.02  # |J now − J at iteration 0| below this: the cost did not move
EQUAL_COST = 0.01  # mean final costs within this of each other: no activation wins
ACCURACY_BANDS = (0.60, 0.85, 0.99)  # chance | partly | most | (nearly) all
_LO, _MID, _HI = (fmt.percent(b, 0) for b in ACCURACY_BANDS)

# ---- measurements -------------------------------------------------------------------------


@dataclass(frozen=True)
class Measurements:
    """What a run's numbers say, at the iteration the question is about. Fields a run
    cannot give (a comparison has no boundary) keep their defaults."""

    iteration: int = 0
    m: int = 0  # training points
    L: int = 1
    diverged: bool = False
    diverged_at: int | None = None
    initial_cost: float = math.nan  # J at iteration 0
    cost: float = math.nan  # J now (a diverged run's last good J)
    accuracy: float = math.nan  # train accuracy now
    yhat_min: float = math.nan  # ŷ over the training points
    yhat_max: float = math.nan
    z_max: float = math.nan  # max |Z[L]| over the training points
    affine_misfit: float = math.nan  # max |Z[L] − the best a·x₁ + b·x₂ + c|
    quadratic_misfit: float = math.nan  # ... − the best quadratic in (x₁, x₂)
    ellipse: bool = False  # that quadratic's x₁², x₁x₂, x₂² part is definite
    units: tuple[int, ...] = ()  # n[l] per hidden layer
    distinct: tuple[int, ...] = ()  # distinct rows of [W[l] | b[l]] per hidden layer
    grad_distinct: tuple[int, ...] = ()  # distinct rows of [dW[l] | db[l]]
    symmetry: tuple[float, ...] = ()  # symmetry measure per hidden layer
    grad_ratio_start: float = math.nan  # ||dW[1]|| / ||dW[L]|| at iteration 0
    final_costs: tuple[tuple[str, float, int], ...] = ()  # (activation, mean J, seeds)

    @property
    def yhat_spread(self) -> float:
        return self.yhat_max - self.yhat_min

    def fits(self, misfit: float) -> bool:
        """Whether Z[L] is that function: misfit within SHAPE_TOL × max(1, max |Z[L]|)
        (the lessons' test of a straight boundary)."""
        return misfit <= SHAPE_TOL * max(1.0, self.z_max)


def _shape_misfits(X: np.ndarray, z: np.ndarray) -> tuple[float, float, bool]:
    """How far ``z`` (m,) is from an affine and from a quadratic function of the raw
    points ``X`` (2, m) (the largest difference); and whether the best quadratic's
    second-order part is definite (its level curves are ellipses)."""
    x1, x2 = X[0], X[1]
    out = []
    designs = (np.column_stack([x1, x2, np.ones_like(x1)]),
               np.column_stack([x1, x2, np.ones_like(x1), x1 * x1, x1 * x2, x2 * x2]))
    coef = np.zeros(6)
    for D in designs:
        coef, *_ = np.linalg.lstsq(D, z, rcond=None)
        out.append(float(np.max(np.abs(D @ coef - z))) if z.size else 0.0)
    a, b, c = coef[3], coef[4], coef[5]
    return out[0], out[1], bool(4 * a * c - b * b > 0)


def measure(trainer: Trainer) -> Measurements:
    """Measure a ``Trainer`` where it is now (a diverged one at its last good state)."""
    X = trainer.X_train_raw.astype(np.float64)
    params = {k: v.astype(np.float64) for k, v in trainer.parameters.items()}
    with np.errstate(all="ignore"):
        AL, caches = forward_propagation(feature_matrix(X, trainer.features), params,
                                         trainer.activations)
    z = caches[-1].Z.ravel()
    affine, quadratic, ellipse = _shape_misfits(X, z)
    metrics = trainer.metrics()
    grads = trainer.gradients()
    hidden = range(1, trainer.L)
    h = trainer.history()
    start = len(h["iteration"]) > 0 and h["iteration"][0] == 0
    norms = h["dW_norms"][0] if start else ()
    ratio = float(norms[0] / norms[-1]) if start and norms[-1] > 0 else math.nan
    return Measurements(
        iteration=int(trainer.iteration), m=int(X.shape[1]), L=int(trainer.L),
        diverged=bool(trainer.diverged), diverged_at=trainer.diverged_at,
        initial_cost=float(h["train_cost"][0]) if start else math.nan,
        cost=float(metrics.train_cost), accuracy=float(metrics.train_accuracy),
        yhat_min=float(np.min(AL)), yhat_max=float(np.max(AL)),
        z_max=float(np.max(np.abs(z))) if z.size else 0.0, affine_misfit=affine,
        quadratic_misfit=quadratic, ellipse=ellipse,
        units=tuple(int(params[f"W{l}"].shape[0]) for l in hidden),
        distinct=tuple(distinct_units(params[f"W{l}"], params[f"b{l}"]) for l in hidden),
        grad_distinct=tuple(distinct_units(grads[f"dW{l}"], grads[f"db{l}"]) for l in hidden),
        symmetry=tuple(symmetry_measure(params[f"W{l}"], params[f"b{l}"]) for l in hidden),
        grad_ratio_start=ratio)


def measure_comparison(names: Sequence[str], final_costs: Sequence[Sequence[float]],
                       diverged: Sequence[Sequence[bool]], iterations: int) -> Measurements:
    """A Sigmoid vs tanh vs ReLU run: each activation's mean final J over the seeds that
    did not diverge (``compare.ActivationResult``'s ``final_cost`` and ``diverged``)."""
    rows = []
    for name, costs, div in zip(names, final_costs, diverged, strict=True):
        ok = ~np.asarray(div, dtype=bool)
        c = np.asarray(costs, dtype=np.float64)[ok]
        c = c[np.isfinite(c)]
        rows.append((name, float(c.mean()) if c.size else math.nan, int(c.size)))
    return Measurements(iteration=int(iterations), final_costs=tuple(rows))


# ---- aspects: classify a run, and say why with its numbers --------------------------------


def _boundary(m: Measurements) -> str:
    if m.yhat_spread < FLAT_SPREAD:
        return "flat"
    if m.fits(m.affine_misfit):
        return "straight"
    if m.fits(m.quadratic_misfit) and m.ellipse:
        return "ellipse"
    return "curved"


def _boundary_why(m: Measurements) -> str:
    if m.yhat_spread < FLAT_SPREAD:
        spread = ("exactly the same" if m.yhat_spread == 0
                  else f"within {fmt.number(m.yhat_spread, 2)}")
        return (f"ŷ = {fmt.probability(m.yhat_min)} at all {fmt.count(m.m)} training "
                f"points ({spread}): one flat colour; ŷ never crosses 0.5, so there is "
                "no boundary")
    fit = (f"|Z[{m.L}]| reaches {fmt.number(m.z_max, 3)} and the best a·x₁ + b·x₂ + c "
           f"misses it by {fmt.number(m.affine_misfit, 2)}")
    if m.fits(m.affine_misfit):
        return (f"Z[{m.L}] is an affine function of (x₁, x₂) ({fit}), so ŷ = 0.5 where it "
                "is 0: a straight line")
    quad = f"the best quadratic misses it by {fmt.number(m.quadratic_misfit, 2)}"
    if m.fits(m.quadratic_misfit) and m.ellipse:
        return (f"Z[{m.L}] is not affine ({fit}) but a quadratic in (x₁, x₂) ({quad}) "
                "whose level curves are ellipses: the boundary is a closed oval")
    return (f"Z[{m.L}] is neither affine ({fit}) nor a quadratic with oval level curves "
            f"({quad}): the boundary bends")


def _accuracy(m: Measurements) -> str:
    lo, mid, hi = ACCURACY_BANDS
    a = m.accuracy
    return "chance" if a < lo else "partly" if a < mid else "most" if a < hi else "all"


def _accuracy_why(m: Measurements) -> str:
    right = round(m.accuracy * m.m)
    text = (f"train accuracy {fmt.percent(m.accuracy)} ({fmt.count(right)} of "
            f"{fmt.count(m.m)} points right), J = {fmt.cost(m.cost)}")
    band = {"chance": f"below {_LO}", "partly": f"from {_LO} to {_MID}",
            "most": f"from {_MID} to {_HI}", "all": f"{_HI} or more"}[_accuracy(m)]
    text += f": {band}"
    if math.isfinite(m.grad_ratio_start) and m.L > 2:
        text += (f"; at iteration 0, ||dW[1]|| was {fmt.number(m.grad_ratio_start, 2)} × "
                 f"||dW[{m.L}]||")
    return text


def _units(m: Measurements) -> str:
    if not m.units:
        return "none"
    n, d = m.units[0], m.distinct[0]
    return "one" if d == 1 else "all" if d == n else "some"


def _units_why(m: Measurements) -> str:
    if not m.units:
        return "this network has no hidden layer"
    n, d = m.units[0], m.distinct[0]
    text = (f"layer 1 has {d} distinct unit{'s' if d != 1 else ''} of {n} (rows of "
            f"[W[1] | b[1]] equal within {fmt.number(DISTINCT_TOL)} count as one)")
    if d < n:
        g = m.grad_distinct[0]
        text += (f"; dW[1] has {g} distinct row{'s' if g != 1 else ''}, so every step moves "
                 "equal units by equal amounts")
    else:
        text += f"; symmetry measure {fmt.number(m.symmetry[0], 2)}"
    return text + f"; train accuracy {fmt.percent(m.accuracy)}"


def _cost(m: Measurements) -> str:
    if m.diverged:
        return "diverged"
    change = m.cost - m.initial_cost
    return "stuck" if abs(change) < STUCK_COST else "rose" if change > 0 else "fell"


def _cost_why(m: Measurements) -> str:
    start = f"J was {fmt.cost(m.initial_cost)} at iteration 0"
    if m.diverged:
        return (f"{start}; the weights became infinite or not a number at iteration "
                f"{fmt.count(m.diverged_at or m.iteration)}, after J had reached "
                f"{fmt.cost(m.cost)} at iteration {fmt.count(m.iteration)}")
    change = m.cost - m.initial_cost
    moved = (f"moved by {fmt.number(change, 2)}, less than {fmt.number(STUCK_COST)}"
             if abs(change) < STUCK_COST else
             f"{'rose' if change > 0 else 'fell'} by {fmt.number(abs(change), 3)}")
    return (f"{start} and {fmt.cost(m.cost)} at iteration {fmt.count(m.iteration)}: it "
            f"{moved}; train accuracy {fmt.percent(m.accuracy)}")


def _lowest(m: Measurements) -> str:
    costs = [(c, name) for name, c, _ in m.final_costs if math.isfinite(c)]
    if not costs:
        return "equal"
    costs.sort()
    if len(costs) > 1 and costs[1][0] - costs[0][0] < EQUAL_COST:
        return "equal"
    return costs[0][1]


def _lowest_why(m: Measurements) -> str:
    parts = [f"{ACTIVATIONS[name].label} "
             + (fmt.cost(c) if math.isfinite(c) else "every seed diverged")
             for name, c, _ in m.final_costs]
    seeds = max((s for _, _, s in m.final_costs), default=0)
    what = "J" if seeds <= 1 else "mean J over the seeds"
    text = f"{what} at iteration {fmt.count(m.iteration)}: " + ", ".join(parts)
    win = _lowest(m)
    if win == "equal":
        return text + f": the lowest two are within {fmt.number(EQUAL_COST)} of each other"
    return text + f": {ACTIVATIONS[win].label} is lowest"


@dataclass(frozen=True)
class Aspect:
    """What a question is about: its outcomes, the classifier and the why sentence."""

    outcomes: tuple[str, ...]
    classify: Callable[[Measurements], str]
    why: Callable[[Measurements], str]


ASPECTS: dict[str, Aspect] = {
    "boundary": Aspect(("flat", "straight", "ellipse", "curved"), _boundary, _boundary_why),
    "accuracy": Aspect(("chance", "partly", "most", "all"), _accuracy, _accuracy_why),
    "units": Aspect(("all", "some", "one"), _units, _units_why),
    "cost": Aspect(("fell", "stuck", "rose", "diverged"), _cost, _cost_why),
    "lowest": Aspect(("sigmoid", "tanh", "relu", "equal"), _lowest, _lowest_why),
}

# The accuracy choices' words, the same on every card; a question may say them its way.
ACCURACY_WORDS = {
    "chance": f"a coin toss: below {_LO}",
    "partly": f"better than chance: {_LO} to {_MID}",
    "most": f"most points right: {_MID} to {_HI}",
    "all": f"(nearly) all right: {_HI} or more",
}

# ---- questions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One question, asked before a run.

    ``choices`` pairs each outcome of the aspect with its words; ``answer`` is the outcome
    the card marks correct (checked by training in the tests); ``iteration`` is where the
    run is judged (a diverging run is judged where it diverges).
    """

    key: str
    text: str
    aspect: str
    choices: tuple[tuple[str, str], ...]  # (outcome, words)
    answer: str
    iteration: int
    lesson: str = ""  # a lesson question: the lesson's key ...
    variant: str = ""  # ... and the label of the variant it is about

    @property
    def labels(self) -> list[str]:
        return [w for _, w in self.choices]

    @property
    def outcomes(self) -> list[str]:
        return [o for o, _ in self.choices]

    @property
    def answer_index(self) -> int:
        return self.outcomes.index(self.answer)

    def label_of(self, outcome: str) -> str:
        return dict(self.choices)[outcome]

    def outcome(self, m: Measurements) -> str:
        """The choice the run's numbers give."""
        return ASPECTS[self.aspect].classify(m)

    def why(self, m: Measurements) -> str:
        return ASPECTS[self.aspect].why(m)


@dataclass(frozen=True)
class Verdict:
    """Whether a prediction held, and why, from the run's numbers."""

    held: bool
    picked: str  # the words the student picked
    actual: str  # the words of the choice the run gave
    why: str  # the numbers behind it
    iteration: int

    @property
    def headline(self) -> str:
        if self.held:
            return f"Your prediction held: {self.actual}."
        return (f"Your prediction did not hold: you said “{self.picked}”; the run gave "
                f"“{self.actual}”.")


def judge(q: Question, picked: str | None, m: Measurements) -> Verdict:
    """The verdict on ``picked`` (an outcome of ``q``; None: not answered) for a run."""
    actual = q.outcome(m)
    return Verdict(held=picked == actual,
                   picked=q.label_of(picked) if picked in q.outcomes else "no answer",
                   actual=q.label_of(actual), why=q.why(m), iteration=m.iteration)


def _lesson_q(key: str, variant: str, text: str, aspect: str,
              words: Mapping[str, str], answer: str) -> Question:
    lesson = LESSONS_BY_KEY[key]
    v = lesson.variant(variant)
    if v.label != variant:
        raise ValueError(f"lesson {key!r} has no variant {variant!r}")
    choices = tuple((o, words[o]) for o in ASPECTS[aspect].outcomes)
    return Question(f"lesson_{key}", text, aspect, choices, answer, v.expect.iterations,
                    lesson=key, variant=variant)


BOUNDARY_WORDS = {"flat": "a flat colour: no boundary", "straight": "a straight line",
                  "ellipse": "a circle (or an oval)", "curved": "a curve around the petals"}
COST_WORDS = {"fell": "fall well below 0.69", "stuck": "stay near 0.69, where it starts",
              "rose": "end higher than it started",
              "diverged": "blow up: the weights become infinite"}

LESSON_QUESTIONS: tuple[Question, ...] = (
    _lesson_q("zeros", "W = 0",
              "With W = 0 and tanh, after 10,000 iterations the boundary will be:",
              "boundary", {**BOUNDARY_WORDS, "curved": "a flower"}, "flat"),
    _lesson_q("clones", "W = 0.5 everywhere",
              "Every weight starts at 0.5. After 10,000 iterations the 4 tanh units will be:",
              "units", {"all": "4 different units", "some": "some different, some copies",
                        "one": "still 4 copies of one unit"}, "one"),
    _lesson_q("too_large", "W = randn × 10",
              "With W = randn × 10 (ReLU, 2 → 10 → 5 → 1), after 15,000 iterations the "
              "train accuracy will be:", "accuracy", ACCURACY_WORDS, "partly"),
    _lesson_q("linear", "2 → 4 → 1, linear",
              "With g(z) = z in the hidden layer, after 10,000 iterations the boundary will "
              "be:", "boundary", BOUNDARY_WORDS, "straight"),
    _lesson_q("logistic", "2 → 1",
              "Logistic regression (no hidden layer) on the flower: after 10,000 iterations "
              "the train accuracy will be:", "accuracy", ACCURACY_WORDS, "chance"),
    _lesson_q("one_hidden", "2 → 4 → 1, tanh",
              "4 tanh units on the flower: after 10,000 iterations the train accuracy will "
              "be:", "accuracy", ACCURACY_WORDS, "most"),
    _lesson_q("alpha_large", "leaky ReLU, α = 10",
              "With α = 10 (leaky ReLU), within 500 iterations the cost J will:",
              "cost", COST_WORDS, "diverged"),
    _lesson_q("deep_sigmoid", "5 × 8 sigmoid (Xavier)",
              "Five sigmoid layers of 8 units: after 2,000 iterations the train accuracy "
              "will be:", "accuracy", ACCURACY_WORDS, "chance"),
    _lesson_q("xor", "no hidden layer",
              "XOR with no hidden layer: after 2,000 iterations the cost J will:",
              "cost", COST_WORDS, "stuck"),
    _lesson_q("hidden_size", "n[1] = 1",
              "One hidden unit, n[1] = 1: after 5,000 iterations the train accuracy will be:",
              "accuracy", ACCURACY_WORDS, "partly"),
    _lesson_q("circle_features", "x₁, x₂, x₁², x₂²",
              "Logistic regression with inputs x₁, x₂, x₁², x₂² on the circles: after 1,000 "
              "iterations the boundary will be:", "boundary",
              {**BOUNDARY_WORDS, "curved": "a wavy curve"}, "ellipse"),
)
LESSON_QUESTIONS_BY_LESSON = {q.lesson: q for q in LESSON_QUESTIONS}

SYMMETRY_ITERATION = 1000
SYMMETRY_QUESTION = Question(
    "symmetry_constant",
    f"Press Play or Step: after {SYMMETRY_ITERATION:,} iterations, the units of the "
    "“constant c” network will be:", "units",
    (("all", "all different"), ("some", "some different, some copies"),
     ("one", "still copies of one unit")), "one", SYMMETRY_ITERATION)

COMPARE_QUESTION = Question(
    "compare_lowest",
    "Before you press Run: which activation will end with the lowest cost J?", "lowest",
    (("sigmoid", "sigmoid"), ("tanh", "tanh"), ("relu", "ReLU"),
     ("equal", "they end about equal")), "tanh", 0)

QUESTIONS: tuple[Question, ...] = (*LESSON_QUESTIONS, SYMMETRY_QUESTION, COMPARE_QUESTION)
QUESTIONS_BY_KEY = {q.key: q for q in QUESTIONS}


def lesson_question(lesson: Lesson) -> Question | None:
    return LESSON_QUESTIONS_BY_LESSON.get(lesson.key)


def question_variant(q: Question) -> Variant:
    return LESSONS_BY_KEY[q.lesson].variant(q.variant)


RUN_FIELDS = ("alpha", "regularization", "lambd", "batch_size", "schedule", "decay_rate",
              "decay_steps")


def run_key(cfg: Config, stop_iterations: int) -> tuple:
    """What decides a Playground run up to its stop: the data, the network, the training
    settings and the stop (a stop reached is lifted to go on past it: pass its value)."""
    return (cfg.data_key(), cfg.network_key(), tuple(getattr(cfg, f) for f in RUN_FIELDS),
            int(stop_iterations))


def question_for_run(cfg: Config, stop_iterations: int) -> Question | None:
    """The lesson question whose variant this Playground run is, if any."""
    key = run_key(cfg, stop_iterations)
    for q in LESSON_QUESTIONS:
        v = question_variant(q).config
        if run_key(v, v.stop_iterations) == key:
            return q
    return None


def reached(q: Question, iteration: int, diverged: bool) -> bool:
    """Whether a run is where its question is judged: at the question's iteration, or
    where it diverged on the way."""
    return diverged or iteration >= q.iteration


def compare_names_missing(names: Sequence[str]) -> list[str]:
    """The activations of the Sigmoid vs tanh vs ReLU question a run does not compare."""
    return [o for o in COMPARE_QUESTION.outcomes if o != "equal" and o not in names]
