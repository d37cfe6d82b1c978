"""The decision boundary's line: where ŷ over a grid crosses 0.5, by marching squares.

Pure NumPy (no plotly): ``contour_line`` returns the polylines as x, y arrays with NaN
gaps, which ``boundary`` draws as one plotly line. Plotly's own contour trace would draw
the same level, but it sends every grid value twice and cannot be styled as a line.
"""

from __future__ import annotations

import numpy as np

from playground.figures.wire import f32


def contour_line(xs, ys, P, level: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """The curve where ``P`` crosses ``level``, by marching squares.

    xs : (nx,) and ys : (ny,) grid coordinates; P : (ny, nx) values (row i is y = ys[i]).
    Returns ``x, y`` float32 arrays of the same length: polylines separated by NaN (a gap
    in a plotly line). Every point lies on a grid line, where linear interpolation of P
    along that line equals ``level``. Both are empty when P does not cross the level
    (a constant P, say); cells with a NaN corner are skipped.
    """
    xs = np.asarray(xs, dtype=np.float64)
    ys = np.asarray(ys, dtype=np.float64)
    P = np.asarray(P, dtype=np.float64)
    ny, nx = P.shape
    empty = (np.zeros(0, np.float32), np.zeros(0, np.float32))
    if nx < 2 or ny < 2:
        return empty
    ok = np.isfinite(P)
    B = np.where(ok, P >= level, False)
    with np.errstate(all="ignore"):
        # Horizontal edges (i, j)–(i, j+1) and vertical edges (i, j)–(i+1, j).
        hx = (B[:, :-1] != B[:, 1:]) & ok[:, :-1] & ok[:, 1:]
        th = (level - P[:, :-1]) / (P[:, 1:] - P[:, :-1])
        vx = (B[:-1, :] != B[1:, :]) & ok[:-1, :] & ok[1:, :]
        tv = (level - P[:-1, :]) / (P[1:, :] - P[:-1, :])
    hxs = xs[None, :-1] + th * np.diff(xs)[None, :]
    hys = np.broadcast_to(ys[:, None], hxs.shape)
    vys = ys[:-1, None] + tv * np.diff(ys)[:, None]
    vxs = np.broadcast_to(xs[None, :], vys.shape)
    ex = np.concatenate([hxs.ravel(), vxs.ravel()])
    ey = np.concatenate([hys.ravel(), vys.ravel()])
    n_h = ny * (nx - 1)
    ii, jj = np.meshgrid(np.arange(ny - 1), np.arange(nx - 1), indexing="ij")
    # The edges of each cell, in the order bottom, right, top, left.
    ids = np.stack([ii * (nx - 1) + jj, n_h + ii * nx + jj + 1,
                    (ii + 1) * (nx - 1) + jj, n_h + ii * nx + jj], axis=-1)
    flags = np.stack([hx[:-1, :], vx[:, 1:], hx[1:, :], vx[:, :-1]], axis=-1)
    cell_ok = ok[:-1, :-1] & ok[:-1, 1:] & ok[1:, :-1] & ok[1:, 1:]
    count = flags.sum(axis=-1) * cell_ok
    two = count == 2
    segs = ids[two][flags[two]].reshape(-1, 2)
    saddles = []
    for i, j in zip(*np.nonzero(count == 4), strict=True):  # saddles: ask the centre
        b, r, t, lft = ids[i, j].tolist()
        centre = 0.25 * (P[i, j] + P[i, j + 1] + P[i + 1, j] + P[i + 1, j + 1])
        if (centre >= level) == B[i, j]:  # bottom-left joins top-right: cut the others off
            saddles += [[b, r], [t, lft]]
        else:
            saddles += [[lft, b], [r, t]]
    if saddles:
        segs = np.concatenate([segs, np.asarray(saddles, dtype=segs.dtype)])
    if not segs.size:
        return empty
    order = []
    for chain in _chain_segments(segs):
        order.extend(chain)
        order.append(-1)
    order = np.asarray(order[:-1])
    gap = order < 0
    x = np.where(gap, np.nan, ex[np.where(gap, 0, order)])
    y = np.where(gap, np.nan, ey[np.where(gap, 0, order)])
    return f32(x), f32(y)


def _chain_segments(segs: np.ndarray) -> list[list[int]]:
    """Join segments ``(k, 2)`` of edge-point ids into polylines (open ones, then loops).

    Every edge point lies on one grid edge, shared by at most two cells, and a cell
    draws at most one segment through it: each point has one or two neighbours. So the
    walk needs no search, only each point's two neighbours (found with NumPy)."""
    ids, compact = np.unique(segs, return_inverse=True)
    compact = compact.reshape(-1, 2)
    n = ids.size
    ends = compact.ravel()
    others = compact[:, ::-1].ravel()
    by_end = np.argsort(ends, kind="stable")
    ends, others = ends[by_end], others[by_end]
    second = np.zeros(ends.size, dtype=bool)
    second[1:] = ends[1:] == ends[:-1]
    nb = np.full((n, 2), -1, dtype=np.int64)
    nb[ends[~second], 0] = others[~second]
    nb[ends[second], 1] = others[second]
    nb0, nb1 = nb[:, 0].tolist(), nb[:, 1].tolist()
    used = [False] * n
    starts = np.flatnonzero(nb[:, 1] < 0).tolist()  # the ends of open lines first
    chains = []
    for start in starts + list(range(n)):
        if used[start]:
            continue
        used[start] = True
        chain, cur = [start], start
        while True:
            a, b = nb0[cur], nb1[cur]
            if a >= 0 and not used[a]:
                cur = a
            elif b >= 0 and not used[b]:
                cur = b
            else:
                if len(chain) > 2 and start in (a, b):
                    chain.append(start)  # close the loop
                break
            used[cur] = True
            chain.append(cur)
        chains.append(chain)
    ids_list = ids.tolist()
    return [[ids_list[k] for k in chain] for chain in chains]
