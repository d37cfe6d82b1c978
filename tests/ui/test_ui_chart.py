"""playground.ui.live_chart: plotly.js put in static/, its URL, and the fallback to
st.plotly_chart (the in-place drawing itself is checked in Chromium:
tests/browser/test_pages.py::test_live_charts_never_blank_while_playing)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import plotly
import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from playground.ui import live_chart as ui_chart


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """ui_chart with its static folder in tmp_path and its once-per-process cache cleared."""
    monkeypatch.setattr(ui_chart, "STATIC", tmp_path / "static")
    ui_chart.install_plotly_js.cache_clear()
    ui_chart.cartesian_plotly_js.cache_clear()
    yield tmp_path / "static"
    ui_chart.install_plotly_js.cache_clear()
    ui_chart.cartesian_plotly_js.cache_clear()


@pytest.fixture
def option():
    """Set Streamlit config options for one test."""
    saved = {}

    def set_(name, value):
        saved.setdefault(name, st_config.get_option(name))
        st_config.set_option(name, value)

    yield set_
    for name, value in saved.items():
        st_config.set_option(name, value)


def test_plotly_js_is_copied_once_with_its_version_in_the_name(fresh):
    name = ui_chart.install_plotly_js()
    version = plotly.offline.get_plotlyjs_version()
    assert name == f"plotly-{version}.min.js"
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert (fresh / name).read_bytes() == source.read_bytes()
    assert [p.name for p in fresh.iterdir()] == [name]  # no temporary file left


def test_an_unwritable_static_folder_means_no_live_charts(monkeypatch, tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setattr(ui_chart, "STATIC", blocker / "static")
    ui_chart.install_plotly_js.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="playground.ui.live_chart"):
            assert ui_chart.install_plotly_js() is None
    finally:
        ui_chart.install_plotly_js.cache_clear()
    assert "fall back to st.plotly_chart" in caplog.text


def test_url_follows_the_base_path_and_static_serving(fresh, option):
    name = f"plotly-{plotly.offline.get_plotlyjs_version()}.min.js"
    option("server.enableStaticServing", True)
    option("server.baseUrlPath", "")
    assert ui_chart.plotly_js_url() == f"/app/static/{name}"
    option("server.baseUrlPath", "/class/nn/")
    assert ui_chart.plotly_js_url() == f"/class/nn/app/static/{name}"
    option("server.enableStaticServing", False)
    assert ui_chart.plotly_js_url() is None


def _page():
    import numpy as np
    import streamlit as st

    from playground.figures.series import cost_spec, make_cost_figure
    from playground.ui import live_chart as ui_chart

    h = {"iteration": np.arange(3), "train_cost": np.array([0.7, 0.6, 0.5]),
         "train_data_cost": np.array([0.7, 0.6, 0.5]), "test_cost": np.full(3, np.nan),
         "train_accuracy": np.array([0.5, 0.6, 0.7]), "test_accuracy": np.full(3, np.nan)}
    ui_chart.live_chart(cost_spec(h), key="spec", alt="Cost at iteration 2: J 0.5")
    ui_chart.live_chart(make_cost_figure(h), key="figure")
    st.write("done")


def test_live_chart_sends_the_figure_json(option):
    option("server.enableStaticServing", True)
    at = AppTest.from_function(_page).run()
    assert not at.exception
    charts = {el.key: json.loads(el.proto.bytes) for el in at.get("bidi_component")}
    assert set(charts) == {"spec", "figure"}
    assert charts["spec"]["alt"] == "Cost at iteration 2: J 0.5"
    # No alt: the text is read off the figure, never empty.
    assert charts["figure"]["alt"] == "Chart of cost J against iteration: train J, train accuracy."
    for payload in charts.values():
        assert payload["plotly"].endswith(".min.js")
        assert payload["config"]["displayModeBar"] is False  # no toolbar over the legend
        assert [t["name"] for t in payload["figure"]["data"]] == ["train J", "train accuracy"]
    a, b = charts["spec"]["figure"], charts["figure"]["figure"]
    a["layout"].pop("template"), b["layout"].pop("template")
    assert a == b


def test_without_static_serving_it_is_st_plotly_chart(option):
    option("server.enableStaticServing", False)
    at = AppTest.from_function(_page).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    assert not at.get("bidi_component")
    # The text alternatives are in the page, visually hidden, before each chart.
    texts = [el.proto.body for el in at.get("html")]
    assert any("Cost at iteration 2: J 0.5" in t for t in texts)
    assert all("clip:rect(0,0,0,0)" in t for t in texts)


def _commit_version():
    return plotly.offline.get_plotlyjs_version()


def test_the_committed_cartesian_bundle_is_the_plotly_packages_version():
    # A plotly upgrade must bring the matching cartesian bundle (npm
    # plotly.js-cartesian-dist-min), else every chart loads the 4.8 MB plotly.js.
    name = ui_chart.cartesian_plotly_js()
    assert name == f"plotly.js-cartesian-{_commit_version()}.min.js"
    head = (ui_chart.STATIC / name).read_bytes()[:200].decode()
    assert f"plotly.js (cartesian - minified) v{_commit_version()}" in head


def test_the_cartesian_bundle_serves_every_trace_type_but_webgl(fresh, option):
    option("server.enableStaticServing", True)
    option("server.baseUrlPath", "")
    full = f"/app/static/plotly-{_commit_version()}.min.js"
    assert ui_chart.plotly_js_url({"heatmap", "scatter"}) == full  # no cartesian file here
    fresh.mkdir(parents=True, exist_ok=True)
    cart = fresh / f"plotly.js-cartesian-{_commit_version()}.min.js"
    cart.write_text("// stand-in")
    ui_chart.cartesian_plotly_js.cache_clear()
    assert ui_chart.plotly_js_url({"heatmap", "scatter", "bar", "box"}) == (
        f"/app/static/{cart.name}")
    assert ui_chart.plotly_js_url() == f"/app/static/{cart.name}"
    assert ui_chart.plotly_js_url({"heatmap", "scattergl"}) == full
    # Another version's cartesian file is not used.
    cart.rename(fresh / "plotly.js-cartesian-0.0.1.min.js")
    ui_chart.cartesian_plotly_js.cache_clear()
    assert ui_chart.plotly_js_url({"scatter"}) == full


def _gl_page():
    import numpy as np

    from playground.core.diagnostics import make_grid
    from playground.figures.boundary import SCATTERGL_THRESHOLD, decision_boundary_spec
    from playground.figures.series import make_series_figure
    from playground.ui import live_chart as ui_chart

    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, SCATTERGL_THRESHOLD + 1))
    Y = (X[:1] > 0).astype(float)
    grid = make_grid(X, 8)
    spec = decision_boundary_spec(grid, np.full((8, 8), 0.3), X, Y)
    ui_chart.live_chart(spec, key="gl", alt="many points")
    ui_chart.live_chart(make_series_figure(
        [{"name": "J", "x": [0, 1], "y": [1, 0]}], y_title="J"), key="lines", alt="lines")


def test_a_webgl_chart_asks_for_the_full_bundle(option):
    option("server.enableStaticServing", True)
    at = AppTest.from_function(_gl_page).run()
    assert not at.exception
    charts = {el.key: json.loads(el.proto.bytes) for el in at.get("bidi_component")}
    assert charts["gl"]["bundle"] == "full"
    assert charts["gl"]["plotly"].endswith(f"/plotly-{_commit_version()}.min.js")
    assert charts["lines"]["bundle"] == "default"
    assert "cartesian" in charts["lines"]["plotly"]
