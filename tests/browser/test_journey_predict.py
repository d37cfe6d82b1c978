"""Predict, then run (issue 15, part 3) in Chromium, as a student does it (1280×720, a
classroom projector): on the Lessons page pick the circles card's variant with x₁², x₂²,
pick an answer, Open, press Play, and read the verdict the page computes when the run
stops at the lesson's 1,000 iterations. Screenshots: journey-predict-*."""

from __future__ import annotations

import re

import pytest
from conftest import assert_no_exception, wait_idle
from journeys import button, iteration, open_page
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]

LESSON = "circle_features"
VARIANT = "x₁, x₂, x₁², x₂²"
ANSWER = "a circle (or an oval)"


def test_predict_then_run_a_lesson(page_at, screenshot):
    pg = page_at("projector")
    open_page(pg, "lessons")
    block = pg.locator(f".st-key-predict_lesson_{LESSON}")
    expect(block).to_contain_text("Predict, then run.")
    expect(block).to_contain_text("This question is about")  # the first variant is shown
    pg.locator(f".st-key-variant_{LESSON}").get_by_role("radio", name=VARIANT,
                                                         exact=True).click()
    wait_idle(pg)
    expect(block).not_to_contain_text("This question is about")
    block.get_by_text(ANSWER, exact=True).click()
    wait_idle(pg)
    expect(block.get_by_role("radio", name=ANSWER)).to_be_checked()
    block.scroll_into_view_if_needed()
    screenshot(pg, "journey-predict-1-card")

    pg.locator(f".st-key-open_{LESSON} button").click()
    wait_idle(pg)
    expect(pg.get_by_role("heading", name="Playground")).to_be_visible()
    question = pg.locator(f".st-key-predict_lesson_{LESSON}")
    expect(question.get_by_role("radio", name=ANSWER)).to_be_checked()  # remembered
    expect(question).to_contain_text("at iteration 1,000 the page says")

    button(pg, "Play").click()
    verdict = question.locator('[data-testid="stAlert"]')
    verdict.wait_for(timeout=30_000)  # Play stops at the lesson's 1,000: the page reruns
    wait_idle(pg)
    assert iteration(pg) == 1000
    text = verdict.inner_text()
    assert re.search(r"Your prediction held: a circle \(or an oval\)\.", text), text
    assert "At iteration 1,000" in text and "quadratic" in text
    # the why carries the run's numbers (a misfit written as a power of ten)
    assert re.search(r"misses it by \d", text), text
    expect(question.get_by_role("radio")).to_have_count(0)  # the verdict alone, locked
    assert_no_exception(pg)
    screenshot(pg, "journey-predict-2-verdict")
