"""Browser journeys for issue 13's leftovers: every chart's text alternative on every page,
toasts that cover no control, the Symmetry page's compact metrics in classroom mode and its
title on one line on a tablet. Screenshots: test-output/screenshots/alt-*.png."""

from __future__ import annotations

import pytest
from conftest import wait_idle
from journeys import open_page, sidebar, step

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# url path -> charts drawn on first load (as in test_pages.PAGES)
PAGES = {"playground": 2, "symmetry": 3, "compare_activations": 1,
         "activation_functions": 1, "init_lab": 1, "under_the_hood": 0, "lessons": 0, "": 0}

LABELS = ("Array.from(document.querySelectorAll('[role=img]')).map("
          "e => (e.getAttribute('aria-label') || '').trim())")
CHARTS = "document.querySelectorAll('.js-plotly-plot').length"


@pytest.mark.parametrize("path", list(PAGES))
def test_every_chart_has_a_text_alternative(page_at, path, screenshot):
    pg = page_at(1280, 720)
    open_page(pg, path, charts=PAGES[path])
    labels = pg.evaluate(LABELS)
    assert all(labels), f"a role=img without an aria-label on /{path}: {labels}"
    # Every drawn chart is inside an element with role=img (its sentence).
    unlabelled = pg.evaluate("Array.from(document.querySelectorAll('.js-plotly-plot'))"
                             ".filter(g => !g.closest('[role=img]')).length")
    assert unlabelled == 0, f"{unlabelled} of {pg.evaluate(CHARTS)} charts on /{path} have none"
    assert len(labels) >= PAGES[path]


def _overlap(a, b) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("size", [(1280, 720), "phone"])
def test_toast_covers_no_control(page_at, size, screenshot):
    pg = page_at(*size) if isinstance(size, tuple) else page_at(size)
    open_page(pg, "playground?steps_per_click=100&regularization=L2&lambd=0.1", charts=2)
    step(pg)
    if size == "phone":
        pg.locator('[data-testid="stExpandSidebarButton"]').first.click()
    sidebar(pg).get_by_text("More: regularization").click()
    field = sidebar(pg).get_by_label("λ", exact=True)
    field.fill("0.7")
    field.press("Enter")
    if size == "phone":
        pg.locator('[data-testid="stSidebarCollapseButton"]').first.click()
    toast = pg.locator('[data-testid="stToast"]').first
    toast.wait_for(timeout=10_000)
    pg.wait_for_timeout(500)  # its slide-in
    box = toast.bounding_box()
    row = pg.locator(".st-key-run_controls").bounding_box()
    assert box and row
    assert not _overlap(box, row), f"the toast {box} covers the button row {row}"
    name = "alt-toast-" + ("phone" if size == "phone" else f"{size[0]}")
    screenshot(pg, name)


def test_symmetry_classroom_metrics_stay_compact(page_at, screenshot):
    pg = page_at(1280, 720)
    open_page(pg, "symmetry?hide=data", charts=3)
    # Classroom text is on (larger paragraphs)…
    size = pg.locator('[data-testid="stMain"] .stMarkdown p').first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 18
    # …and each network's three metrics stay on one line at the compact size.
    for i in range(3):
        values = pg.locator(f'.st-key-sym_col_{i} [data-testid="stMetricValue"]')
        assert values.count() == 3
        tops = {round(values.nth(j).bounding_box()["y"]) for j in range(3)}
        assert len(tops) == 1, f"column {i}'s metrics wrap: tops {tops}"
        px = values.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert px < 24, f"classroom CSS overrode the compact metric size: {px}px"
    screenshot(pg, "alt-symmetry-classroom-1280")


def test_symmetry_title_on_one_line_on_a_tablet(page_at, screenshot):
    pg = page_at("tablet")
    open_page(pg, "symmetry", charts=1)
    wait_idle(pg)
    h1 = pg.locator("h1").first
    lines = h1.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e);"
                        " return new Set(Array.from(r.getClientRects()).map("
                        "c => Math.round(c.top))).size; }")
    assert lines == 1, f"the title wraps onto {lines} lines"
    screenshot(pg, "alt-symmetry-tablet")
