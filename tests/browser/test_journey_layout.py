"""Layout journeys (issue 13, items 12, 13, 17 and the accessibility scan): a projector at
1280×720 shows the Playground's charts without scrolling; a phone keeps each Symmetry
network's heading over its own numbers and boundary; axe-core finds no serious or critical
violation of the app's own elements on any page or Playground tab. Screenshots:
test-output/screenshots/layout-*.png."""

from __future__ import annotations

import pytest
from conftest import assert_no_exception, format_violations, wait_idle
from journeys import open_page

pytestmark = [pytest.mark.browser]

PAGES = {  # url path -> charts drawn before the page is ready
    "": 0,
    "lessons": 0,
    "playground": 2,
    "under_the_hood": 0,
    "symmetry": 3,
    "compare_activations": 1,
    "activation_functions": 1,
    "init_lab": 1,
}

# Top and height of an element, in viewport pixels.
BOX = "(e) => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; }"


def _chart_box(pg, heading: str) -> dict:
    """The box of the first chart after the ``h2`` with this text, in its column."""
    column = pg.locator('[data-testid="stColumn"]').filter(
        has=pg.locator(":is(h2, h3)", has_text=heading)).last
    return column.locator(".nn-live-chart, .js-plotly-plot").first.evaluate(BOX)


def test_projector_playground_charts_above_the_fold(page_at, screenshot):
    # Item 12: at 1280×720 the boundary and the cost started below the fold (521 px).
    pg = page_at("projector")
    open_page(pg, "playground", charts=2)
    assert_no_exception(pg)
    screenshot(pg, "layout-projector-playground")
    for heading in ("Decision boundary", "Cost versus iterations"):
        box = _chart_box(pg, heading)
        # Most of the chart is on the first screen, not only its top edge.
        assert box["top"] < 720 / 2, f"{heading}: chart starts at {box['top']:.0f} px"
        assert 720 - box["top"] >= 0.8 * (box["bottom"] - box["top"]), (
            f"{heading}: less than 80 % of the chart above the fold: {box}")


METRIC_FONT = ("() => parseFloat(getComputedStyle(document.querySelector("
               "'[data-testid=\"stMain\"] [data-testid=\"stMetricValue\"]')).fontSize)")
TEXT_FONT = ("() => parseFloat(getComputedStyle(document.querySelector("
             "'[data-testid=\"stMain\"] [data-testid=\"stCaptionContainer\"] p, "
             "[data-testid=\"stMain\"] .stMarkdown p')).fontSize)")


def test_classroom_mode_projector_layout(page_at, screenshot):
    # Item 13: a lesson's link (classroom mode, hide=...) is projected: larger numbers and
    # text, and the charts still above the fold of 1280 x 720.
    pg = page_at("projector")
    open_page(pg, "playground", charts=2)
    normal = pg.evaluate(METRIC_FONT)
    open_page(pg, "playground?hide=data,features", charts=2)
    assert_no_exception(pg)
    screenshot(pg, "layout-projector-classroom")
    assert pg.evaluate(METRIC_FONT) > normal * 1.1, "classroom mode: numbers not larger"
    assert pg.evaluate(TEXT_FONT) >= 16.5, "classroom mode: text not larger than 16 px"
    for heading in ("Decision boundary", "Cost versus iterations"):
        box = _chart_box(pg, heading)
        assert 720 - box["top"] >= 0.8 * (box["bottom"] - box["top"]), (heading, box)


def test_projector_playground_charts_at_1920(page_at):
    # The compact header must not break the lecture-hall screen: charts side by side.
    pg = page_at("hd")
    open_page(pg, "playground", charts=2)
    boundary, cost = (_chart_box(pg, h) for h in ("Decision boundary", "Cost versus iterations"))
    assert boundary["bottom"] <= 1080 and cost["bottom"] <= 1080, (boundary, cost)
    assert abs(boundary["top"] - cost["top"]) < 2, "the two charts are no longer side by side"


# The square plane of each chart (plotly's drag layer covers exactly the plot area).
PLANES = """(sel) => Array.from(document.querySelectorAll(sel)).map(e => {
  const r = e.querySelector('.nsewdrag').getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, width: r.width, height: r.height}; })"""


def test_projector_symmetry_boundaries_above_the_fold(page_at, screenshot):
    # Item 12: at 1280×720 the three boundaries were ~190 px and started at 550 px (only
    # their tops on the first screen). Now side by side, each > 200 px, whole on screen.
    pg = page_at("projector")
    open_page(pg, "symmetry", charts=3)
    assert_no_exception(pg)
    screenshot(pg, "layout-projector-symmetry")
    planes = pg.evaluate(PLANES, '[class*="st-key-sym_boundary_"] .js-plotly-plot')
    assert len(planes) == 3, planes
    for p in planes:
        assert p["top"] < 720 / 2 + 100, f"boundary starts at {p['top']:.0f} px: {planes}"
        assert min(p["width"], p["height"]) >= 200, f"boundary smaller than 200 px: {p}"
        assert p["bottom"] <= 720, f"boundary not whole above the fold: {p}"
    assert max(p["top"] for p in planes) - min(p["top"] for p in planes) < 2  # one row
    assert planes[0]["left"] < planes[1]["left"] < planes[2]["left"]


def test_hd_symmetry_boundaries_larger_and_on_screen(page_at):
    # The lecture-hall screen: the wider columns give larger planes, still on screen.
    pg = page_at("hd")
    open_page(pg, "symmetry", charts=3)
    planes = pg.evaluate(PLANES, '[class*="st-key-sym_boundary_"] .js-plotly-plot')
    assert len(planes) == 3 and all(
        min(p["width"], p["height"]) >= 240 and p["bottom"] <= 1080 for p in planes), planes


