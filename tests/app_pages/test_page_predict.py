"""Predict, then run (issue 15, part 3) under Streamlit's AppTest, through app.py: the
question shows on every lesson card and on the Symmetry and compare pages, an answer is
remembered across reruns and pages, the verdict appears once the run reaches the card's
iteration and says held / did not hold with the run's numbers, and ?predict=off hides it."""

from __future__ import annotations

import apptest
import pytest
from streamlit.testing.v1 import AppTest

from playground.lab import predictions as P
from playground.lab.lessons import LESSONS

LESSONS_PAGE = "app_pages/lessons.py"
PLAYGROUND = "app_pages/playground.py"


def radio_key(q: P.Question) -> str:
    return f"predict_w_{q.key}"


def verdicts(at: AppTest) -> list[str]:
    """The verdicts on the page (held: success; did not hold: warning; no answer: info)."""
    return [e.value for kind in ("success", "warning", "info") for e in getattr(at, kind)
            if "At iteration" in e.value]


def predict_radios(at: AppTest) -> list:
    return [r for r in at.radio if (r.key or "").startswith("predict_w_")]


def open_lesson(at: AppTest, key: str) -> AppTest:
    at.button(key=f"open_{key}").click().run()
    assert not at.exception, at.exception
    at.switch_page(PLAYGROUND).run()  # AppTest's next run stays on the page switched to
    assert not at.exception, at.exception
    assert at.title[0].value == "Playground"
    return at


@pytest.fixture
def lessons() -> AppTest:
    return apptest.open_page(LESSONS_PAGE)


def test_every_card_asks_its_question_and_keeps_its_claim_folded(lessons):
    radios = {r.key: r for r in predict_radios(lessons)}
    assert len(radios) == len(LESSONS)
    for q in P.LESSON_QUESTIONS:
        r = radios[radio_key(q)]
        assert q.text in r.label and r.options == q.labels and r.value is None
        assert not r.disabled
    # the claim would give the answer away: folded until an answer is picked
    labels = [e.label for e in lessons.expander]
    assert labels.count("What you will see (predict first)") == len(LESSONS)
    text = "\n".join(m.value for m in lessons.markdown)
    assert "about 46 %" in text and "0.6931" in text  # still on the page, in the fold


def test_an_answer_is_remembered_across_reruns_and_pages(lessons):
    q = P.LESSON_QUESTIONS_BY_LESSON["clones"]
    lessons.radio(key=radio_key(q)).set_value(q.label_of("one")).run()
    assert lessons.session_state["predict_answers"] == {q.key: "one"}
    lessons.run()
    assert lessons.radio(key=radio_key(q)).value == q.label_of("one")
    # the card now shows its claim
    assert any("stay identical" in m.value for m in lessons.markdown)
    # to another page (the widget is not drawn there) and back
    lessons.switch_page("app_pages/home.py").run()
    lessons.switch_page(LESSONS_PAGE).run()
    assert lessons.radio(key=radio_key(q)).value == q.label_of("one")


def test_the_verdict_comes_at_the_lessons_iteration_and_says_why(lessons):
    """Zero initialization, answered wrong on the card: on the Playground the question
    waits, then at iteration 10,000 the page says it did not hold, with the numbers."""
    q = P.LESSON_QUESTIONS_BY_LESSON["zeros"]
    lessons.radio(key=radio_key(q)).set_value(q.label_of("straight")).run()
    at = open_lesson(lessons, "zeros")
    radio = at.radio(key=radio_key(q))
    assert radio.value == q.label_of("straight") and not radio.disabled
    assert verdicts(at) == []
    assert any("at iteration 10,000 the page says" in c.value for c in at.caption)
    trainer = at.session_state["trainer"]
    trainer.step(9000)  # not there yet
    at.run()
    assert verdicts(at) == []
    trainer.step(2000, stop_iterations=10_000)  # Play stops at the lesson's stop
    at.run()
    assert not at.exception, at.exception
    [text] = verdicts(at)
    assert at.warning and text == at.warning[0].value
    assert "did not hold" in text and "you said “a straight line”" in text
    assert "At iteration 10,000" in text and "ŷ = 0.500 at all 320 training points" in text
    # while the verdict stands, it alone is shown (it names the answer): locked
    assert radio_key(q) not in [r.key for r in predict_radios(at)]
    # going on past the stop keeps the verdict measured at 10,000
    at.session_state["trainer"].step(1000)
    at.run()
    assert "At iteration 10,000" in verdicts(at)[0]
    # the card shows it too
    at.switch_page(LESSONS_PAGE).run()
    assert any("did not hold" in v for v in verdicts(at))
    # Reset: the verdict goes, the answer can change again
    at.switch_page(PLAYGROUND).run()
    at.button[0].click().run()  # Reset
    assert at.session_state["trainer"].iteration == 0
    assert verdicts(at) == [] and not at.radio(key=radio_key(q)).disabled


