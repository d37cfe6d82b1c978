"""Browser tests: each page in headless Chromium at projector size, with screenshots saved
under test-output/screenshots/ for review."""

from __future__ import annotations

import re

import pytest

from playground.core.datasets import load_csv

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# url path -> (title, at least this many Plotly charts on first load)
PAGES = {
    "": ("NN Playground", 0),
    "playground": ("Playground", 2),
    "lessons": ("Lessons", 0),
    "under_the_hood": ("Under the hood", 0),
    "symmetry": ("Symmetry breaking", 3),
    "compare_activations": ("Sigmoid vs tanh vs ReLU", 1),  # after its default run
    "activation_functions": ("Activation functions", 1),
    "init_lab": ("Initialization scale lab", 1),
}


DRAWN_CHARTS = ("Array.from(document.querySelectorAll('.js-plotly-plot')).filter("
                "g => g.querySelector('.trace, .imagelayer image, .heatmaplayer')).length")


def wait_idle(pg, timeout=60_000):
    """Wait until Streamlit has finished running the script."""
    pg.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=timeout)
    pg.wait_for_timeout(300)


def iteration_readout(pg) -> int:
    text = pg.locator('[data-testid="stMetric"]', has_text="Iteration").first.inner_text()
    return int(re.search(r"Iteration\s+([\d,]+)", text).group(1).replace(",", ""))


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders(app_page, path, screenshot):
    title, n_charts = PAGES[path]
    app_page.goto(f"{app_page.app_url}/{path}")
    wait_idle(app_page)
    app_page.wait_for_selector(f"h1:has-text('{title}')", timeout=30_000)
    if n_charts:
        # A chart that renders empty has no drawn traces: count charts with something drawn.
        app_page.wait_for_function(DRAWN_CHARTS + f" >= {n_charts}", timeout=60_000)
    screenshot(app_page, f"page-{path or 'home'}")
    assert app_page.locator('[data-testid="stException"]').count() == 0
    assert not app_page.errors, app_page.errors


def test_playground_step_play_pause(app_page, screenshot):
    pg = app_page
    pg.goto(f"{pg.app_url}/playground")
    wait_idle(pg)
    pg.wait_for_function(DRAWN_CHARTS + " >= 2", timeout=60_000)
    assert iteration_readout(pg) == 0
    before = pg.locator(".js-plotly-plot").first.inner_html()

    pg.get_by_role("button", name=re.compile(r"Step")).click()
    wait_idle(pg)
    assert iteration_readout(pg) == 10
    pg.wait_for_timeout(500)
    assert pg.locator(".js-plotly-plot").first.inner_html() != before, "boundary not redrawn"

    pg.get_by_role("button", name="Play", exact=True).click()
    pg.wait_for_timeout(3000)
    during = iteration_readout(pg)
    assert during > 10, "Play did not train"
    screenshot(pg, "playground-playing")
    pg.get_by_role("button", name="Pause", exact=True).click()
    # Paused once the page has run again: the button reads Play.
    pg.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)
    wait_idle(pg)
    paused = iteration_readout(pg)
    pg.wait_for_timeout(1500)
    assert iteration_readout(pg) == paused, "Pause did not stop training"
    screenshot(pg, "playground-paused")
    assert pg.locator('[data-testid="stException"]').count() == 0
    assert not pg.errors, pg.errors


# The live charts (playground.ui.live_chart) drawn and visible, counted at every animation frame.
WATCH_LIVE_CHARTS = """() => {
  window.__liveMin = 1e9; window.__liveFrames = 0;
  const tick = () => {
    const shown = Array.from(document.querySelectorAll('.nn-live-chart')).filter(g =>
      g.querySelector('.trace, .imagelayer image, .heatmaplayer') &&
      g.checkVisibility({visibilityProperty: true, opacityProperty: true}) &&
      g.getBoundingClientRect().height > 0).length;
    window.__liveMin = Math.min(window.__liveMin, shown);
    window.__liveFrames += 1;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


@pytest.mark.parametrize("path, n_live", [("playground", 2), ("symmetry", 6)])
def test_live_charts_never_blank_while_playing(app_page, path, n_live):
    # st.plotly_chart remounts a chart whose figure changed, so it showed a blank frame at
    # every update: the charts blinked five times a second while playing.
    pg = app_page
    pg.goto(f"{pg.app_url}/{path}")
    wait_idle(pg)
    pg.wait_for_function(f"() => document.querySelectorAll('.nn-live-chart .trace').length "
                         f"&& document.querySelectorAll('.nn-live-chart').length >= {n_live}",
                         timeout=60_000)
    pg.evaluate(WATCH_LIVE_CHARTS)
    pg.get_by_role("button", name="Play", exact=True).click()
    pg.wait_for_timeout(3000)
    shown_min, frames = pg.evaluate("() => [window.__liveMin, window.__liveFrames]")
    pg.get_by_role("button", name="Pause", exact=True).click()
    assert frames > 10
    assert shown_min >= n_live, f"a live chart went blank ({shown_min} of {n_live} shown)"
    assert not pg.errors, pg.errors


def test_playground_csv_upload(app_page, screenshot, tmp_path):
    pg = app_page
    pg.goto(f"{pg.app_url}/playground")
    wait_idle(pg)
    pg.wait_for_function(DRAWN_CHARTS + " >= 2", timeout=60_000)
    pg.get_by_text("Upload your own CSV").click()
    # The sample is made when the button is pressed (its moons need scikit-learn, which
    # the Playground's first run no longer imports), and is a file the uploader takes.
    with pg.expect_download() as download:
        pg.get_by_role("button", name=re.compile("Sample CSV")).click()
    sample = tmp_path / "sample.csv"
    download.value.save_as(sample)
    X, Y = load_csv(sample.read_text())
    assert X.shape == (2, 40) and set(Y.ravel().tolist()) == {0.0, 1.0}
    uploader = pg.locator('[data-testid="stFileUploader"] input[type="file"]').first

    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2,0\n3,abc,1\n5,6,0\n7,8,1\n")
    uploader.set_input_files(str(bad))
    pg.get_by_text("is not a number").first.wait_for(timeout=30_000)
    alerts = pg.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("The previous data is kept" in a for a in alerts)
    screenshot(pg, "playground-bad-csv")

    good = tmp_path / "good.csv"
    rows = "\n".join(f"{i % 7 - 3},{i % 5 - 2},{i % 2}" for i in range(40))
    good.write_text("x1,x2,label\n" + rows + "\n")
    uploader.set_input_files(str(good))
    pg.wait_for_timeout(4000)
    screenshot(pg, "playground-good-csv")
    pg.get_by_text("Your CSV: 40 points").wait_for(timeout=30_000)
    wait_idle(pg)
    assert pg.locator('[data-testid="stException"]').count() == 0
    assert not pg.errors, pg.errors
