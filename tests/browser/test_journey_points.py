"""The student's journey on "Your points" (issue 13, item 3), at 1280×720 in Chromium:
clicks on empty parts of the plane and next to the data each add exactly one point,
exactly where they were clicked (within a pixel), of the chosen class; training restarts
and the page says so; nothing is added again on a rerun."""

from __future__ import annotations

import re

import pytest
from conftest import assert_no_exception, wait_idle
from journeys import button, iteration, metric, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLANE = ".nn-click-plane"
# The pixel of a data point (x, y) on the plane, and the data point of a pixel, with the
# plane's own axes (what the component uses to turn a click into coordinates).
TO_PIXEL = """([sel, x, y]) => { const d = document.querySelector(sel);
  const xa = d._fullLayout.xaxis, ya = d._fullLayout.yaxis, r = d.getBoundingClientRect();
  return [r.left + xa._offset + xa.c2p(x), r.top + ya._offset + ya.c2p(y)]; }"""
TO_DATA = """([sel, X, Y]) => { const d = document.querySelector(sel);
  const xa = d._fullLayout.xaxis, ya = d._fullLayout.yaxis, r = d.getBoundingClientRect();
  return [xa.p2c(X - r.left - xa._offset), ya.p2c(Y - r.top - ya._offset),
          Math.abs(xa.p2c(1) - xa.p2c(0)), Math.abs(ya.p2c(1) - ya.p2c(0))]; }"""
TRAIN_POINTS = """(sel) => { const d = document.querySelector(sel);
  const out = [];
  for (const t of d._fullData) if (/^train/.test(t.name || ''))
    for (let i = 0; i < t.x.length; i++) out.push([t.x[i], t.y[i]]);
  return out; }"""


def listed_points(pg) -> list[tuple[float, float, int]]:
    """The coordinates list under "Your points", as ``(x1, x2, class)``."""
    box = pg.locator('[data-testid="stMarkdownContainer"]', has_text="Your points (x")
    if not box.count():
        return []
    text = box.inner_text()
    return [(float(a), float(b), int(c)) for a, b, c in re.findall(
        r"\((-?[\d.]+), (-?[\d.]+)\) → y = ([01])", text)]


def click_at(pg, x: float, y: float) -> tuple[float, float, float, float]:
    """Click the plane at the whole pixel nearest to data point (x, y); returns the data
    point of that pixel and the size of one pixel in x and y."""
    pg.locator(PLANE).scroll_into_view_if_needed()
    X, Y = (round(v) for v in pg.evaluate(TO_PIXEL, [PLANE, x, y]))
    expected = pg.evaluate(TO_DATA, [PLANE, X, Y])
    pg.mouse.click(X, Y)
    wait_idle(pg)
    return tuple(expected)


def test_clicks_add_points_exactly_where_clicked(page_at, screenshot):
    pg = page_at("projector")
    open_page(pg, "playground", charts=2)
    button(pg, "Step ×10").click()
    wait_idle(pg)
    assert iteration(pg) == 10
    pg.get_by_role("tab", name="Your points").click()
    wait_idle(pg)
    pg.wait_for_selector(f"{PLANE} .nsewdrag", timeout=30_000)
    assert metric(pg, "Your points") == "0"

    data = pg.evaluate(TRAIN_POINTS, PLANE)
    near = data[len(data) // 3]  # next to the data: 0.15 to the right of a training point
    wanted = [  # (x, y, class): empty corners of the plane, and right next to the data
        (0.8, 2.6, 1), (-4.2, -4.3, 1), (4.3, 4.2, 0), (near[0] + 0.15, near[1], 0),
        (-4.0, 3.9, 0)]
    added = []
    for k, (x, y, label) in enumerate(wanted, start=1):
        pg.locator(".stRadio").filter(has_text="Class of new points").get_by_text(
            f"y = {label}", exact=True).click()
        wait_idle(pg)
        ex, ey, px, py = click_at(pg, x, y)
        points = listed_points(pg)
        assert metric(pg, "Your points") == str(k), f"click {k} at ({x}, {y}) was not added"
        assert len(points) == k
        got = points[-1]
        # Within a pixel of the clicked pixel (plus the list's rounding to 3 decimals).
        assert abs(got[0] - ex) <= px + 5e-4 and abs(got[1] - ey) <= py + 5e-4, (got, ex, ey)
        assert got[2] == label
        added.append(got)
        toast = " ".join(pg.locator('[data-testid="stToast"]').all_inner_texts())
        assert f"Added a point at ({got[0]:.3f}, {got[1]:.3f})" in toast, toast
        assert "training was reset to iteration 0" in toast, toast
        if k == 1:  # it had trained 10 iterations: the notice says they are gone
            assert "it was at iteration 10" in toast, toast
        assert iteration(pg) == 0
    # Not snapped to the data: the point next to a training point kept its own place.
    assert abs(added[3][0] - near[0]) > 0.1
    screenshot(pg, "journey-points-5-clicks")

    # Reruns (a Step, a tab switch and back) add nothing.
    button(pg, "Step ×10").click()
    wait_idle(pg)
    pg.get_by_role("tab", name="Network").click()
    wait_idle(pg)
    pg.get_by_role("tab", name="Your points").click()
    wait_idle(pg)
    assert metric(pg, "Your points") == "5"
    assert listed_points(pg) == added

    # A drag across the plane is not a click, nor is a click on the legend.
    pg.locator(PLANE).scroll_into_view_if_needed()
    X, Y = pg.evaluate(TO_PIXEL, [PLANE, 0.0, 0.0])
    pg.mouse.move(X, Y)
    pg.mouse.down()
    pg.mouse.move(X + 40, Y + 30, steps=5)
    pg.mouse.up()
    pg.locator(f"{PLANE} .legend .traces").first.click()
    wait_idle(pg)
    assert metric(pg, "Your points") == "5"

    # The plane draws the five as stars.
    stars = pg.evaluate("""(sel) => document.querySelector(sel)._fullData
      .filter(t => /^added/.test(t.name || '')).reduce((n, t) => n + t.x.length, 0)""", PLANE)
    assert stars == 5
    pg.get_by_role("button", name="Remove the last").click()
    wait_idle(pg)
    assert metric(pg, "Your points") == "4" and listed_points(pg) == added[:4]
    pg.get_by_role("button", name="Clear my points").click()
    wait_idle(pg)
    assert metric(pg, "Your points") == "0" and listed_points(pg) == []
    assert_no_exception(pg)
