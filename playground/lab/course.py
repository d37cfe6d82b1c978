"""The "course notebook" choice: the Playground runs an assignment's notebook as it is, on
its data, from its initial weights, and prints the cost lines the notebook printed.

Two notebooks (:data:`NOTEBOOKS`): the one-hidden-layer assignment on the planar flower,
and the initialization assignment on ``make_circles`` (its three runs: zeros, random × 10,
He). Choosing one sets the data, the network, the initialization and α to the notebook's
(:func:`notebook_settings`); the run is float64 and full batch, as in the notebook. The
print-out (:func:`printout`) is computed from the run's own parameters every 1,000
iterations; :func:`differences` says which settings are no longer the notebook's, so that
a student knows when the lines stop being the notebook's lines.

Pure logic: the Config fields are plain names here (``playground.lab.config`` imports this
module, not the other way round).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from playground.core import text
from playground.core.course import (
    circles_dataset,
    initial_parameters,
    notebook_cost,
    planar_dataset,
)
from playground.core.propagation import forward_propagation
from playground.engine.trainer import Trainer, trainer_from_config

NO_COURSE = "off"
# Not the notebook's business, but its rhythm: Step ×1,000 prints the next line.
VIEW = {"steps_per_click": 1000}
DRAWING_INITS = ("random", "he", "xavier")  # the initializations that draw from the seed


@dataclass(frozen=True)
class Notebook:
    """One assignment's run, as its notebook makes it."""

    name: str
    label: str  # the choice on the page
    assignment: str  # the assignment's title
    call: str  # the notebook's call that prints the lines
    data: str  # where the data come from, in the notebook's words
    settings: Mapping[str, Any]  # the Config fields the notebook fixes, with its values
    inits: tuple[str, ...]  # the initializations the notebook runs
    random_scale: float  # the factor of its "random" initialization
    cost_formula: str  # playground.core.course.notebook_cost's formula
    style: str  # how it prints J (playground.core.text.NOTEBOOK_STYLES)
    digits_note: str  # how far this run's lines agree with the notebook's
    print_every: int = 1000
    data_fields: tuple[str, ...] = field(
        default=("dataset", "n_samples", "noise", "test_fraction", "data_seed"))

    @property
    def iterations(self) -> int:
        return int(self.settings["stop_iterations"])


_NETWORK = dict(features=("x1", "x2"), regularization="none", lambd=0.0, batch_size=0,
                schedule="constant", stop_cost=0.0)

NOTEBOOKS: dict[str, Notebook] = {
    nb.name: nb
    for nb in (
        Notebook(
            "planar",
            label="Planar flower: one hidden layer",
            assignment="Planar data classification with one hidden layer",
            call="nn_model(X, Y, n_h = 4, num_iterations = 10000, print_cost=True)",
            data="load_planar_dataset(): 400 points, np.random.seed(1); all of them train",
            settings=dict(dataset="flower", n_samples=400, noise=0.2, test_fraction=0.0,
                          data_seed=1, hidden=(4,), activations=("tanh",), init="random",
                          init_scale=0.01, weight_seed=2, alpha=1.2, stop_iterations=10_000,
                          **_NETWORK),
            inits=("random",), random_scale=0.01, cost_formula="planar", style="%f",
            digits_note="The lines agree with the notebook's to the 6 decimals it prints "
                        "up to iteration 7000. Between 7000 and 8000 the cost rises for a "
                        "while and differences in the last bit of rounding grow: from "
                        "8000 on the 5th decimal can differ, as it does between two ways of "
                        "writing the same sum in the notebook's own code.",
        ),
        Notebook(
            "circles",
            label="Circles: the initialization assignment",
            assignment="Initialization",
            call='model(train_X, train_Y, initialization = "he")  (or "zeros", "random")',
            data="load_dataset(): make_circles, 300 train points after np.random.seed(1), "
                 "100 test points after np.random.seed(2)",
            settings=dict(dataset="circles", n_samples=400, noise=0.05, test_fraction=0.25,
                          data_seed=1, hidden=(10, 5), activations=("relu", "relu"),
                          init="he", init_scale=10.0, weight_seed=3, alpha=0.01,
                          stop_iterations=15_000, **_NETWORK),
            inits=("zeros", "random", "he"), random_scale=10.0,
            cost_formula="initialization", style="{}",
            digits_note="The notebook prints every digit of J; this run's last one or two "
                        "can differ from it (the order of floating-point sums), and with "
                        "random × 10 the 4th decimal, since rounding differences grow with "
                        "large weights. At iteration 0 the numbers are the notebook's.",
        ),
    )
}


