"""Settings journeys at 1280×720 (a projector), as a person clicks them (issue 13 items 1,
2 and 5): initializations switched back and forth keep their scale and the Step after
trains; an exported configuration loads through the file chooser; classroom mode's Apply,
then Show all controls; λ changed mid-training keeps the iteration count. No Streamlit
exception anywhere. Screenshots: journey-settings-*."""

from __future__ import annotations

import json
import re

import pytest
from conftest import assert_no_exception, wait_idle
from journeys import button, choose, iteration, metric, open_page, selected, sidebar

pytestmark = [pytest.mark.browser]


def sidebar_headings(pg) -> list[str]:
    """The sidebar's section headings (Data, Network, Initialization, Training)."""
    return [t.strip() for t in sidebar(pg).locator("h3").all_inner_texts()]


def number_field(pg, label: str):
    return sidebar(pg).get_by_label(label, exact=True)


def step(pg) -> int:
    button(pg, re.compile(r"^Step"), exact=False).click()
    wait_idle(pg)
    return iteration(pg)


def open_tab(pg, name: str) -> None:
    pg.get_by_role("tab", name=name, exact=True).click()
    wait_idle(pg)


def test_inits_back_and_forth_keep_the_scale_and_step_trains(page_at, screenshot):
    pg = page_at(1280, 720)
    open_page(pg, "playground", charts=2)
    assert number_field(pg, "scale").input_value() == "0.01"
    for init in ("Xavier", "He", "random × scale"):
        choose(pg, "Weights W[l]", init)
    # The field comes back with random's scale, not 0 (W = 0 kept J at 0.6931).
    assert number_field(pg, "scale").input_value() == "0.01"
    cost0 = metric(pg, "Train cost J")
    assert step(pg) == 10, "the Step after the switch was swallowed"
    assert metric(pg, "Train cost J") != cost0, "the cost did not move"
    assert number_field(pg, "scale").input_value() == "0.01"
    choose(pg, "Weights W[l]", "He")
    choose(pg, "Weights W[l]", "constant c")
    assert number_field(pg, "c").input_value() == "0.5"
    assert step(pg) == 10
    screenshot(pg, "journey-settings-inits")
    assert_no_exception(pg)


def test_load_an_exported_configuration(page_at, screenshot, tmp_path):
    pg = page_at(1280, 720)
    open_page(pg, "playground?dataset=moons&hidden=8,8&activations=relu&init=he&alpha=0.5",
              charts=2)
    open_tab(pg, "Share and export")
    with pg.expect_download() as download:
        pg.get_by_role("button", name=re.compile("Configuration \\(JSON\\)")).click()
    exported = tmp_path / "nn-playground-config.json"
    download.value.save_as(exported)
    assert json.loads(exported.read_text())["alpha"] == 0.5

    # Elsewhere (another session, other settings), the file brings the experiment back.
    open_page(pg, "playground", charts=2)
    choose(pg, "Weights W[l]", "Xavier")
    step(pg)
    open_tab(pg, "Share and export")
    chooser = pg.locator('[data-testid="stFileUploader"]').filter(
        has_text="Load a configuration").locator('input[type="file"]')

    bad = tmp_path / "bad.json"
    bad.write_text('{"alpha": "banana"}')
    chooser.set_input_files(str(bad))
    pg.get_by_text("bad.json was not loaded").wait_for(timeout=30_000)
    wait_idle(pg)
    assert selected(pg, "Weights W[l]") == "Xavier", "a bad file must change nothing"
    assert iteration(pg) == 10

    chooser.set_input_files(str(exported))
    pg.get_by_text("Loaded nn-playground-config.json").first.wait_for(timeout=30_000)
    wait_idle(pg)
    assert selected(pg, "Dataset") == "Moons" or "moons" in pg.url
    assert selected(pg, "Weights W[l]") == "He"
    assert "2 → 8 → 8 → 1" in sidebar(pg).inner_text()
    assert "alpha=0.5" in pg.url
    assert iteration(pg) == 0
    screenshot(pg, "journey-settings-loaded")
    assert_no_exception(pg)


def test_classroom_apply_then_show_all_controls(page_at, screenshot):
    pg = page_at(1280, 720)
    open_page(pg, "playground", charts=2)
    step(pg)
    open_tab(pg, "Share and export")
    hide = pg.locator('[data-testid="stMain"]').get_by_role("combobox", name="Hide")
    for section in ("data", "initialization", "regularization"):
        hide.click()
        pg.keyboard.type(section)  # the list filters to it; Enter takes it
        pg.keyboard.press("Enter")
        wait_idle(pg)
    pg.keyboard.press("Escape")
    shown = pg.locator('[data-testid="stMain"] [data-testid="stMultiSelect"]').inner_text()
    assert all(s in shown for s in ("data", "initialization", "regularization")), shown
    button(pg, "Apply to this page").click()
    wait_idle(pg)
    assert_no_exception(pg)
    headings = sidebar_headings(pg)
    assert "Initialization" not in headings and "Data" not in headings, headings
    assert "Network" in headings and "Training" in headings, headings
    more = sidebar(pg).locator('[data-testid="stExpander"]').all_inner_texts()
    assert any("More: mini-batches, schedule, stop" in m for m in more), more  # no λ
    assert "hide=data%2Cinitialization%2Cregularization" in pg.url or "hide=data" in pg.url
    assert iteration(pg) == 10
    screenshot(pg, "journey-settings-classroom")
    button(pg, "Show all controls").click()
    wait_idle(pg)
    assert_no_exception(pg)
    headings = sidebar_headings(pg)
    assert "Initialization" in headings and "Data" in headings, headings
    assert number_field(pg, "scale").input_value() == "0.01"
    assert iteration(pg) == 10


def test_lambda_mid_training_keeps_the_iterations(page_at, screenshot):
    pg = page_at(1280, 720)
    open_page(pg, "playground?steps_per_click=100&regularization=L2&lambd=0.1", charts=2)
    for _ in range(3):
        step(pg)
    assert iteration(pg) == 300
    sidebar(pg).get_by_text("More: regularization").click()
    field = number_field(pg, "λ")
    field.fill("0.7")
    field.press("Enter")
    wait_idle(pg)
    assert iteration(pg) == 300, "changing λ reset training"
    pg.get_by_text("λ → 0.7").first.wait_for(timeout=10_000)  # the toast says it applies
    assert step(pg) == 400
    screenshot(pg, "journey-settings-lambda")
    assert_no_exception(pg)
