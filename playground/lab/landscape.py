"""The cost landscape: J over a 2-D slice of weight space around the current parameters θ,
with the path gradient descent took projected onto the same plane (issue 15, part 2).

Pure NumPy logic for the Playground's *Cost landscape* tab and the Symmetry page's card;
``playground.figures.landscape`` draws what :func:`landscape` returns.

* θ is every parameter of the network as one vector, in the order W[1], b[1], …, W[L], b[L]
  (each matrix row by row).
* The plane is θ + s·d₁ + t·d₂. The directions d₁, d₂ are either

  - ``"pca"``: the two principal directions of the recorded trajectory (the snapshots
    and the latest iterations of the ``Trainer``, and θ now): the standard way to see a
    descent path (Li et al., *Visualizing the Loss Landscape of Neural Nets*, 2018, §7).
    Orthonormal; (s, t) are distances in weight space. A path that has not moved has no
    principal direction: then the random directions below are used, and the page says
    so; a path that moved along one line only has one, and the second is random,
    orthogonal to it, of unit length.
  - ``"random"``: two random directions normalized per unit ("filter-normalized", Li et
    al. §4): each row i of W[l] in a direction (the weights into unit i of layer l) is
    scaled to the norm of the same row of θ's W[l]; the biases are zeroed, as in the
    paper. A row of θ that is all zero (zero initialization) gives no scale: that row
    keeps norm 1 (:data:`ZERO_ROW_NORM`), and the page says so.

* The path's points are projected onto the plane by least squares ((s, t) minimizing
  ‖θᵢ − θ − s·d₁ − t·d₂‖; for orthonormal directions, s = d₁·(θᵢ − θ)); the current θ
  is (0, 0), the centre of the map. What the projection leaves out is measured
  (``Landscape.in_plane``), never hidden.
* J over the grid: every grid point is a network, and all of them are stacked into one
  set of parameters ``W[l]`` ``(K, n[l], n[l-1])`` that the core's
  ``forward_propagation`` and ``compute_cost`` evaluate together (one NumPy call per
  layer for a chunk of networks; ``benchmarks/bench_landscape.py`` times it against a
  loop over the points). J is the Playground's train cost: the cross-entropy on the
  training set plus the regularization term, in float64.

Every sentence the page states as a fact comes from :func:`lessons`, computed from the
run: whether the path moved, whether its steps reverse (bouncing across a valley),
whether every recorded point keeps the hidden units identical (the symmetric subspace).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from playground.core import text
from playground.core.diagnostics import DISTINCT_TOL
from playground.core.propagation import compute_cost, forward_propagation, regularization_cost
from playground.engine.trainer import MAX_RECENT

Array = np.ndarray

DIRECTIONS = {"pca": "principal directions of the path (PCA)",
              "random": "random directions, normalized per unit"}
RESOLUTION = 41  # grid points per axis
CHUNK = 64  # networks evaluated together: Z[l] (CHUNK, n[l], m) stays in cache (fastest
# of 8 to 1,681 in benchmarks/bench_landscape.py; all 1,681 at once is 2-3 times slower)
RANDOM_SEED = 0  # the random directions' seed: the same map at every redraw
ZERO_ROW_NORM = 1.0  # a random direction's row where θ's row is all zero
MARGIN = 1.25  # the grid reaches this many times the path's farthest projected point
MIN_HALF_WIDTH = {"pca": 0.5, "random": 1.0}  # the grid's least half-width in (s, t)
RANK_TOL = 1e-9  # a singular value below this × the largest is no direction
REVERSAL_COS = -0.5  # consecutive steps whose cosine is below this reverse direction
BOUNCING_SHARE = 0.5  # "bouncing" when at least this share of step pairs reverse


def parameter_keys(L: int) -> list[str]:
    """``["W1", "b1", ..., "WL", "bL"]``: the order of θ's entries."""
    return [f"{p}{l}" for l in range(1, L + 1) for p in ("W", "b")]


