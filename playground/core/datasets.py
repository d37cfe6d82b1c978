"""Toy 2-D binary-classification datasets, a train/test split, and CSV import/export.

Shapes follow the course's notation (columns are examples):

* ``X``: ``(2, m)`` float64, one example per column (row 0 is x1, row 1 is x2)
* ``Y``: ``(1, m)`` float64 of 0.0/1.0

Every dataset lives in the :data:`DATASETS` registry; adding one is a single decorated
generator function (see :func:`_dataset`). Errors a user can cause (a bad CSV upload, an
out-of-range slider value) raise :class:`DatasetError`, whose message is written for a
student and says what is wrong and where.

scikit-learn: the generators that call its ``sklearn.datasets`` import it on first use,
inside the function. Importing scikit-learn takes about a second (it brings SciPy), and the
Playground opens on the flower, which does not need it: a shared link's first boundary
does not wait for it.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.core.text import exact

Array = np.ndarray
Generator = Callable[[int, float, int], tuple[Array, Array]]

MIN_SAMPLES = 4
MAX_SAMPLES = 10_000
MAX_NOISE = 2.0
MIN_ROWS = 4
MAX_ROWS = 10_000
MAX_TEST_FRACTION = 0.9
# An uploaded x1 or x2 must stay within ±MAX_ABS_INPUT: the live pages train in float32
# (max ≈ 3.4e38), where features such as x1² or x1·x2 of larger inputs and the first
# Z[1] = W[1]·X overflow or saturate every unit, so J is NaN from iteration 0.
MAX_ABS_INPUT = 1e6
# ... and a column that varies at all must vary by at least this much, absolutely and
# relative to its size: float32 keeps about 7 significant digits, so points closer than
# that fall on top of each other (and on one pixel of the plane).
MIN_INPUT_SPREAD = 1e-6
MIN_RELATIVE_SPREAD = 1e-4
_MAX_SEED = 2**32 - 1  # what scikit-learn's random_state accepts

__all__ = [
    "DATASETS",
    "MAX_ABS_INPUT",
    "MAX_NOISE",
    "MAX_ROWS",
    "MIN_INPUT_SPREAD",
    "MIN_RELATIVE_SPREAD",
    "MAX_SAMPLES",
    "MAX_TEST_FRACTION",
    "MIN_ROWS",
    "MIN_SAMPLES",
    "DatasetError",
    "DatasetInfo",
    "load_csv",
    "make_dataset",
    "sample_csv",
    "to_csv",
    "train_test_split",
]


class DatasetError(ValueError):
    """A problem the user can fix: a bad dataset choice, slider value or CSV file.

    The message is meant to be shown to a student as it is.
    """


@dataclass(frozen=True)
class DatasetInfo:
    """One entry of :data:`DATASETS`.

    Attributes
    ----------
    name : str
        The registry key, e.g. ``"flower"``.
    label : str
        What the UI shows, e.g. ``"Flower (planar)"``.
    description : str
        One line a page can show under the picker.
    noise : float
        The default noise, used when :func:`make_dataset` gets ``noise=None``.
    generator : callable
        ``generator(n_samples, noise, seed) -> (X, Y)`` with ``X`` of shape ``(2, m)``
        and ``Y`` of shape ``(1, m)``; called only with validated arguments.
    """

    name: str
    label: str
    description: str
    noise: float
    generator: Generator


DATASETS: dict[str, DatasetInfo] = {}


def _dataset(name: str, label: str, description: str, noise: float):
    """Register the decorated generator in :data:`DATASETS` (the one place to add one)."""

    def register(generator: Generator) -> Generator:
        if name in DATASETS:
            raise RuntimeError(f"dataset {name!r} is registered twice")
        DATASETS[name] = DatasetInfo(name, label, description, float(noise), generator)
        return generator

    return register


# --------------------------------------------------------------------------------------
# Helpers shared by the generators
# --------------------------------------------------------------------------------------


def _class_sizes(m: int) -> tuple[int, int]:
    """Sizes of class 0 and class 1: exactly half each for even m (class 1 gets the odd one)."""
    return m // 2, m - m // 2


def _from_sklearn(X_rows: Array, y: Array) -> tuple[Array, Array]:
    """scikit-learn's (m, 2) / (m,) arrays to the course's (2, m) / (1, m) float64."""
    X = np.ascontiguousarray(np.asarray(X_rows, dtype=np.float64).T)
    Y = np.asarray(y, dtype=np.float64).reshape(1, -1)
    return X, Y


def _shuffled(X: Array, Y: Array, rng: np.random.Generator) -> tuple[Array, Array]:
    """The columns of X and Y in a random order (the same for both)."""
    order = rng.permutation(X.shape[1])
    return X[:, order], Y[:, order]


# --------------------------------------------------------------------------------------
# The datasets (display order = definition order)
# --------------------------------------------------------------------------------------


@_dataset(
    "flower",
    label="Flower (planar)",
    description="The course's 8-petal flower: petals of the two colours alternate.",
    noise=0.2,
)
def _flower(n_samples: int, noise: float, seed: int) -> tuple[Array, Array]:
    """The course's planar flower: per class j, θ on [3.12 j, 3.12 (j+1)], r = 4 sin 4θ.

    ``noise`` is the standard deviation of the Gaussian noise added to θ and to r (the
    course uses 0.2). The columns are in the course's order: all of class 0, then class 1.
    """
    rng = np.random.default_rng(seed)
    a = 4.0  # maximum ray of the flower
    X = np.empty((2, n_samples))
    Y = np.empty((1, n_samples))
    start = 0
    for j, N in enumerate(_class_sizes(n_samples)):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.standard_normal(N) * noise
        r = a * np.sin(4 * t) + rng.standard_normal(N) * noise
        X[:, start : start + N] = np.vstack([r * np.sin(t), r * np.cos(t)])
        Y[:, start : start + N] = j
        start += N
    return X, Y


@_dataset(
    "moons",
    label="Two moons",
    description="Two interleaving half-circles: no straight line separates them.",
    noise=0.2,
)
def _moons(n_samples: int, noise: float, seed: int) -> tuple[Array, Array]:
    """scikit-learn's ``make_moons``, centred on the origin; noise is a Gaussian std."""
    from sklearn.datasets import make_moons  # on first use: see "scikit-learn" above
    X, Y = _from_sklearn(*make_moons(n_samples=n_samples, noise=noise, random_state=seed))
    X -= np.array([[0.5], [0.25]])
    return X, Y


