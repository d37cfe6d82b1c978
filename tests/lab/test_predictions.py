"""Predict, then run (issue 15, part 3): the questions are well formed, every card's correct
answer is what its run really gives (each lesson question's run is trained, as
test_lessons.py does for the cards' claims), the classifier on crafted measurements, and
the verdict's sentence made of the run's numbers."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from playground.core.datasets import make_dataset, train_test_split
from playground.lab import compare as cmp
from playground.lab import lessons as L
from playground.lab import predictions as P
from playground.lab import symmetry as S
from playground.lab.config import PREDICT, Config, from_query, parse_predict

SLOW_WORK = 5000 * 8  # iterations × hidden units from which a run is marked slow


def _param(q, dtype):
    v = P.question_variant(q)
    big = v.expect.iterations * max(1, sum(v.config.hidden)) >= SLOW_WORK
    return pytest.param(q, dtype, marks=[pytest.mark.slow] if big else [],
                        id=f"{q.key}-{np.dtype(dtype).name}")


# float32: the live Playground's dtype (what the student runs); float64: the course's.
CASES = [_param(q, dt) for q in P.LESSON_QUESTIONS for dt in (np.float32, np.float64)]


@pytest.mark.parametrize("q, dtype", CASES)
def test_the_cards_answer_is_what_the_run_gives(q, dtype):
    v = P.question_variant(q)
    outcome = L.run_variant(v, dtype)
    m = P.measure(outcome.trainer)
    assert P.reached(q, m.iteration, m.diverged)
    assert q.outcome(m) == q.answer, q.why(m)
    verdict = P.judge(q, q.answer, m)
    assert verdict.held and verdict.actual == q.label_of(q.answer)
    assert re.search(r"\d", verdict.why)  # said with the run's numbers
    wrong = next(o for o in q.outcomes if o != q.answer)
    assert not P.judge(q, wrong, m).held


def test_questions_are_well_formed():
    keys = [q.key for q in P.QUESTIONS]
    assert len(keys) == len(set(keys))
    assert {q.lesson for q in P.LESSON_QUESTIONS} == set(L.LESSONS_BY_KEY)  # one per card
    for q in P.QUESTIONS:
        assert 3 <= len(q.choices) <= 4 and q.text
        # every outcome the classifier can give is a choice: a run always lands on one
        assert q.outcomes == list(P.ASPECTS[q.aspect].outcomes)
        assert len(set(q.labels)) == len(q.labels)
        assert q.answer in q.outcomes
    for q in P.LESSON_QUESTIONS:
        v = P.question_variant(q)
        assert v.label == q.variant and q.iteration == v.expect.iterations


def test_issue_example_question():
    q = P.LESSON_QUESTIONS_BY_LESSON["zeros"]
    assert q.text == "With W = 0 and tanh, after 10,000 iterations the boundary will be:"
    assert [w.split(":")[0] for w in q.labels] == [
        "a flat colour", "a straight line", "a circle (or an oval)", "a flower"]


# ---- the classifier on crafted measurements -------------------------------------------------


def _m(**kw) -> P.Measurements:
    base = {"iteration": 100, "m": 320, "L": 2, "initial_cost": 0.6931, "cost": 0.5,
            "accuracy": 0.7, "yhat_min": 0.2, "yhat_max": 0.8, "z_max": 2.0, "affine_misfit": 0.3,
            "quadratic_misfit": 0.2, "units": (4,), "distinct": (4,),
            "grad_distinct": (4,), "symmetry": (0.3,)}
    return P.Measurements(**{**base, **kw})


@pytest.mark.parametrize("kw, outcome", [
    ({"yhat_min": 0.5, "yhat_max": 0.5}, "flat"),
    ({"yhat_min": 0.3, "yhat_max": 0.3 + 5e-7, "affine_misfit": 0.0}, "flat"),
    ({"affine_misfit": 1e-12}, "straight"),
    ({"affine_misfit": 1.9e-6}, "straight"),  # within 1e-6 × max |Z[L]|
    ({"affine_misfit": 1e-8, "z_max": 1e-4}, "straight"),  # ... or within 1e-6
    ({"affine_misfit": 2.1e-6, "quadratic_misfit": 2.1e-6, "ellipse": True}, "curved"),
    ({"affine_misfit": 0.4, "quadratic_misfit": 1e-10, "ellipse": True}, "ellipse"),
    ({"affine_misfit": 0.4, "quadratic_misfit": 1e-10, "ellipse": False}, "curved"),
    ({}, "curved"),
])
def test_boundary(kw, outcome):
    assert P.ASPECTS["boundary"].classify(_m(**kw)) == outcome


@pytest.mark.parametrize("accuracy, outcome", [
    (0.0, "chance"), (0.5999, "chance"), (0.6, "partly"), (0.8499, "partly"), (0.85, "most"),
    (0.9899, "most"), (0.99, "all"), (1.0, "all")])
def test_accuracy_bands(accuracy, outcome):
    assert P.ASPECTS["accuracy"].classify(_m(accuracy=accuracy)) == outcome


@pytest.mark.parametrize("distinct, outcome", [((4,), "all"), ((2,), "some"), ((1,), "one")])
def test_units(distinct, outcome):
    assert P.ASPECTS["units"].classify(_m(distinct=distinct, grad_distinct=distinct)) == outcome


@pytest.mark.parametrize("kw, outcome", [
    ({"diverged": True, "diverged_at": 32, "cost": 1e10}, "diverged"),
    ({"cost": 0.6931}, "stuck"), ({"cost": 0.6931 + 0.0199}, "stuck"),
    ({"cost": 0.99}, "rose"), ({"cost": 0.2}, "fell")])
def test_cost(kw, outcome):
    assert P.ASPECTS["cost"].classify(_m(**kw)) == outcome


def test_lowest():
    m = P.measure_comparison(["sigmoid", "tanh", "relu"], [[0.2, 0.22], [0.12, 0.13], [0.16]],
                             [[False, False], [False, False], [False]], 3000)
    assert P.COMPARE_QUESTION.outcome(m) == "tanh"
    assert "tanh 0.1250" in P.COMPARE_QUESTION.why(m)
    near = P.measure_comparison(["sigmoid", "tanh", "relu"], [[0.2], [0.125], [0.13]],
                                [[False], [False], [False]], 3000)
    assert P.COMPARE_QUESTION.outcome(near) == "equal"
    # a diverged seed is left out of its activation's mean
    div = P.measure_comparison(["sigmoid", "tanh", "relu"], [[0.2], [0.1, np.inf], [0.3]],
                               [[False], [False, True], [False]], 3000)
    assert div.final_costs[1] == ("tanh", 0.1, 1)


def test_the_why_is_made_of_the_numbers():
    """Two runs that land on the same choice say different numbers: nothing is fixed text."""
    q = P.LESSON_QUESTIONS_BY_LESSON["logistic"]
    a, b = _m(accuracy=0.4625, cost=0.6571), _m(accuracy=0.5125, cost=0.6891)
    assert q.outcome(a) == q.outcome(b) == "chance"
    assert "46.2%" in q.why(a) and "0.6571" in q.why(a) and "148 of 320" in q.why(a)
    assert "51.2%" in q.why(b) and "0.6891" in q.why(b)
    v = P.judge(q, "most", a)
    assert not v.held and "did not hold" in v.headline and "you said" in v.headline
    assert P.judge(q, None, a).picked == "no answer"


# ---- real runs besides the lessons' --------------------------------------------------------


def test_symmetry_question_on_the_pages_default_networks():
    """The Symmetry page's default: flower, 4 tanh units, zeros / constant 0.5 / random,
    α = 1.2, float64 as the page trains; judged at iteration 1,000."""
    X, Y = make_dataset("flower", 400, None, 0)
    group = S.LockstepGroup(*train_test_split(X, Y, 0.2, 0), hidden=(4,), activation="tanh",
                            choices=S.DEFAULT_CHOICES, c=0.5, seed=1, alpha=1.2)
    q = P.SYMMETRY_QUESTION
    group.step(q.iteration)
    col = group.choices.index("constant")
    m = P.measure(group.trainers[col])
    assert q.outcome(m) == q.answer == "one"
    assert "1 distinct unit of 4" in q.why(m)
    # the random column's units are all different: the classifier reads the numbers
    assert q.outcome(P.measure(group.trainers[group.choices.index("random_0.01")])) == "all"


@pytest.mark.slow
def test_compare_question_on_the_pages_default_run():
    X, Y = make_dataset("flower", 400, None, 0)
    run = cmp.run_comparison(cmp.CompareSettings(), *train_test_split(X, Y, 0.2, 0),
                             dtype=np.float32)
    results = cmp.run_results(run, 0.3)
    m = P.measure_comparison([r.name for r in results], [r.final_cost for r in results],
                             [r.diverged for r in results], run.settings.iterations)
    assert P.COMPARE_QUESTION.outcome(m) == P.COMPARE_QUESTION.answer == "tanh"


def test_a_crafted_trainer_at_iteration_zero():
    """Before any training, random × 0.01 on the flower: ŷ ≈ 0.5 but not flat, all units
    distinct, J has not moved; the weights are so small that tanh works in its linear
    part: the boundary is a straight line (to a millionth), bending only as it learns."""
    v = L.LESSONS_BY_KEY["one_hidden"].variants[0]
    t = L.run_variant(L.Variant(v.label, v.config, v.claim, L.Expect(0)), np.float64).trainer
    m = P.measure(t)
    assert m.iteration == 0 and not math.isnan(m.initial_cost) and m.cost == m.initial_cost
    assert P.ASPECTS["cost"].classify(m) == "stuck"
    assert P.ASPECTS["units"].classify(m) == "all"
    assert P.ASPECTS["boundary"].classify(m) == "straight"
    assert m.yhat_spread > 1e-6 and m.z_max < 0.01


# ---- which run is a lesson's, and the URL parameter ----------------------------------------


def test_question_for_run():
    q = P.LESSON_QUESTIONS_BY_LESSON["zeros"]
    cfg = P.question_variant(q).config
    assert P.question_for_run(cfg, cfg.stop_iterations) is q
    # the stop reached is lifted (stop_iterations 0): its value still names the lesson
    lifted = cfg.replace(stop_iterations=0, speed="slow", hide=())
    assert P.question_for_run(lifted, 10_000) is q
    assert P.question_for_run(lifted, 0) is None
    assert P.question_for_run(cfg.replace(alpha=0.6), 10_000) is None
    assert P.question_for_run(Config(), 0) is None
    # the default network stopped at 10,000 is the one-hidden-layer lesson's very run
    # (same data, network, α and stop; only the view differs): its question is asked
    assert P.question_for_run(Config(), 10_000) is P.LESSON_QUESTIONS_BY_LESSON["one_hidden"]


@pytest.mark.parametrize("value, on", [("off", False), ("0", False), ("false", False),
                                       ("no", False), ("on", True), ("1", True),
                                       ("yes", True), (["on", "off"], False)])
def test_parse_predict(value, on):
    assert parse_predict(value) == (on, "")


def test_parse_predict_nonsense_says_so():
    on, notice = parse_predict("maybe")
    assert on is True
    assert notice == "'predict=maybe' is not on or off: the questions stay on (use " \
                     "predict=off to hide them)"
    on, notice = parse_predict("x" * 60)
    assert on and "…" in notice and len(notice) < 140


def test_from_query_leaves_predict_to_the_pages():
    cfg, notices = from_query({PREDICT: "off", "init": "zeros"})
    assert notices == [] and cfg.init == "zeros"
    cfg, notices = from_query({PREDICT: "nonsense"})
    assert notices == [] and cfg == Config()
