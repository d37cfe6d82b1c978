"""Every lesson's claim is true: each variant is trained with the core for its stated
iterations (float64, as the brief asks; the quick ones in float32 too, as the live
Playground trains) and its ``Expect`` is checked."""

from pathlib import Path

import numpy as np
import pytest

from playground.lab import lessons as L
from playground.lab.config import from_query

ROOT = Path(__file__).resolve().parents[2]
SLOW_ITERATIONS = 5000  # variants training this long (or longer) are marked slow

VARIANTS = [(lesson, v) for lesson in L.LESSONS for v in lesson.variants]


def _param(lesson, v, dtype):
    big = v.expect.iterations * max(1, sum(v.config.hidden)) >= SLOW_ITERATIONS * 8
    marks = [pytest.mark.slow] if big else []
    return pytest.param(lesson, v, dtype, marks=marks,
                        id=f"{lesson.key}-{v.label}-{np.dtype(dtype).name}")


# float32 too for the short runs, where the live page's dtype could matter most
# (divergence, dead units); the long runs agree with float64 to the printed digits.
CASES = [_param(lesson, v, np.float64) for lesson, v in VARIANTS] + [
    _param(lesson, v, np.float32) for lesson, v in VARIANTS
    if v.expect.iterations <= 2000 and v.expect.iterations * max(1, sum(v.config.hidden))
    < SLOW_ITERATIONS * 8]


@pytest.mark.parametrize("lesson, variant, dtype", CASES)
def test_claim_holds(lesson, variant, dtype):
    outcome = L.run_variant(variant, dtype)
    assert L.check(variant, outcome) == []


def test_registry_is_well_formed():
    keys = [lesson.key for lesson in L.LESSONS]
    assert len(keys) == len(set(keys)) and len(keys) >= 10
    for lesson in L.LESSONS:
        assert lesson.title and lesson.sentence and lesson.explain and lesson.variants
        assert (ROOT / lesson.page).exists()
        for page, _ in lesson.see_also:
            assert (ROOT / page).exists()
        labels = lesson.variant_labels
        assert len(labels) == len(set(labels))
        for v in lesson.variants:
            # Play stops exactly where the card's numbers were measured
            assert v.config.stop_iterations == v.expect.iterations
            assert v.claim


@pytest.mark.parametrize("lesson, variant", VARIANTS,
                         ids=[f"{lesson.key}-{v.label}" for lesson, v in VARIANTS])
def test_config_survives_the_url(lesson, variant):
    """The Playground reads the lesson from the URL: it must come back identical."""
    cfg, notices = from_query(variant.config.to_query())
    assert notices == [] and cfg == variant.config


def test_required_lessons_are_there():
    by_key = L.LESSONS_BY_KEY
    zeros = by_key["zeros"].variants[0].config
    assert zeros.init == "zeros" and zeros.hidden == (4,) and zeros.activations == ("tanh",)
    assert by_key["linear"].variants[0].config.activations == ("linear",)
    assert by_key["logistic"].variants[0].config.hidden == ()
    assert any(v.config.alpha == 10 for v in by_key["alpha_large"].variants)
    deep = by_key["deep_sigmoid"].variants[0].config
    assert deep.hidden == (8,) * 5 and set(deep.activations) == {"sigmoid"}
    assert by_key["xor"].variants[0].config.dataset == "xor"
    assert [v.config.hidden[0] for v in by_key["hidden_size"].variants] == [1, 2, 3, 4, 5, 16]
    circles = by_key["circle_features"].variants[1].config
    assert circles.features == ("x1", "x2", "x1sq", "x2sq") and circles.hidden == ()
    assert any(v.config.init_scale == 10 for v in by_key["too_large"].variants)


def test_check_reports_a_false_claim():
    lesson = L.LESSONS_BY_KEY["logistic"]
    v = lesson.variants[0]
    wrong = L.Variant(v.label, v.config, v.claim,
                      L.Expect(v.expect.iterations, train_accuracy=(0.9, 1.0)))
    outcome = L.run_variant(wrong)
    assert any("train accuracy" in msg for msg in L.check(wrong, outcome))


def test_summary():
    text = L.summary(L.LESSONS_BY_KEY["too_large"].variants[0].config)
    assert text == "Circles · 2 → 10 → 5 → 1 · ReLU · random × 10 · α = 0.01 · 15,000 iterations"
