"""Shared by the tests of playground.figures: one of every figure, and readers of their JSON."""

from __future__ import annotations

from playground.core.diagnostics import grid_activations
from playground.figures.activations import (
    make_activation_curves_figure,
    make_activations_at_work_figure,
)
from playground.figures.boundary import make_decision_boundary_figure
from playground.figures.matrix import (
    make_confusion_figure,
    make_matrix_heatmap_figure,
)
from playground.figures.network import make_network_figure
from playground.figures.series import (
    make_box_figure,
    make_cost_figure,
    make_series_figure,
)
from playground.figures.units import (
    make_unit_figure,
    make_unit_maps_figure,
)


def names(fig):
    return [t.name for t in fig.data]


def font_sizes(obj, inside_font=False):
    """Every ``size`` found in a font-like dict of the figure's JSON."""
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            fontish = k in ("font", "tickfont", "textfont", "titlefont", "insidetextfont")
            if inside_font and k == "size" and isinstance(v, (int, float)):
                out.append(v)
            out += font_sizes(v, fontish)
    elif isinstance(obj, list):
        for v in obj:
            out += font_sizes(v, False)
    return out


def build_all_figures(trainer, grid, P, data, deep_trainer, zero_trainer):
    h = trainer.history()
    caches = trainer.caches()
    maps = grid_activations(grid, trainer.parameters, trainer.activations)
    return {
        "boundary": make_decision_boundary_figure(grid, P, *data),
        "cost": make_cost_figure(h),
        "network": make_network_figure(trainer.layer_dims, trainer.parameters,
                                       activations=trainer.activations),
        "network_zero": make_network_figure(zero_trainer.layer_dims,
                                            zero_trainer.parameters),
        "network_deep": make_network_figure(deep_trainer.layer_dims, deep_trainer.parameters,
                                            activations=deep_trainer.activations),
        "unit_maps": make_unit_maps_figure(grid, maps),
        "unit": make_unit_figure(grid, maps[1][0], title="a[1]₁", X_train=data[0],
                                 Y_train=data[1]),
        "at_work": make_activations_at_work_figure(["tanh"], [caches[0].Z]),
        "curves": make_activation_curves_figure(["sigmoid", "tanh", "relu"]),
        "matrix": make_matrix_heatmap_figure(trainer.parameters["W1"]),
        "series": make_series_figure([{"name": "J", "x": h["iteration"],
                                       "y": h["train_cost"]}], y_title="cost J"),
        "box": make_box_figure([{"name": "a", "layers": [c.Z for c in caches]}],
                               y_title="Z[l]"),
        "confusion": make_confusion_figure(data[1], trainer.predict_proba(data[0]),
                                           title=None),
    }


FIGURE_NAMES = ["boundary", "cost", "network", "network_zero", "network_deep", "unit_maps",
                "unit", "at_work", "curves", "matrix", "series", "box", "confusion"]