@_dataset(
    "circles",
    label="Circles",
    description="A small circle (class 1) inside a ring (class 0).",
    noise=0.1,
)
def _circles(n_samples: int, noise: float, seed: int) -> tuple[Array, Array]:
    """scikit-learn's ``make_circles`` with radii 1 and 0.5; noise is a Gaussian std."""
    from sklearn.datasets import make_circles  # on first use: see "scikit-learn" above
    return _from_sklearn(
        *make_circles(n_samples=n_samples, noise=noise, factor=0.5, random_state=seed)
    )


@_dataset(
    "blobs",
    label="Two blobs",
    description="Two Gaussian clouds that overlap a little: a line gets almost all right.",
    noise=0.8,
)
def _blobs(n_samples: int, noise: float, seed: int) -> tuple[Array, Array]:
    """``make_blobs`` around (-1, -1) (class 0) and (1, 1) (class 1); noise is the std."""
    from sklearn.datasets import make_blobs  # on first use: see "scikit-learn" above
    centers = np.array([[-1.0, -1.0], [1.0, 1.0]])
    return _from_sklearn(
        *make_blobs(n_samples=n_samples, centers=centers, cluster_std=noise, random_state=seed)
    )


@_dataset(
    "xor",
    label="XOR",
    description="Four squares: class 1 where x1 and x2 have the same sign.",
    noise=0.1,
)
def _xor(n_samples: int, noise: float, seed: int) -> tuple[Array, Array]:
    """Uniform points in [-1, 1]² away from the axes, label ``x1 * x2 > 0``, then jitter.

    Like TensorFlow Playground's XOR, a small gap (0.05) keeps points off the axes. The
    labels come from the clean points; ``noise`` is the std of the Gaussian jitter added
    afterwards (so with noise some points cross into the other quadrant).
    """
    rng = np.random.default_rng(seed)
    gap = 0.05
    n0, n1 = _class_sizes(n_samples)
    labels = np.concatenate([np.zeros(n0), np.ones(n1)])
    magnitudes = gap + (1 - gap) * rng.random((2, n_samples))
    sign1 = rng.choice(np.array([-1.0, 1.0]), size=n_samples)
    sign2 = np.where(labels == 1, sign1, -sign1)
    X = magnitudes * np.vstack([sign1, sign2])
    X += rng.standard_normal(X.shape) * noise
    return _shuffled(X, labels.reshape(1, -1), rng)


