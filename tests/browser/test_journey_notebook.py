"""The notebook download, as a student does it (issue 15, part 1): open the Playground,
change the data, the activation and the initialization, train 2,000 iterations, open Share
and export, download the notebook, run it with nbclient: it reproduces the numbers the page
showed. Screenshot: journey-notebook-export."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from conftest import assert_no_exception, wait_idle
from journeys import button, choose, iteration, metric, open_page

pytestmark = [pytest.mark.browser]


def test_download_the_run_as_a_notebook_and_it_reproduces(page_at, screenshot, tmp_path):
    from nbclient import NotebookClient

    pg = page_at(1280, 720)
    open_page(pg, "playground?steps_per_click=1000", charts=2)
    choose(pg, "Dataset", "Two moons")
    choose(pg, "Activation g of hidden layers", "ReLU")
    choose(pg, "Weights W[l]", "He")
    for _ in range(2):
        button(pg, re.compile(r"^Step"), exact=False).click()
        wait_idle(pg)
    assert iteration(pg) == 2000
    shown_cost = metric(pg, "Train cost J")

    pg.get_by_role("tab", name="Share and export", exact=True).click()
    wait_idle(pg)
    download_button = pg.get_by_role("button", name=re.compile("Download as notebook"))
    pg.get_by_text("The notebook trains this run again").scroll_into_view_if_needed()
    screenshot(pg, "journey-notebook-export")
    with pg.expect_download() as download:
        download_button.click()
    assert download.value.suggested_filename == "nn-playground-moons-2-4-1-2000.ipynb"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)

    nb = nbformat.read(path, as_version=4)
    assert "relu" in nb.cells[0].source and "He" in nb.cells[0].source
    assert "dataset=moons" in nb.cells[0].source  # the link back, with its query
    nb.cells.append(nbformat.v4.new_code_cell(
        'import json\nprint("RESULT " + json.dumps({**notebook, "match": bool(match)}))'))
    NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    got = json.loads(next(x for x in text.splitlines() if x.startswith("RESULT "))[7:])
    assert got["match"] and "Match: yes" in text, text[-1500:]
    assert got["iteration"] == 2000
    assert f"{got['cost']:.4f}" == shown_cost
    assert "Cost after iteration 1000: " in text
    assert_no_exception(pg)


def test_a_lesson_card_downloads_its_run_as_a_notebook(page_at, screenshot):
    # Every lesson card has its "Notebook" button: the file is built when it is pressed
    # (the lesson's run trained to its iteration) and is the lesson's experiment.
    pg = page_at("projector")
    open_page(pg, "lessons")
    card = pg.locator(".st-key-notebook_xor")
    card.scroll_into_view_if_needed()
    with pg.expect_download(timeout=60_000) as info:
        card.get_by_role("button", name=re.compile("Notebook")).click()
    path = info.value.path()
    assert info.value.suggested_filename.endswith("-2000.ipynb")
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    assert "xor" in nb.cells[0].source.lower() and "2,000" in nb.cells[0].source
    screenshot(pg, "journey-notebook-lesson-card")
    assert_no_exception(pg)
