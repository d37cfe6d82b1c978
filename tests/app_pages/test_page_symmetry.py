"""The "Symmetry breaking" page under Streamlit's AppTest, opened through app.py."""

from pathlib import Path

import apptest
import pytest
from apptest import play_pause
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGE = "app_pages/symmetry.py"


def open_page() -> AppTest:
    return apptest.open_page(PAGE)


def shown(at: AppTest) -> str:
    """Every text the page shows, metrics included, as one string."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "error", "warning",
                 "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    return "\n".join(parts)


def metrics(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def distinct(at: AppTest) -> list[str]:
    return [m.value for m in at.metric if m.label == "Distinct units"]


def step(at: AppTest, times: int = 1) -> AppTest:
    for _ in range(times):
        at.button(key="sym_step").click().run()
        assert not at.exception, at.exception
    return at


@pytest.fixture
def at() -> AppTest:
    return open_page()


def test_defaults_make_the_point(at):
    text = shown(at)
    assert at.title[0].value == "Symmetry breaking"
    for label in ("zeros", "constant c = 0.5", "random × 0.01"):
        assert label in text
    step(at, 3)
    text = shown(at)
    assert "Iteration 300" in text
    # zeros: every gradient exactly 0; constant: one distinct unit; random: four.
    assert "all gradients are exactly 0: nothing can learn" in text
    assert "4 units, 1 distinct: the layer acts as one unit" in text
    assert "4 distinct units" in text
    assert distinct(at) == ["1 of 4", "1 of 4", "4 of 4"]
    # ŷ of the zero network is one flat colour: the page says so from the numbers.
    assert "ŷ = σ(b[2]) = 0.500 at every point" in text
    # Only the stuck columns offer to break the symmetry.
    keys = {b.key for b in at.button}
    assert {"sym_break_0", "sym_break_1"} <= keys and "sym_break_2" not in keys
    # The three cost curves and the two symmetry charts are drawn, with the boundaries.
    live = apptest.live_figures(at)
    assert {"sym_cost", "sym_distinct", "sym_symmetry"} <= set(live)
    assert sum(k.startswith("sym_boundary_") for k in live) == 3


def test_break_symmetry_splits_the_clones(at):
    step(at)
    assert distinct(at)[1] == "1 of 4"
    at.button(key="sym_break_1").click().run()
    assert not at.exception
    step(at, 2)
    assert distinct(at)[1] == "4 of 4"
    assert "sym_break_1" not in {b.key for b in at.button}
    group = at.session_state["sym_group"]
    assert [len(b) for b in group.breaks] == [0, 1, 0]
    hist = group.trainers[1].history()
    assert hist["distinct"][0, 0] == 1 and hist["distinct"][-1, 0] == 4
    # Reset forgets the noise: a clone again.
    at.button(key="sym_reset").click().run()
    assert distinct(at)[1] == "1 of 4"


def test_every_sidebar_control_changes_the_page(at):
    before = metrics(at)
    at.selectbox(key="sym_w_activation").set_value("relu").run()
    assert not at.exception
    assert metrics(at) != before  # the constant network's cost at iteration 0 changes
    assert "every network was rebuilt" in shown(at)

    at.slider(key="sym_w_units").set_value(8).run()
    assert distinct(at) == ["1 of 8", "1 of 8", "8 of 8"]
    assert "2 → 8 → 1" in shown(at)

    at.multiselect(key="sym_w_choices").set_value(["xavier", "he"]).run()
    titles = [h.value for h in at.header if "●" in h.value]
    assert [t.split("] ")[1] for t in titles] == ["Xavier", "He"]
    assert "zeros" not in shown(at)
    assert len(distinct(at)) == 2

    at.slider(key="sym_w_layers").set_value(2).run()
    assert not at.exception
    assert distinct(at) == ["8 of 8 · 8 of 8"] * 2

    at.selectbox(key="sym_w_dataset").set_value("moons").run()
    assert not at.exception
    assert "Two interleaving half-circles" in shown(at)

    at.toggle(key="sym_w_zero_b").set_value(True).run()
    assert "b started at exactly 0 here too" in shown(at)

    at.multiselect(key="sym_w_choices").set_value([]).run()
    assert not at.exception
    assert "Choose one to three initializations" in shown(at)


def test_constant_and_seed_controls():
    at = open_page()
    at.number_input(key="sym_w_c").set_value(0.0).run()
    # c = 0 is the zero initialization: the numbers say so, whatever the label.
    text = shown(at)
    assert "constant c = 0" in text
    assert text.count("all gradients are exactly 0") == 2
    before = metrics(at)[-3:]
    at.number_input(key="sym_w_seed").set_value(7).run()
    assert metrics(at)[-3:] != before


def test_large_alpha_diverges_in_its_column_only():
    at = open_page()
    at.selectbox(key="sym_w_activation").set_value("relu").run()
    at.multiselect(key="sym_w_choices").set_value(["zeros", "random_10"]).run()
    at.select_slider(key="sym_w_alpha").set_value(10.0).run()
    step(at, 2)
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "Training diverged" in errors[0]
    assert "all gradients are exactly 0" in shown(at)  # the zero column is unaffected


def test_every_network_diverged_the_page_settles():
    # Once every network had diverged, the live part reran the whole page on every run:
    # a page that never finished running (issue 14, item 5). Play is disabled instead.
    at = open_page()
    at.selectbox(key="sym_w_activation").set_value("relu").run()
    at.multiselect(key="sym_w_choices").set_value(["random_10"]).run()
    at.select_slider(key="sym_w_alpha").set_value(10.0).run()
    runs = at.session_state["_live_symmetry_token"]
    at.button(key="sym_step").click().run(timeout=20)
    assert not at.exception, at.exception
    assert at.session_state["sym_group"].all_diverged
    assert at.session_state["_live_symmetry_token"] - runs <= 2
    assert play_pause(at, "sym_play").disabled and at.button(key="sym_step").disabled
    assert "Training diverged" in at.error[0].value
