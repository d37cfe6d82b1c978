"""Reading what the page shows, for the journey tests (test_journey_*.py): metrics, the
badge, the sidebar's widgets. Waiting and checking for exceptions live in tests/conftest.py."""

from __future__ import annotations

import re
import time

from conftest import wait_idle

LIVE_CHARTS_DRAWN = ("Array.from(document.querySelectorAll('.js-plotly-plot')).filter("
                     "g => g.querySelector('.trace, .imagelayer image, .heatmaplayer')).length")


def open_page(pg, path: str, *, charts: int = 0, timeout: float = 60_000) -> None:
    """Go to ``/path`` (a query string may follow), wait for the app to finish running and
    for at least ``charts`` charts with something drawn."""
    pg.goto(f"{pg.app_url}/{path}")
    wait_idle(pg, timeout=timeout)
    if charts:
        pg.wait_for_function(f"() => {LIVE_CHARTS_DRAWN} >= {charts}", timeout=timeout)


def metric(pg, label: str, nth: int = 0) -> str:
    """The value of the ``nth`` ``st.metric`` whose label is ``label``, as shown."""
    box = pg.locator('[data-testid="stMetric"]').filter(
        has=pg.locator('[data-testid="stMetricLabel"]', has_text=re.compile(
            rf"^\s*{re.escape(label)}\s*$"))).nth(nth)
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def number(text: str) -> float:
    """The first number in a text: ``"Iteration 1,234"`` → 1234, ``"91.5%"`` → 91.5."""
    found = re.search(r"-?\d[\d,]*(?:\.\d+)?(?:[eE][+-]?\d+)?", text)
    assert found, f"no number in {text!r}"
    return float(found.group().replace(",", ""))


def iteration(pg) -> int:
    """The Playground's Iteration read-out."""
    return int(number(metric(pg, "Iteration")))


def badge(pg) -> str:
    """The status badge over the read-outs (ready, training, paused, stopped …)."""
    text = pg.locator('[data-testid="stMain"] .stMarkdownBadge').first.inner_text()
    return re.sub(r"^[a-z_]+\s+", "", text.strip())  # without the icon's ligature name


def button(pg, name: str, *, exact: bool = True):
    """A button of the main area by its visible name (the sidebar has its own)."""
    return pg.locator('[data-testid="stMain"]').get_by_role("button", name=name, exact=exact)


def sidebar(pg):
    return pg.locator('[data-testid="stSidebar"]')


def label_is(pg, label: str):
    """A widget label with exactly this text (as an inner locator of ``has=``)."""
    return pg.locator('[data-testid="stWidgetLabel"]', has_text=re.compile(
        rf"^\s*{re.escape(label)}\s*$"))


def widget(pg, label: str):
    """The label of the sidebar widget ``label``: ``widget(pg, "Dataset").count()``."""
    return sidebar(pg).locator('[data-testid="stWidgetLabel"]', has_text=re.compile(
        rf"^\s*{re.escape(label)}\s*$"))


def control(pg, kind: str, label: str, where=None):
    """The whole widget, e.g. ``control(pg, "stSelectbox", "Dataset")``: its element
    container (class ``kind``) in the sidebar (or ``where``) with that label."""
    root = sidebar(pg) if where is None else where
    return root.locator(f".{kind}").filter(has=label_is(pg, label))


_CLICK_BUTTON = """(label) => {
    const b = [...document.querySelectorAll('[data-testid="stMain"] button')]
        .find(el => el.innerText.trim().endsWith(label));
    if (!b) throw new Error('no button ' + label);
    b.click();
}"""


def play_until(pg, read, target: float, *, play: str = "Play", pause: str = "Pause",
               timeout: float = 60.0) -> dict:
    """Press Play, wait until ``read(pg)`` reaches ``target``, press Pause; returns what the
    page showed: the read-out when Pause was pressed, the one it stopped at, and the
    seconds until the Play button was back."""
    button(pg, play).click()
    button(pg, pause).wait_for(timeout=30_000)
    deadline = time.monotonic() + timeout
    shown = read(pg)
    while shown < target:
        assert time.monotonic() < deadline, f"Play reached only {shown} of {target}"
        pg.wait_for_timeout(50)
        shown = read(pg)
    # A person reads the read-out and clicks. Playwright's click first waits for the button
    # to be stable, and frames keep landing meanwhile: read, then click inside the page at
    # once, so the read-out is the one on screen at the click.
    button(pg, pause).wait_for(timeout=30_000)
    shown = read(pg)
    clicked = time.monotonic()
    pg.evaluate(_CLICK_BUTTON, pause)
    button(pg, play).wait_for(timeout=30_000)
    back = time.monotonic() - clicked
    wait_idle(pg)
    return {"at_click": shown, "stopped": read(pg), "seconds": back}


def selected(pg, label: str, where=None) -> str:
    """The option a selectbox shows (Streamlit 1.67 draws it as a combobox input)."""
    return control(pg, "stSelectbox", label, where).get_by_role("combobox").input_value()


def pick(pg, combobox, option: str, attempts: int = 3) -> None:
    """Open a selectbox's or multiselect's list and click ``option``. A rerun that lands
    while the list opens closes it again: then open it once more."""
    for attempt in range(attempts):
        combobox.scroll_into_view_if_needed()
        combobox.click()
        item = pg.get_by_role("option", name=option, exact=True)
        try:
            item.click(timeout=5_000)
            return
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError, retried
            if attempt == attempts - 1:
                raise
            pg.keyboard.press("Escape")
            wait_idle(pg)


def choose(pg, label: str, option: str, where=None) -> None:
    """Choose ``option`` in the selectbox labelled ``label`` (in the sidebar unless
    ``where``), wait for the rerun, and check that the box shows it."""
    root = sidebar(pg) if where is None else where
    pick(pg, root.get_by_role("combobox", name=label, exact=True), option)
    wait_idle(pg)
    assert selected(pg, label, where) == option


def step(pg) -> int:
    """Press the main area's Step button (whatever its ×n) and wait for the Iteration
    read-out to move; returns the new read-out."""
    before = iteration(pg)
    pg.locator('[data-testid="stMain"]').get_by_role("button", name=re.compile(
        r"^Step")).click()
    pg.wait_for_function(
        """([before]) => Array.from(document.querySelectorAll('[data-testid="stMetric"]'))
             .some(m => /^Iteration/.test(m.innerText) && !m.innerText.includes(before))""",
        arg=[f"\n{before:,}"], timeout=30_000)
    wait_idle(pg)
    return iteration(pg)
