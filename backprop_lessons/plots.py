"""Pure plot functions: each takes ``ax=None``, draws one picture and returns what it drew.

Used from notebook 01 on (data, decision boundaries), 02 and 05 (loss surfaces,
loss curves), 06 (activations) and 07 (gradient norms). The interactive
explorers in ``backprop_lessons.widgets`` call these same functions once to
create their artists and then only update the artists' data.

Every function returns a ``Drawing``: the Axes plus the artists it created, by
name (e.g. ``drawing.lines[0].get_ydata()`` is the plotted curve), so a learner
(or a test) can check what is on the picture. ``ax=None`` makes a new pyplot
figure, so the plot shows inline in a notebook. Nothing here changes rcParams.

Colours are the Okabe–Ito palette (safe for the common colour-vision
deficiencies); classes also differ by marker shape, so colour is never the only cue.
"""

import math
import numbers
from types import SimpleNamespace

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import LogNorm, to_rgb
from matplotlib.ticker import MaxNLocator

from backprop_lessons._checks import check_array, check_choice
from backprop_lessons.activations import ACTIVATIONS
from backprop_lessons.graph import draw_graph

__all__ = [
    "PALETTE",
    "COLORS",
    "CLASS_MARKERS",
    "Drawing",
    "plot_loss_curves",
    "plot_decision_boundary",
    "plot_loss_surface_1d",
    "plot_loss_surface_2d",
    "plot_activation",
    "plot_grad_norms",
    "plot_grad_heatmap",
    "plot_data",
    "draw_graph",
    "decision_grid",
    "decision_rgb",
    "model_scores",
    "divergence_point",
    "log_levels",
    "activation_label",
    "GRAD_NORM_LABEL",
]

# Okabe & Ito (2008), "Color Universal Design". Order = the order curves and classes use.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
COLORS = list(PALETTE.values())  # cycle: curve k (or class k) gets COLORS[k % 8]
CLASS_MARKERS = ("o", "s", "^", "D", "v", "P")  # a second cue besides colour

# The notation of the course, used in every axis label.
_NAMES = {
    "sigmoid": "σ(z)",
    "tanh": "tanh(z)",
    "relu": "ReLU(z)",
    "leaky_relu": "leaky ReLU(z)",
    "identity": "z",
}
GRAD_NORM_LABEL = "gradient norm ‖∂E/∂W‖"


class Drawing(SimpleNamespace):
    """What a plot function drew: ``.ax`` plus named artists (see each function)."""


