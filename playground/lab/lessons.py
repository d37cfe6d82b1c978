"""The lesson registry: ready-made experiments, each a complete ``Config`` and a claim.

Pure data plus the code that checks the claims. A lesson has one or more variants (e.g.
n[1] = 1, 2, 3 …); each variant is a ``Config`` the Lessons page loads into a page, and an
``Expect`` that states, in numbers, what its card says in words. ``tests/lab/test_lessons.py``
trains every variant with the core for its stated iterations and checks the ``Expect``,
so a card can never promise what the network does not do.

Every config sets ``stop_iterations`` to the lesson's iterations, so Play stops exactly
where the card's numbers were measured, and the dataset's own noise (``Config``'s default
noise is the flower's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from playground.core import nn
from playground.core.datasets import DATASETS, make_dataset, train_test_split
from playground.core.diagnostics import dead_units, hidden_layer_symmetry
from playground.core.features import feature_matrix
from playground.engine.trainer import Metrics, Trainer, trainer_from_config
from playground.lab.config import Config

PLAYGROUND = "app_pages/playground.py"
SYMMETRY = "app_pages/symmetry.py"
CLASSROOM_HIDE = ("data", "features")  # what most lessons hide on the projected screen

Range = tuple[float, float]


@dataclass(frozen=True)
class Expect:
    """What a variant's card claims, in numbers, after ``iterations`` of training.

    Every field left at ``None`` (or False) is not claimed. Ranges are inclusive.
    """

    iterations: int
    train_accuracy: Range | None = None
    final_cost: Range | None = None
    initial_cost: Range | None = None
    diverges: bool | None = None
    diverges_within: int | None = None  # ... and by this iteration
    constant_output: bool = False  # ŷ is the same for every example at the end
    straight_boundary: bool = False  # Z[L] is an affine function of (x1, x2) at the end
    first_last_grad_ratio_below: float | None = None  # ||dW[1]|| / ||dW[L]|| at iteration 0
    distinct_units: tuple[int, ...] | None = None  # per hidden layer, at the end
    dead_units_at_least: int | None = None  # dead ReLUs in layer 1 at the end


@dataclass(frozen=True)
class Variant:
    label: str  # the picker's label, e.g. "n[1] = 3"
    config: Config
    claim: str  # one line under the picker: what you will see
    expect: Expect


@dataclass(frozen=True)
class Lesson:
    key: str
    title: str
    sentence: str  # the card's one sentence
    variants: tuple[Variant, ...]
    explain: str = ""  # why, in the course's notation (markdown)
    page: str = PLAYGROUND
    icon: str = ":material/school:"
    see_also: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (page, label)

    @property
    def variant_labels(self) -> list[str]:
        return [v.label for v in self.variants]

    def variant(self, label: str | None = None) -> Variant:
        for v in self.variants:
            if v.label == label:
                return v
        return self.variants[0]


def _cfg(iterations: int, dataset: str = "flower", *, hide: Sequence[str] = CLASSROOM_HIDE,
         **changes) -> Config:
    """A lesson's Config: the dataset with its natural noise, Play stopping at
    ``iterations``, Step going 1,000 at a time for long lessons."""
    steps = 1000 if iterations >= 5000 else 100 if iterations >= 500 else 10
    base = {"dataset": dataset, "noise": min(DATASETS[dataset].noise, 1.0),
            "stop_iterations": iterations, "steps_per_click": steps,
            "speed": "fast" if iterations > 10_000 else "normal", "hide": tuple(hide)}
    return Config().replace(**{**base, **changes})


LR = {"hidden": (), "activations": ()}  # logistic regression: no hidden layer

LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "zeros", "Zero initialization",
        "With W = 0 every hidden unit computes the same thing, and nothing ever moves.",
        (Variant("W = 0", _cfg(10_000, init="zeros"),
                 "Flat colour, no boundary; J stays at 0.6931 and accuracy at 50 % for "
                 "10,000 iterations.",
                 Expect(10_000, train_accuracy=(0.5, 0.5), final_cost=(0.6931, 0.6932),
                        constant_output=True)),),
        explain=(
            "Every unit outputs g(0) = tanh(0) = 0, so dW[l] = (1/m)·dZ[l]·A[l−1]ᵀ = 0 and "
            "dA[l−1] = W[l]ᵀ·dZ[l] = 0: no weight ever moves. Only b[2] could learn, and "
            "ŷ = σ(b[2]) settles at the share of class 1: one half here, where it already "
            "starts, so every prediction is the same. (Zero b is harmless; zero W is the "
            "problem.)"),
        icon=":material/exposure_zero:",
        see_also=((SYMMETRY, "Symmetry breaking, step by step"),),
    ),
    Lesson(
        "clones", "Identical weights stay clones",
        "Every weight equal to c = 0.5: the units learn, but stay copies of each other.",
        (Variant("W = 0.5 everywhere", _cfg(10_000, init="constant", init_scale=0.5),
                 "The 4 tanh units stay identical (1 distinct unit in the Network tab): "
                 "about 70 %, what a single unit gets, never the 94 % of random W.",
                 Expect(10_000, train_accuracy=(0.66, 0.72), distinct_units=(1,))),),
        explain=(
            "Symmetry is about identical weights, not zero ones: units that start equal "
            "get equal gradients and stay equal for ever, so the layer behaves like one "
            "unit. Random initialization breaks the tie."),
        icon=":material/content_copy:",
        see_also=((SYMMETRY, "Symmetry breaking, step by step"),),
    ),
    Lesson(
        "too_large", "Random × 10: too large",
        "The course's initialization experiment: weights × 10 start with a huge cost and "
        "get stuck far below He initialization.",
        (Variant("W = randn × 10", _cfg(15_000, "circles", noise=0.05, hidden=(10, 5),
                                         activations=("relu", "relu"), init_scale=10.0,
                                         alpha=0.01),
                 "J starts near 90: σ outputs 0 or 1 and is confidently wrong on many "
                 "points. After 15,000 iterations: about 80 %.",
                 Expect(15_000, initial_cost=(80.0, 100.0), train_accuracy=(0.75, 0.85))),
         Variant("He, for comparison", _cfg(15_000, "circles", noise=0.05, hidden=(10, 5),
                                            activations=("relu", "relu"), init="he",
                                            alpha=0.01),
                 "Same network with He: J starts at 0.69 and reaches 100 %.",
                 Expect(15_000, initial_cost=(0.68, 0.70), train_accuracy=(0.99, 1.0)))),
        explain=(
            "With W = randn × 10, Z[3] is huge, so ŷ = σ(Z[3]) is 0 or 1 to many digits; "
            "every wrong example costs −log(ŷ) ≈ |Z[3]|. Large weights also make big, "
            "erratic steps: gradient descent (α = 0.01, ReLU 2 → 10 → 5 → 1, as in the "
            "course) never recovers the 100 % that He's √(2/n[l−1]) scale reaches."),
        icon=":material/open_in_full:",
    ),
    Lesson(
        "linear", "Linear activations",
        "With g(z) = z in the hidden layer, the network collapses to logistic regression.",
        (Variant("2 → 4 → 1, linear", _cfg(10_000, activations=("linear",)),
                 "A straight boundary and about 46 %, exactly what logistic regression gets.",
                 Expect(10_000, train_accuracy=(0.44, 0.49), straight_boundary=True)),),
        explain=(
            "W[2](W[1]x + b[1]) + b[2] = W′x + b′: any stack of linear layers is one linear "
            "layer, so ŷ = σ(W′x + b′) and the boundary is a straight line. That is why "
            "hidden layers need a non-linear g."),
        icon=":material/linear_scale:",
    ),
    Lesson(
        "logistic", "Logistic regression on the flower",
        "No hidden layer: ŷ = σ(W[1]·X + b[1]) can only draw a straight line.",
        (Variant("2 → 1", _cfg(10_000, **LR),
                 "About 46 % after 10,000 iterations (the course's notebook: 47 %): a "
                 "straight line cannot separate the petals.",
                 Expect(10_000, train_accuracy=(0.44, 0.49), straight_boundary=True)),),
        explain=(
            "The boundary is where W[1]·x + b[1] = 0: a straight line. The flower's petals "
            "alternate around the centre, so every line leaves about half of them on the "
            "wrong side."),
        icon=":material/horizontal_rule:",
    ),
    Lesson(
        "one_hidden", "One hidden layer of 4 tanh units",
        "The course's planar-data network: 2 → 4 → 1 with tanh, α = 1.2.",
        (Variant("2 → 4 → 1, tanh", _cfg(10_000),
                 "About 94 % after 10,000 iterations (the course's notebook gets 90 % on "
                 "its own draw of the flower): the boundary bends around the petals.",
                 Expect(10_000, train_accuracy=(0.92, 0.97))),),
        explain=(
            "Each hidden unit draws one soft line tanh(w·x + b); the output layer combines "
            "the four into a curved boundary. Open the Hidden units tab to see them."),
        icon=":material/hub:",
    ),
    Lesson(
        "alpha_large", "α too large",
        "With α = 10 the steps overshoot: the cost goes up instead of down.",
        (Variant("leaky ReLU, α = 10", _cfg(500, activations=("leaky_relu",), alpha=10.0),
                 "Diverges within about 30 iterations: the weights blow up, the Playground "
                 "stops and says so.",
                 Expect(500, diverges=True, diverges_within=40)),
         Variant("ReLU, α = 10", _cfg(500, activations=("relu",), alpha=10.0),
                 "J jumps from 0.69 to about 0.99 and stays; 3 of the 4 ReLU units die "
                 "(z ≤ 0 on every example): 50 %.",
                 Expect(500, diverges=False, initial_cost=(0.69, 0.70), final_cost=(0.9, 1.1),
                        train_accuracy=(0.45, 0.55), dead_units_at_least=3))),
        explain=(
            "W := W − α·dW with a huge α jumps past the valley to where J is higher, and "
            "from there further still: divergence. With ReLU one big step can push every "
            "z below 0; then g′ = 0 and those units never learn again (dead ReLUs)."),
        icon=":material/trending_up:",
    ),
    Lesson(
        "deep_sigmoid", "Deep sigmoid network: vanishing gradients",
        "Five sigmoid layers of 8 units: the gradient shrinks on its way back to layer 1.",
        (Variant("5 × 8 sigmoid (Xavier)",
                 _cfg(2000, hidden=(8,) * 5, activations=("sigmoid",) * 5, init="xavier"),
                 "At the start ||dW[1]|| is over 100 times smaller than ||dW[6]||; after "
                 "2,000 iterations J is still above 0.65 and accuracy near 50 %.",
                 Expect(2000, first_last_grad_ratio_below=0.01, final_cost=(0.65, 0.70),
                        train_accuracy=(0.45, 0.6))),
         Variant("5 × 8 tanh (Xavier), for comparison",
                 _cfg(2000, hidden=(8,) * 5, activations=("tanh",) * 5, init="xavier"),
                 "The same depth with tanh learns: above 90 % in 2,000 iterations.",
                 Expect(2000, train_accuracy=(0.9, 1.0)))),
        explain=(
            "Backward propagation multiplies by g′[l](Z[l]) at every layer: "
            "dZ[l−1] = W[l]ᵀ·dZ[l] * g′[l−1](Z[l−1]), and the sigmoid's g′ is at most 0.25. "
            "Five such factors leave layer 1 a tiny dW[1]: its weights barely move. (Xavier "
            "initialization, so that the scale of W is not the culprit.) "
            "Compare ||dW[l]|| in the Network tab (colour by gradients) or Under the hood."),
        icon=":material/layers:",
    ),
    Lesson(
        "xor", "XOR needs a hidden layer",
        "Class 1 where x₁ and x₂ have the same sign: no straight line can do it.",
        (Variant("no hidden layer", _cfg(2000, "xor", **LR),
                 "Logistic regression stays at chance: about 53 %, J ≈ 0.69.",
                 Expect(2000, train_accuracy=(0.45, 0.6), final_cost=(0.68, 0.70))),
         Variant("one hidden layer of 4 tanh", _cfg(2000, "xor"),
                 "One hidden layer solves it: about 97 % in 2,000 iterations.",
                 Expect(2000, train_accuracy=(0.94, 1.0)))),
        explain=(
            "XOR's classes sit on opposite corners, so any line leaves one corner of each on "
            "the wrong side. Two hidden units already draw two lines the output layer can "
            "combine."),
        icon=":material/close:",
    ),
    Lesson(
        "hidden_size", "Hidden layer size: underfit → fit",
        "The course's table on the flower: n[1] = 1, 2 underfit; from 3 units it fits.",
        tuple(
            Variant(f"n[1] = {n}", _cfg(5000, hidden=(n,)),
                    claim, Expect(5000, train_accuracy=acc))
            for n, claim, acc in (
                (1, "About 68 %: one unit draws one soft line (course: 67.5 %).", (0.64, 0.72)),
                (2, "About 67 %: still too few units (course: 67.25 %).", (0.63, 0.72)),
                (3, "About 93 %: enough units to bend around the petals (course: 90.75 %).",
                 (0.9, 0.97)),
                (4, "About 93 % (course: 90.5 %).", (0.9, 0.97)),
                (5, "About 93 % (course: 91.25 %).", (0.9, 0.97)),
                (16, "About 94 %: the Playground's cap of 16 units per layer; the course goes "
                     "to 50 and gets about 90 %.", (0.9, 0.98)),
            )),
        explain=(
            "5,000 iterations, α = 1.2, tanh, as in the course. Too few units underfit (a "
            "boundary too simple for the petals); a few more fit. The course's table goes "
            "up to 50 units; the Playground caps a layer at 16."),
        icon=":material/stacked_bar_chart:",
    ),
    Lesson(
        "circle_features", "Circles: features x₁² and x₂²",
        "Give logistic regression x₁² and x₂² and it draws a circle.",
        (Variant("x₁, x₂ only", _cfg(1000, "circles", hide=("data",), **LR),
                 "A straight line: about 52 %, J stuck at 0.69.",
                 Expect(1000, train_accuracy=(0.45, 0.6), final_cost=(0.68, 0.70))),
         Variant("x₁, x₂, x₁², x₂²", _cfg(1000, "circles", hide=("data",),
                                           features=("x1", "x2", "x1sq", "x2sq"), **LR),
                 "No hidden layer, and 100 % in 1,000 iterations: the boundary is a circle.",
                 Expect(1000, train_accuracy=(0.99, 1.0)))),
        explain=(
            "With A[0] = [x₁; x₂; x₁²; x₂²], Z[1] = w₃x₁² + w₄x₂² + … is a quadratic, so "
            "σ(Z[1]) = 0.5 on an ellipse. Choosing features can replace a hidden layer."),
        icon=":material/radio_button_checked:",
    ),
)

LESSONS_BY_KEY = {lesson.key: lesson for lesson in LESSONS}


# ---- checking the claims ------------------------------------------------------------------


def lesson_data(cfg: Config):
    """``(X_train, Y_train, X_test, Y_test)`` exactly as the Playground builds them."""
    X, Y = make_dataset(cfg.dataset, cfg.n_samples, cfg.noise, cfg.data_seed)
    return train_test_split(X, Y, cfg.test_fraction, cfg.data_seed)


@dataclass(frozen=True)
class Outcome:
    initial: Metrics
    final: Metrics
    trainer: Trainer
    first_last_grad_ratio: float


def run_variant(variant: Variant, dtype=np.float64) -> Outcome:
    """Train a variant's config for its stated iterations with the core."""
    t = trainer_from_config(variant.config, *lesson_data(variant.config), dtype=dtype)
    initial = t.metrics()
    norms = initial.dW_norms
    ratio = norms[0] / norms[-1] if norms[-1] > 0 else float("inf")
    t.step(variant.expect.iterations)
    return Outcome(initial, t.metrics(), t, float(ratio))


