"""The "Sigmoid vs tanh vs ReLU" page under Streamlit's AppTest, opened through app.py."""

import re
from pathlib import Path

import apptest
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGE = "app_pages/compare_activations.py"
ACCURACY_COLUMNS = ["train accuracy", "test accuracy"]


def open_page() -> AppTest:
    return apptest.open_page(PAGE, timeout=120)


def small(at: AppTest, seeds: int = 2) -> AppTest:
    """Few iterations and seeds, so that each Run takes a fraction of a second."""
    at.select_slider(key="cmp_w_iterations").set_value(100)
    at.slider(key="cmp_w_seeds").set_value(seeds)
    return at


def run(at: AppTest) -> AppTest:
    at.button(key="cmp_run").click().run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest):
    return at.dataframe[0].value


def accuracies(df) -> np.ndarray:
    """The mean accuracies of "91.3 % ± 0.9" cells, as fractions ("—" gives NaN)."""
    cells = df[ACCURACY_COLUMNS].to_numpy().ravel()
    return np.array([float(c.split("%")[0]) / 100 if "%" in c else np.nan for c in cells])


def plotly_count(at: AppTest) -> int:
    return len(apptest.chart_figures(at))


@pytest.fixture(scope="module")
def page() -> AppTest:
    return open_page()


def test_defaults_render_a_finished_comparison(page):
    df = table(page)
    assert list(df["activation"]) == ["sigmoid", "tanh", "ReLU"]
    assert plotly_count(page) >= 3 + 1  # three boundaries and the curves
    assert any("Last run: 15 networks" in c.value for c in page.caption)
    # The point of the default: tanh gets below the threshold well before sigmoid.
    col = "J < 0.3 at iteration"
    first = {a: int(v.split()[0].replace(",", "")) for a, v in zip(df["activation"], df[col],
                                                                      strict=True)}
    assert first["tanh"] < first["sigmoid"]


def test_run_with_small_settings_gives_one_row_per_activation():
    at = run(small(open_page()))
    df = table(at)
    assert len(df) == 3
    values = accuracies(df)
    assert np.all((values >= 0) & (values <= 1))
    assert any("Last run: 6 networks" in c.value for c in at.caption)
    assert not at.error


def test_settings_changed_says_press_run_and_threshold_needs_no_run():
    at = small(open_page()).run()
    assert any("press **Run**" in i.value for i in at.info)
    run(at)
    n_runs = len(at.session_state["cmp_runs"])
    at.select_slider(key="cmp_w_threshold").set_value(0.6).run()
    assert "J < 0.6 at iteration" in table(at).columns
    assert len(at.session_state["cmp_runs"]) == n_runs
    assert not any("press **Run**" in i.value for i in at.info)


def test_linear_adds_a_row_and_the_straight_boundary_note():
    at = small(open_page())
    at.multiselect(key="cmp_w_activations").set_value(["sigmoid", "tanh", "relu", "linear"])
    df = table(run(at))
    assert list(df["activation"]) == ["sigmoid", "tanh", "ReLU", "linear"]
    notes = [i.value for i in at.info if "W'x + b'" in i.value]
    assert len(notes) == 1 and "straight line" in notes[0]


def test_changing_the_seeds_changes_the_table():
    at = run(small(open_page(), seeds=2))
    before = table(at)
    at.slider(key="cmp_w_seeds").set_value(4)
    after = table(run(at))
    assert not before.equals(after)
    assert any("Last run: 12 networks" in c.value for c in at.caption)


def test_a_huge_comparison_is_refused_with_a_reason():
    at = open_page()
    at.multiselect(key="cmp_w_activations").set_value(["sigmoid", "tanh", "relu", "elu", "gelu"])
    at.slider(key="cmp_w_seeds").set_value(20)
    at.slider(key="cmp_w_layers").set_value(4)
    at.slider(key="cmp_w_units").set_value(16)
    at.select_slider(key="cmp_w_iterations").set_value(10_000).run()
    assert not at.exception
    assert at.button(key="cmp_run").disabled
    assert any("minutes" in w.value for w in at.warning)
    assert len(table(at)) == 3  # the last finished comparison is still on show


def test_alpha_10_is_flagged_not_a_traceback():
    at = small(open_page())
    at.slider(key="cmp_w_layers").set_value(1)
    at.slider(key="cmp_w_units").set_value(4)
    at.select_slider(key="cmp_w_alpha").set_value(10.0)
    df = table(run(at))
    assert (df["status"] != "ok").any()
    diverged = df["status"].str.startswith("diverged: 2 of 2")
    assert np.isnan(accuracies(df[diverged])).all()  # shown as "—", not as a number
    messages = " ".join(e.value for e in [*at.error, *at.warning])
    assert "α = 10" in messages and "smaller α" in messages


# ---- every factual caption is computed from the run it describes (issue 13, item 9) -------


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def _gradient_sentence(at: AppTest) -> str:
    from playground.lab import compare as cmp

    current = at.session_state["cmp_runs"][at.session_state["cmp_current"]]
    s = current.settings
    return cmp.gradient_gap_sentence(
        cmp.gradient_gaps(current.history, s.activations, s.n_seeds), current.L)


def test_default_gradient_caption_is_the_run_s_not_iteration_0_s(page):
    """The default run (sigmoid, 2 hidden layers): sigmoid's ‖dW[1]‖ starts far below the
    last layer's and ends above it; the caption says both, with their iterations."""
    text = _captions(page)
    assert "far smaller than the last layer's" not in text  # the old, iteration-0-only claim
    sentence = _gradient_sentence(page)
    assert sentence and sentence in text
    start, end = (float(v) for v in re.search(
        r"sigmoid: ([\d.e-]+)× at iteration 0, ([\d.e-]+)× at iteration 3,000", text).groups())
    assert start < 1 < end
    assert "Solid: at iteration 0; dashed: at iteration 3,000, the end of training." in text


def test_captions_change_when_the_run_makes_the_fact_true(page):
    """A short run of a deep sigmoid network: there ‖dW[1]‖ stays the smaller one, and the
    caption says so; the summary names this run's winner."""
    at = open_page()
    at.multiselect(key="cmp_w_activations").set_value(["sigmoid", "tanh"])
    at.slider(key="cmp_w_layers").set_value(4)
    at = run(small(at))
    text = _captions(at)
    assert "‖dW[5]‖" in text and _gradient_sentence(at) in text
    assert "sigmoid: " in text and "smaller all through training" in text
    assert "dashed: at iteration 100, the end of training" in text
    assert re.search(r"In this run, (sigmoid|tanh) ended with the lowest cost", text, re.I), text


def test_one_seed_says_seed_and_shows_no_spread():
    """One seed per activation: "1 seed", not "1 seeds", and no "± 0.0" spread."""
    at = run(small(open_page(), seeds=1))
    header = next(m.value for m in at.markdown if "networks**" in m.value)
    assert "3 activations × 1 seed = 3 networks" in header, header
    df = table(at)
    cells = " ".join(df[["train accuracy", "test accuracy", "final cost J"]]
                     .to_numpy().ravel().astype(str))
    assert "±" not in cells, cells
    assert np.all(np.isfinite(accuracies(df)))  # the numbers themselves are there
    captions = " ".join(c.value for c in at.caption)
    assert "One seed per activation" in captions and "Mean over" not in captions
    assert "1 seeds" not in captions + header
    assert "Summary (one seed)" in [h.value for h in at.header]
    # Two seeds: the spread is back.
    at.slider(key="cmp_w_seeds").set_value(2)
    run(at)
    assert "±" in table(at)["train accuracy"].iloc[0]
