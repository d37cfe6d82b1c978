"""AppTest tests of the Playground's Network tab (distinct units) and "Your points" tab
(issue 13, items 3 and 6)."""

from __future__ import annotations

import json

import apptest
import numpy as np
from apptest import button
from streamlit.testing.v1 import AppTest

PAGE = "app_pages/playground.py"


def _distinct_line(at: AppTest) -> str:
    lines = [m.value for m in at.markdown if m.value.startswith("**Distinct units")]
    assert len(lines) == 1, [m.value for m in at.markdown]
    return lines[0]


# ---- Network tab: distinct units, counted from the weights --------------------------------


def test_network_tab_counts_clones_of_a_constant_initialization():
    """The lesson "Identical weights stay clones" points at this count."""
    at = apptest.open_page(PAGE, query={"init": "constant", "init_scale": "0.5"})
    assert _distinct_line(at) == ("**Distinct units at iteration 0**: layer 1: 4 units, "
                                  "1 distinct (all clones: the layer acts as one unit).")
    button(at, r"Step ×10").click().run()
    assert "iteration 10**: layer 1: 4 units, 1 distinct (all clones" in _distinct_line(at)


def test_network_tab_counts_distinct_units_of_a_random_network_per_layer():
    at = apptest.open_page(PAGE, query={"hidden": "4,3", "activations": "tanh,relu"})
    assert _distinct_line(at).endswith(
        "layer 1: 4 units, 4 distinct; layer 2: 3 units, 3 distinct.")


def test_editing_one_weight_of_a_clone_splits_it_off():
    """The count follows the weights, not the initialization's name."""
    at = apptest.open_page(PAGE, query={"init": "constant", "init_scale": "0.5"})
    at.number_input(key="edit_W[1]1,1_0").set_value(2.0)
    button(at, "Apply").click().run()
    assert "layer 1: 4 units, 2 distinct (clones: the layer acts as 2 units)" in \
        _distinct_line(at)


def test_logistic_regression_has_no_distinct_units_line():
    at = apptest.open_page(PAGE, query={"hidden": ""})
    assert "`2 → 1`" in " ".join(m.value for m in at.sidebar.markdown)
    assert not [m for m in at.markdown if m.value.startswith("**Distinct units")]


# ---- Your points: the click plane, the list, remove and clear ------------------------------


def _points_tab(at: AppTest) -> AppTest:
    at.session_state["view_tab"] = "Your points"
    return at.run()


def _click_plane(at: AppTest) -> dict:
    planes = [el for el in at.get("bidi_component")
              if el.proto.component_name == "nn_playground_click_plane"]
    assert len(planes) == 1
    return json.loads(planes[0].proto.bytes)["figure"]


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_points_tab_draws_a_click_plane_without_zoom():
    at = _points_tab(apptest.open_page(PAGE))
    assert not at.exception
    fig = _click_plane(at)
    assert fig["layout"]["dragmode"] is False  # a click adds a point, never a zoom box
    assert fig["data"][0]["type"] == "heatmap"
    assert _metric(at, "Your points") == "0"
    assert not [el for el in at.get("plotly_chart")]  # no st.plotly_chart selection any more


def test_points_are_training_data_listed_by_coordinates_and_removable():
    at = apptest.open_page(PAGE)
    m = at.session_state["trainer"].X_train_raw.shape[1]
    at.session_state["user_points"] = (np.array([[0.8, -4.2, 4.3], [2.6, -4.3, 4.2]]),
                                       np.array([[1.0, 1.0, 0.0]]))
    at = _points_tab(at)
    assert _metric(at, "Your points") == "3"
    listed = next(md.value for md in at.markdown if md.value.startswith("**Your points"))
    assert "1. (0.800, 2.600) → y = 1" in listed and "3. (4.300, 4.200) → y = 0" in listed
    t = at.session_state["trainer"]
    assert t.X_train_raw.shape[1] == m + 3  # the data the network trains on
    np.testing.assert_allclose(t.X_train_raw[:, -3:], [[0.8, -4.2, 4.3], [2.6, -4.3, 4.2]])
    names = {tr.get("name") for tr in _click_plane(at)["data"]}
    assert {"added, y=0", "added, y=1"} <= names  # drawn as stars on the plane

    button(at, r"Step ×10").click().run()
    assert at.session_state["trainer"].iteration == 10
    button(at, "Remove the last").click().run()
    assert _metric(at, "Your points") == "2"
    assert at.session_state["trainer"].iteration == 0  # the data changed: training restarted
    toasts = " ".join(t.value for t in at.toast)
    assert "Removed your point at (4.300, 4.200)" in toasts, toasts
    assert "reset to iteration 0 (it was at iteration 10)" in toasts, toasts
    button(at, "Clear my points").click().run()
    assert _metric(at, "Your points") == "0"
    assert at.session_state["user_points"] is None
    assert at.session_state["trainer"].X_train_raw.shape[1] == m


def test_without_served_plotly_js_the_plane_falls_back_to_a_clickable_grid(monkeypatch):
    """Where plotly.js cannot be served to the component, st.plotly_chart's selection is
    used with an invisible point at every grid node, and the page says clicks snap."""
    from playground.ui import click_plane as ui_click

    monkeypatch.setattr(ui_click, "plotly_js_url", lambda: None)
    at = _points_tab(apptest.open_page(PAGE))
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    grid = [tr for tr in json.loads(charts[0].proto.spec)["data"] if tr.get("name") == "grid"]
    assert len(grid) == 1 and grid[0]["marker"]["opacity"] == 0
    assert any("snap to the nearest node of a 50 × 50 grid" in c.value for c in at.caption)