def flatten(parameters: Mapping[str, Array]) -> Array:
    """θ as one float64 vector (W[1], b[1], …, W[L], b[L], each row by row)."""
    L = sum(1 for k in parameters if k.startswith("W"))
    return np.concatenate([np.asarray(parameters[k], dtype=np.float64).ravel()
                           for k in parameter_keys(L)])


def unflatten(theta: Array, layer_dims: Sequence[int]) -> dict[str, Array]:
    """Parameters from θ ``(P,)``, or K stacked networks from ``(K, P)``: ``W{l}``
    ``(K, n[l], n[l-1])``, ``b{l}`` ``(K, n[l], 1)`` (views of ``theta``)."""
    lead = theta.shape[:-1]
    P = sum(n * (n_prev + 1) for n_prev, n in zip(layer_dims[:-1], layer_dims[1:],
                                                  strict=False))
    if P != theta.shape[-1]:
        raise ValueError(f"θ has {theta.shape[-1]} entries; layers {list(layer_dims)} "
                         f"have {P} parameters")
    out, off = {}, 0
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        for name, shape in ((f"W{l}", (n, n_prev)), (f"b{l}", (n, 1))):
            size = shape[0] * shape[1]
            out[name] = theta[..., off:off + size].reshape(*lead, *shape)
            off += size
    return out


# ---- the path ----------------------------------------------------------------------------


def trajectory(trainer) -> tuple[Array, Array]:
    """The recorded path of a ``Trainer``: iterations ``(k,)`` and θ at each ``(k, P)``,
    in order, ending with θ now. From its snapshots (thinned as training goes on) and its
    latest iterations (``Trainer.recent``, each one recorded, so that a step that jumps
    back and forth shows as such)."""
    points = {it: p for it, p in trainer.replay_points()}
    for it, p in getattr(trainer, "recent", ()):
        if it <= trainer.iteration:
            points.setdefault(it, p)
    points[trainer.iteration] = trainer.parameters
    its = sorted(points)
    return np.asarray(its, dtype=np.int64), np.stack([flatten(points[i]) for i in its])


# ---- the directions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Directions:
    """d₁, d₂ ``(2, P)`` and how they were found."""

    d: Array
    kind: str  # "pca", "pca+random" (one principal direction), "random"
    asked: str  # what the student picked
    explained: tuple[float, ...] = ()  # PCA: the share of the path's variance per direction
    note: str = ""  # why the directions are not what was asked, in words
    zero_rows: int = 0  # random: rows of θ's W[l] that are all zero (kept at norm 1)

    @property
    def orthonormal(self) -> bool:
        return self.kind != "random"


def pca_directions(path: Array) -> tuple[Array, Array]:
    """The principal directions of the points ``path`` ``(k, P)`` (centred on their mean)
    and the singular values, largest first: ``V`` ``(r, P)`` orthonormal rows, ``s`` ``(r,)``.
    Only directions whose singular value is above ``RANK_TOL`` × the largest (and above
    0) are returned: none for a path that has not moved, one for a straight line."""
    M = path - path.mean(axis=0)
    if not np.any(M):
        return np.zeros((0, path.shape[1])), np.zeros(0)
    _, s, Vt = np.linalg.svd(M, full_matrices=False)
    keep = s > RANK_TOL * s[0]
    V = Vt[keep]
    # A sign that does not depend on the SVD's mood: each direction points from the
    # start of the path towards its end (or, if that is 0, has a positive largest entry).
    for i in range(V.shape[0]):
        sign = np.sign(V[i] @ (path[-1] - path[0])) or np.sign(V[i][np.argmax(np.abs(V[i]))])
        V[i] *= sign
    return V, s[keep]