def _is_affine(trainer: Trainer) -> bool:
    """Is Z[L] an affine function of the raw (x1, x2) over the training points?"""
    X = trainer.X_train_raw.astype(np.float64)
    A0 = feature_matrix(X, trainer.features)
    params = {k: v.astype(np.float64) for k, v in trainer.parameters.items()}
    _, caches = nn.forward_propagation(A0, params, trainer.activations)
    z = caches[-1].Z.ravel()
    D = np.vstack([X, np.ones((1, X.shape[1]))]).T
    coef, *_ = np.linalg.lstsq(D, z, rcond=None)
    return bool(np.max(np.abs(D @ coef - z)) <= 1e-6 * max(1.0, float(np.max(np.abs(z)))))


def check(variant: Variant, outcome: Outcome) -> list[str]:
    """The claims of ``variant.expect`` that ``outcome`` contradicts (empty: all true)."""
    e, fin, t = variant.expect, outcome.final, outcome.trainer
    bad = []

    def within(name, value, rng):
        if rng is not None and not rng[0] <= value <= rng[1]:
            bad.append(f"{name} = {value:.4f}, claimed {rng[0]:g} … {rng[1]:g}")

    if t.iteration != e.iterations and not t.diverged:
        bad.append(f"trained {t.iteration} iterations, not {e.iterations}")
    within("train accuracy", fin.train_accuracy, e.train_accuracy)
    within("final J", fin.train_cost, e.final_cost)
    within("initial J", outcome.initial.train_cost, e.initial_cost)
    if e.diverges is not None and t.diverged != e.diverges:
        bad.append(f"diverged = {t.diverged}, claimed {e.diverges}")
    if e.diverges_within is not None and not (t.diverged and t.diverged_at <= e.diverges_within):
        bad.append(f"diverged at {t.diverged_at}, claimed within {e.diverges_within} iterations")
    if e.constant_output:
        AL = t.caches()[-1].A
        if float(np.ptp(AL)) != 0.0:
            bad.append(f"ŷ varies by {float(np.ptp(AL)):.3g} across examples")
    if e.straight_boundary and not _is_affine(t):
        bad.append("Z[L] is not an affine function of (x1, x2): the boundary is not straight")
    if e.first_last_grad_ratio_below is not None and not (
            outcome.first_last_grad_ratio < e.first_last_grad_ratio_below):
        bad.append(f"||dW[1]|| / ||dW[L]|| = {outcome.first_last_grad_ratio:.3g} at the start, "
                   f"claimed below {e.first_last_grad_ratio_below:g}")
    if e.distinct_units is not None:
        distinct = tuple(d for _, d in hidden_layer_symmetry(t.parameters))
        if distinct != e.distinct_units:
            bad.append(f"distinct units {distinct}, claimed {e.distinct_units}")
    if e.dead_units_at_least is not None:
        dead = dead_units(t.caches()[0].Z, t.activations[0])
        if dead < e.dead_units_at_least:
            bad.append(f"{dead} dead units in layer 1, claimed at least {e.dead_units_at_least}")
    return bad


def summary(cfg: Config) -> str:
    """One line describing a config: data, architecture, activations, init, α, iterations."""
    acts = sorted(set(cfg.activations), key=cfg.activations.index)
    g = "/".join(nn.ACTIVATIONS[a].label for a in acts) if acts else "no hidden layer"
    init = {"random": f"random × {cfg.init_scale:g}", "constant": f"constant {cfg.init_scale:g}"
            }.get(cfg.init, nn.INITIALIZATIONS[cfg.init].label)
    parts = [DATASETS[cfg.dataset].label, cfg.architecture, g, init, f"α = {cfg.alpha:g}"]
    if cfg.stop_iterations:
        parts.append(f"{cfg.stop_iterations:,} iterations")
    return " · ".join(parts)
