"""Journeys over this stop's changes (issue 13, item 20 and Pause): the lazy "More" and
"Upload your own CSV" expanders, opened, changed, closed and opened again, on a phone and
at 1280×720; Play and Pause as two buttons, with Play pressed again right after Pause (a
1.5 s guard used to swallow it). Screenshots: journey-lazy-*."""

from __future__ import annotations

import re

import pytest
from conftest import assert_no_exception, wait_idle
from journeys import button, control, iteration, open_page, play_until, selected, sidebar

pytestmark = [pytest.mark.browser]


def lambd(pg) -> str:
    return control(pg, "stNumberInput", "λ").locator("input").input_value()


def more(pg):
    return sidebar(pg).locator("summary", has_text="More:")


def test_phone_more_settings_closed_and_reopened_keep_lambda(page_at, screenshot):
    pg = page_at("phone")
    open_page(pg, "playground?regularization=L2&lambd=0.3&steps_per_click=100", charts=2)
    pg.locator('[data-testid="stExpandSidebarButton"]').first.click()
    more(pg).click()
    control(pg, "stNumberInput", "λ").wait_for(state="visible", timeout=20_000)
    wait_idle(pg)
    assert lambd(pg) == "0.30" or float(lambd(pg)) == 0.3, "the link's λ is not shown"
    field = control(pg, "stNumberInput", "λ").locator("input")
    field.fill("0.7")
    pg.keyboard.press("Enter")
    wait_idle(pg)
    screenshot(pg, "journey-lazy-phone-more-open")
    more(pg).click()  # closed: its widgets go, the setting stays
    wait_idle(pg)
    assert control(pg, "stNumberInput", "λ").count() == 0
    assert "lambd=0.7" in pg.url, pg.url
    more(pg).click()
    control(pg, "stNumberInput", "λ").wait_for(state="visible", timeout=20_000)
    wait_idle(pg)
    assert float(lambd(pg)) == 0.7, "λ came back changed"
    assert selected(pg, "Regularization") == "L2"
    screenshot(pg, "journey-lazy-phone-more-reopened")
    assert_no_exception(pg)


def test_projector_pause_then_play_at_once_plays(page_at, screenshot):
    pg = page_at(1280, 720)
    open_page(pg, "playground", charts=2)
    r = play_until(pg, iteration, 1000)
    # Within one frame (200 iterations at the normal speed): a frame may land between the
    # read-out and the click.
    assert r["stopped"] - r["at_click"] <= 200, f"Pause ran on past one frame: {r}"
    assert r["seconds"] <= 1.0, r
    stopped = r["stopped"]
    # Play again at once (within a second of Pause): it plays, and Pause holds again.
    button(pg, "Play").click()
    button(pg, "Pause").wait_for(timeout=10_000)
    pg.wait_for_timeout(1200)
    assert iteration(pg) > stopped, "Play right after Pause did not play"
    button(pg, "Pause").click()
    button(pg, "Play").wait_for(timeout=10_000)
    wait_idle(pg)
    held = iteration(pg)
    pg.wait_for_timeout(2500)
    assert iteration(pg) == held, "the page played on after Pause"
    screenshot(pg, "journey-lazy-projector-paused")
    # The upload expander, opened after all this: its sample and uploader are there.
    sidebar(pg).locator("summary", has_text="Upload your own CSV").click()
    pg.get_by_role("button", name=re.compile("Sample CSV")).wait_for(timeout=20_000)
    assert iteration(pg) == held, "opening the upload box changed the run"
    assert_no_exception(pg)


def test_symmetry_pause_then_play_at_once_plays(page_at, screenshot):
    pg = page_at(1280, 720)
    open_page(pg, "symmetry", charts=3)

    def sym_iteration(p) -> int:
        text = p.get_by_text(re.compile(r"^Iteration [\d,]+$")).first.inner_text()
        return int(text.split()[-1].replace(",", ""))

    r = play_until(pg, sym_iteration, 2000)
    assert r["stopped"] - r["at_click"] <= 600, f"Pause ran on past one frame: {r}"
    stopped = r["stopped"]
    button(pg, "Play").click()
    button(pg, "Pause").wait_for(timeout=10_000)
    pg.wait_for_timeout(1500)
    assert sym_iteration(pg) > stopped, "Play right after Pause did not play"
    button(pg, "Pause").click()
    button(pg, "Play").wait_for(timeout=10_000)
    wait_idle(pg)
    held = sym_iteration(pg)
    pg.wait_for_timeout(2500)
    assert sym_iteration(pg) == held, "the Symmetry page played on after Pause"
    screenshot(pg, "journey-lazy-symmetry-paused")
    assert_no_exception(pg)