def filter_normalized(d: Array, theta: Array, layer_dims: Sequence[int]) -> tuple[Array, int]:
    """The direction ``d`` ``(P,)`` normalized per unit (Li et al. 2018): each row of each
    W[l] scaled to the norm of the same row of θ's W[l]; every bias zeroed. Returns it and
    the number of rows of θ that are all zero (those keep norm ``ZERO_ROW_NORM``)."""
    out = np.array(d, dtype=np.float64)
    D, T = unflatten(out, layer_dims), unflatten(np.asarray(theta, np.float64), layer_dims)
    zero_rows = 0
    for l in range(1, len(layer_dims)):
        W, Wt = D[f"W{l}"], T[f"W{l}"]
        target = np.linalg.norm(Wt, axis=1, keepdims=True)
        zero_rows += int(np.sum(target == 0))
        target = np.where(target == 0, ZERO_ROW_NORM, target)
        norm = np.linalg.norm(W, axis=1, keepdims=True)
        W *= target / np.where(norm == 0, 1.0, norm)  # views: out changes in place
        D[f"b{l}"][...] = 0.0
    return out, zero_rows


def random_directions(theta: Array, layer_dims: Sequence[int],
                      seed: int = RANDOM_SEED) -> tuple[Array, int]:
    """Two Gaussian directions, each normalized per unit (:func:`filter_normalized`)."""
    rng = np.random.default_rng(seed)
    d, zero_rows = [], 0
    for _ in range(2):
        v, zero_rows = filter_normalized(rng.standard_normal(theta.size), theta, layer_dims)
        d.append(v)
    return np.stack(d), zero_rows


def _unit_orthogonal(v: Array, seed: int = RANDOM_SEED) -> Array:
    """A random unit vector orthogonal to the unit vector ``v``."""
    r = np.random.default_rng(seed).standard_normal(v.size)
    r -= (r @ v) * v
    return r / np.linalg.norm(r)


def choose_directions(path: Array, layer_dims: Sequence[int], asked: str) -> Directions:
    """The plane's directions for ``asked`` (``"pca"`` or ``"random"``; see the module)."""
    if asked not in DIRECTIONS:
        raise ValueError(f"directions must be one of {', '.join(DIRECTIONS)}, got {asked!r}")
    theta = path[-1]
    if asked == "pca":
        V, s = pca_directions(path)
        variance = float(np.sum((path - path.mean(axis=0)) ** 2))
        explained = tuple(float(x * x / variance) for x in s[:2]) if variance else ()
        if V.shape[0] >= 2:
            return Directions(V[:2].copy(), "pca", asked, explained)
        if V.shape[0] == 1:
            d = np.stack([V[0], _unit_orthogonal(V[0])])
            return Directions(d, "pca+random", asked, explained,
                              note="The path has moved along one straight line only, so it "
                                   "has one principal direction; the second direction is "
                                   "random, orthogonal to it, of length 1.")
        note = ("Nothing is recorded yet but θ at iteration 0: a single point has no "
                "principal directions. Showing two random directions; train a little to "
                "see the path." if len(path) < 2 else
                f"The path has not moved: all {text.count(len(path))} recorded points are the "
                "same θ, so it has no principal directions (PCA of a path that does not move is "
                "undefined). Showing two random directions instead.")
    else:
        note = ""
    d, zero_rows = random_directions(theta, layer_dims)
    if zero_rows:
        note += (f" {text.count(zero_rows)} rows of θ's W[l] are all zero and give no "
                 "scale: the random directions keep those rows at length 1.")
    return Directions(d, "random", asked, note=note.strip(), zero_rows=zero_rows)


# ---- projection and the grid -------------------------------------------------------------


def project(points: Array, theta: Array, d: Array) -> Array:
    """(s, t) ``(k, 2)`` of each point ``(k, P)`` on the plane θ + s·d₁ + t·d₂, by least
    squares (for orthonormal directions, ``s = d₁·(point − θ)``)."""
    diff = np.atleast_2d(points) - theta
    coef, *_ = np.linalg.lstsq(d.T, diff.T, rcond=None)
    return coef.T


