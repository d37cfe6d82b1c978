"""The Playground's read-outs at a reached stop, on a projector (1280×720) and a phone
(390×844): the status badge is whole on a line of its own, the six values are level, and
what to do next is said beside the badge, in the page's flow: nothing covers the run
controls (a toast at the top right did). Screenshots: test-output/screenshots/readouts-*.png."""

from __future__ import annotations

import pytest
from conftest import assert_no_exception, wait_idle
from journeys import badge, open_page, step

pytestmark = [pytest.mark.browser]

BOX = ("(e) => { const r = e.getBoundingClientRect(); "
       "return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }")


def _overlaps(a: dict, b: dict) -> bool:
    return (a["left"] < b["right"] and b["left"] < a["right"]
            and a["top"] < b["bottom"] and b["top"] < a["bottom"])


@pytest.mark.parametrize("viewport", ["projector", "phone"])
def test_stop_badge_whole_values_level_and_nothing_over_the_toggles(page_at, screenshot,
                                                                    viewport):
    pg = page_at(viewport)
    open_page(pg, "playground?stop_iterations=100&steps_per_click=100", charts=2)
    step(pg)
    wait_idle(pg)
    assert_no_exception(pg)
    assert badge(pg) == "stopped at 100 (your stop)", badge(pg)
    main = pg.locator('[data-testid="stMain"]')
    b = main.locator(".stMarkdownBadge").first
    # Whole: the badge's text is not cut ("stopped at 10,000…").
    assert b.evaluate("(e) => e.scrollWidth <= e.clientWidth + 1"), "badge text is cut"
    values = [v.evaluate(BOX) for v in main.locator('[data-testid="stMetricValue"]').all()[:6]]
    rows = {}
    for v in values:  # the values of a row share their top (a phone wraps into rows)
        rows.setdefault(round(v["top"] / 40), []).append(v["top"])
    for tops in rows.values():
        assert max(tops) - min(tops) <= 2, f"values not level: {[v['top'] for v in values]}"
    assert b.evaluate(BOX)["bottom"] <= min(v["top"] for v in values)  # above the values
    hint = main.get_by_text("Play or Step continues past it")
    assert hint.count() == 1
    # Nothing lies over the toggles of the run-control row.
    assert pg.locator('[data-testid="stToast"]').count() == 0
    for label in ("Test points", "Discretize", "Log cost"):
        toggle = main.locator('[data-testid="stCheckbox"]', has_text=label).first.evaluate(BOX)
        assert not _overlaps(toggle, hint.evaluate(BOX)), label
    screenshot(pg, f"readouts-{viewport}-stopped")
