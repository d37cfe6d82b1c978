"""The cost landscape in Chromium (issue 15, part 2): a student trains a little, opens the
Playground's Cost landscape tab, switches to random directions and to log J; the three
lessons as the page shows them: α too large bounces across the valley, W = 0 does not
move, a constant c stays on the symmetric subspace.
Screenshots: test-output/screenshots/journey-landscape-*.png."""

from __future__ import annotations

import pytest
from conftest import assert_no_exception, wait_idle
from journeys import open_page, step

pytestmark = [pytest.mark.browser]

CHART = ".st-key-landscape_chart"
CHART_LABEL = f"{CHART} [role='img']"


def _open_tab(pg) -> str:
    pg.get_by_role("tab", name="Cost landscape").click()
    wait_idle(pg)
    pg.wait_for_selector(f"{CHART} .contourlayer, {CHART} .heatmaplayer", timeout=30_000)
    return pg.locator(CHART_LABEL).first.get_attribute("aria-label") or ""


def _infos(pg) -> str:
    return " ".join(pg.locator('[data-testid="stAlertContentInfo"]').all_inner_texts())


def _wait_label(pg, part: str) -> None:
    pg.wait_for_function(f"""() => (document.querySelector("{CHART_LABEL}")
        .getAttribute('aria-label') || '').includes({part!r})""", timeout=30_000)


def _scroll_to_chart(pg) -> None:
    pg.locator(CHART).first.scroll_into_view_if_needed()


def test_landscape_tab_directions_log_scale_and_the_three_lessons(page_at, screenshot):
    pg = page_at("hd")
    # α too large: the path bounces across the valley.
    open_page(pg, "playground?alpha=5&steps_per_click=100", charts=2)
    it = step(pg)
    alt = _open_tab(pg)
    assert alt.startswith(f"Contour map of the cost J over a 41 by 41 grid around θ at "
                          f"iteration {it:,}, along the path's two principal directions")
    assert "Gradient descent is bouncing across the valley" in _infos(pg)
    _scroll_to_chart(pg)
    screenshot(pg, "journey-landscape-1-alpha5-pca")
    # Zoomed on the last iterations, each one recorded: the zigzag across the valley.
    pg.locator(".st-key-landscape_zoom").get_by_text("Zoom on the last 16 iterations").click()
    wait_idle(pg)
    _wait_label(pg, "The path of 16 recorded iterations")
    _scroll_to_chart(pg)
    screenshot(pg, "journey-landscape-2-alpha5-zoom")
    pg.locator(".st-key-landscape_zoom").get_by_text("Zoom on the last 16 iterations").click()
    wait_idle(pg)
    pg.get_by_role("radio", name="random, normalized per unit").click()
    wait_idle(pg)
    pg.locator(".st-key-landscape_log").get_by_text("Log scale").click()
    wait_idle(pg)
    _wait_label(pg, "two random directions")
    assert pg.locator(f"{CHART} .colorbar .cbtitle").text_content().strip() == "log J"
    _scroll_to_chart(pg)
    screenshot(pg, "journey-landscape-3-alpha5-random-log")
    assert_no_exception(pg)

    # W = 0: the path does not move, and PCA is undefined: the page says so.
    open_page(pg, "playground?init=zeros&steps_per_click=100", charts=2)
    step(pg)
    _open_tab(pg)
    infos = _infos(pg)
    assert "PCA of a path that does not move is undefined" in infos
    assert "The path does not move" in infos
    _scroll_to_chart(pg)
    screenshot(pg, "journey-landscape-4-zeros")

    # Constant c: the path stays on the symmetric subspace.
    open_page(pg, "playground?init=constant&steps_per_click=100", charts=2)
    step(pg)
    _open_tab(pg)
    assert "The path stays on the symmetric subspace" in _infos(pg)
    _scroll_to_chart(pg)
    screenshot(pg, "journey-landscape-5-constant")
    assert_no_exception(pg)