def grid_axes(coords: Array, kind: str, resolution: int = RESOLUTION,
              zoom: bool = False) -> tuple[Array, Array]:
    """The grid's s and t values: symmetric around 0 (θ now), reaching ``MARGIN`` times
    the farthest projected point of the path, and at least ``MIN_HALF_WIDTH`` (unless
    ``zoom``: then just the path, however small, if it moved at all)."""
    base = MIN_HALF_WIDTH["random" if kind == "random" else "pca"]
    reach = float(np.max(np.abs(coords))) if coords.size else 0.0
    if zoom and reach > 0:
        base = 0.0
    half = max(base, MARGIN * reach)
    axis = np.linspace(-half, half, resolution)
    return axis, axis.copy()


def grid_costs(theta: Array, d: Array, s: Array, t: Array, X: Array, Y: Array,
               layer_dims: Sequence[int], activations: Sequence[str],
               regularization: str = "none", lambd: float = 0.0,
               chunk: int = CHUNK) -> Array:
    """J at every θ + s[j]·d₁ + t[i]·d₂: ``(len(t), len(s))`` (row i is t = t[i]), in
    float64. The grid's networks are stacked and evaluated ``chunk`` at a time with the
    core's forward propagation and cost (one NumPy call per layer for all of them)."""
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    S, T = np.meshgrid(s, t)  # (len(t), len(s))
    coef = np.stack([S.ravel(), T.ravel()], axis=1)
    m = Y.shape[-1]
    J = np.empty(coef.shape[0])
    with np.errstate(all="ignore"):
        for a in range(0, coef.shape[0], chunk):
            thetas = theta + coef[a:a + chunk] @ d  # (k, P)
            stack = unflatten(thetas, layer_dims)
            _, caches = forward_propagation(X, stack, activations)
            J[a:a + chunk] = (compute_cost(caches[-1].Z, Y)
                              + regularization_cost(stack, m, regularization, lambd))
    return J.reshape(S.shape)


# ---- what the run shows ------------------------------------------------------------------


@dataclass(frozen=True)
class Lesson:
    """One computed fact about the path, for the page: a kind ("stuck", "bouncing",
    "symmetric", "descending") and the sentence."""

    kind: str
    sentence: str


def step_reversals(iterations: Array, path: Array) -> tuple[int, int]:
    """Among the pairs of consecutive steps of one iteration each (θᵢ → θᵢ₊₁ → θᵢ₊₂ at
    iterations i, i+1, i+2), how many turn back (cosine below ``REVERSAL_COS``), and how
    many pairs there are."""
    its = np.asarray(iterations)
    steps = np.diff(path, axis=0)
    one = np.diff(its) == 1
    pairs = reversals = 0
    for k in range(len(steps) - 1):
        if not (one[k] and one[k + 1]):
            continue
        a, b = steps[k], steps[k + 1]
        na, nb = np.linalg.norm(a), np.linalg.norm(b)
        if na == 0 or nb == 0:
            continue
        pairs += 1
        reversals += int(a @ b / (na * nb) < REVERSAL_COS)
    return reversals, pairs


def _all_clones(theta: Array, layer_dims: Sequence[int], tol: float) -> bool:
    """Whether every hidden layer of more than one unit is made of clones in θ: its units'
    rows of [W[l] | b[l]] agree, and so do their columns of W[l+1] (within ``tol``)."""
    p = unflatten(theta, layer_dims)
    for l in range(1, len(layer_dims) - 1):
        U = np.concatenate([p[f"W{l}"], p[f"b{l}"]], axis=1)
        out = p[f"W{l + 1}"]
        if U.shape[0] > 1 and (np.max(np.abs(U - U[:1])) > tol
                               or np.max(np.abs(out - out[:, :1])) > tol):
            return False
    return True


