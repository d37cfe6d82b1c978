"""The Playground page's own frame, measured: train one frame, build its figures, encode
them as the live charts send them (``playground.ui.live_chart``: figure specs,
``playground.figures.wire.to_json``).

Run from the project root: ``python -m benchmarks.bench_page``. Prints, per setting, the
time to train one frame at the "normal" speed (1,000 iterations/s × 0.2 s = 200 iterations),
the time to evaluate the grid and build + encode the boundary and cost charts, the
resulting frame rate and training rate if frames ran back to back, and the payload size.
The reference, in the same process: the same two charts the way plotly and
``st.plotly_chart`` do it by default (validated ``go.Figure``, then plotly's ``to_dict``
and ``to_json``); the last column is how many times faster the live path draws.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from playground.core.datasets import make_dataset, train_test_split
from playground.core.diagnostics import grid_activations, make_grid
from playground.engine.trainer import trainer_from_config
from playground.figures import wire
from playground.figures.boundary import decision_boundary_spec, make_decision_boundary_figure
from playground.figures.series import cost_spec, make_cost_figure
from playground.lab.config import Config

GRID_RESOLUTION = 50
FRAME_ITERATIONS = 200  # "normal" speed: 1,000 it/s at 5 frames/s
REPEATS = 15

SETTINGS = {
    "default 2-4-1 tanh": Config(),
    "2-8-8-1 relu": Config(hidden=(8, 8), activations=("relu", "relu"), alpha=0.3),
    "2-4-1 L2 + batch 32": Config(regularization="L2", lambd=0.1, batch_size=32),
    "2-6x8-1 tanh, 6 features": Config(hidden=(8,) * 6, activations=("tanh",) * 6, alpha=0.3,
                                       features=("x1", "x2", "x1sq", "x2sq", "x1x2", "sin_x1")),
}


def measure(cfg: Config) -> dict[str, float]:
    X, Y = make_dataset(cfg.dataset, cfg.n_samples, cfg.noise, cfg.data_seed)
    split = train_test_split(X, Y, cfg.test_fraction, cfg.data_seed)
    trainer = trainer_from_config(cfg, *split, dtype=np.float32)
    grid = make_grid(np.hstack([split[0], split[2]]), GRID_RESOLUTION)
    trainer.step(1000)  # past the first, densely recorded iterations
    train, draw, ref, sizes = [], [], [], []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        trainer.step(FRAME_ITERATIONS)
        trainer.metrics()
        t1 = time.perf_counter()
        P = grid_activations(grid, trainer.parameters, trainer.activations,
                             trainer.features)[-1][0]
        payload = (wire.to_json(decision_boundary_spec(grid, P, *split))
                   + wire.to_json(cost_spec(trainer.history())))
        t2 = time.perf_counter()
        wire.VALIDATE = True  # the reference: plotly's default path
        try:
            P = grid_activations(grid, trainer.parameters, trainer.activations,
                                 trainer.features)[-1][0]
            for fig in (make_decision_boundary_figure(grid, P, *split),
                        make_cost_figure(trainer.history())):
                pio.to_json(go.Figure.to_dict(fig), validate=False)
        finally:
            wire.VALIDATE = False
        t3 = time.perf_counter()
        train.append(t1 - t0)
        draw.append(t2 - t1)
        ref.append(t3 - t2)
        sizes.append(len(payload))
    tr, dr, rf = statistics.median(train), statistics.median(draw), statistics.median(ref)
    return {"train_ms": tr * 1e3, "draw_ms": dr * 1e3, "fps": 1 / (tr + dr),
            "it_per_s": FRAME_ITERATIONS / (tr + dr), "kB": statistics.median(sizes) / 1e3,
            "us_per_it": tr / FRAME_ITERATIONS * 1e6, "ref_ms": rf * 1e3, "ratio": rf / dr}


def main() -> None:
    print(f"Playground frame: {FRAME_ITERATIONS} iterations + {GRID_RESOLUTION}×"
          f"{GRID_RESOLUTION} boundary + cost chart, float32, median of {REPEATS}")
    print(f"{'setting':30} {'train ms':>9} {'µs/it':>7} {'charts ms':>10} {'frames/s':>9} "
          f"{'it/s':>8} {'payload kB':>11} {'plotly default ms':>18} {'ratio':>6}")
    for name, cfg in SETTINGS.items():
        r = measure(cfg)
        print(f"{name:30} {r['train_ms']:9.1f} {r['us_per_it']:7.0f} {r['draw_ms']:10.1f} "
              f"{r['fps']:9.1f} {r['it_per_s']:8.0f} {r['kB']:11.1f} {r['ref_ms']:18.1f} "
              f"{r['ratio']:5.1f}×")


if __name__ == "__main__":
    main()
