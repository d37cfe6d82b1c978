"""The Lessons page, run through the app with Streamlit's AppTest: one card per lesson, and
Open lands the complete configuration on the Playground."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playground.lab.lessons import LESSONS, LESSONS_BY_KEY

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def at() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("app_pages/lessons.py").run()
    assert not at.exception, at.exception
    return at


def test_one_card_per_lesson(at):
    titles = [s.value for s in at.header]  # one h2 per card
    assert len(titles) == len(LESSONS)
    for lesson in LESSONS:
        assert any(t.endswith(lesson.title) for t in titles)
        assert at.button(key=f"open_{lesson.key}").label == "Open"
    text = "\n".join(m.value for m in at.markdown)
    assert "about 46 %" in text and "0.6931" in text



def test_open_zero_initialization_lands_on_the_playground(at):
    at.button(key="open_zeros").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Playground"
    q = dict(at.query_params)
    assert q["init"] in ("zeros", ["zeros"])
    # the sidebar widgets show the lesson; the Data section is hidden (classroom mode)
    assert at.sidebar.selectbox(key="w_init").value == "zeros"
    assert at.sidebar.slider(key="w_layers").value == 1
    assert "w_dataset" not in [w.key for w in at.sidebar.selectbox]
    cfg = at.session_state["config"]
    assert cfg == LESSONS_BY_KEY["zeros"].variants[0].config
    t = at.session_state["trainer"]
    assert t.iteration == 0 and t.init == "zeros"


def test_open_a_variant(at):
    at.segmented_control(key="variant_hidden_size").set_value("n[1] = 3").run()
    assert not at.exception
    assert any("About 93 %" in m.value for m in at.markdown)
    at.button(key="open_hidden_size").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Playground"
    assert at.sidebar.number_input(key="w_units_0").value == 3
    assert at.session_state["config"].stop_iterations == 5000


def test_open_resets_training_and_circles_features(at):
    # train something on the Playground first: opening a lesson starts from iteration 0
    at.switch_page("app_pages/playground.py").run()
    at.session_state["trainer"].step(30)
    at.switch_page("app_pages/lessons.py").run()
    at.segmented_control(key="variant_circle_features").set_value("x₁, x₂, x₁², x₂²").run()
    at.button(key="open_circle_features").click().run()
    assert not at.exception, at.exception
    assert at.session_state["trainer"].iteration == 0
    assert at.sidebar.multiselect(key="w_features").value == ["x1", "x2", "x1sq", "x2sq"]
    assert at.sidebar.slider(key="w_layers").value == 0


def test_default_network_lesson_replaces_a_changed_config(at):
    """The one-hidden-layer lesson is close to the defaults: it must still win over
    whatever the student had set."""
    at.switch_page("app_pages/playground.py").run()
    at.sidebar.slider(key="w_layers").set_value(3).run()
    assert at.session_state["config"].hidden != (4,)
    at.switch_page("app_pages/lessons.py").run()
    at.button(key="open_one_hidden").click().run()
    assert not at.exception, at.exception
    assert at.session_state["config"] == LESSONS_BY_KEY["one_hidden"].variants[0].config
    assert at.sidebar.slider(key="w_layers").value == 1