def notebook_settings(name: str) -> dict[str, Any]:
    """The Config fields a notebook's run has (a copy)."""
    return dict(NOTEBOOKS[name].settings)


def notebook_data(name: str):
    """``(X_train, Y_train, X_test, Y_test)`` as the notebook loads them (the flower has no
    test set: a ``(2, 0)`` one)."""
    if name == "planar":
        X, Y = planar_dataset()
        return X, Y, np.zeros((2, 0)), np.zeros((1, 0))
    if name == "circles":
        return circles_dataset()
    raise ValueError(f"unknown course notebook {name!r}; choose one of {', '.join(NOTEBOOKS)}")


def course_trainer(cfg, X_train, Y_train, X_test=None, Y_test=None) -> Trainer:
    """A float64 Trainer for a config in course mode: its initial weights drawn as the
    notebook draws them (``np.random.seed(weight_seed)``, then ``randn`` layer by layer),
    keeping the parameters every 1,000 iterations for the print-out."""
    nb = NOTEBOOKS[cfg.course]
    params = initial_parameters(cfg.layer_dims, cfg.init, cfg.init_scale, cfg.weight_seed)
    return trainer_from_config(cfg, X_train, Y_train, X_test, Y_test, dtype=np.float64,
                               initial_parameters=params, keep_every=nb.print_every)


def printout(trainer: Trainer, name: str) -> list[str]:
    """The notebook's lines for the iterations this run has done: "Cost after iteration
    i: J" for every i the trainer kept (every 1,000), J computed from the run's parameters
    of iteration i (before its update) with the notebook's own ``compute_cost``, printed
    as the notebook prints it."""
    nb = NOTEBOOKS[name]
    lines = []
    with np.errstate(all="ignore"):
        for it, params in trainer.kept:
            AL, _ = forward_propagation(trainer.X_train, params, trainer.activations)
            J = notebook_cost(AL, trainer.Y_train, nb.cost_formula)
            lines.append(text.notebook_line(it, J, nb.style))
    return lines


def _shown(v: Any) -> str:
    if isinstance(v, tuple):
        return ", ".join(_shown(x) for x in v) or "none"
    if isinstance(v, bool) or not isinstance(v, int | float):
        return str(v)
    return text.exact(v)


_LABELS = {  # what differs, in a sentence ("α = 0.5 here, 1.2 in the notebook")
    "hidden": "hidden units", "activations": "activations", "features": "input features",
    "alpha": "α", "regularization": "regularization", "lambd": "λ",
    "batch_size": "batch size", "schedule": "learning-rate schedule",
}
_COMPARED = ("hidden", "activations", "features", "alpha", "regularization", "batch_size",
             "schedule")


def differences(cfg, n_user_points: int = 0) -> list[str]:
    """What in ``cfg`` (in course mode) is not the notebook's, one phrase each ("α = 0.5
    here, 1.2 in the notebook"); empty when the run is the notebook's. The stop and the
    view settings do not count; the weight seed counts where the initialization draws."""
    nb = NOTEBOOKS[cfg.course]
    want = nb.settings
    out = []
    for f in _COMPARED:
        here, there = getattr(cfg, f), want[f]
        if f == "batch_size":
            here, there = here or "full batch", there or "full batch"
        if here != there:
            out.append(f"{_LABELS[f]} = {_shown(here)} here, {_shown(there)} in the notebook")
    if cfg.regularization == want["regularization"] and cfg.regularization != "none" \
            and cfg.lambd != want["lambd"]:
        out.append(f"λ = {_shown(cfg.lambd)} here, {_shown(want['lambd'])} in the notebook")
    if cfg.init not in nb.inits:
        runs = ", ".join("random × " + _shown(nb.random_scale) if i == "random" else i
                         for i in nb.inits)
        out.append(f"initialization {cfg.init} here; the notebook runs {runs}")
    elif cfg.init == "random" and cfg.init_scale != nb.random_scale:
        out.append(f"random × {_shown(cfg.init_scale)} here, × {_shown(nb.random_scale)} "
                   "in the notebook")
    if cfg.init in DRAWING_INITS and cfg.weight_seed != want["weight_seed"]:
        out.append(f"weight seed {_shown(cfg.weight_seed)} here, "
                   f"np.random.seed({_shown(want['weight_seed'])}) in the notebook")
    if n_user_points:
        out.append(f"{text.count(n_user_points)} points of yours added to the notebook's data")
    return out
