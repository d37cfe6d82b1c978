"""Shared fixtures: a running app server and headless Chromium for the browser tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from playground.figures import wire

# Every figure a test builds is validated by plotly, property by property (the app skips
# that for speed; tests/figures/test_figures_wire.py checks that both ways give the same JSON).
# VALIDATE is read from playground.figures.wire at every build: set it there.
wire.VALIDATE = True

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
PROJECTOR = {"width": 1920, "height": 1080}
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chromium_or_skip() -> str:
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if path:
        return path
    reason = (f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package "
              "(apt-get install chromium) to run the browser tests")
    if IN_CI:
        pytest.fail(reason + " — under CI the browser tests may not be skipped")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def app_url():
    """`streamlit run app.py` on a free port; yields its base URL."""
    port = _free_port()
    (ROOT / "test-output").mkdir(exist_ok=True)
    log = open(ROOT / "test-output" / "streamlit-test.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited early; see test-output/streamlit-test.log")
    else:
        proc.kill()
        raise RuntimeError("streamlit did not become healthy within 60 s")
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    path = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def app_page(chromium, app_url):
    """A fresh projector-sized browser page; console errors are collected on `page.errors`."""
    context = chromium.new_context(viewport=PROJECTOR)
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.app_url = app_url
    yield pg
    context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)`` saves a full-page PNG under test-output/screenshots/."""

    def take(pg, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take


# ---- Journeys: viewports, waiting for the app, exceptions, axe-core ----------------------
# Shared by tests/browser/test_journey_*.py. Plain functions (importable with
# ``from conftest import wait_idle``) and the same as fixtures.

VIEWPORTS = {
    # name: (width, height, is_mobile and has_touch)
    "projector": (1280, 720, False),  # a classroom projector
    "hd": (1920, 1080, False),  # a lecture-hall screen / desktop
    "phone": (390, 844, True),
    "tablet": (820, 1180, True),
}


def wait_idle(pg, timeout: float = 60_000, quiet_ms: int = 250) -> None:
    """Wait until the app has finished running: connected, Streamlit's script state
    (``data-test-script-state`` on ``stApp``) not running and no element still a skeleton
    (Streamlit loads a widget's code on first use and shows a grey placeholder until then),
    for ``quiet_ms`` in a row.

    The quiet spell covers the moment right after a click, before the rerun it asks for has
    started. While a page plays, its fragment reruns every 0.2 s: press Pause first."""
    pg.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    pg.evaluate("() => { window.__nnBusyAt = undefined; }")  # quiet from now on
    pg.wait_for_function(
        """(quiet) => {
          const app = document.querySelector('[data-testid="stApp"]');
          const state = app && app.getAttribute('data-test-script-state');
          const idle = app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
            && state !== 'running' && state !== 'initial' && state !== 'rerunRequested'
            && !document.querySelector('[data-testid="stStatusWidget"] button')
            && !document.querySelector('[data-testid="stSkeleton"]');
          const now = performance.now();
          if (!idle) { window.__nnBusyAt = now; return false; }
          if (window.__nnBusyAt === undefined) window.__nnBusyAt = now;
          return now - window.__nnBusyAt >= quiet;
        }""",
        arg=quiet_ms, timeout=timeout, polling=50)


def assert_no_exception(pg) -> None:
    """No Streamlit exception box on the page and no uncaught JavaScript error."""
    boxes = pg.locator('[data-testid="stException"]')
    if boxes.count():
        raise AssertionError("exception on the page:\n" + "\n---\n".join(
            t[:1500] for t in boxes.all_inner_texts()))
    errors = getattr(pg, "errors", [])
    assert not errors, f"JavaScript errors on the page: {errors}"


def new_page(browser, width, height=None, *, is_mobile=None, has_touch=None):
    """A fresh context and page at a viewport: ``new_page(b, "phone")`` or
    ``new_page(b, 1280, 720)``. Uncaught page errors are collected on ``page.errors``."""
    if isinstance(width, str):
        width, height, mobile = VIEWPORTS[width]
        is_mobile = mobile if is_mobile is None else is_mobile
        has_touch = mobile if has_touch is None else has_touch
    context = browser.new_context(viewport={"width": width, "height": height},
                                  is_mobile=bool(is_mobile), has_touch=bool(has_touch))
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    return pg


@pytest.fixture
def page_at(chromium, app_url):
    """``page_at("phone")``, ``page_at(1280, 720)``: a fresh page at that viewport (phone
    and tablet are mobile with touch), ``page.app_url`` set; closed after the test."""
    contexts = []

    def make(width, height=None, **kwargs):
        pg = new_page(chromium, width, height, **kwargs)
        pg.app_url = app_url
        contexts.append(pg.context)
        return pg

    yield make
    for c in contexts:
        c.close()


@pytest.fixture(name="wait_idle")
def wait_idle_fixture():
    return wait_idle


@pytest.fixture(name="assert_no_exception")
def assert_no_exception_fixture():
    return assert_no_exception


AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Streamlit's own markup that the app cannot change, left out of the scan: rule ids ->
# the region where they are not the app's. Streamlit 1.67 draws the sidebar's page
# navigation as <ul> sections holding a header <div> beside the <li> links, and puts <li>
# items in wrappers that are not lists, so axe reports "list" and "listitem" there on every
# page. Everything else in the sidebar (the app's controls, captions, contrast) is scanned.
AXE_FRAMEWORK_MARKUP = {
    ("list", "listitem"): '[data-testid="stSidebarNav"]',
}


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script (npm's axe-core 4, installed by ``npm install`` from package.json)."""
    if not AXE_JS.exists():
        reason = (f"axe-core not found at {AXE_JS.relative_to(ROOT)}: run `npm install` in "
                  "the project root (package.json pins axe-core 4)")
        if IN_CI:
            pytest.fail(reason + " — under CI the accessibility scan may not be skipped")
        pytest.skip(reason)
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(pg, source: str, impacts=("serious", "critical"), rules=None) -> list[dict]:
    """Inject axe-core into the page, scan it, and return the violations of the given
    impacts, each ``{id, impact, help, nodes: [{target, html, summary}]}``, without
    Streamlit's own markup (``AXE_FRAMEWORK_MARKUP``). ``rules`` limits the scan to
    those rule ids. Scan an idle page: a page that is still drawing gives moving targets."""
    if not pg.evaluate("() => typeof window.axe === 'object'"):
        pg.add_script_tag(content=source)
    skip = [[list(ids), where] for ids, where in AXE_FRAMEWORK_MARKUP.items()]
    found = pg.evaluate(
        """async ([impacts, skip, rules]) => {
          const options = {resultTypes: ['violations'], elementRef: true};
          if (rules) options.runOnly = {type: 'rule', values: rules};
          const result = await axe.run(document, options);
          const out = [];
          for (const v of result.violations) {
            const nodes = v.nodes.filter(n => impacts.includes(n.impact || v.impact))
              .filter(n => !skip.some(([ids, where]) => ids.includes(v.id)
                 && n.element && n.element.closest(where)))
              .map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                          summary: n.failureSummary}));
            if (nodes.length) out.push({id: v.id, impact: v.impact, help: v.help, nodes});
          }
          return out;
        }""",
        [list(impacts), skip, rules])
    return found


def format_violations(violations: list[dict]) -> str:
    """One readable block per violation, for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} elements)")
        lines += [f"    {n['target']}: {n['html'][:160]}" for n in v["nodes"][:8]]
    return "\n".join(lines)


@pytest.fixture(name="axe_violations")
def axe_violations_fixture(axe_source):
    """``axe_violations(page, impacts=("serious", "critical"))``: see ``axe_violations``."""

    def scan(pg, impacts=("serious", "critical"), rules=None):
        return axe_violations(pg, axe_source, impacts=impacts, rules=rules)

    return scan
