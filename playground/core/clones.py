"""The core's one matrix product, ``dot(P, Q)``: ``P @ Q`` that keeps clone units exact.

Why it exists: in a layer of clones (zeros or constant initialization) every unit must
stay bit-equal to its siblings for ever, as exact arithmetic promises, and the symmetry
demos count distinct units to show it. BLAS does not promise that: it may round a row of
a product differently depending on where the row sits in the matrix (OpenBLAS leaves the
rows after a multiple of 4 to another kernel), and in a layer of clones those last-bit
differences grow until the units split. So when every row of P is the same (clone units
in ``W[l]``, ``dZ[l]`` or ``W[l]ᵀ``), or every column of Q (clones in ``A[l-1]ᵀ``, asked
for with ``clone_columns``), the product is computed for one row (column) and repeated.
Otherwise this is ``P @ Q``, to the last bit.

``equal_rows`` and ``one_of_each`` are the two steps of the clone rule, public for the
*Under the hood* page, which shows them with ``dot``.

``dot`` also takes stacks of matrices, ``(K, p, k) @ (K, k, q)`` or ``@ (k, q)`` (K
networks trained together): NumPy's matmul multiplies a stack one matrix after the other
with the very BLAS call a single matrix gets (a transposed view of a stack is a stack of
transposed views), and the clone rule is applied per matrix, so matrix i of the result
is ``dot(P[i], Q[i])`` to the last bit.

Is there a simpler form? (issue 14, part 3; measured with NumPy 2 / OpenBLAS on the
2-core machine.) ``np.einsum("ik,kj->ij", P, Q, optimize=False)`` does not call BLAS: it
sums every output element in the same order, so equal rows stay equal without any test
(112 of 112 clone layouts of 2-17 rows kept exactly, against 98 of 112 for plain ``@``).
But it is 2.4-3.2 times slower per product at the course's sizes (8×8 @ 8×400: 7.6 µs
against 2.5 µs in float64), and its last bits differ from BLAS's, so every trained network
would change. ``dot`` (call and two-entry tests) costs about 0.6 µs more than ``@`` a
product; it stays.
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray


def dot(P: Array, Q: Array, out: Array | None = None, *,
        clone_columns: bool = False) -> Array:
    """``P @ Q`` (into ``out`` if given). All-equal rows of P give bit-equal rows; with
    ``clone_columns``, all-equal columns of Q give bit-equal columns (per matrix of a
    stack). Clones are units, so the rows of P (``W[l]``, ``W[l]ᵀ``, ``dZ[l]``) are
    always looked at, and the columns of Q only where they are units too:
    ``dW[l] = dZ[l] A[l-1]ᵀ``. Columns that are examples are never compared."""
    if P.shape[-1] == 1:
        # An outer product (dA[L-1] = W[L]ᵀ dZ[L] always is one). matmul runs its own loop
        # for these, each entry 0 + p·q; the element-wise product, + 0 (-0 becomes +0),
        # gives those numbers faster and keeps equal rows and columns equal.
        R = np.multiply(P, Q, out=out)
        R += 0.0
        return R
    R = P @ Q if out is None else np.matmul(P, Q, out=out)
    if R.ndim == 2:
        # Two entries that differ (P[0, 0] and P[1, 0]; Q[0, 0] and Q[0, 1]) decide the
        # usual case, no clones, at once: this runs for every product of every iteration.
        k = P.shape[1]
        rows = len(P) > 1 and k and P.item(0) == P.item(k) and equal_rows(P)
        cols = (clone_columns and R.shape[1] > 1 and k and Q.item(0) == Q.item(1)
                and equal_rows(Q.T))
        if rows or cols:
            R[...] = one_of_each(P, Q, rows, cols)
        return R
    rows = np.asarray(equal_rows(P))  # one per matrix (one for all, if P is shared)
    cols = np.asarray(clone_columns and equal_rows(Q.mT))
    if not (rows.any() or cols.any()):  # the usual case
        return R
    for i in np.flatnonzero(np.broadcast_to(rows | cols, R.shape[:1])):
        Pi = P[i] if P.ndim == 3 else P
        Qi = Q[i] if Q.ndim == 3 else Q
        R[i] = one_of_each(Pi, Qi, bool(equal_rows(Pi)),
                            clone_columns and bool(equal_rows(Qi.T)))
    return R


def one_of_each(P: Array, Q: Array, rows: bool, cols: bool) -> Array:
    """``P @ Q`` for one matrix, from one row of P (``rows``) and one column of Q
    (``cols``), repeated."""
    R = (P[:1] if rows else P) @ (Q[:, :1] if cols else Q)
    if rows:
        R = np.repeat(R, P.shape[0], axis=0)
    if cols:
        R = np.repeat(R, Q.shape[1], axis=1)
    return R


def equal_rows(M: Array) -> bool | Array:
    """Whether every row of M is the same, bit for bit (and there are at least two): a
    bool for one matrix, one per matrix for a stack ``(K, p, q)``."""
    if M.shape[-2] < 2 or M.shape[-1] == 0:
        return False if M.ndim == 2 else np.zeros(M.shape[:-2], dtype=bool)
    if M.ndim == 2:
        # Three corners first: units that are dead (ReLU) or saturated agree with each
        # other at the first example, often at every example, but seldom with the last
        # unit too. (!= is exactly "not ==": NaN differs, -0 equals 0.)
        p, q = M.shape
        if (M.item(0) != M.item((p - 1) * q) or M.item(q - 1) != M.item(2 * q - 1)
                or M.item(q - 1) != M.item(p * q - 1)):
            return False
        return bool((M == M[:1]).all())
    # First column 0 of every row, for all K at once (rules out the usual case in a few
    # calls), then the whole matrices of the candidates only.
    c0 = M[..., 0]
    out = np.logical_and.reduce(c0 == c0[..., :1], axis=-1)
    cand = np.flatnonzero(out)
    if cand.size:
        Mc = M[cand]
        out[cand] = np.logical_and.reduce(Mc == Mc[:, :1], axis=(1, 2))
    return out