@_dataset(
    "spiral",
    label="Spiral",
    description="Two interleaved spiral arms, one per class: the hardest one here.",
    noise=0.05,
)
def _spiral(n_samples: int, noise: float, seed: int) -> tuple[Array, Array]:
    """Two arms as in TensorFlow Playground, scaled to radius 1; noise is a Gaussian std.

    Point i of an arm with N points has radius r = i / N and angle
    θ = 1.75 · 2π · i / N (+ π for class 0), at (r sin θ, r cos θ).
    """
    rng = np.random.default_rng(seed)
    parts = []
    for label, N in zip((0, 1), _class_sizes(n_samples), strict=True):
        i = np.arange(N)
        r = i / N
        t = 1.75 * 2 * np.pi * i / N + (np.pi if label == 0 else 0.0)
        parts.append(np.vstack([r * np.sin(t), r * np.cos(t), np.full(N, float(label))]))
    data = np.hstack(parts)
    X, Y = data[:2], data[2:]
    X = X + rng.standard_normal(X.shape) * noise
    return _shuffled(X, Y, rng)


@_dataset(
    "gaussian_quantiles",
    label="Gaussian quantiles",
    description="One Gaussian cloud: the inner half is class 0, the outer half class 1.",
    noise=0.1,
)
def _gaussian_quantiles(n_samples: int, noise: float, seed: int) -> tuple[Array, Array]:
    """``make_gaussian_quantiles`` (2 classes, cov 1), then Gaussian jitter of std noise."""
    from sklearn.datasets import make_gaussian_quantiles  # on first use: see above
    X, Y = _from_sklearn(
        *make_gaussian_quantiles(n_samples=n_samples, n_features=2, n_classes=2, random_state=seed)
    )
    X += np.random.default_rng(seed).standard_normal(X.shape) * noise
    return X, Y


@_dataset(
    "linear",
    label="Linearly separable",
    description="Two well-separated clouds: a single straight line splits them.",
    noise=0.5,
)
def _linear(n_samples: int, noise: float, seed: int) -> tuple[Array, Array]:
    """``make_blobs`` around (-2, -2) and (2, 2); noise is the std (0.5: ~5.7 std apart)."""
    from sklearn.datasets import make_blobs  # on first use: see "scikit-learn" above
    centers = np.array([[-2.0, -2.0], [2.0, 2.0]])
    return _from_sklearn(
        *make_blobs(n_samples=n_samples, centers=centers, cluster_std=noise, random_state=seed)
    )