def test_projector_compare_thumbnails_fill_their_columns(page_at, screenshot):
    # Item 12: the Sigmoid vs tanh vs ReLU thumbnails were ~150 px, each beside its own
    # colour bar in a 390 px figure. One shared colour key; each plane > 200 px.
    pg = page_at("projector")
    open_page(pg, "compare_activations", charts=4)
    assert_no_exception(pg)
    pg.locator("h2", has_text="Decision boundaries").first.evaluate(
        "e => e.scrollIntoView({block: 'start'})")
    pg.wait_for_timeout(300)
    screenshot(pg, "layout-projector-compare")
    planes = pg.evaluate(PLANES, '[class*="st-key-cmp_boundary_"] .js-plotly-plot')
    assert len(planes) == 3, planes
    for p in planes:
        assert min(p["width"], p["height"]) >= 200, f"thumbnail smaller than 200 px: {p}"
    figures = pg.evaluate(BOXES_OF, '[class*="st-key-cmp_boundary_"] .js-plotly-plot')
    for p, f in zip(planes, figures, strict=True):  # the plane fills its figure
        assert p["height"] >= 0.7 * (f["bottom"] - f["top"]), (p, f)
    assert pg.locator('[class*="st-key-cmp_boundary_"] .colorbar').count() == 0
    assert pg.locator('[class*="st-key-cmp_key"] .js-plotly-plot').count() == 1


BOXES_OF = ("(sel) => Array.from(document.querySelectorAll(sel)).map(e => { "
            "const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; })")


def test_phone_symmetry_keeps_each_network_together(page_at, screenshot):
    # Item 17: the phone showed the three headings, then all metrics, then three plots.
    pg = page_at("phone")
    open_page(pg, "symmetry", charts=3)
    assert_no_exception(pg)
    screenshot(pg, "layout-phone-symmetry")
    order = pg.evaluate("""() => {
      const main = document.querySelector('[data-testid="stMain"]');
      const items = main.querySelectorAll(
        'h2, h3, [data-testid="stMetric"], .nn-live-chart, .js-plotly-plot');
      return Array.from(items)
        .filter(e => !(e.parentElement && e.parentElement.closest('.nn-live-chart')))
        .map(e => ({kind: /^H[23]$/.test(e.tagName) ? 'heading'
                          : e.dataset.testid === 'stMetric' ? 'metric' : 'chart',
                    text: /^H[23]$/.test(e.tagName) ? e.innerText.trim() : '',
                    top: e.getBoundingClientRect().top}))
        .sort((a, b) => a.top - b.top);
    }""")
    headings = [i for i, o in enumerate(order) if o["kind"] == "heading"]
    networks = [i for i in headings if order[i]["text"].startswith("●")]
    assert len(networks) == 3, f"expected three networks' headings: {order}"
    for n, start in enumerate(networks):
        # Read down the page from the network's heading: its metrics, then its boundary,
        # before any other heading.
        end = headings[headings.index(start) + 1] if start != headings[-1] else len(order)
        kinds = [o["kind"] for o in order[start + 1:end]]
        assert kinds[:3] == ["metric"] * 3 and "chart" in kinds, (
            f"{order[start]['text']}: under its heading come {kinds}, not its 3 metrics "
            "and its boundary")
        assert n == 0 or order[start]["top"] > order[networks[n - 1]]["top"]


def test_axe_no_serious_violations_on_any_page(page_at, axe_violations):
    # Accessibility: colour contrast of captions and inline code (serious), and heading
    # order, on every page and every Playground tab. Streamlit's sidebar navigation list
    # markup is left out by the axe_violations fixture (conftest.AXE_FRAMEWORK_MARKUP).
    pg = page_at("projector")
    found = {}
    for path, charts in PAGES.items():
        open_page(pg, path, charts=charts)
        assert_no_exception(pg)
        found[path or "home"] = axe_violations(pg)
        headings = axe_violations(pg, impacts=("moderate", "serious", "critical"),
                                  rules=["heading-order", "page-has-heading-one"])
        if headings:
            found[(path or "home") + " (headings)"] = headings
        if path == "playground":
            tabs = pg.locator('[data-testid="stMain"] [role="tab"]')
            for i in range(tabs.count()):
                name = tabs.nth(i).inner_text().strip()
                tabs.nth(i).click()
                pg.wait_for_timeout(300)
                wait_idle(pg)
                found[f"playground / {name}"] = axe_violations(pg)
    bad = {page: v for page, v in found.items() if v}
    assert not bad, "\n\n".join(f"{page}:\n{format_violations(v)}" for page, v in bad.items())


def test_projector_lesson_run_keeps_the_charts_above_the_fold(page_at, screenshot):
    # A lesson opened on the projector asks its question (issue 15, "predict, then run")
    # under the charts: above them it pushed both charts ~140 px down at 1280 x 720.
    from urllib.parse import urlencode

    from playground.lab.lessons import LESSONS

    lesson = next(ls for ls in LESSONS if ls.key == "zeros")
    pg = page_at("projector")
    open_page(pg, "playground?" + urlencode(lesson.variants[0].config.to_query()), charts=2)
    assert_no_exception(pg)
    assert pg.locator(".st-key-predict_lesson_zeros").count() == 1, "the question is shown"
    screenshot(pg, "layout-projector-lesson")
    for heading in ("Decision boundary", "Cost versus iterations"):
        box = _chart_box(pg, heading)
        assert 720 - box["top"] >= 0.8 * (box["bottom"] - box["top"]), (heading, box)
