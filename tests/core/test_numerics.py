"""Numerical faults: every activation, at every α from 1e-4 to 10, with every
initialization, either trains or stops with "diverged", and never warns."""

import math
import warnings

import numpy as np
import pytest

from playground.core.datasets import make_dataset, train_test_split
from playground.core.nn import ACTIVATIONS, INITIALIZATIONS
from playground.engine.trainer import Trainer

ALPHAS = (1e-4, 1e-2, 1.0, 10.0)
X, Y = make_dataset("flower", 200, seed=3)
SPLIT = train_test_split(X, Y, 0.2, 3)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_every_alpha_and_initialization_trains_or_diverges_cleanly(activation, dtype):
    for init in INITIALIZATIONS:
        scales = (0.01, 10.0) if init == "random" else (None,)
        for scale in scales:
            for alpha in ALPHAS:
                with warnings.catch_warnings():
                    warnings.simplefilter("error")  # any warning fails the test
                    t = Trainer(*SPLIT, hidden=(6, 6), activations=(activation,) * 2,
                                init=init, init_scale=scale, learning_rate=alpha,
                                dtype=dtype)
                    t.step(300)
                    m = t.metrics()
                label = f"{activation} {init}×{scale} α={alpha} {dtype.__name__}"
                assert t.status in ("training", "diverged"), label
                # The state shown is always a good one: finite parameters and read-outs.
                assert all(np.isfinite(v).all() for v in t.parameters.values()), label
                assert math.isfinite(m.train_cost) and math.isfinite(m.test_cost), label
                if t.status == "diverged":
                    assert t.diverged_at is not None and t.diverged_reason, label
                    assert t.step(10) == 0, "a diverged trainer must not train on"
