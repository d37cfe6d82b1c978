"""playground.figures.wire: unvalidated figures (the app's fast path) and specs serialise
exactly as plotly's validated figures do. Checked through the figures' data (trace types,
arrays, layout settings), never through pixels."""

from __future__ import annotations

import json

import numpy as np
import pytest
from every_figure import FIGURE_NAMES, build_all_figures

from playground.figures import wire
from playground.figures.boundary import (
    decision_boundary_spec,
    make_decision_boundary_figure,
)
from playground.figures.series import (
    cost_spec,
    make_cost_figure,
)
from playground.figures.wire import encode, figure, to_json


def test_unvalidated_figures_serialise_exactly_like_validated_ones(
        trainer, grid, P, data, deep_trainer, zero_trainer, monkeypatch):
    monkeypatch.setattr(wire, "VALIDATE", True)
    checked = build_all_figures(trainer, grid, P, data, deep_trainer, zero_trainer)
    monkeypatch.setattr(wire, "VALIDATE", False)
    fast = build_all_figures(trainer, grid, P, data, deep_trainer, zero_trainer)
    assert sorted(fast) == sorted(FIGURE_NAMES)
    for name in FIGURE_NAMES:  # the same JSON, up to the order of keys...
        a, b = json.loads(fast[name].to_json()), json.loads(checked[name].to_json())
        # ... and the empty template, which validation fills with a no-op trace default.
        ta, tb = a["layout"].pop("template", {}), b["layout"].pop("template", {})
        assert ta == {} and tb in ({}, {"data": {"scatter": [{"type": "scatter"}]}}), name
        assert a == b, name

def test_specs_serialise_like_their_figures(trainer, grid, P, data):
    h = trainer.history()
    for spec, fig in ((decision_boundary_spec(grid, P, *data),
                       make_decision_boundary_figure(grid, P, *data)),
                      (cost_spec(h, show_data_term=True), make_cost_figure(
                          h, show_data_term=True))):
        assert set(spec) == {"data", "layout"}
        a, b = json.loads(to_json(spec)), json.loads(to_json(fig))
        a["layout"].pop("template"), b["layout"].pop("template")
        assert a == b

@pytest.mark.parametrize("a", [
    np.arange(5, dtype=np.int64), np.arange(300, dtype=np.int64),
    np.array([0, 70_000], dtype=np.int64), np.array([0, 2**40], dtype=np.int64),
    np.array([-5, 3], dtype=np.int64), np.arange(3, dtype=np.uint64),
    np.arange(6, dtype=np.float32).reshape(2, 3), np.zeros(0), np.array(["a", "b"])])
def test_arrays_go_out_as_plotly_would_send_them(a):
    from _plotly_utils.utils import to_typed_array_spec

    mine, plotly_s = encode({"x": a})["x"], to_typed_array_spec(a)
    if isinstance(plotly_s, dict):
        assert mine == plotly_s
    else:  # left for the JSON encoder: a plain list
        assert np.array_equal(np.asarray(mine), np.asarray(plotly_s))

def test_validation_catches_a_misspelt_property(monkeypatch):
    monkeypatch.setattr(wire, "VALIDATE", True)
    with pytest.raises(ValueError, match="colour"):
        figure([{"type": "scatter", "x": [0, 1], "colour": "red"}], {})
    monkeypatch.setattr(wire, "VALIDATE", False)
    figure([{"type": "scatter", "x": [0, 1]}], {})  # the fast path builds
