"""The initialization scale lab, run through the app with Streamlit's AppTest."""

import base64

import apptest
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest


@pytest.fixture(scope="module")
def at() -> AppTest:
    return apptest.open_page("app_pages/init_lab.py")


def figures(at) -> dict[str, dict]:
    """The page's Plotly figures as dicts, by key."""
    return apptest.chart_figures(at)


def values(a) -> np.ndarray:
    """A trace array as NumPy: plain lists or Plotly's typed binary arrays."""
    if isinstance(a, dict) and "bdata" in a:
        return np.frombuffer(base64.b64decode(a["bdata"]), dtype=a["dtype"])
    return np.asarray(a, dtype=float)


def test_defaults_render(at):
    figs = figures(at)
    assert {"box_random_0.01", "box_random_1", "box_xavier", "box_he", "lab_std",
            "lab_dw"} <= set(figs)
    box = figs["box_he"]["data"][0]
    assert box["type"] == "box" and set(values(box["x"]).tolist()) == set(range(1, 7))
    assert [t["name"] for t in figs["lab_dw"]["data"]] == [
        "random × 0.01", "random × 1", "Xavier", "He"]
    assert figs["lab_std"]["layout"]["yaxis"]["type"] == "log"
    captions = "\n".join(c.value for c in at.caption)
    assert "standard-normal cloud" in captions and "shrinks" in captions


def test_small_weights_vanish_on_the_chart(at):
    std = {t["name"]: values(t["y"]) for t in figures(at)["lab_std"]["data"]}
    small = std["random × 0.01"]
    assert small[-1] < small[0] * 1e-4
    he = std["He"]
    assert he[-1] > he[0] / 4


def test_changing_depth_changes_the_figures(at):
    at.sidebar.slider(key="lab_depth").set_value(3).run()
    assert not at.exception
    figs = figures(at)
    assert set(values(figs["box_he"]["data"][0]["x"]).tolist()) == {1, 2, 3}
    assert len(values(figs["lab_dw"]["data"][0]["y"])) == 4  # 3 hidden + the output


def test_changing_activation_changes_the_figures(at):
    before = values(figures(at)["lab_std"]["data"][3]["y"])
    at.sidebar.selectbox(key="lab_activation").set_value("relu").run()
    assert not at.exception
    after = values(figures(at)["lab_std"]["data"][3]["y"])
    assert not np.allclose(before, after)
    assert any("off (z ≤ 0)" in c.value for c in at.caption)


def test_choosing_initializations_and_z(at):
    at.sidebar.pills(key="lab_inits").set_value(["xavier", "he"]).run()
    at.segmented_control(key="lab_what").set_value("Z[l] = W[l]·A[l−1]").run()
    assert not at.exception
    figs = figures(at)
    assert "box_random_1" not in figs and {"box_xavier", "box_he"} <= set(figs)
    assert figs["box_he"]["layout"]["yaxis"]["title"]["text"] == "Z[l]"
    assert [t["name"] for t in figs["lab_dw"]["data"]] == ["Xavier", "He"]


def test_no_initialization_and_a_dataset(at):
    at.sidebar.selectbox(key="lab_source").set_value("flower").run()
    assert not at.exception
    assert any("Flower" in c.value for c in at.caption)
    at.sidebar.pills(key="lab_inits").set_value([]).run()
    assert not at.exception
    assert at.info and "Pick at least one" in at.info[0].value
