"""Every lesson card downloads its run as a notebook (issue 15, part 1: "on every lesson
card"): the bytes are built when the button is pressed, by training the lesson's run as the
Playground does (float32) to the lesson's iteration (executed: tests/lab/test_notebook.py)."""

from __future__ import annotations

import json

import nbformat
import numpy as np
from apptest import open_page

from playground.engine.trainer import trainer_from_config
from playground.lab.lessons import LESSONS, LESSONS_BY_KEY, lesson_data
from playground.ui import notebook as ui_notebook

URL = "http://localhost:8501/playground?activations=leaky_relu&alpha=10"


def test_every_lesson_card_has_a_notebook_button():
    at = open_page("app_pages/lessons.py")
    assert not at.exception, at.exception
    assert len(at.get("download_button")) == len(LESSONS)


def test_a_lessons_notebook_is_its_run_to_the_lessons_iteration():
    lesson = LESSONS_BY_KEY["alpha_large"]
    variant = lesson.variants[1]  # ReLU, α = 10: 500 iterations
    data = ui_notebook.lesson_notebook(lesson.key, variant.label, URL)
    nb = nbformat.reads(data.decode(), as_version=4)
    nbformat.validate(nb)
    text = json.dumps(nb)
    assert URL in text
    t = trainer_from_config(variant.config, *lesson_data(variant.config), dtype=np.float32)
    t.step(variant.expect.iterations)
    assert f"{t.iteration}" in nb.cells[0].source
    # the numbers its last cell checks are the app's run's, written in at export
    assert repr(float(t.metrics().train_cost))[:8] in text
