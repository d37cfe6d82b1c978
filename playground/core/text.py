"""How the app writes numbers: one module for every page, chart and file.

Pure Python (the standard library only), in the lowest layer, so that every layer writes
a number the same way. Each function takes a number (Python or NumPy) and returns text.

On the pages (``number``, ``cost``, ``percent``, ``share``, ``probability``, ``count``,
``duration``): a negative number takes the true minus sign "−" and a power of ten is
written 1.2·10⁻⁵, as on a slide; a number that is not finite is written in words ("not a
number", "infinite"). In a chart's text alternative, read aloud (``spoken``), powers of
ten stay 1.2e-10 and the minus sign is "−" (screen readers read it "minus", but a hyphen
often "dash"). In a heatmap's cells (``cell``): short, 1.73e-5. In files and links
(``exact``): the number that reads back to the very same float.
"""

from __future__ import annotations

import math
from numbers import Integral

MINUS = "\u2212"
"""The minus sign of the pages' numbers (a hyphen is narrower and reads as a dash)."""

NO_VALUE = "—"
"""What a read-out shows when there is no number (no test set, say)."""

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _nonfinite(v: float) -> str:
    """NaN and ±infinity in words: "not a number", "infinite", "−infinite"."""
    if math.isnan(v):
        return "not a number"
    return "infinite" if v > 0 else f"{MINUS}infinite"


def _special(v: float) -> str | None:
    """Exactly ``"0"`` for zero, NaN and infinity in words; None for any other number."""
    if v == 0:
        return "0"
    return None if math.isfinite(v) else _nonfinite(v)


def number(v: float, digits: int = 4) -> str:
    """A number in the pages' sentences and tables: ``digits`` significant digits,
    exactly ``"0"`` for zero, the true minus sign, powers of ten on a slide's style:
    ``0.25``, ``−0.278``, ``1``, ``1.2·10⁻⁵``, ``3·10⁶``; NaN and infinity in words."""
    v = float(v)
    if (special := _special(v)) is not None:
        return special
    s = f"{v:.{digits}g}"
    if "e" in s:
        mant, exp = s.split("e")
        s = f"{mant}·10{str(int(exp)).translate(_SUPERSCRIPTS)}"
    return s.replace("-", MINUS)


def spoken(v: float, digits: int = 4) -> str:
    """A number in a chart's text alternative, which a screen reader reads aloud:
    ``digits`` significant digits, ``e`` powers of ten, the true minus sign ("minus"),
    NaN and infinity in words: ``0.61``, ``1.2e-10``, ``−3.5``, ``infinite``."""
    v = float(v)
    if (special := _special(v)) is not None:
        return special
    s = f"{v:.{digits}g}"
    return MINUS + s[1:] if s.startswith("-") else s


def cost(J: float) -> str:
    """The cost J as the course prints it: 4 decimals (``0.6931``); from 1000 on (a
    diverging J) 3 significant digits (``1.23e+04``); NaN and infinity in words."""
    J = float(J)
    if not math.isfinite(J):
        return _nonfinite(J)
    return f"{J:.4f}" if abs(J) < 1000 else f"{J:.3g}"


def percent(fraction: float | None, decimals: int = 1) -> str:
    """A fraction (an accuracy, say) in percent: ``0.875`` → ``"87.5%"``; ``"—"`` when
    there is none (None, NaN or infinite)."""
    if fraction is None or not math.isfinite(float(fraction)):
        return NO_VALUE
    return f"{float(fraction):.{decimals}%}"


def share(fraction: float) -> str:
    """A share in whole percent that never rounds a few to nothing or almost all to all:
    ``"<1%"`` for (0, 0.5 %), ``">99%"`` for (99.5 %, 100 %), else ``"37%"``."""
    fraction = float(fraction)
    if 0 < fraction < 0.005:
        return "<1%"
    if 0.995 < fraction < 1:
        return ">99%"
    return f"{100 * fraction:.0f}%"


def probability(p: float) -> str:
    """ŷ for a sentence: 3 decimals (``0.112``); when ŷ is within 0.0005 of 0.5, where 3
    decimals would show 0.500, ``2 − ⌊log₁₀ d⌋`` decimals (at most 8) for its distance
    d = |ŷ − 0.5|: ``0.500300``, ``0.4999700``."""
    p = float(p)
    d = abs(p - 0.5)
    if 0 < d < 5e-4:
        digits = max(3, 1 - math.floor(math.log10(d)) + 1)
        return f"{p:.{min(digits, 8)}f}"
    return f"{p:.3f}"


def count(n: int) -> str:
    """A whole number (an iteration, a number of points) with thousands separators:
    ``12,000``."""
    return f"{int(n):,}"


def duration(seconds: float) -> str:
    """A rough duration: whole seconds below 90 s (``"45 s"``), else whole minutes
    (``"3 min"``)."""
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def cell(v: float) -> str:
    """A heatmap cell's text, short enough for narrow cells: ``"0"``, ``"1.18"``,
    ``"-0.123"``, ``"1.73e-5"`` (3 significant digits; scientific below 1e-3 and from
    1e4 on); NaN and infinity as ``nan``, ``inf``."""
    v = float(v)
    if v == 0:
        return "0"
    if not math.isfinite(v):
        return str(v)
    if abs(v) < 1e-3 or abs(v) >= 1e4:
        mant, exp = f"{v:.2e}".split("e")
        return f"{mant}e{int(exp)}"
    return f"{v:.3g}"


def exact(v: float | int) -> str:
    """A number for a file or a link, that reads back as the very same number: an
    integer in digits (``"12"``; True is ``"1"``), a float in the fewest digits that
    read back to it (Python's ``repr``) without a trailing ``.0``: ``"0.01"``,
    ``"1e-05"``, ``"2"``, ``"0.30000000000000004"``, ``"nan"``, ``"inf"``."""
    if isinstance(v, Integral):
        return str(int(v))
    s = repr(float(v))
    return s[:-2] if s.endswith(".0") else s


NOTEBOOK_STYLES = ("%f", "{}")
"""How the course's notebooks print their cost: ``"%f"`` (6 decimals, the one-hidden-layer
assignment), ``"{}"`` (Python's shortest exact form, the initialization assignment)."""


def notebook_line(iteration: int, J: float, style: str) -> str:
    """A line of a course notebook's print-out, exactly as the notebook prints it:
    ``"Cost after iteration %i: %f" % (i, J)`` for the style ``"%f"``
    (``Cost after iteration 1000: 0.288083``), ``"Cost after iteration {}: {}".format(i,
    J)`` for ``"{}"`` (``Cost after iteration 0: 0.6931471805599453``); infinity is
    ``inf``, as the notebook prints it."""
    # The same strings as the notebooks' own % and str.format, written as f-strings.
    if style == "%f":
        return f"Cost after iteration {int(iteration)}: {float(J):f}"
    if style == "{}":
        return f"Cost after iteration {int(iteration)}: {float(J)}"
    raise ValueError(f"unknown notebook style {style!r}; choose one of {NOTEBOOK_STYLES}")
