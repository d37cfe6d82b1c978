"""The "Activation functions" page under Streamlit's AppTest, opened through app.py."""

from pathlib import Path

import apptest
import pytest
from streamlit.testing.v1 import AppTest

from playground.core.nn import ACTIVATIONS

ROOT = Path(__file__).resolve().parents[2]
PAGE = "app_pages/activation_functions.py"


@pytest.fixture(scope="module")
def page() -> AppTest:
    return apptest.open_page(PAGE)


def chart(at: AppTest) -> dict:
    charts = apptest.chart_figures(at)
    assert len(charts) == 1
    return next(iter(charts.values()))


def test_every_formula_is_shown_with_st_latex(page):
    shown = [el.value for el in page.latex]
    for act in ACTIVATIONS.values():
        assert any(act.latex in v for v in shown), act.name
        assert any(act.dlatex in v for v in shown), act.name


def test_one_curve_panel_and_one_table_row_per_registry_entry(page):
    spec = chart(page)
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert titles == [a.label for a in ACTIVATIONS.values()]
    # g and g' per activation
    assert len(spec["data"]) == 2 * len(ACTIVATIONS)
    df = page.table[0].value
    assert list(df.index) == [a.label for a in ACTIVATIONS.values()]
    assert df.loc["tanh", "zero-centred?"] == "yes" and df.loc["sigmoid", "range of g"] == "(0, 1)"


def test_z_range_changes_the_chart(page):
    before = chart(page)
    assert before["layout"]["xaxis"]["range"] == [-6, 6]
    page.slider(key="act_w_z_range").set_value((-15.0, 2.0)).run()
    assert not page.exception
    after = chart(page)
    assert after["layout"]["xaxis"]["range"] == [-15, 2]
    assert after["data"][0]["x"] != before["data"][0]["x"]


def test_shading_follows_the_toggle(page):
    def shaded(spec):
        return sum(1 for s in spec["layout"].get("shapes", []) if s.get("name") == "saturated")

    page.toggle(key="act_w_shade").set_value(True).run()
    assert shaded(chart(page)) > 0
    page.toggle(key="act_w_shade").set_value(False).run()
    assert shaded(chart(page)) == 0


def test_handles_on_top_of_each_other_do_not_break_the_page(page):
    page.slider(key="act_w_z_range").set_value((3.0, 3.0)).run()
    assert not page.exception
    assert chart(page)["layout"]["xaxis"]["range"] == [2.5, 3.5]
