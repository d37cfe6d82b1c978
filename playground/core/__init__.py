"""The numeric core: NumPy only, written like the course.

* ``activations``: the one registry of activations g and g'
* ``propagation``: initialization, forward and backward propagation, the cost, the
  update, prediction and the gradient check
* ``clones``: the one matrix product, which keeps clone units exact
* ``checks``: the argument checks of the public functions (``playground.core.nn``)
"""

from playground.core import activations, checks, clones, propagation
from playground.core.propagation import (
    INITIALIZATIONS,
    LayerCache,
    backward_propagation,
    compute_cost,
    forward_propagation,
    gradient_check,
    initialize_parameters,
    predict,
    regularization_cost,
    update_parameters,
)

__all__ = [
    "INITIALIZATIONS", "LayerCache", "activations", "backward_propagation", "checks",
    "clones", "compute_cost", "forward_propagation", "gradient_check",
    "initialize_parameters", "predict", "propagation", "regularization_cost",
    "update_parameters",
]
