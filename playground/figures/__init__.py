"""Plotly only: pure builders from data to figures, one module a subject.

No Streamlit, no hidden state: the same inputs always give the same figure, and the tests
(``tests/figures/test_figures_<module>.py``) read the figures' data (trace types, arrays,
layout), never pixels. This package may import ``playground.core``, not the engine, the
pages' logic or the UI (``ruff.toml``).

Where things are
----------------
* ``theme``: sizes, fonts, colours, palettes, and the pieces every figure is made of
  (``axis``, ``base_layout``, ``colorbar``); ``axes``: subplot grids, log axes, the
  iteration axis; ``wire``: ``figure(traces, layout)``, the fast JSON encoding
  (``to_json``) and the ``VALIDATE`` switch the tests turn on.
* One module a chart subject: ``boundary`` (with ``contour``, the line ŷ = 0.5, and
  ``plane``, the x₁, x₂ plane and its points), ``series`` (cost, overlaid series, box
  plots), ``network``, ``units``, ``activations``, ``matrix`` (W[l], the confusion matrix).
* One module a page that needs more: ``symmetry``, ``compare``, ``init_lab``, built on the
  general builders; ``alt_text``: each chart's text alternative, from the same data.

The API style
-------------
* Every chart has one builder, ``make_<thing>_figure(data..., *, options) -> go.Figure``.
  Data come first, in the course's shapes (``X`` (2, m), ``Y`` (1, m), ``W[l]`` (n[l],
  n[l-1]), grid values (ny, nx)); options are keywords, with ``height=`` (a module
  constant ``<THING>_HEIGHT`` by default), ``title=None`` and ``uirevision=UIREVISION``
  where they apply.
* A chart the Playground redraws every live frame also has ``<thing>_spec(...) -> dict``,
  a ``{"data": traces, "layout": layout}`` of plain dicts and NumPy arrays that
  ``playground.ui.live_chart`` sends as it is (no plotly objects: cheaper). Its figure
  builder takes the same arguments and only wraps it, ``figure(**<thing>_spec(...))``: one
  implementation, and ``tests/figures/test_figures_wire.py`` checks that both give the
  same JSON. Today: ``boundary.decision_boundary_spec`` and ``series.cost_spec``.
* A builder makes its figure in one call, ``wire.figure(traces, layout)``, from plain
  dicts (unvalidated unless ``wire.VALIDATE``); the page modules may start from a general
  builder and adjust its figure (``fig.update_layout``), or build with plotly's objects.
* Other public functions return the numbers a chart and its text alternative share, and
  are named for them: ``contour_line``, ``boundary_note``, ``confusion_matrix``,
  ``subsample_sorted``, ``saturated_intervals``.
"""