# --------------------------------------------------------------------------------------
# make_dataset and train_test_split
# --------------------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def make_dataset(
    name: str, n_samples: int = 400, noise: float | None = None, seed: int = 0
) -> tuple[Array, Array]:
    """Generate one of the :data:`DATASETS`.

    Parameters
    ----------
    name : str
        A key of :data:`DATASETS`: ``"flower"``, ``"moons"``, ``"circles"``, ``"blobs"``,
        ``"xor"``, ``"spiral"``, ``"gaussian_quantiles"`` or ``"linear"``.
    n_samples : int, default 400
        m, the number of examples, in [4, 10000]. The classes are balanced: exactly m/2
        each for even m, class 1 gets the extra example for odd m.
    noise : float or None, default None
        In [0, 2]; ``None`` means the dataset's default (``DATASETS[name].noise``). What it
        means depends on the dataset (see each generator); 0 means no noise.
    seed : int, default 0
        In [0, 2**32 - 1]; the same seed gives the same data.

    Returns
    -------
    X : ndarray of shape (2, m), float64
        One example per column.
    Y : ndarray of shape (1, m), float64
        Labels 0.0 or 1.0.

    Raises
    ------
    DatasetError
        For an unknown name or an argument out of range.
    """
    if not isinstance(name, str) or name not in DATASETS:
        raise DatasetError(f"Unknown dataset {name!r}. Choose one of: {', '.join(DATASETS)}.")
    if not _is_int(n_samples) or not MIN_SAMPLES <= n_samples <= MAX_SAMPLES:
        raise DatasetError(
            f"The number of samples must be a whole number from {MIN_SAMPLES} to "
            f"{MAX_SAMPLES:,}; got {n_samples!r}."
        )
    info = DATASETS[name]
    if noise is None:
        noise = info.noise
    if not _is_real(noise) or not math.isfinite(noise) or not 0 <= noise <= MAX_NOISE:
        raise DatasetError(f"The noise must be a number from 0 to {MAX_NOISE:g}; got {noise!r}.")
    if not _is_int(seed) or not 0 <= seed <= _MAX_SEED:
        raise DatasetError(f"The seed must be a whole number from 0 to {_MAX_SEED}; got {seed!r}.")

    X, Y = info.generator(int(n_samples), float(noise), int(seed))
    X = np.ascontiguousarray(X, dtype=np.float64)
    Y = np.ascontiguousarray(Y, dtype=np.float64)
    if X.shape != (2, n_samples) or Y.shape != (1, n_samples):  # a broken generator
        raise RuntimeError(
            f"dataset {name!r} returned shapes {X.shape} and {Y.shape}, "
            f"expected (2, {n_samples}) and (1, {n_samples})"
        )
    return X, Y


def train_test_split(
    X: Array, Y: Array, test_fraction: float = 0.2, seed: int = 0
) -> tuple[Array, Array, Array, Array]:
    """Split the columns into a training set and a test set, stratified by label.

    The test set gets round(test_fraction · m) columns, taken from each class in
    proportion to its size; each class keeps at least one column in the training set
    (which can make the test set a column or two smaller on tiny data).

    Parameters
    ----------
    X : ndarray of shape (n, m)
        One example per column.
    Y : ndarray of shape (1, m)
        The labels.
    test_fraction : float, default 0.2
        In [0, 0.9]. 0 gives an empty test set of shapes (n, 0) and (1, 0).
    seed : int, default 0
        The same seed gives the same split.

    Returns
    -------
    X_train : ndarray of shape (n, m_train)
    Y_train : ndarray of shape (1, m_train)
    X_test : ndarray of shape (n, m_test)
    Y_test : ndarray of shape (1, m_test)
        Columns in a random order; m_train + m_test == m.

    Raises
    ------
    DatasetError
        If test_fraction or seed is out of range.
    ValueError
        If X and Y do not have the shapes above.
    """
    X = np.asarray(X)
    Y = np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2 or Y.shape[0] != 1 or Y.shape[1] != X.shape[1]:
        raise ValueError(
            f"X must have shape (n, m) and Y shape (1, m), one example per column; "
            f"got {X.shape} and {Y.shape}"
        )
    if (
        not _is_real(test_fraction)
        or not math.isfinite(test_fraction)
        or not 0 <= test_fraction <= MAX_TEST_FRACTION
    ):
        raise DatasetError(
            f"The test fraction must be a number from 0 to {MAX_TEST_FRACTION:g}; "
            f"got {test_fraction!r}."
        )
    if not _is_int(seed) or not 0 <= seed <= _MAX_SEED:
        raise DatasetError(f"The seed must be a whole number from 0 to {_MAX_SEED}; got {seed!r}.")
    return _split(X, Y, test_fraction, int(seed))


def _split(X: Array, Y: Array, test_fraction: float, seed: int):
    """The columns split into training and test sets, stratified by label: each class gives
    its share of round(test_fraction · m) test columns and keeps at least one for training.
    (The app checks the arguments first; exported notebooks run this very code.)"""
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    n_test = math.floor(test_fraction * m + 0.5)
    groups = [np.flatnonzero(Y[0] == c) for c in np.unique(Y[0])]
    if len(groups) == 0:
        groups = [np.arange(0)]
    # Proportional share of the test set per class, then respect "≥ 1 left for training".
    wanted = [math.floor(n_test * len(g) / m + 0.5) if m else 0 for g in groups]
    wanted[-1] = n_test - sum(wanted[:-1])
    cap = [max(len(g) - 1, 0) for g in groups]
    take = [min(max(w, 0), c) for w, c in zip(wanted, cap, strict=True)]
    short = n_test - sum(take)
    for i in range(len(groups)):  # hand what a full class could not take to the others
        extra = min(short, cap[i] - take[i])
        take[i] += extra
        short -= extra

    train_parts, test_parts = [], []
    for g, k in zip(groups, take, strict=True):
        g = rng.permutation(g)
        test_parts.append(g[:k])
        train_parts.append(g[k:])
    train = rng.permutation(np.concatenate(train_parts))
    test = rng.permutation(np.concatenate(test_parts))
    return X[:, train], Y[:, train], X[:, test], Y[:, test]


