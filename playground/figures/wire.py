"""The wire: figures and figure specs as the JSON plotly.js gets, built fast.

Every builder makes its figure in one call, ``figure(traces, layout)``, from plain dicts
and NumPy arrays, and without plotly's property validation: validating a figure costs 5
to 10 times more than building it (7 ms for the boundary), and the builders run several
times a second per student on the live page. The tests turn validation on (``VALIDATE``,
in ``tests/conftest.py``), so a misspelt property still fails there, and check that both
ways give the same JSON (``tests/figures/test_figures_wire.py``).

Payloads stay small: arrays go out as float32 (``f32``; plotly ≥ 6 sends them as typed
binary arrays), and hover texts come from ``hovertemplate`` + ``customdata`` instead of
per-point strings.

This is the one module that relies on plotly's internals: ``Figure.to_dict`` reads the
dicts an unvalidated ``BaseFigure`` stores, ``figure`` passes BaseFigure's ``_validate``
keyword, and ``encode`` leaves strings and empty arrays to
``_plotly_utils.utils.to_typed_array_spec``, as plotly.io does.
"""

from __future__ import annotations

import base64
import os

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import to_typed_array_spec

# Validate every property of every figure built (plotly's default). Off in the app, where
# it would cost most of a live frame; the tests set it (tests/conftest.py sets
# ``playground.figures.wire.VALIDATE``: read here at every build, so set it on this
# module), and NN_PLAYGROUND_VALIDATE_FIGURES=1 sets it for a server.
VALIDATE = os.environ.get("NN_PLAYGROUND_VALIDATE_FIGURES", "") == "1"

# What plotly.io leaves as plain JSON arrays (``_plotly_utils.utils.is_skipped_key``).
_PLAIN_ARRAY_KEYS = frozenset({"geojson", "layer", "layers", "range"})


class Figure(go.Figure):
    """A ``go.Figure`` that turns itself into its JSON dict quickly.

    ``st.plotly_chart`` calls ``to_dict()`` on every figure, every frame. Plotly's own
    deep-copies every nested dict and then inspects every array through narwhals (is it
    a data frame?) before base64-encoding it: 1.5 ms for the boundary, about as long as
    building the figure. An unvalidated figure holds only our own dicts, lists, strings,
    numbers and NumPy arrays, so one pass copies the containers and encodes the arrays
    as plotly.js typed arrays, exactly as plotly would (``tests/figures/test_figures_wire.py``
    compares both, builder by builder). A validated figure uses plotly's ``to_dict``.
    """

    def to_dict(self):
        # ``_validate``, ``_data`` and ``_layout`` are plotly's own BaseFigure attributes:
        # the only access to the dicts as given (``self.data`` would wrap every trace in a
        # validating object, which is the cost this class avoids). Read here only.
        if self._validate:
            return super().to_dict()
        out = {"data": encode(self._data), "layout": encode(self._layout)}
        if self.frames:  # no builder makes frames; encode() copies them via to_plotly_json
            out["frames"] = encode(list(self.frames))
        return out


def encode(obj):
    """A copy of ``obj`` for the wire: containers copied, NumPy arrays as plotly.js typed
    arrays (``{"dtype", "bdata", "shape"}``), plotly objects as their JSON dicts."""
    if type(obj) is dict:
        return {k: (_plain(v) if k in _PLAIN_ARRAY_KEYS else encode(v))
                for k, v in obj.items()}
    if type(obj) in (list, tuple):
        return [encode(v) for v in obj]
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "iu" and obj.dtype.itemsize == 8 and obj.size:
            obj = _narrow_ints(obj)  # plotly.js has no 64-bit integer arrays
        code = _TYPED_ARRAY_CODES.get(obj.dtype.name)
        if code is None or obj.size == 0:  # strings, objects, empty: plotly's own rules
            return to_typed_array_spec(obj)
        spec = {"dtype": code,
                "bdata": base64.b64encode(np.ascontiguousarray(obj)).decode("ascii")}
        if obj.ndim > 1:
            spec["shape"] = str(obj.shape)[1:-1]
        return spec
    if hasattr(obj, "to_plotly_json"):
        return encode(obj.to_plotly_json())
    return obj


def _narrow_ints(a: np.ndarray) -> np.ndarray:
    """64-bit integers as the narrowest of int8/16/32 (uint8/16/32) that holds them, as
    plotly does; left as they are when none does."""
    lo, hi = int(a.min()), int(a.max())
    for t in ((np.uint8, np.uint16, np.uint32) if a.dtype.kind == "u"
              else (np.int8, np.int16, np.int32)):
        info = np.iinfo(t)
        if info.min <= lo and hi <= info.max:
            return a.astype(t)
    return a


def _plain(obj):
    """A copy of ``obj`` with arrays as plain lists (what plotly does under ``range``)."""
    if type(obj) is dict:
        return {k: _plain(v) for k, v in obj.items()}
    if type(obj) in (list, tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return obj


_TYPED_ARRAY_CODES = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2",
                      "int32": "i4", "uint32": "u4", "float32": "f4", "float64": "f8"}


def to_json(fig_or_spec) -> str:
    """The JSON text plotly.js gets for a figure, or for a ``{"data", "layout"}`` spec
    (what the ``*_spec`` builders return): exactly what ``st.plotly_chart`` would send."""
    if isinstance(fig_or_spec, go.Figure):
        wire = fig_or_spec.to_dict()
    else:
        wire = {"data": encode(fig_or_spec["data"]), "layout": encode(fig_or_spec["layout"])}
    return pio.to_json(wire, validate=False)


def figure(data: list, layout: dict) -> Figure:
    """``Figure(data=data, layout=layout)``, validated only when ``VALIDATE`` is set.

    Unvalidated (``_validate=False``, a keyword of plotly's ``BaseFigure``), plotly stores
    the dicts as given, which costs a tenth of validating them; the figure serialises to
    the same JSON, which ``tests/figures/test_figures_wire.py`` checks builder by builder."""
    return Figure(data=data, layout=layout, _validate=VALIDATE)


def f32(a) -> np.ndarray:
    """A contiguous float32 copy (or view): what goes over the wire."""
    return np.ascontiguousarray(a, dtype=np.float32)

