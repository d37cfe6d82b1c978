"""Every page on a phone (390×844) and a tablet (820×1180), touch and mobile layout: it opens
without an exception, and on the phone the Playground's Play / Step / Reset row is at the
top of the screen. Screenshots: test-output/screenshots/journey-<device>-<page>.png."""

from __future__ import annotations

import pytest
from conftest import VIEWPORTS, assert_no_exception
from journeys import button, open_page

pytestmark = [pytest.mark.browser]

PAGES = {  # url path -> the page's title, at least this many charts drawn
    "": ("NN Playground", 0),
    "lessons": ("Lessons", 0),
    "playground": ("Playground", 2),
    "under_the_hood": ("Under the hood", 0),
    "symmetry": ("Symmetry breaking", 3),
    "compare_activations": ("Sigmoid vs tanh vs ReLU", 1),
    "activation_functions": ("Activation functions", 1),
    "init_lab": ("Initialization scale lab", 1),
}


@pytest.mark.parametrize("device", ["phone", "tablet"])
def test_every_page_opens_on_device(page_at, screenshot, device):
    pg = page_at(device)
    for path, (title, charts) in PAGES.items():
        open_page(pg, path, charts=charts)
        pg.locator("h1", has_text=title).first.wait_for(timeout=30_000)
        assert_no_exception(pg)
        width = VIEWPORTS[device][0]
        overflow = pg.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= width + 1, f"/{path} scrolls sideways on the {device}: {overflow} px"
        screenshot(pg, f"journey-{device}-{path or 'home'}")


def test_phone_playground_controls_at_the_top(page_at, screenshot):
    pg = page_at("phone")
    open_page(pg, "playground", charts=2)
    height = VIEWPORTS["phone"][1]
    for name in ("Play", "Reset"):
        box = button(pg, name).bounding_box()
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= height, (
            f"{name} is not on the first screen of the phone: {box}")
    step = pg.locator('[data-testid="stMain"]').get_by_role("button", name="Step")
    box = step.first.bounding_box()
    assert box and box["y"] + box["height"] <= height, f"Step below the fold: {box}"
    screenshot(pg, "journey-phone-playground-top")

    # While playing, Pause stays reachable (issue 13, item 17: it scrolled out of view).
    button(pg, "Play").click()
    pause = button(pg, "Pause")
    pause.wait_for(timeout=30_000)
    pg.wait_for_timeout(1000)  # a few frames redraw the charts below
    # The student scrolls down to watch the boundary and the cost fall ...
    pg.locator(".js-plotly-plot").nth(1).scroll_into_view_if_needed()
    pg.wait_for_timeout(400)
    screenshot(pg, "journey-phone-playground-playing-scrolled")
    # ... and can still press Pause without scrolling back.
    box = pause.bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= height, (
        f"Pause scrolled out of view while playing: {box}")
    pause.click()
    button(pg, "Play").wait_for(timeout=30_000)
    assert_no_exception(pg)


BOUNDARY_SIZE = """() => {
    const chart = document.querySelector('.js-plotly-plot');
    const plot = chart.querySelector('.nsewdrag').getBoundingClientRect();
    const legend = chart.querySelector('.legend');
    return {width: plot.width, height: plot.height,
            legend: legend ? legend.getBoundingClientRect().height : 0};
}"""


def test_tablet_boundary_is_readable(page_at, screenshot):
    # Issue 13, item 17: on the tablet the boundary shrank to ~155 px beside the open
    # sidebar, its legend taller than the plot. A tablet shows it no smaller than a phone.
    sizes = {}
    for device in ("phone", "tablet"):
        pg = page_at(device)
        open_page(pg, "playground", charts=2)
        sizes[device] = pg.evaluate(BOUNDARY_SIZE)
        screenshot(pg, f"journey-{device}-playground-boundary")
    tablet, phone = sizes["tablet"], sizes["phone"]
    assert min(tablet["width"], tablet["height"]) >= min(phone["width"], phone["height"]), (
        f"the tablet's boundary is smaller than the phone's: {sizes}")
    assert tablet["legend"] < tablet["height"] / 2, f"legend as tall as the plot: {sizes}"