def symmetric_points(points: Array, layer_dims: Sequence[int],
                     tol: float = DISTINCT_TOL) -> int:
    """How many of ``points`` ``(k, P)`` are networks of clones (:func:`_all_clones`); 0
    when no hidden layer has more than one unit (nothing to be symmetric)."""
    if not any(n > 1 for n in layer_dims[1:-1]):
        return 0
    return sum(_all_clones(p, layer_dims, tol) for p in points)


def _stuck(iterations: Array, path: Array) -> Lesson | None:
    if len(path) < 2 or iterations[-1] == 0 or np.any(path != path[0]):
        return None
    return Lesson("stuck", (
        f"The path does not move: θ at iteration {text.count(iterations[-1])} is exactly "
        f"θ at iteration {text.count(iterations[0])} (all {text.count(len(path))} recorded "
        "points are equal, to the last bit), so every dW[l] and db[l] was 0: gradient descent has "
        "nowhere to go from here."))


def _bouncing(iterations: Array, path: Array, costs: Array | None) -> Lesson | None:
    reversals, pairs = step_reversals(iterations, path)
    if pairs == 0 or reversals / pairs < BOUNCING_SHARE:
        return None
    sentence = (f"Gradient descent is bouncing across the valley: {text.count(reversals)} "
                f"of the {text.count(pairs)} pairs of consecutive steps recorded turn back "
                "(each step points against the one before), so α·dW overshoots the bottom "
                "of the valley.")
    if costs is not None and len(costs) > 1:
        ups = int(np.sum(np.diff(costs) > 0))
        if ups:
            sentence += (f" J went up at {text.count(ups)} of the {text.count(len(costs) - 1)} "
                         "recorded steps.")
    return Lesson("bouncing", sentence)


def _symmetric(path: Array, layer_dims: Sequence[int], d: Array) -> Lesson | None:
    if symmetric_points(path, layer_dims) < len(path):
        return None
    layers = ", ".join(f"{text.count(n)} in layer {l}"
                       for l, n in enumerate(layer_dims[1:-1], start=1) if n > 1)
    sentence = (f"The path stays on the symmetric subspace: at all {text.count(len(path))} "
                f"recorded points the hidden units are clones ({layers}: equal incoming "
                "weights and bias, equal outgoing weights), so they get equal gradients and "
                "stay clones.")
    # A direction is in the subspace when, as a network, its units are clones (to rounding).
    scale = float(np.max(np.abs(d))) or 1.0
    if symmetric_points(d, layer_dims, 1e-9 * scale) == 2:
        sentence += (" Both directions of the map keep the units clones too: every point "
                     "of this map is a network of clones.")
    else:
        sentence += (" The map's directions do not keep the units clones: away from the path "
                     "it shows networks with distinct units, which gradient descent from "
                     "this start never reaches.")
    return Lesson("symmetric", sentence)


def lessons(iterations: Array, path: Array, layer_dims: Sequence[int], d: Array,
            costs: Array | None = None) -> list[Lesson]:
    """What the recorded path shows, each sentence computed from it (see :class:`Lesson`):
    it does not move; it bounces across the valley; it stays on the symmetric subspace."""
    stuck = _stuck(iterations, path)
    found = [stuck] if stuck else [x for x in (_bouncing(iterations, path, costs),) if x]
    sym = _symmetric(path, layer_dims, d) if len(path) > 1 else None
    if sym:
        found.append(sym)
    return found


# ---- everything the figure and the page need ----------------------------------------------


@dataclass(frozen=True)
class Landscape:
    """J over the plane, the path on it and what it shows."""

    s: Array  # (nx,) the grid's coordinate along d₁
    t: Array  # (ny,) along d₂
    J: Array  # (ny, nx)
    iterations: Array  # (k,) the recorded path's iterations, the last one now
    path: Array  # (k, 2) its (s, t); the last is (0, 0)
    path_costs: Array  # (k,) J at each recorded θ (not at its projection)
    directions: Directions
    in_plane: float  # share of the path's squared distance from θ the plane holds (1: all)
    lessons: list[Lesson] = field(default_factory=list)
    moved_by: float = 0.0  # the largest distance of a drawn point from θ now

    @property
    def current_cost(self) -> float:
        return float(self.path_costs[-1])

    @property
    def moved(self) -> bool:
        """Whether any recorded point of the drawn path differs from θ now."""
        return self.moved_by > 0


