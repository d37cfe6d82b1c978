"""AppTest of the Playground's "course notebook" choice (issue 15, part 4): choosing it
runs the notebook's run and shows the lines the notebook printed, from this run."""

from __future__ import annotations

import apptest
from apptest import button
from streamlit.testing.v1 import AppTest

PAGE = "app_pages/playground.py"


def printout(at: AppTest) -> list[str]:
    blocks = [c.value for c in at.code if "Cost after iteration" in c.value
              or c.value.startswith("(Step or Play")]
    assert len(blocks) == 1, [c.value for c in at.code]
    return blocks[0].splitlines()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_choosing_the_flower_notebook_shows_its_print_out():
    at = apptest.open_page(PAGE)
    assert not [c for c in at.code if "Cost after iteration" in c.value]  # off by default
    at.sidebar.selectbox(key="w_course").set_value("planar").run()
    assert not at.exception, at.exception
    # The notebook's run: its network, α, and Step ×1,000 (one line per click).
    assert at.sidebar.select_slider(key="w_alpha").value == 1.2
    assert at.sidebar.number_input(key="w_weight_seed").value == 2
    assert at.sidebar.selectbox(key="w_dataset").disabled
    assert dict(at.query_params) == {"course": "planar"}
    assert printout(at) == ["(Step or Play: the notebook prints iteration 0, then every "
                            "1,000.)"]
    button(at, r"Step ×1,000").click().run()
    button(at, r"Step ×1,000").click().run()
    assert metric(at, "Iteration") == "2,000"
    assert printout(at) == ["Cost after iteration 0: 0.693048",
                            "Cost after iteration 1000: 0.288083"]
    assert not at.warning  # the notebook's run: nothing to warn about
    # α is not the notebook's: the lines are this run's, and the page says they differ.
    at.sidebar.select_slider(key="w_alpha").set_value(0.6).run()
    assert "α = 0.6 here, 1.2 in the notebook" in at.warning[0].value
    assert "no longer matches the notebook's" in at.warning[0].value
    assert dict(at.query_params) == {"course": "planar", "alpha": "0.6"}


def test_a_circles_link_runs_the_initialization_notebook():
    at = apptest.open_page(PAGE, query={"course": "circles", "init": "zeros"})
    assert at.sidebar.selectbox(key="w_course").value == "circles"
    assert at.sidebar.selectbox(key="w_init").value == "zeros"
    button(at, r"Step ×1,000").click().run()
    assert printout(at) == ["Cost after iteration 0: 0.6931471805599453"]
    at.sidebar.selectbox(key="w_init").set_value("he").run()  # the notebook's He run
    button(at, r"Step ×1,000").click().run()
    assert printout(at) == ["Cost after iteration 0: 0.8830537463419761"]
    assert not at.warning
    at.sidebar.selectbox(key="w_course").set_value("off").run()  # back to the app's own
    assert not at.exception
    assert not [c for c in at.code if "Cost after iteration" in c.value]
    assert not at.sidebar.selectbox(key="w_dataset").disabled