# --------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------

_HEADER = ("x1", "x2", "label")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


def _read_source(file: Any) -> str:
    """The text of ``file`` (path, bytes, str of CSV text, or file-like), BOM removed."""
    data: Any
    if isinstance(file, os.PathLike):
        data = _read_path(file)
    elif isinstance(file, str):
        one_line = not _LINE_BREAK.search(file)
        has_delimiter = any(d in file for d in _DELIMITERS)
        if one_line and file.strip() and (not has_delimiter or os.path.isfile(file)):
            data = _read_path(file)
        else:
            data = file
    elif isinstance(file, bytes | bytearray | memoryview):
        data = bytes(file)
    elif hasattr(file, "read"):
        # getvalue() returns everything even if a previous run already read the buffer
        # (Streamlit's UploadedFile is a BytesIO).
        data = file.getvalue() if hasattr(file, "getvalue") else file.read()
        if isinstance(data, bytearray | memoryview):
            data = bytes(data)
        if not isinstance(data, str | bytes):
            raise TypeError(f"reading the file gave {type(data).__name__}, not str or bytes")
    else:
        raise TypeError(
            "load_csv needs a path, bytes, CSV text or a file-like object; "
            f"got {type(file).__name__}"
        )
    text = _decode(data) if isinstance(data, bytes) else data
    return text.removeprefix("\ufeff")