def path_costs(path: Array, X: Array, Y: Array, layer_dims: Sequence[int],
               activations: Sequence[str], regularization: str = "none",
               lambd: float = 0.0) -> Array:
    """J at each point of the path ``(k, P)``, stacked like the grid."""
    stack = unflatten(np.asarray(path, dtype=np.float64), layer_dims)
    with np.errstate(all="ignore"):
        _, caches = forward_propagation(np.asarray(X, np.float64), stack, activations)
        return (compute_cost(caches[-1].Z, np.asarray(Y, np.float64))
                + regularization_cost(stack, Y.shape[-1], regularization, lambd))


def landscape(trainer, directions: str = "pca", resolution: int = RESOLUTION, *,
              zoom: bool = False) -> Landscape:
    """The cost landscape of a ``Trainer`` now (see the module). ``zoom``: the map and its
    directions are made for the latest ``MAX_RECENT`` iterations of the path only (each one
    recorded), where a step back and forth across a valley is large enough to see; the
    lessons still read the whole recorded path."""
    all_its, all_path = trajectory(trainer)
    iterations, path = all_its, all_path
    if zoom:
        keep = all_its > trainer.iteration - MAX_RECENT
        iterations, path = all_its[keep], all_path[keep]
    dims, acts = trainer.layer_dims, trainer.activations
    reg, lambd = trainer.regularization, trainer.lambd
    theta = path[-1]
    dirs = choose_directions(path, dims, directions)
    coords = project(path, theta, dirs.d)
    coords[-1] = 0.0  # θ itself: exactly the centre (least squares gives ±1e-17)
    diff = path - theta
    total = float(np.sum(diff * diff))
    resid = diff - coords @ dirs.d
    in_plane = 1.0 if total == 0 else max(0.0, 1.0 - float(np.sum(resid * resid)) / total)
    s, t = grid_axes(coords, dirs.kind, resolution, zoom)
    J = grid_costs(theta, dirs.d, s, t, trainer.X_train, trainer.Y_train, dims, acts,
                   reg, lambd)
    costs = path_costs(path, trainer.X_train, trainer.Y_train, dims, acts, reg, lambd)
    if zoom:
        costs_all = path_costs(all_path, trainer.X_train, trainer.Y_train, dims, acts, reg,
                               lambd)
        found = lessons(all_its, all_path, dims, dirs.d, costs_all)
    else:
        found = lessons(iterations, path, dims, dirs.d, costs)
    moved_by = float(np.sqrt(np.max(np.sum(diff * diff, axis=1))))
    return Landscape(s, t, J, iterations, coords, costs, dirs, in_plane, found, moved_by)


def axis_titles(dirs: Directions) -> tuple[str, str]:
    """The axes' titles: "PC 1 (91% of the path's variance)" or "random direction 1"."""
    if dirs.kind == "random":
        return "random direction d₁ (per-unit scale)", "random direction d₂ (per-unit scale)"
    names = []
    for i in range(2):
        if i < len(dirs.explained):
            names.append(f"PC {i + 1} ({text.share(dirs.explained[i])} of the path's variance)")
        else:
            names.append(f"random direction d{'₁₂'[i]} (⊥ PC 1)")
    return names[0], names[1]


PHRASES = {"pca": "the path's two principal directions",
           "pca+random": "the path's one principal direction and a random one",
           "random": "two random directions normalized per unit"}
"""How the map's text alternative names its directions, by ``Directions.kind``."""
