"""Tests for playground.core.datasets: generators, split, CSV import/export."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.datasets import (
    DATASETS,
    MAX_ABS_INPUT,
    MAX_ROWS,
    MIN_INPUT_SPREAD,
    MIN_RELATIVE_SPREAD,
    DatasetError,
    DatasetInfo,
    load_csv,
    make_dataset,
    sample_csv,
    to_csv,
    train_test_split,
)

NAMES = [
    "flower",
    "moons",
    "circles",
    "blobs",
    "xor",
    "spiral",
    "gaussian_quantiles",
    "linear",
]


# --------------------------------------------------------------------------------------
# Registry and generators
# --------------------------------------------------------------------------------------


def test_registry_names_and_entries():
    assert list(DATASETS) == NAMES
    for name, info in DATASETS.items():
        assert isinstance(info, DatasetInfo)
        assert info.name == name
        assert info.label and info.description and "\n" not in info.description
        assert 0 < info.noise <= 2
        assert callable(info.generator)


def test_dataset_info_is_frozen():
    with pytest.raises(AttributeError):
        DATASETS["flower"].noise = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("m", [4, 5, 101, 400])
def test_shapes_dtype_labels_balance(name, m):
    X, Y = make_dataset(name, n_samples=m, seed=3)
    assert X.shape == (2, m) and Y.shape == (1, m)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert np.all(np.isfinite(X))
    assert set(np.unique(Y)) == {0.0, 1.0}
    n1 = int(Y.sum())
    assert n1 in (m // 2, m - m // 2)
    if m % 2 == 0:
        assert n1 == m // 2


@pytest.mark.parametrize("name", NAMES)
def test_reproducible_for_a_seed_and_different_for_another(name):
    X1, Y1 = make_dataset(name, seed=7)
    X2, Y2 = make_dataset(name, seed=7)
    X3, _ = make_dataset(name, seed=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", NAMES)
def test_default_noise_is_used_and_noise_is_honoured(name):
    X_default, Y_default = make_dataset(name, seed=1)
    X_explicit, Y_explicit = make_dataset(name, noise=DATASETS[name].noise, seed=1)
    np.testing.assert_array_equal(X_default, X_explicit)
    np.testing.assert_array_equal(Y_default, Y_explicit)
    X_clean, _ = make_dataset(name, noise=0, seed=1)
    assert not np.allclose(X_default, X_clean)


@pytest.mark.parametrize("name", NAMES)
def test_ranges_are_sensible(name):
    X, _ = make_dataset(name, n_samples=2000, seed=0)
    assert np.abs(X).max() < 6.0
    assert np.abs(X).max() > 0.5


def test_flower_noise_zero_lies_on_the_rose_curve():
    m = 400
    X, Y = make_dataset("flower", n_samples=m, noise=0)
    N = m // 2
    expected_X = []
    for j in range(2):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N)
        r = 4 * np.sin(4 * t)
        expected_X.append(np.vstack([r * np.sin(t), r * np.cos(t)]))
    np.testing.assert_allclose(X, np.hstack(expected_X), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(Y, np.hstack([np.zeros((1, N)), np.ones((1, N))]))
    # Every point satisfies r = 4 sin 4θ with θ = atan2(x1, x2) (up to r's sign).
    theta = np.arctan2(X[0], X[1])
    radius = np.hypot(X[0], X[1])
    np.testing.assert_allclose(radius, np.abs(4 * np.sin(4 * theta)), atol=1e-9)


def test_flower_default_noise_matches_the_course_formula():
    m, seed, noise = 400, 5, 0.2
    assert DATASETS["flower"].noise == noise
    X, Y = make_dataset("flower", n_samples=m, seed=seed)
    rng = np.random.default_rng(seed)
    N = m // 2
    parts = []
    for j in range(2):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.standard_normal(N) * noise
        r = 4 * np.sin(4 * t) + rng.standard_normal(N) * noise
        parts.append(np.c_[r * np.sin(t), r * np.cos(t)].T)
    np.testing.assert_allclose(X, np.hstack(parts), rtol=0, atol=1e-12)
    assert np.abs(X).max() < 5


def test_xor_labels_follow_the_quadrants_without_noise():
    X, Y = make_dataset("xor", n_samples=500, noise=0, seed=2)
    assert np.abs(X).max() <= 1
    np.testing.assert_array_equal(Y[0], (X[0] * X[1] > 0).astype(float))


def test_linear_is_linearly_separable_at_default_noise():
    X, Y = make_dataset("linear", n_samples=2000, seed=4)
    # The centres are on the diagonal, so x1 + x2 = 0 separates them.
    s = X[0] + X[1]
    assert np.all((s > 0) == (Y[0] == 1))


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"name": "flowers"}, "flower, moons, circles"),
        ({"name": "moons", "n_samples": 3}, "number of samples"),
        ({"name": "moons", "n_samples": 10_001}, "number of samples"),
        ({"name": "moons", "n_samples": 100.0}, "number of samples"),
        ({"name": "moons", "n_samples": True}, "number of samples"),
        ({"name": "moons", "noise": -0.1}, "noise"),
        ({"name": "moons", "noise": 2.5}, "noise"),
        ({"name": "moons", "noise": float("nan")}, "noise"),
        ({"name": "moons", "noise": float("inf")}, "noise"),
        ({"name": "moons", "noise": "0.1"}, "noise"),
        ({"name": "moons", "seed": -1}, "seed"),
    ],
)
def test_make_dataset_rejects_bad_arguments(kwargs, fragment):
    with pytest.raises(DatasetError, match=fragment):
        make_dataset(**kwargs)


def test_make_dataset_accepts_numpy_scalars_and_limits():
    X, _ = make_dataset("moons", n_samples=np.int64(10), noise=np.float64(0.1), seed=np.int32(1))
    assert X.shape == (2, 10)
    assert make_dataset("circles", n_samples=10_000, noise=2)[0].shape == (2, 10_000)


# --------------------------------------------------------------------------------------
# train_test_split
# --------------------------------------------------------------------------------------


def _columns(X, Y):
    return sorted(map(tuple, np.vstack([X, Y]).T.tolist()))


@pytest.mark.parametrize(
    ("m", "fraction", "m_test"), [(400, 0.2, 80), (101, 0.3, 30), (10, 0.5, 5)]
)
def test_split_sizes_disjoint_and_complete(m, fraction, m_test):
    X, Y = make_dataset("moons", n_samples=m, seed=1)
    X_tr, Y_tr, X_te, Y_te = train_test_split(X, Y, test_fraction=fraction, seed=2)
    assert X_tr.shape == (2, m - m_test) and Y_tr.shape == (1, m - m_test)
    assert X_te.shape == (2, m_test) and Y_te.shape == (1, m_test)
    assert X_tr.dtype == np.float64 and Y_te.dtype == np.float64
    train_cols, test_cols = _columns(X_tr, Y_tr), _columns(X_te, Y_te)
    assert not set(train_cols) & set(test_cols)
    assert sorted(train_cols + test_cols) == _columns(X, Y)
    assert set(np.unique(Y_tr)) == {0.0, 1.0}


def test_split_is_stratified():
    X, Y = make_dataset("blobs", n_samples=400, seed=0)
    _, Y_tr, _, Y_te = train_test_split(X, Y, test_fraction=0.25, seed=0)
    assert Y_te.sum() == 50 and Y_tr.sum() == 150


def test_split_is_reproducible_and_depends_on_seed():
    X, Y = make_dataset("spiral", seed=0)
    a = train_test_split(X, Y, seed=11)
    b = train_test_split(X, Y, seed=11)
    c = train_test_split(X, Y, seed=12)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[2], c[2])


def test_split_with_test_fraction_zero():
    X, Y = make_dataset("xor", n_samples=50)
    X_tr, Y_tr, X_te, Y_te = train_test_split(X, Y, test_fraction=0)
    assert X_tr.shape == (2, 50) and Y_tr.shape == (1, 50)
    assert X_te.shape == (2, 0) and Y_te.shape == (1, 0)
    assert _columns(X_tr, Y_tr) == _columns(X, Y)


def test_split_keeps_both_classes_in_training_on_tiny_data():
    X, Y = make_dataset("moons", n_samples=4)
    X_tr, Y_tr, X_te, Y_te = train_test_split(X, Y, test_fraction=0.9)
    assert set(np.unique(Y_tr)) == {0.0, 1.0}
    assert X_tr.shape[1] + X_te.shape[1] == 4


@pytest.mark.parametrize("fraction", [-0.1, 0.95, 1.0, float("nan")])
def test_split_rejects_bad_fraction(fraction):
    X, Y = make_dataset("moons", n_samples=20)
    with pytest.raises(DatasetError, match="test fraction"):
        train_test_split(X, Y, test_fraction=fraction)


def test_split_rejects_rank_one_arrays():
    X, Y = make_dataset("moons", n_samples=20)
    with pytest.raises(ValueError):
        train_test_split(X, Y[0])


# --------------------------------------------------------------------------------------
# CSV: valid inputs
# --------------------------------------------------------------------------------------

VALID_ROWS = "1.5,2,0\n-3,4e-1,1\n0,0,0.0\n7,-8.25,1.0\n"
EXPECTED_X = np.array([[1.5, -3.0, 0.0, 7.0], [2.0, 0.4, 0.0, -8.25]])
EXPECTED_Y = np.array([[0.0, 1.0, 0.0, 1.0]])


def _check(result):
    X, Y = result
    assert X.shape == (2, 4) and Y.shape == (1, 4)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    np.testing.assert_array_equal(X, EXPECTED_X)
    np.testing.assert_array_equal(Y, EXPECTED_Y)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(lambda: "x1,x2,label\n" + VALID_ROWS, id="str-with-header"),
        pytest.param(lambda: VALID_ROWS, id="str-without-header"),
        pytest.param(lambda: ("\ufeffx1,x2,label\n" + VALID_ROWS).encode(), id="bytes-bom"),
        pytest.param(lambda: ("x1,x2,label\n" + VALID_ROWS).encode("utf-8-sig"), id="bom-2"),
        pytest.param(lambda: VALID_ROWS.encode(), id="bytes"),
        pytest.param(lambda: bytearray(VALID_ROWS.encode()), id="bytearray"),
        pytest.param(lambda: io.BytesIO(("a,b,c\n" + VALID_ROWS).encode()), id="bytesio"),
        pytest.param(lambda: io.StringIO(VALID_ROWS), id="stringio"),
        pytest.param(lambda: VALID_ROWS.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda: "\n\nx1,x2,label\n\n" + VALID_ROWS + "\n\n", id="blank-lines"),
        pytest.param(lambda: " x1 , x2 , label\n" + VALID_ROWS.replace(",", " , "), id="spaces"),
        pytest.param(lambda: VALID_ROWS.replace(",", ";"), id="semicolon"),
        pytest.param(lambda: "x1\tx2\tlabel\n" + VALID_ROWS.replace(",", "\t"), id="tab"),
        pytest.param(lambda: VALID_ROWS + ",,\n", id="trailing-empty-row"),
    ],
)
def test_load_csv_valid(source):
    _check(load_csv(source()))


def test_load_csv_from_path_and_str_path(tmp_path: Path):
    path = tmp_path / "data.csv"
    path.write_bytes(("\ufeffx1,x2,label\r\n" + VALID_ROWS).encode())
    _check(load_csv(path))
    _check(load_csv(str(path)))


def test_load_csv_uploaded_file_already_read():
    class UploadedFile(io.BytesIO):
        pass

    f = UploadedFile(VALID_ROWS.encode())
    f.read()
    _check(load_csv(f))


def test_round_trip():
    for name in NAMES:
        X, Y = make_dataset(name, n_samples=57, seed=9)
        X2, Y2 = load_csv(to_csv(X, Y))
        np.testing.assert_array_equal(X, X2)
        np.testing.assert_array_equal(Y, Y2)


def _too_little_spread(x: np.ndarray) -> bool:
    spread = float(x.max() - x.min())
    return 0 < spread and (spread < MIN_INPUT_SPREAD
                           or spread < MIN_RELATIVE_SPREAD * float(np.abs(x).max()))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-MAX_ABS_INPUT, MAX_ABS_INPUT),
            st.floats(-MAX_ABS_INPUT, MAX_ABS_INPUT),
        ),
        min_size=4,
        max_size=30,
    ),
    st.integers(0, 2**30),
)
def test_round_trip_property(points, seed):
    """Data within ±MAX_ABS_INPUT comes back exactly, unless a column varies too little
    for float32, which is refused naming that column."""
    m = len(points)
    X = np.array(points, dtype=np.float64).T
    Y = np.zeros((1, m))
    Y[0, np.random.default_rng(seed).permutation(m)[: m // 2]] = 1.0
    try:
        X2, Y2 = load_csv(to_csv(X, Y))
    except DatasetError as e:
        message = str(e)
        assert "barely varies" in message
        col = int(message.split("Column ")[1][0])
        assert _too_little_spread(X[col - 1])
        assert not any(_too_little_spread(X[c]) for c in range(col - 1))
    else:
        assert not any(_too_little_spread(x) for x in X)
        np.testing.assert_array_equal(X, X2)
        np.testing.assert_array_equal(Y, Y2)


def test_to_csv_format():
    text = to_csv(EXPECTED_X, EXPECTED_Y)
    assert text.splitlines()[0] == "x1,x2,label"
    assert text.splitlines()[1] == "1.5,2,0"  # playground.core.text.exact, as in links
    assert len(text.splitlines()) == 5


def test_sample_csv():
    text = sample_csv()
    assert text.startswith("x1,x2,label\n")
    X, Y = load_csv(text)
    assert X.shape == (2, 40) and Y.sum() == 20


def test_load_csv_accepts_max_rows():
    rows = "".join(f"{i},{-i},{i % 2}\n" for i in range(MAX_ROWS))
    X, Y = load_csv("x1,x2,label\n" + rows)
    assert X.shape == (2, MAX_ROWS)


# --------------------------------------------------------------------------------------
# CSV: errors, each with its location
# --------------------------------------------------------------------------------------

HEAD = "x1,x2,label\n"
ROWS4 = "1,2,0\n3,4,1\n5,6,0\n"  # rows 2-4 after HEAD


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["binary"], id="binary-nul"),
        pytest.param(b"1,2,0\n3,4,1\n\xff\xfe\xfa,1,0\n", ["not UTF-8", "row 3"], id="latin"),
        pytest.param(b"PK\x03\x04\x14\x00", ["Excel"], id="xlsx"),
        pytest.param("x1,x2,label\n1,2,0\n".encode("utf-16"), ["UTF-16"], id="utf16"),
        pytest.param("", ["empty"], id="empty-str"),
        pytest.param(b"", ["empty"], id="empty-bytes"),
        pytest.param("\n \n\r\n", ["empty"], id="blank-only"),
        pytest.param(HEAD + ROWS4 + "1,2\n", ["Row 5", "2 columns"], id="too-few-columns"),
        pytest.param(HEAD + "1,2,0,9\n" + ROWS4, ["Row 2", "4 columns"], id="too-many-cols"),
        pytest.param("x1,x2\n" + ROWS4, ["Row 1", "2 columns"], id="short-header"),
        pytest.param(
            HEAD + ROWS4 + "1,abc,0\n", ["Row 5, column 2", "'abc' is not a number"], id="text-cell"
        ),
        pytest.param(
            HEAD + ROWS4 + "1,2,0\n1,5;2,0\n", ["Row 6, column 2", "not a number"], id="text-cell-2"
        ),
        pytest.param("1,abc,0\n" + ROWS4, ["Row 1, column 2", "'abc'"], id="text-in-row-1"),
        pytest.param(HEAD + ROWS4 + ",2,1\n", ["Row 5, column 1", "empty"], id="missing-x1"),
        pytest.param(HEAD + "1,,1\n" + ROWS4, ["Row 2, column 2", "empty"], id="missing-x2"),
        pytest.param(HEAD + ROWS4 + "1,2,\n", ["Row 5, column 3", "empty"], id="missing-label"),
        pytest.param(HEAD + ROWS4 + "nan,2,1\n", ["Row 5, column 1", "finite"], id="nan"),
        pytest.param(HEAD + ROWS4 + "1,-inf,1\n", ["Row 5, column 2", "finite"], id="inf"),
        pytest.param(HEAD + ROWS4 + "1,1e999,1\n", ["Row 5, column 2", "finite"], id="overflow"),
        pytest.param(HEAD + ROWS4 + "1e300,2,1\n", ["Row 5, column 1", "'1e300' is too large",
                                                   "1,000,000", "float32", "Rescale"],
                     id="huge"),
        pytest.param(HEAD + "1,-2000000,1\n" + ROWS4, ["Row 2, column 2", "too large"],
                     id="large-negative"),
        pytest.param(HEAD + "1e-300,2,0\n2e-300,3,1\n0,4,0\n3e-300,5,1\n",
                     ["Column 1 (x1) barely varies", "from 0.0 (row 4) to 3e-300 (row 5)",
                      "float32", "rescale"], id="tiny"),
        pytest.param(HEAD + "5,45.1234561,0\n6,45.1234562,1\n7,45.1234569,0\n8,45.123456,1\n",
                     ["Column 2 (x2) barely varies", "(row 5)", "(row 4)"], id="no-spread"),
        pytest.param(
            HEAD + ROWS4 + "1,2,0\n3,4,2\n", ["Row 6: label '2' is not 0 or 1"], id="third-class"
        ),
        pytest.param(HEAD + ROWS4 + "1,2,0.5\n", ["Row 5: label '0.5'"], id="fraction-label"),
        pytest.param(HEAD + ROWS4 + "1,2,yes\n", ["Row 5: label 'yes'"], id="text-label"),
        pytest.param(HEAD + ROWS4 + "1,2,nan\n", ["Row 5: label 'nan'"], id="nan-label"),
        pytest.param(
            HEAD + "1,2,1\n3,4,1\n5,6,1\n7,8,1\n", ["All labels are 1", "both"], id="single-class-1"
        ),
        pytest.param("1,2,0\n3,4,0\n5,6,0\n7,8,0\n", ["All labels are 0"], id="single-class-0"),
        pytest.param(
            HEAD + "1,2,0\n3,4,1\n5,6,0\n", ["only 3 data rows", "at least 4"], id="three-rows"
        ),
        pytest.param(HEAD, ["no data rows"], id="header-only"),
        pytest.param(HEAD + ROWS4 + '1,"2,0\n', ["Row 5"], id="unclosed-quote"),
        pytest.param(
            HEAD + "".join(f"{i},{i},{i % 2}\n" for i in range(MAX_ROWS + 1)),
            ["more than 10,000", f"row {MAX_ROWS + 2}"],
            id="too-many-rows",
        ),
    ],
)
def test_load_csv_errors(content, fragments):
    with pytest.raises(DatasetError) as info:
        load_csv(content)
    message = str(info.value)
    for fragment in fragments:
        assert fragment.lower() in message.lower(), message


def test_blank_lines_count_towards_row_numbers():
    with pytest.raises(DatasetError, match="Row 7, column 1"):
        load_csv(HEAD + "\n" + ROWS4 + "\nfoo,1,1\n")


def test_decimal_comma_gets_a_hint():
    with pytest.raises(DatasetError, match=r"Row 1, column 1.*decimal separator \(1\.5\)"):
        load_csv("1,5;2;0\n3;4;1\n5;6;0\n7;8;1\n")


def test_missing_path_is_a_dataset_error(tmp_path: Path):
    with pytest.raises(DatasetError, match="no file"):
        load_csv(tmp_path / "nope.csv")
    with pytest.raises(DatasetError, match="no file"):
        load_csv(str(tmp_path / "nope.csv"))


def test_unsupported_type_is_a_type_error():
    with pytest.raises(TypeError):
        load_csv(42)


# --------------------------------------------------------------------------------------
# Property: any text or bytes gives (X, Y) or a DatasetError, never anything else
# --------------------------------------------------------------------------------------

_cell = st.one_of(
    st.sampled_from(["0", "1", "0.0", "1.0", "2", "-1.5", "nan", "inf", "", " ", "abc", '"']),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=5),
)
_row = st.lists(_cell, min_size=0, max_size=5).flatmap(
    lambda cells: st.sampled_from([",", ";", "\t"]).map(lambda d: d.join(cells))
)
_csvish = st.lists(_row, max_size=12).flatmap(
    lambda rows: st.sampled_from(["\n", "\r\n", "\r"]).map(lambda nl: nl.join(rows))
)


def _check_result(result):
    X, Y = result
    m = X.shape[1]
    assert X.shape == (2, m) and Y.shape == (1, m) and m >= 4
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert np.all(np.isfinite(X)) and set(np.unique(Y)) == {0.0, 1.0}


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.binary(),
        _csvish,
        _csvish.map(lambda s: s.encode()),
        _csvish.map(lambda s: io.StringIO(s)),
        st.binary().map(io.BytesIO),
    )
)
def test_load_csv_never_raises_anything_else(data):
    try:
        result = load_csv(data)
    except DatasetError as e:
        assert str(e)
    else:
        _check_result(result)


# --------------------------------------------------------------------------------------
# Inputs that float32 training cannot use are refused at upload (issue 13, item 8)
# --------------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda v: abs(v) > MAX_ABS_INPUT),
       st.integers(0, 3), st.integers(1, 2))
def test_any_value_beyond_the_limit_is_refused_naming_its_place(value, at, col):
    rows = [[1.0, 2.0, 0], [3.0, 4.0, 1], [5.0, 6.0, 0], [7.0, 8.0, 1]]
    rows[at][col - 1] = value
    text = HEAD + "".join(f"{a!r},{b!r},{y}\n" for a, b, y in rows)
    with pytest.raises(DatasetError) as info:
        load_csv(text)
    assert f"Row {at + 2}, column {col}" in str(info.value)
    assert "too large" in str(info.value)


def test_a_constant_column_is_still_accepted():
    X, _ = load_csv(HEAD + "1,2,0\n1,3,1\n1,4,0\n1,5,1\n")
    np.testing.assert_array_equal(X[0], [1, 1, 1, 1])


@pytest.mark.parametrize("features", [("x1", "x2"), ("x1", "x2", "x1sq", "x2sq", "x1x2")])
def test_data_at_the_limit_trains_with_a_finite_cost(features):
    """What the limit promises: the largest accepted inputs give a finite J at iteration 0
    in float32, the live pages' dtype, even with squared features; 1e300 is refused."""
    from playground.engine.trainer import Trainer

    big = f"{MAX_ABS_INPUT:.0f}"
    X, Y = load_csv(HEAD + f"{big},-{big},0\n-{big},{big},1\n{big},{big},0\n-{big},-{big},1\n")
    for init in ("random", "xavier", "he"):
        t = Trainer(X, Y, hidden=(4,), activations=("tanh",), features=features, init=init,
                    dtype=np.float32)
        assert np.isfinite(t.metrics().train_cost), init
    with pytest.raises(DatasetError, match="too large"):
        load_csv(HEAD + "1e300,2,0\n3,4,1\n5,6,0\n7,8,1\n")