def _axes(ax, figsize=(6.0, 4.0)):
    """Return ``ax``, or a new pyplot Axes (so the figure shows inline in a notebook)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # only here: widgets pass their own Axes and never touch pyplot

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _class_color(k):
    return COLORS[k % len(COLORS)]


# ---------------------------------------------------------------- loss curves
def _as_curve(curve):
    """(loss values (n,), diverged_at or None) from a History or a 1-D sequence."""
    if hasattr(curve, "epoch_loss"):
        return np.asarray(curve.epoch_loss, dtype=np.float64), getattr(curve, "diverged_at", None)
    if isinstance(curve, str):
        raise TypeError(
            f"plot_loss_curves takes a History or a list of losses (one per epoch), got str {curve!r:.40}; "
            "to name a curve use labels=..."
        )
    values = check_array(curve, "a loss curve", finite=False)
    if values.ndim != 1:
        raise ValueError(f"a loss curve must be 1-D (one loss per epoch), got shape {values.shape}")
    return values, None


def _is_single_curve(curves):
    if hasattr(curves, "epoch_loss"):
        return True
    if isinstance(curves, np.ndarray):
        return curves.ndim == 1
    return len(curves) > 0 and all(isinstance(v, numbers.Real) for v in curves)


def divergence_point(values, diverged_at):
    """(epoch, loss) where a diverged curve is marked: its last finite loss up to ``diverged_at``.

    The loss at the diverging epoch may be inf; the marker then sits on the
    last finite value, so it is visible on a log axis.
    """
    upto = values[: int(diverged_at)]
    finite = np.flatnonzero(np.isfinite(upto) & (upto > 0))
    if finite.size == 0:
        return float(diverged_at), math.nan
    return float(finite[-1] + 1), float(upto[finite[-1]])


def plot_loss_curves(curves, labels=None, ax=None, log=True, diverged_at=None):
    """Loss per epoch for one or several runs; a diverged run ends in an × with a note.

    curves      -- one curve or a list: each a 1-D sequence of losses (epoch 1, 2, ...) or a
                   History (its epoch_loss and diverged_at are used).
    labels      -- one label per curve (a legend is drawn when given, or for several curves).
    log         -- log-scale loss axis (the natural scale: loss shrinks by factors).
    diverged_at -- 1-based epoch of divergence: an int (single curve) or a list (None entries
                   for runs that did not diverge); overrides what Histories say.
    Returns Drawing(ax, lines, markers, notes, legend): one Line2D per curve; markers/notes hold
    the × Line2D and the "diverged at epoch k" Text for diverged curves (None otherwise).
    Non-finite losses are not drawn (the line stops).
    """
    if isinstance(curves, str) or _is_single_curve(curves):
        curves = [curves]
    curves = list(curves)
    if not curves:
        raise ValueError("plot_loss_curves needs at least one curve")
    if labels is not None:
        labels = [labels] if isinstance(labels, str) else list(labels)
        if len(labels) != len(curves):
            raise ValueError(f"got {len(labels)} labels for {len(curves)} curves")
    if diverged_at is None or isinstance(diverged_at, numbers.Integral):
        diverged_at = [diverged_at] * len(curves) if len(curves) == 1 or diverged_at is None else None
        if diverged_at is None:
            raise ValueError("for several curves give diverged_at as a list (None for runs that did not diverge)")
    if len(diverged_at) != len(curves):
        raise ValueError(f"got {len(diverged_at)} diverged_at entries for {len(curves)} curves")

    ax = _axes(ax)
    lines, markers, notes = [], [], []
    for k, curve in enumerate(curves):
        values, hist_div = _as_curve(curve)
        div = diverged_at[k] if diverged_at[k] is not None else hist_div
        shown = np.where(np.isfinite(values), values, np.nan)  # NaN breaks the line instead of failing
        epochs = np.arange(1, len(values) + 1)
        color = _class_color(k)
        label = labels[k] if labels is not None else (f"run {k + 1}" if len(curves) > 1 else None)
        (line,) = ax.plot(epochs, shown, color=color, lw=2, label=label)
        lines.append(line)
        marker = note = None
        if div is not None:
            ex, ey = divergence_point(values, div)
            (marker,) = ax.plot([ex], [ey], "x", color=PALETTE["vermillion"], ms=11, mew=2.5, zorder=5)
            right_half = len(values) > 1 and ex > 0.6 * len(values)
            # Above the marker and towards the middle: a diverging curve climbs from below.
            note = ax.annotate(
                f"diverged at epoch {int(div)}",
                xy=(ex, ey),
                xytext=(-8 if right_half else 8, 6),
                textcoords="offset points",
                ha="right" if right_half else "left",
                va="bottom",
                color=PALETTE["vermillion"],
            )
        markers.append(marker)
        notes.append(note)
    all_values = np.concatenate([_as_curve(c)[0] for c in curves])
    if log and np.any(np.isfinite(all_values) & (all_values > 0)):
        ax.set_yscale("log")
    if any(note is not None for note in notes):
        # Headroom for the "diverged at epoch k" notes above their markers.
        bottom, top = ax.get_ylim()
        ax.set_ylim(bottom, top * 30 if ax.get_yscale() == "log" else top + 0.15 * (top - bottom))
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss E")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    legend = ax.legend(frameon=False) if any(line.get_label()[:1] not in ("", "_") for line in lines) else None
    return Drawing(ax=ax, lines=lines, markers=markers, notes=notes, legend=legend)


# ---------------------------------------------------------- decision boundary
def decision_grid(X, resolution=200, margin=0.3):
    """A square grid of points covering the data: returns (points (R*R, 2), extent).

    extent = (x1_min, x1_max, x2_min, x2_max), as imshow expects; rows of
    ``points`` run over x1 fastest, so ``values.reshape(R, R)`` is an image
    whose row 0 is the bottom (use origin="lower").
    """
    X = check_array(X, "X", ndim=2)
    lo = X.min(axis=0) - margin
    hi = X.max(axis=0) + margin
    x1 = np.linspace(lo[0], hi[0], resolution)
    x2 = np.linspace(lo[1], hi[1], resolution)
    g1, g2 = np.meshgrid(x1, x2)  # (R, R) each
    points = np.column_stack([g1.ravel(), g2.ravel()])  # (R*R, 2)
    return points, (lo[0], hi[0], lo[1], hi[1])


def model_scores(model_or_predict_fn, X):
    """Scores for X (N, D): ``predict(model, X)`` for a model (eval mode), else ``fn(X)``."""
    if hasattr(model_or_predict_fn, "forward"):
        from backprop_lessons.training import predict  # imported late: training imports layers

        return predict(model_or_predict_fn, X)
    if callable(model_or_predict_fn):
        return np.asarray(model_or_predict_fn(X), dtype=np.float64)
    raise TypeError(
        f"expected a model (with .forward) or a function X -> scores, got {type(model_or_predict_fn).__name__}"
    )


def decision_rgb(scores, shape, strength=0.55):
    """Colour image of class predictions: each class's colour, paler where the model is unsure.

    scores -- (N,) or (N, 1) logits for 2 classes, or (N, C) class scores; N = rows * cols.
    shape  -- (rows, cols) of the grid. Returns an (rows, cols, 3) float array in [0, 1].
    The decision boundary shows as the white band where confidence is 0.
    """
    scores = np.asarray(scores, dtype=np.float64)
    with np.errstate(all="ignore"):  # a diverged model may give inf/NaN scores
        if scores.ndim == 1 or scores.shape[1] == 1:
            p1 = 1.0 / (1.0 + np.exp(-np.clip(scores.reshape(-1), -50, 50)))  # P(class 1)
            cls = (p1 > 0.5).astype(int)
            conf = np.abs(2.0 * p1 - 1.0)  # 0 on the boundary, 1 far from it
            n_classes = 2
        else:
            shifted = scores - scores.max(axis=1, keepdims=True)  # max-shift: exp never overflows
            p = np.exp(shifted)
            p /= p.sum(axis=1, keepdims=True)
            cls = p.argmax(axis=1)
            n_classes = scores.shape[1]
            conf = (p.max(axis=1) - 1.0 / n_classes) / (1.0 - 1.0 / n_classes)
        conf = np.nan_to_num(conf, nan=0.0)
    colours = np.array([to_rgb(_class_color(k)) for k in range(n_classes)])  # (C, 3)
    weight = (strength * conf)[:, None]  # (N, 1)
    rgb = 1.0 - weight * (1.0 - colours[cls])  # blend white -> class colour
    return rgb.reshape(*shape, 3)


def _scatter_classes(ax, X, y, size=22):
    """One scatter per class (colour + marker), drawn above backgrounds."""
    points = []
    for k in np.unique(y).astype(int):
        mask = y == k
        points.append(
            ax.scatter(
                X[mask, 0],
                X[mask, 1],
                s=size,
                color=_class_color(k),
                marker=CLASS_MARKERS[k % len(CLASS_MARKERS)],
                edgecolors="black",
                linewidths=0.5,
                label=f"class {k}",
                zorder=3,
            )
        )
    return points


def plot_decision_boundary(model_or_predict_fn, X, y, ax=None, resolution=200):
    """Background coloured by the predicted class (pale = unsure) with the data on top.

    model_or_predict_fn -- a model (scores via ``predict``, eval mode) or a function
                           X (N, 2) -> scores (N, 1) logits or (N, C) class scores.
    X (N, 2), y (N,) integer labels. resolution -- grid points per axis.
    Returns Drawing(ax, image, points, boundary): the AxesImage (its array is the
    (R, R, 3) colour image), one scatter per class, and for two classes the
    contour line where P(class 1) = 0.5 (None otherwise).
    """
    X = check_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary draws 2-D inputs, got {X.shape[1]} features")
    y = np.asarray(y).reshape(-1)
    points, extent = decision_grid(X, resolution)
    scores = model_scores(model_or_predict_fn, points)
    ax = _axes(ax, figsize=(5.0, 4.5))
    image = ax.imshow(
        decision_rgb(scores, (resolution, resolution)),
        origin="lower",
        extent=extent,
        aspect="auto",
        interpolation="bilinear",
    )
    boundary = None
    if scores.ndim == 1 or scores.shape[1] == 1:
        logits = scores.reshape(resolution, resolution)
        if np.all(np.isfinite(logits)) and logits.min() < 0.0 < logits.max():
            g1 = np.linspace(extent[0], extent[1], resolution)
            g2 = np.linspace(extent[2], extent[3], resolution)
            boundary = ax.contour(g1, g2, logits, levels=[0.0], colors="black", linewidths=1.0)
    pts = _scatter_classes(ax, X, y)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    return Drawing(ax=ax, image=image, points=pts, boundary=boundary)


# -------------------------------------------------------------- loss surfaces
def _evaluate_1d(f, ws):
    """f on every w of ws (n,): vectorized when f allows it, one by one otherwise."""
    try:
        values = np.asarray(f(ws), dtype=np.float64)
        if values.shape == ws.shape:
            return values
    except (TypeError, ValueError):
        pass
    return np.array([float(f(w)) for w in ws])


def _evaluate_2d(f, W, B):
    """f(w, b) on grids W, B (R, R): vectorized when f allows it, point by point otherwise."""
    try:
        values = np.asarray(f(W, B), dtype=np.float64)
        if values.shape == W.shape:
            return values
    except (TypeError, ValueError):
        pass
    return np.array([[float(f(w, b)) for w, b in zip(rw, rb)] for rw, rb in zip(W, B)])


def _mark_ends(ax, xs, ys, color):
    """Start (white circle) and end (filled star) of a path; returns (start, end) Line2D."""
    (start,) = ax.plot(xs[:1], ys[:1], "o", ms=8, mfc="white", mec=color, mew=2, label="start", zorder=6)
    (end,) = ax.plot(xs[-1:], ys[-1:], "*", ms=13, color=color, mec="black", mew=0.6, label="end", zorder=6)
    return start, end


def plot_loss_surface_1d(f, w_range, path=None, ax=None):
    """The loss E(w) of one weight, optionally with the path gradient descent took.

    f       -- function w -> E(w) (vectorized or not).
    w_range -- (w_min, w_max): drawn with 200 points; or an explicit 1-D array of w values.
    path    -- optional sequence of w values visited (w_0, w_1, ...): drawn as markers
               on the curve, joined in order, with start and end marked.
    Returns Drawing(ax, curve, path_line, start, end) (the last three None without a path).
    """
    ws = np.asarray(w_range, dtype=np.float64)
    if ws.shape == (2,):
        ws = np.linspace(ws[0], ws[1], 200)
    if ws.ndim != 1 or ws.size < 2 or not np.all(np.isfinite(ws)):
        raise ValueError(f"w_range must be (w_min, w_max) or a 1-D array of w values, got shape {ws.shape}")
    ax = _axes(ax)
    (curve,) = ax.plot(ws, _evaluate_1d(f, ws), color=PALETTE["blue"], lw=2, label="E(w)")
    path_line = start = end = None
    if path is not None:
        pw = np.asarray(path, dtype=np.float64).reshape(-1)
        pe = _evaluate_1d(f, pw)
        color = PALETTE["vermillion"]
        (path_line,) = ax.plot(pw, pe, "o-", color=color, ms=4, lw=1.2, label="gradient descent", zorder=5)
        start, end = _mark_ends(ax, pw, pe, color)
        ax.legend(loc="best", frameon=False)
    ax.set_xlabel("weight w")
    ax.set_ylabel("loss E(w)")
    return Drawing(ax=ax, curve=curve, path_line=path_line, start=start, end=end)


def log_levels(Z, levels=15):
    """Log-spaced contour levels from just above min(Z) to max(Z).

    A loss surface is a deep narrow valley: evenly spaced levels would all sit
    on the steep walls and none near the minimum.
    """
    Z = np.asarray(Z, dtype=np.float64)
    finite = Z[np.isfinite(Z)]
    lo, hi = float(finite.min()), float(finite.max())
    span = hi - lo
    if span <= 0:
        return np.array([lo, lo + 1.0])
    # Offsets above the minimum, spaced by factors: dense near the valley floor.
    return lo + np.geomspace(span * 1e-3, span, levels)


def plot_loss_surface_2d(f, xlim, ylim, path=None, ax=None, levels=15, resolution=120):
    """Contours of a loss E(w, b) of two parameters, with an optional descent path.

    f       -- function (w, b) -> E (vectorized over arrays or not).
    xlim, ylim -- (min, max) of w and of b.
    path    -- optional (T, 2) array of (w, b) pairs visited, drawn as a line with markers,
               start and end marked.
    levels  -- number of log-spaced contour levels above the minimum, or explicit levels.
    Returns Drawing(ax, contour, path_line, start, end, Z): Z is the (R, R) grid of E values.
    """
    w = np.linspace(*map(float, xlim), resolution)
    b = np.linspace(*map(float, ylim), resolution)
    W, B = np.meshgrid(w, b)  # (R, R): rows follow b, columns follow w
    Z = _evaluate_2d(f, W, B)
    lv = log_levels(Z, levels) if isinstance(levels, numbers.Integral) else np.asarray(levels, dtype=np.float64)
    ax = _axes(ax, figsize=(5.5, 4.5))
    # Neutral greys, one shade per band, darker towards the bottom of the valley (levels are
    # log-spaced, so a colormap over E itself would paint almost every band alike); grey
    # keeps every palette colour free for paths drawn on top.
    shades = colormaps["Greys"](np.linspace(0.32, 0.02, len(lv) - 1))
    ax.contourf(W, B, Z, levels=lv, colors=shades)
    contour = ax.contour(W, B, Z, levels=lv, colors="0.55", linewidths=0.6)
    path_line = start = end = None
    if path is not None:
        p = np.asarray(path, dtype=np.float64).reshape(-1, 2)  # (T, 2)
        color = PALETTE["vermillion"]
        (path_line,) = ax.plot(p[:, 0], p[:, 1], "o-", color=color, ms=3.5, lw=1.3, label="path", zorder=5)
        start, end = _mark_ends(ax, p[:, 0], p[:, 1], color)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("weight w")
    ax.set_ylabel("bias b")
    return Drawing(ax=ax, contour=contour, path_line=path_line, start=start, end=end, Z=Z)


# ---------------------------------------------------------------- activations
def activation_label(name):
    """'sigmoid' -> 'σ(z)': the symbol the notebooks use."""
    return _NAMES.get(name, f"{name}(z)")


def plot_activation(name, ax=None, z_range=(-4.0, 4.0)):
    """An activation f and its derivative f' on the same axes (f solid, f' dashed).

    name -- "sigmoid", "tanh", "relu", "leaky_relu" or "identity".
    Returns Drawing(ax, f_line, df_line, legend); the lines' x data is z, y data f(z) / f'(z).
    """
    check_choice(name, ACTIVATIONS, "activation")
    f, f_prime = ACTIVATIONS[name]
    z = np.linspace(*z_range, 401)
    ax = _axes(ax, figsize=(5.0, 3.6))
    ax.axhline(0.0, color="0.8", lw=0.8, zorder=0)
    ax.axvline(0.0, color="0.8", lw=0.8, zorder=0)
    symbol = activation_label(name)
    (f_line,) = ax.plot(z, f(z), color=PALETTE["blue"], lw=2.2, label=f"f(z) = {symbol}")
    (df_line,) = ax.plot(z, f_prime(z), color=PALETTE["orange"], lw=2.2, ls="--", label="f′(z)")
    ax.set_xlabel("pre-activation z")
    ax.set_ylabel("f(z) and f′(z)")
    legend = ax.legend(loc="upper left", frameon=False)
    return Drawing(ax=ax, f_line=f_line, df_line=df_line, legend=legend)


# -------------------------------------------------------------- gradient norms
def plot_grad_norms(norms, ax=None, color=None):
    """One bar per Linear layer: the size of its weight gradient (log scale).

    norms -- (L,) gradient norms ‖∂E/∂W‖, layer 1 = input side (e.g. a row of
             History.grad_norms). Zeros and non-finite values get no bar.
    Returns Drawing(ax, bars): the BarContainer (bar k has height norms[k]).
    """
    norms = np.asarray(norms, dtype=np.float64).reshape(-1)
    ax = _axes(ax)
    layers = np.arange(1, norms.size + 1)
    heights = np.where(np.isfinite(norms) & (norms > 0), norms, np.nan)
    bars = ax.bar(layers, heights, color=color or PALETTE["blue"], width=0.8)
    ax.set_yscale("log")
    ax.set_xlabel("layer (1 = input side)")
    ax.set_ylabel(GRAD_NORM_LABEL)
    ax.set_xlim(0.4, norms.size + 0.6)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # layers are counted, not measured
    return Drawing(ax=ax, bars=bars)


def plot_grad_heatmap(grad_norms, ax=None, vmin=None, vmax=None, colorbar=True):
    """Gradient norm of every layer (rows, layer 1 at the bottom) in every epoch (columns).

    grad_norms -- (epochs, L) array, e.g. History.grad_norms. Log colour scale
                  (viridis: colour-blind safe and readable in grey); NaN cells are grey.
    Returns Drawing(ax, image, colorbar): the image array is grad_norms.T (L, epochs).
    """
    G = np.asarray(grad_norms, dtype=np.float64)
    if G.ndim != 2:
        raise ValueError(f"grad_norms must be a 2-D array (epochs, layers), got shape {G.shape}")
    epochs, L = G.shape
    positive = G[np.isfinite(G) & (G > 0)]
    if vmin is None:
        vmin = float(positive.min()) if positive.size else 1e-3
    if vmax is None:
        vmax = float(positive.max()) if positive.size else 1.0
    vmax = max(vmax, vmin * 10)  # a flat field still gets a readable colour bar
    ax = _axes(ax, figsize=(6.5, 4.0))
    shown = np.where(np.isfinite(G) & (G > 0), G, np.nan).T  # (L, epochs): rows are layers
    image = ax.imshow(
        shown,
        origin="lower",
        aspect="auto",
        interpolation="nearest",
        extent=(0.5, epochs + 0.5, 0.5, L + 0.5),
        norm=LogNorm(vmin=vmin, vmax=vmax),
        cmap=_viridis_with_grey(),
    )
    ax.set_xlabel("epoch")
    ax.set_ylabel("layer (1 = input side)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    cbar = ax.figure.colorbar(image, ax=ax, label="‖∂E/∂W‖") if colorbar else None
    return Drawing(ax=ax, image=image, colorbar=cbar)


def _viridis_with_grey():
    return colormaps["viridis"].with_extremes(bad="0.85")  # epochs that never ran (diverged) show grey


# ----------------------------------------------------------------------- data
def plot_data(X, y, ax=None):
    """Scatter a dataset: 2-D inputs coloured and shaped by class, or a 1-D regression (x, y).

    X (N, 2) with y (N,) integer labels, or X (N, 1) with y (N,) / (N, 1) real targets.
    Returns Drawing(ax, points): one PathCollection per class (one in total for regression).
    """
    X = check_array(X, "X", ndim=2)
    y = np.asarray(y)
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}; they need one row per example")
    ax = _axes(ax, figsize=(5.0, 4.0))
    if X.shape[1] == 1:
        pts = [ax.scatter(X[:, 0], y.reshape(-1), s=22, color=PALETTE["blue"], edgecolors="black", linewidths=0.5)]
        ax.set_xlabel("input x")
        ax.set_ylabel("target y")
        return Drawing(ax=ax, points=pts)
    if X.shape[1] != 2:
        raise ValueError(f"plot_data draws 1-D or 2-D inputs, got {X.shape[1]} features")
    pts = _scatter_classes(ax, X, y.reshape(-1))
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.legend(loc="best", frameon=True, framealpha=0.85, fontsize="small")
    return Drawing(ax=ax, points=pts)