def _read_path(path: str | os.PathLike) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise DatasetError(f"There is no file {os.fspath(path)!r}.") from None
    except IsADirectoryError:
        raise DatasetError(f"{os.fspath(path)!r} is a folder, not a CSV file.") from None
    except (OSError, ValueError) as e:
        raise DatasetError(f"Could not read the file {os.fspath(path)!r}: {e}") from None


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) bytes to text; a DatasetError for anything else."""
    if data.startswith(b"PK\x03\x04"):
        raise DatasetError(
            "This looks like an Excel workbook or another zip file, not a CSV file. "
            "In Excel, use File → Save As → 'CSV UTF-8 (comma delimited)'."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DatasetError(
            "This file is UTF-16 text; save it as UTF-8 CSV "
            "(in Excel: 'CSV UTF-8 (comma delimited)')."
        )
    if b"\x00" in data:
        row = data[: data.index(b"\x00")].count(b"\n") + 1
        raise DatasetError(
            f"This is a binary file, not CSV text (row {row} contains a NUL byte). "
            "Upload a plain-text .csv file."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        row = data[: e.start].count(b"\n") + 1
        raise DatasetError(
            f"This file is not UTF-8 text (row {row} has the byte 0x{data[e.start]:02x}, "
            "which UTF-8 does not allow). Is it a binary file? If it is a CSV from Excel, "
            "save it as 'CSV UTF-8 (comma delimited)'."
        ) from None


def _number(cell: str) -> float | None:
    """The float a cell holds (possibly inf or nan), or None if it is not a number."""
    try:
        return float(cell)
    except ValueError:
        return None


def _choose_delimiter(line: str) -> str:
    """Comma, or semicolon/tab when the first row splits into exactly three cells by it."""
    for d in (";", "\t"):
        if line.count(d) == 2:
            return d
    return ","


def _row_cells(line: str, delimiter: str, row: int) -> list[str]:
    try:
        cells = next(csv.reader([line], delimiter=delimiter, strict=True), [])
    except csv.Error as e:
        raise DatasetError(f"Row {row} is not valid CSV: {e}.") from None
    return [c.strip() for c in cells]


def _not_a_number_message(row: int, col: int, cell: str) -> str:
    message = f"Row {row}, column {col}: {_show(cell)} is not a number."
    if re.fullmatch(r"[+-]?\d+,\d+", cell):
        message += f" Use a dot as the decimal separator ({cell.replace(',', '.')})."
    return message


def _show(cell: str, limit: int = 40) -> str:
    """A cell quoted for a message, shortened if long."""
    return repr(cell if len(cell) <= limit else cell[: limit - 1] + "…")


def load_csv(file: Any) -> tuple[Array, Array]:
    """Read a dataset from a CSV file with columns x1, x2, label.

    Parameters
    ----------
    file : str, os.PathLike, bytes or file-like
        A path; CSV text (a ``str`` with a line break, or one that is not an existing
        file but contains a separator); the file's bytes; or a binary or text file-like
        object such as Streamlit's ``UploadedFile``. UTF-8, with or without a BOM.

    Returns
    -------
    X : ndarray of shape (2, m), float64
        The two feature columns, one example per column.
    Y : ndarray of shape (1, m), float64
        The labels, 0.0 or 1.0.

    Raises
    ------
    DatasetError
        If the file is not a usable dataset; the message says what is wrong and where.
        Rows are numbered as in the file (1-based, header and blank lines included),
        columns from 1.

    Notes
    -----
    Format: three columns separated by commas (or consistently by semicolons or tabs):
    two finite numbers within ±``MAX_ABS_INPUT`` and a label "0" or "1" (or "0.0"/"1.0");
    a column that varies must vary by at least ``MIN_INPUT_SPREAD`` and by
    ``MIN_RELATIVE_SPREAD`` of its largest magnitude (float32 must tell its values
    apart). The first row is a header if none of its cells is a number. Blank lines (and
    rows whose cells are all empty, as spreadsheets export) are skipped. Between 4 and
    10,000 data rows, with both labels present.
    """
    text = _read_source(file)
    delimiter, features, labels, data_rows = _data_rows(_LINE_BREAK.split(text))
    m = len(features)
    if delimiter is None:
        raise DatasetError("The file is empty: it needs rows of x1, x2, label.")
    if m < MIN_ROWS:
        what = "no data rows" if m == 0 else f"only {m} data row{'s' if m != 1 else ''}"
        raise DatasetError(f"The file has {what}; it needs at least {MIN_ROWS}.")
    X = np.array(features, dtype=np.float64).T.copy()
    Y = np.array(labels, dtype=np.float64).reshape(1, m)
    if np.all(Y == Y[0, 0]):
        only = int(Y[0, 0])
        raise DatasetError(
            f"All labels are {only}: need both classes 0 and 1 (add rows labelled {1 - only})."
        )
    for col in (1, 2):
        _check_spread(X[col - 1], col, data_rows)
    return X, Y


def _data_rows(
    lines: list[str],
) -> tuple[str | None, list[tuple[float, float]], list[float], list[int]]:
    """The checked data rows of a file's lines: ``(delimiter, features, labels, rows)``,
    ``rows`` the file's row number of each data row, ``delimiter`` None if every line is
    blank. Skips blank lines, empty rows and a header; raises ``DatasetError`` at the first
    row that is wrong, or past ``MAX_ROWS`` data rows."""
    delimiter: str | None = None
    header_seen = False
    features: list[tuple[float, float]] = []
    labels: list[float] = []
    data_rows: list[int] = []
    for index, line in enumerate(lines):
        row = index + 1
        if not line.strip():
            continue
        if delimiter is None:
            delimiter = _choose_delimiter(line)
        cells = _row_cells(line, delimiter, row)
        if not any(cells):
            continue
        first = not header_seen and not features
        _check_column_count(cells, row, delimiter)
        values = [_number(c) for c in cells]
        if first and all(v is None for v in values):
            header_seen = True
            continue
        if len(features) == MAX_ROWS:
            raise DatasetError(
                f"The file has more than {MAX_ROWS:,} data rows (row {row} is one too many); "
                f"use at most {MAX_ROWS:,}."
            )
        _check_features(cells, values, row)
        _check_label(cells[2], values[2], row)
        features.append((values[0], values[1]))  # type: ignore[arg-type]
        labels.append(float(values[2]))  # type: ignore[arg-type]
        data_rows.append(row)
    return delimiter, features, labels, data_rows


def _check_column_count(cells: list[str], row: int, delimiter: str) -> None:
    if len(cells) != 3:
        raise DatasetError(
            f"Row {row} has {len(cells)} column{'s' if len(cells) != 1 else ''}; every "
            f"row needs exactly 3 (x1, x2, label) separated by {_DELIMITERS[delimiter]}s."
        )


def _check_features(cells: list[str], values: list[float | None], row: int) -> None:
    """x1 and x2 of a data row: present, numbers, finite, within ±``MAX_ABS_INPUT``."""
    for col, (cell, value) in enumerate(zip(cells[:2], values[:2], strict=True), start=1):
        if cell == "":
            raise DatasetError(
                f"Row {row}, column {col} is empty: every row needs x1, x2 and a label."
            )
        if value is None:
            raise DatasetError(_not_a_number_message(row, col, cell))
        if not math.isfinite(value):
            raise DatasetError(
                f"Row {row}, column {col}: {_show(cell)} is not a finite number "
                "(NaN and infinity are not allowed)."
            )
        if abs(value) > MAX_ABS_INPUT:
            raise DatasetError(_too_large_message(row, col, cell))


def _check_label(cell: str, value: float | None, row: int) -> None:
    if cell == "":
        raise DatasetError(f"Row {row}, column 3 is empty: the label must be 0 or 1.")
    if value not in (0.0, 1.0):
        raise DatasetError(f"Row {row}: label {_show(cell)} is not 0 or 1.")


def _too_large_message(row: int, col: int, cell: str) -> str:
    return (
        f"Row {row}, column {col}: {_show(cell)} is too large: x1 and x2 must lie between "
        f"−{MAX_ABS_INPUT:,.0f} and {MAX_ABS_INPUT:,.0f}. The network trains in float32: "
        "inputs this large make x1², x1·x2 and Z[1] = W[1]·X huge, so units saturate or "
        "overflow and J can be NaN from the first iteration. Rescale the column (for "
        "example, divide it by a power of ten) and upload the file again."
    )


def _check_spread(x: Array, col: int, rows: list[int]) -> None:
    """Raise when column ``col`` varies, but too little for float32 to tell its values
    apart (a constant column is allowed: the network then learns from the other one)."""
    lo, hi = int(np.argmin(x)), int(np.argmax(x))
    x_lo, x_hi = float(x[lo]), float(x[hi])
    spread = x_hi - x_lo
    if spread == 0:
        return
    size = float(np.max(np.abs(x)))
    if spread >= MIN_INPUT_SPREAD and spread >= MIN_RELATIVE_SPREAD * size:
        return
    raise DatasetError(
        f"Column {col} (x{col}) barely varies: from {x_lo!r} (row {rows[lo]}) to {x_hi!r} "
        f"(row {rows[hi]}), a spread of {spread:.3g} against values of size {size:.3g}. "
        "The network trains in float32, about 7 significant digits, so these points would "
        "fall on top of each other. Subtract a constant and rescale the column (for "
        "example, (x − mean) / standard deviation) and upload the file again."
    )


def to_csv(X: Array, Y: Array) -> str:
    """The dataset as CSV text: header ``x1,x2,label``, then one row per column of X.

    Parameters
    ----------
    X : ndarray of shape (2, m)
    Y : ndarray of shape (1, m)
        Labels 0/1 (written as ``0`` and ``1``).

    Returns
    -------
    str
        CSV text with ``\\n`` line endings; numbers are written in full precision
        (``playground.core.text.exact``: ``1.5``, ``2``, ``0.30000000000000004``), so
        ``load_csv(to_csv(X, Y))`` gives back the same arrays (for valid data).
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] != 2 or Y.shape != (1, X.shape[1]):
        raise ValueError(f"X must have shape (2, m) and Y shape (1, m); got {X.shape}, {Y.shape}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_HEADER)
    for x1, x2, y in zip(X[0].tolist(), X[1].tolist(), Y[0].tolist(), strict=True):
        writer.writerow((exact(x1), exact(x2), exact(y)))
    return out.getvalue()


def sample_csv() -> str:
    """A small example CSV (40 points of the moons, 3 decimals) a page offers to download."""
    X, Y = make_dataset("moons", n_samples=40, seed=0)
    return to_csv(np.round(X, 3), Y)
