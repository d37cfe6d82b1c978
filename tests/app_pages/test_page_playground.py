"""AppTest tests of the Playground page: its widgets drive what it shows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import apptest
import pytest
from apptest import button
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGE = "app_pages/playground.py"


def open_playground(query: dict | None = None) -> AppTest:
    return apptest.open_page(PAGE, query=query)


def metric(at: AppTest, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}: {[m.label for m in at.metric]}")


def iteration(at: AppTest) -> int:
    return int(metric(at, "Iteration").replace(",", ""))


def sidebar_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.sidebar.markdown)


def test_defaults_render():
    at = open_playground()
    assert iteration(at) == 0
    assert metric(at, "Train cost J") == "0.6931" or metric(at, "Train cost J").startswith("0.69")
    assert "2 → 4 → 1" in sidebar_text(at)
    live = apptest.live_figures(at)  # drawn in place while playing (playground.ui.live_chart)
    assert sorted(live) == ["boundary", "cost", "network"]
    assert live["boundary"]["data"][0]["type"] == "heatmap"
    assert [t["name"] for t in live["cost"]["data"]][:2] == ["train J", "test J"]
    assert "network" in live  # the open tab's diagram


def test_step_and_reset():
    at = open_playground()
    button(at, r"Step ×10").click().run()
    assert iteration(at) == 10
    at.sidebar.segmented_control(key="w_steps_per_click").set_value(100).run()
    button(at, r"Step ×100").click().run()
    assert iteration(at) == 110
    cost_after = float(metric(at, "Train cost J"))
    assert cost_after < 0.69
    button(at, "Reset").click().run()
    assert iteration(at) == 0


def test_changing_data_or_architecture_resets_but_alpha_does_not():
    at = open_playground()
    button(at, r"Step ×10").click().run()
    at.sidebar.select_slider(key="w_alpha").set_value(0.3).run()
    assert iteration(at) == 10, "changing α must not reset"
    at.sidebar.selectbox(key="w_dataset").set_value("moons").run()
    assert iteration(at) == 0
    assert any("reset" in t.value.lower() for t in at.toast)
    button(at, r"Step ×10").click().run()
    at.sidebar.number_input(key="w_units_0").set_value(6).run()
    assert iteration(at) == 0
    assert "2 → 6 → 1" in sidebar_text(at)


def test_layers_and_activations():
    at = open_playground()
    at.sidebar.slider(key="w_layers").set_value(3).run()
    assert "2 → 4 → 4 → 4 → 1" in sidebar_text(at)
    at.sidebar.selectbox(key="w_act_all").set_value("relu").run()
    at.sidebar.checkbox(key="w_same_act").uncheck().run()
    at.sidebar.selectbox(key="w_act_1").set_value("sigmoid").run()
    assert at.query_params.get("activations") in (["relu,sigmoid,relu"], "relu,sigmoid,relu")
    button(at, r"Step ×10").click().run()
    assert iteration(at) == 10
    at.sidebar.slider(key="w_layers").set_value(0).run()
    assert "2 → 1" in sidebar_text(at)
    assert any("logistic regression" in i.value for i in at.sidebar.info)
    button(at, r"Step ×10").click().run()
    assert not at.exception


def test_diverging_learning_rate_is_explained():
    at = open_playground({"activations": "relu", "init": "random", "init_scale": "10",
                          "alpha": "10", "steps_per_click": "1000"})
    button(at, r"Step ×1,000").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "diverged" in errors and "smaller learning rate" in errors
    assert button(at, r"Step ×1,000").disabled
    button(at, "Reset").click().run()
    assert iteration(at) == 0 and not at.error


def test_nonsense_query_parameters_fall_back_with_notice():
    at = open_playground({"alpha": "banana", "hidden": "99", "dataset": "<script>",
                          "n_samples": "-3", "activations": "foo", "bogus": "1"})
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    for word in ("alpha=banana", "hidden=99", "dataset=<script>", "n_samples=-3", "bogus"):
        assert word in warning
    assert iteration(at) == 0
    assert "2 → 4 → 1" in sidebar_text(at)


def test_shared_link_opens_the_same_experiment():
    at = open_playground({"dataset": "xor", "hidden": "8,8", "activations": "relu",
                          "alpha": "0.3", "init": "he"})
    assert not at.warning
    assert at.sidebar.selectbox(key="w_dataset").value == "xor"
    assert "2 → 8 → 8 → 1" in sidebar_text(at)
    assert at.sidebar.selectbox(key="w_init").value == "he"
    assert at.sidebar.select_slider(key="w_alpha").value == 0.3


def test_classroom_mode_hides_controls():
    at = open_playground({"hide": "data,initialization"})
    headers = " ".join(h.value for h in at.sidebar.subheader)
    assert "Data" not in headers and "Initialization" not in headers
    assert "Network" in headers and "Training" in headers
    assert any(b.label == "Show all controls" for b in at.button)
    at2 = open_playground({"network_hide": "1"})
    assert "Network" not in " ".join(h.value for h in at2.sidebar.subheader)


@pytest.mark.parametrize("query, expect", [
    ({"regularization": "L2", "lambd": "0.5"}, "L2"),
    ({"batch_size": "32"}, "epochs"),
    ({"features": "x1,x2,x1sq,x2sq", "hidden": ""}, "4 → 1"),
    ({"schedule": "step", "decay_steps": "5"}, None),
])
def test_more_training_controls(query, expect):
    at = open_playground(query)
    button(at, r"Step ×10").click().run()
    assert iteration(at) == 10
    assert not at.exception
    if expect == "epochs":
        assert "epochs" in next(m for m in at.metric if m.label == "Iteration").help
    elif expect:
        text = sidebar_text(at) + str(at.query_params)
        assert expect in text


def test_stop_condition_pauses_and_says_so():
    at = open_playground({"stop_iterations": "25", "steps_per_click": "100"})
    button(at, r"Step ×100").click().run()
    assert iteration(at) == 25
    # The badge says where and why (a stop of the user's), and what to do next beside it.
    badge = " ".join(m.value for m in at.markdown if "-badge[" in m.value)
    assert "stopped at 25 (your stop)" in badge, badge
    assert any(m.value.startswith("Play or Step continues past it") for m in at.markdown)


def test_first_run_waits_for_neither_scikit_learn_nor_nbformat():
    """Importing scikit-learn takes about a second (it brings SciPy) and nbformat ~50 ms:
    the Playground opens on the flower, which needs neither, so a shared link's first
    boundary does not wait for them (issue 13, item 20). A fresh process, as a server's
    first page; the moons then import scikit-learn when they are chosen."""
    code = (
        "import sys\n"
        "from apptest import open_page\n"
        "at = open_page('app_pages/playground.py')\n"
        "assert not at.exception, at.exception\n"
        "print(sorted(m for m in ('sklearn', 'scipy', 'nbformat') if m in sys.modules))\n"
        "from playground.core.datasets import make_dataset\n"
        "make_dataset('moons', n_samples=40, seed=0)\n"
        "print('sklearn' in sys.modules)\n"
    )
    tests = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=tests.parent, capture_output=True,
                         text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": f"{tests}{os.pathsep}{tests.parent}"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split("\n")[:2] == ["[]", "True"], out.stdout
