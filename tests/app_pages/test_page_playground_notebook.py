"""AppTest: the Playground's Share and export tab offers the run as a notebook (issue 15)."""

from __future__ import annotations

import json
import os

import apptest
import nbformat
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

PAGE = "app_pages/playground.py"


@pytest.fixture
def media_files(monkeypatch):
    """Every file the page hands to Streamlit's media storage, by its id: what a download
    button's URL serves."""
    files: dict[str, tuple[bytes, str | None]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = (path_or_data, filename)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    return files


def _button(at, label):
    for b in at.get("download_button"):
        if b.proto.label == label:
            return b
    raise AssertionError(f"no download button {label!r}")


def test_the_notebook_button_serves_a_valid_notebook_of_the_run(media_files):
    at = apptest.open_page(PAGE, query={"dataset": "moons", "alpha": "0.6"})
    next(b for b in at.button if b.label.startswith("Step")).click().run()
    at.session_state["view_tab"] = "Share and export"
    at.run()
    assert not at.exception, at.exception
    button = _button(at, "Download as notebook")
    file_id = os.path.splitext(button.proto.url.rsplit("/", 1)[-1])[0]
    data, filename = media_files[file_id]
    assert filename == "nn-playground-moons-2-4-1-10.ipynb"
    nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    nbformat.validate(nb)
    assert "Two moons" in nb.cells[0].source and "α = 0.6" in nb.cells[0].source
    assert "float32" in nb.cells[0].source  # the live page's precision
    last = nb.cells[-1].source
    trainer = at.session_state["trainer"]
    assert trainer.iteration == 10
    assert json.dumps(trainer.metrics().train_cost) in last  # the app's numbers, written in