def test_a_right_prediction_held_with_step(lessons):
    """α = 10 with leaky ReLU, answered right, then the Step button: it diverges within
    the first step of 100 and the page says the prediction held, at its iteration."""
    q = P.LESSON_QUESTIONS_BY_LESSON["alpha_large"]
    lessons.radio(key=radio_key(q)).set_value(q.label_of("diverged")).run()
    at = open_lesson(lessons, "alpha_large")
    apptest.button(at, r"Step ×100").click().run()
    assert not at.exception, at.exception
    assert at.session_state["trainer"].diverged
    [text] = verdicts(at)
    assert at.success and text == at.success[0].value
    assert text.startswith("**Your prediction held: blow up")
    assert "J was 0.6932 at iteration 0" in text and "at iteration 32" in text


def test_predict_off_hides_the_questions(lessons):
    at = apptest.open_page(LESSONS_PAGE, query={"predict": "off"})
    assert predict_radios(at) == []
    assert "What you will see (predict first)" not in [e.label for e in at.expander]
    # the lesson's Open carries ?predict=off (a reload stays a demo)
    at = open_lesson(at, "zeros")
    assert predict_radios(at) == []
    assert at.query_params["predict"] in ("off", ["off"])
    at.session_state["trainer"].step(10_000, stop_iterations=10_000)
    at.run()
    assert verdicts(at) == [] and not at.warning
    # ?predict=on brings them back
    at.query_params["predict"] = "on"
    at.switch_page(LESSONS_PAGE).run()
    assert len(predict_radios(at)) == len(LESSONS)


def test_the_playground_keeps_predict_in_its_url():
    """A lesson's link with ?predict=off: the Playground writes its config into the URL
    and keeps the page's own parameter; the link's config has no notice about it."""
    zeros = P.question_variant(P.LESSON_QUESTIONS_BY_LESSON["zeros"]).config
    at = apptest.open_page(PLAYGROUND, query={**zeros.to_query(), "predict": "off"})
    assert at.session_state["config"] == zeros
    assert predict_radios(at) == [] and not at.warning
    at.sidebar.select_slider(key="w_alpha").set_value(0.6).run()  # the URL is rewritten
    assert at.query_params["predict"] in ("off", ["off"])
    assert at.query_params["alpha"] in ("0.6", ["0.6"])


def test_nonsense_predict_value_says_so(lessons):
    at = apptest.open_page(LESSONS_PAGE, query={"predict": "maybe"})
    assert len(predict_radios(at)) == len(LESSONS)
    assert [w.value for w in at.warning] == [
        "The link's 'predict=maybe' is not on or off: the questions stay on (use "
        "predict=off to hide them)."]


def test_symmetry_page_question_and_verdict():
    at = apptest.open_page("app_pages/symmetry.py")
    q = P.SYMMETRY_QUESTION
    radio = at.radio(key=radio_key(q))
    assert q.text in radio.label and radio.value is None
    radio.set_value(q.label_of("all")).run()
    at.selectbox(key="sym_w_steps").set_value(1000).run()
    at.button(key="sym_step").click().run()
    assert not at.exception, at.exception
    [text] = verdicts(at)
    assert "did not hold" in text and "At iteration 1,000" in text
    assert "layer 1 has 1 distinct unit of 4" in text
    assert radio_key(q) not in [r.key for r in predict_radios(at)]  # the verdict alone
    at.button(key="sym_reset").click().run()  # Reset: ask again
    assert at.radio(key=radio_key(q)).value == q.label_of("all") and verdicts(at) == []


def test_symmetry_page_without_the_constant_column_says_why():
    at = apptest.open_page("app_pages/symmetry.py")
    at.multiselect(key="sym_w_choices").set_value(["zeros", "random_0.01"]).run()
    assert any("add it in the sidebar" in c.value for c in at.caption)
    at.selectbox(key="sym_w_steps").set_value(1000).run()
    at.button(key="sym_step").click().run()
    assert verdicts(at) == []


def test_compare_page_judges_a_run_started_after_the_answer():
    at = apptest.open_page("app_pages/compare_activations.py", timeout=120)
    q = P.COMPARE_QUESTION
    assert q.text in at.radio(key=radio_key(q)).label
    assert verdicts(at) == []  # the opening comparison was not predicted
    at.radio(key=radio_key(q)).set_value(q.label_of("sigmoid")).run()
    at.select_slider(key="cmp_w_iterations").set_value(100)
    at.slider(key="cmp_w_seeds").set_value(1)
    at.button(key="cmp_run").click().run()
    assert not at.exception, at.exception
    [text] = verdicts(at)
    assert "At iteration 100: J at iteration 100: sigmoid" in text
    # changing the answer afterwards does not change the verdict on that run
    at.radio(key=radio_key(q)).set_value(q.label_of("tanh")).run()
    assert verdicts(at) == [text]
