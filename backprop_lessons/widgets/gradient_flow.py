"""The gradient-flow explorer of notebook 07: vanishing and exploding gradients, and their fixes.

A deep network of ``depth`` hidden layers (16 units each) on ``data.moons()``,
so depth + 1 weight matrices W₁ … W_{depth+1} (the last one is the output layer).
Left: the size of every weight gradient after ONE backward pass from the same
initial weights (layer 1 = input side), as the root mean square of its entries,
rms(∂E/∂W) = ‖∂E/∂W‖ / √(number of entries): W₁ is 2 x 16, the hidden ones
16 x 16, the output one 16 x 1, and a Frobenius norm would grow with the size
of the matrix, not with the size of the updates its weights get. Backprop
multiplies by W and f′ once per layer on the way down, so with sigmoid
(f′ ≤ 0.25) the bars shrink by a factor per layer (vanishing), and with too
large weights they grow (exploding). Right: the same norms in every epoch of a
short training run (layers x epochs), as backprop produced them, i.e. before
any clipping (clipping then keeps such a run from diverging).

Fixes to toggle: He/Xavier init, batch normalization, residual connections
(an identity path the gradient can take around each block) and gradient
clipping (caps the total norm at 1; it helps against exploding gradients,
not vanishing ones).
"""

import math

import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PolyCollection
from matplotlib.colors import LogNorm
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox

from backprop_lessons._checks import check_choice
from backprop_lessons.data import moons
from backprop_lessons.layers import linear_layers, mlp
from backprop_lessons.losses import binary_cross_entropy
from backprop_lessons.optim import clip_grad_norm
from backprop_lessons.plots import PALETTE
from backprop_lessons.training import train
from backprop_lessons.widgets._background import Precomputer
from backprop_lessons.widgets._canvas import (
    CachedPixels,
    Explorer,
    FastFigure,
    PixelImage,
    checkbox,
    dropdown,
    int_slider,
    start_value,
)

__all__ = ["gradient_flow_explorer", "GradientFlowExplorer", "gradient_norms", "INIT_CHOICES"]

MAX_DEPTH = 30
WIDTH = 16  # units per hidden layer
CLIP_NORM = 1.0
EPOCHS, LR = 10, 0.1  # the short training run of the heat map (kept short: it reruns on every change)
NORM_RANGE = (1e-8, 1e4)  # fixed scale of bars and colours, so pictures can be compared
RMS_LABEL = "rms(∂E/∂W) per weight"
# init choice -> (dropdown label, init name for mlp, std)
INIT_CHOICES = {
    "normal": ("normal (std 1)", "normal", 1.0),
    "xavier": ("Xavier", "xavier", None),
    "he": ("He", "he", None),
    "large": ("large (std 3)", "normal", 3.0),
}


def _model(depth, activation, init, batchnorm, residual):
    _, init_name, std = INIT_CHOICES[init]
    return mlp(
        [2] + [WIDTH] * depth + [1],
        activation=activation,
        init=init_name,
        std=std,
        rng=0,  # the same initial weights for every setting of the toggles
        batchnorm=batchnorm,
        residual=residual,
    )


def gradient_norms(model, X, y, clip=None):
    """rms(∂E/∂W) = ‖∂E/∂W‖ / √(W.size) of every Linear layer after one forward/backward pass (BCE loss).

    X (N, D), y (N,) labels in {0, 1}. Returns (rms (L,), total norm ‖∂E/∂θ‖ of all
    gradients before clipping); with ``clip`` the gradients are clipped to that total
    norm first, as the optimizer sees them (clip_grad_norm scales all of them by one factor).
    """
    with np.errstate(all="ignore"):  # exploding settings overflow on purpose
        out = model.forward(X)  # (N, 1)
        _, dout = binary_cross_entropy(out, y)
        model.backward(dout)
        grads = model.grads
        total = math.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))
        if clip is not None:
            clip_grad_norm(grads, clip)
        norms = np.array(
            [np.linalg.norm(layer.grads["W"]) / math.sqrt(layer.grads["W"].size) for layer in linear_layers(model)]
        )
    return norms, total


def _sizes(depth):
    """Entries of each weight matrix: W₁ (2 x 16), the hidden ones (16 x 16), the output one (16 x 1)."""
    return np.array([2 * WIDTH] + [WIDTH * WIDTH] * (depth - 1) + [WIDTH])


def _outside(ax, axis, renderer, side):
    """The pixels of ``axis`` (tick marks, tick labels, label) on its ``side`` of ``ax``, as a Bbox.

    From the labels to the frame (the tick marks are in between), 3 pixels wider on every side
    for the anti-aliased edges of the glyphs.
    """
    box, frame = axis.get_tightbbox(renderer), ax.bbox
    if side == "bottom":
        x0, y0, x1, y1 = min(box.x0, frame.x0), box.y0, max(box.x1, frame.x1), frame.y0
    else:
        x0, y0, x1, y1 = box.x0, min(box.y0, frame.y0), frame.x0, max(box.y1, frame.y1)
    return Bbox([[x0 - 3, y0 - 3], [x1 + 3, y1 + 3]])


_VIRIDIS = (colormaps["viridis"](np.linspace(0.0, 1.0, 256)) * 255).astype(np.uint8)  # (256, 4)
_NO_EPOCH = np.array([217, 217, 217, 255], dtype=np.uint8)  # grey: training had stopped (diverged)
_NO_LAYER = np.array([255, 255, 255, 0], dtype=np.uint8)  # transparent: the network has no such layer


def _bar_outlines(heights):
    """One rectangle (4 corners) per weight matrix k = 1..L, width 0.8, from the bottom of the scale.

    Heights are limited to the scale, so a huge gradient draws a full-height bar.
    """
    lo, hi = NORM_RANGE
    top = np.clip(heights, lo, hi * 1.01)  # (L,)
    x = np.arange(1, len(top) + 1)  # (L,)
    xs = np.stack([x - 0.4, x - 0.4, x + 0.4, x + 0.4], axis=1)  # (L, 4)
    ys = np.stack([np.full_like(top, lo), top, top, np.full_like(top, lo)], axis=1)  # (L, 4)
    return np.stack([xs, ys], axis=2)  # (L, 4, 2)


def _heat_colors(heat):
    """(epochs, L) norms -> (L, epochs, 4) uint8 colours, layer 1 in row 0 (bottom).

    The log colour scale spans NORM_RANGE, like the colour bar; values outside it get its end colours.
    """
    epochs, n_layers = heat.shape
    out = np.empty((n_layers, epochs, 4), dtype=np.uint8)
    lo, hi = np.log10(NORM_RANGE)
    with np.errstate(divide="ignore", invalid="ignore"):
        level = (np.log10(heat.T) - lo) / (hi - lo)  # (L, epochs) in [0, 1] inside the range
    index = (np.clip(np.nan_to_num(level, nan=0.0), 0.0, 1.0) * 255).astype(np.intp)
    out[:n_layers] = np.where(np.isnan(heat.T)[..., None], _NO_EPOCH, _VIRIDIS[index])
    return out


class GradientFlowExplorer(Explorer):
    """See ``gradient_flow_explorer``. Controls: depth_slider, activation_dropdown, init_dropdown,
    clip_checkbox, residual_checkbox, batchnorm_checkbox. After every change: ``norms`` (L,),
    ``ratio`` (first / last layer), ``history`` (the training run) and ``heatmap`` (epochs, L).
    """

    text_plain = "<gradient-flow explorer: run the notebook to interact>"

    def __init__(self, depth=10, activation="sigmoid", init="normal"):
        check_choice(activation, ("sigmoid", "tanh", "relu", "leaky_relu"), "activation")
        check_choice(init, INIT_CHOICES, "init")
        notes = []
        depth = start_value(depth, (1, MAX_DEPTH), 10, "depth", notes, integer=True)
        self.X, self.y = moons(n=100, noise=0.1)
        # setting -> (norms, total, History); the settings one control away are computed in a
        # background thread while the learner looks (Precomputer)
        self.precomputer = Precomputer()
        self.depth_slider = int_slider("hidden layers", depth, 1, MAX_DEPTH, continuous_update=False)
        self.activation_dropdown = dropdown("activation", ["sigmoid", "tanh", "relu", "leaky_relu"], activation)
        self.init_dropdown = dropdown("init", [(label, key) for key, (label, _, _) in INIT_CHOICES.items()], init)
        self.clip_checkbox = checkbox(f"clip gradients (total norm ≤ {CLIP_NORM:g})")
        self.residual_checkbox = checkbox("residual connections")
        self.batchnorm_checkbox = checkbox("batch normalization")

        self.fast = FastFigure(width_ratios=[1.0, 1.1])
        self._setup_bars(self.fast.axes[0])
        self._setup_heatmap(self.fast.axes[1])
        self._cache_depth_axes()
        self._note = " ".join(notes)
        controls = [
            self.depth_slider,
            self.activation_dropdown,
            self.init_dropdown,
            self.clip_checkbox,
            self.residual_checkbox,
            self.batchnorm_checkbox,
        ]
        self._finish(controls, rows=[controls[:3], controls[3:]])

    def _setup_bars(self, ax):
        # Bars are PolyCollections (one draw call each), not 31 Rectangles. The axes fit the
        # depth; their ticks are kept per depth (_cache_depth_axes).
        self.ghosts = self.fast.animate(
            ax.add_collection(PolyCollection([], facecolors="none", edgecolors="0.35", linestyles="--", linewidths=0.8))
        )
        self.bars = self.fast.animate(
            ax.add_collection(PolyCollection([], facecolors=PALETTE["blue"], edgecolors="none"))
        )
        self.output_bar = self.fast.animate(
            ax.add_collection(
                PolyCollection([], facecolors=PALETTE["blue"], edgecolors="black", hatch="///", linewidths=0.6)
            )
        )
        self.off_scale = self.fast.animate(
            ax.plot([], [], "^", color=PALETTE["vermillion"], ms=8, mec="black", mew=0.5, zorder=5)[0]
        )
        ax.set_yscale("log")
        ax.set_ylim(*NORM_RANGE)
        ax.set_xlabel("weight matrix Wₖ (k = 1: input side)")  # the hatched bar is the output layer
        ax.set_ylabel(RMS_LABEL)
        ax.set_title("after one backward pass", fontsize="medium")
        self.bar_legend = ax.legend(
            handles=[
                Patch(facecolor=PALETTE["blue"], label="hidden layer"),
                Patch(facecolor=PALETTE["blue"], edgecolor="black", hatch="///", label="output layer"),
            ],
            loc="upper left",
            fontsize="small",
            frameon=True,
            framealpha=0.9,
            ncols=2,
        )
        self._bar_legend_pixels = self.fast.animate(CachedPixels(self.bar_legend, key=lambda: self._clipped), at=0)
        self._clipped = False

    def _setup_heatmap(self, ax):
        self.heat_image = self.fast.animate(PixelImage(ax))
        ax.set_xlim(0.5, EPOCHS + 0.5)
        ax.set_xlabel("epoch")
        ax.set_ylabel("weight matrix Wₖ")
        mappable = ScalarMappable(norm=LogNorm(*NORM_RANGE), cmap="viridis")
        self.fast.figure.colorbar(mappable, ax=ax, label=RMS_LABEL, fraction=0.06, pad=0.02)
        ax.legend(
            handles=[Patch(facecolor=_NO_EPOCH[:3] / 255, edgecolor="0.5", label="training had stopped (diverged)")],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.16),
            fontsize="small",
            frameon=False,
            borderaxespad=0,
        )
        ax.set_title(f"during training ({EPOCHS} epochs, SGD, α = {LR})", fontsize="medium")

    def _cache_depth_axes(self):
        """The two axes whose ticks follow the depth are animated, their pixels kept per depth.

        Everything else is one static background for every depth: a new depth draws two axes
        (~15 ms the first time, then a copy), not the whole figure (~50-100 ms, plus two more
        for the neighbouring depths drawn ahead, which is what a first visit used to cost).
        """
        bars, heat = self.fast.axes
        depth = lambda: int(self.depth_slider.value)  # noqa: E731 - the look of both axes
        self.fast.animate(
            CachedPixels(bars.xaxis, key=depth, extent=lambda r: _outside(bars, bars.xaxis, r, "bottom")),
            CachedPixels(heat.yaxis, key=depth, extent=lambda r: _outside(heat, heat.yaxis, r, "left")),
            at=0,
        )

    def _fit_axes(self, depth):
        """Both panels show exactly the depth + 1 weight matrices of the network."""
        n = depth + 1
        step = 1 if n <= 12 else (2 if n <= 20 else 5)
        ticks = [k for k in range(1, n + 1) if k == 1 or k % step == 0 or k == n]
        if len(ticks) > 2 and ticks[-1] - ticks[-2] < step:
            ticks.pop(-2)  # "30, 31" would collide
        bars, heat = self.fast.axes
        bars.set_xlim(0.4, n + 0.6)
        bars.set_xticks(ticks, [str(k) for k in ticks])
        heat.set_ylim(0.5, n + 0.5)
        heat.set_yticks(ticks, [str(k) for k in ticks])

    def update(self):
        depth = int(self.depth_slider.value)
        activation, init = self.activation_dropdown.value, self.init_dropdown.value
        bn, res, clip = self.batchnorm_checkbox.value, self.residual_checkbox.value, self.clip_checkbox.value
        n_layers = depth + 1  # Linear layers: depth hidden ones + the output layer

        self._fit_axes(depth)
        setting = (depth, activation, init, bn, res, clip)
        self.norms, total, history = self.precomputer.get(setting, lambda: self._compute(*setting))
        self._precompute_neighbours(setting)
        clipped = bool(clip and math.isfinite(total) and total > CLIP_NORM)
        # clip_grad_norm scaled every gradient by CLIP_NORM / total: the bars before clipping
        raw = self.norms * (total / CLIP_NORM) if clipped else self.norms
        with np.errstate(divide="ignore", invalid="ignore"):
            self.ratio = float(self.norms[0] / self.norms[-1])

        lo, hi = NORM_RANGE
        shown = np.nan_to_num(self.norms, nan=lo, posinf=hi * 10, neginf=lo)
        outlines = _bar_outlines(shown)
        color = PALETTE["orange"] if clipped else PALETTE["blue"]
        self.bars.set_verts(outlines[:-1])
        self.output_bar.set_verts(outlines[-1:])
        self.bars.set_facecolor(color)
        self.output_bar.set_facecolor(color)
        self._clipped = clipped
        for patch in self.bar_legend.get_patches():
            patch.set_facecolor(color)
        self.ghosts.set_verts(_bar_outlines(np.nan_to_num(raw, nan=lo, posinf=hi * 10)) if clipped else [])
        over = np.flatnonzero(shown > hi)
        self.off_scale.set_data(over + 1, np.full(over.size, hi / 4))

        self.history = history
        heat = np.full((EPOCHS, n_layers), np.nan)
        # train() records Frobenius norms ‖∂E/∂W‖ (before clipping): per-entry rms like the bars
        heat[: history.epochs_run] = history.grad_norms / np.sqrt(_sizes(depth))
        self.heatmap = heat
        self.heat_image.set_data(_heat_colors(heat))
        return self._status(total, clip, clipped, over.size)

    def _compute(self, depth, activation, init, bn, res, clip):
        """(rms norms (L,), total norm, History) for one setting; fresh seeded models, any thread."""
        model = _model(depth, activation, init, bn, res)
        norms, total = gradient_norms(model, self.X, self.y, clip=CLIP_NORM if clip else None)
        history = train(
            _model(depth, activation, init, bn, res),
            self.X,
            self.y,
            loss="bce",
            lr=LR,
            epochs=EPOCHS,
            clip=CLIP_NORM if clip else None,
            callbacks=[self.precomputer.pause_point],  # in the background: the learner's change goes first
        )
        return norms, total, history

    def _precompute_neighbours(self, setting):
        depth, activation, init, bn, res, clip = setting
        near = [
            (depth + 1, activation, init, bn, res, clip),
            (depth - 1, activation, init, bn, res, clip),
            (depth, activation, init, bn, res, not clip),
            (depth, activation, init, bn, not res, clip),
            (depth, activation, init, not bn, res, clip),
        ]
        inits = list(INIT_CHOICES)
        near.append((depth, activation, inits[(inits.index(init) + 1) % len(inits)], bn, res, clip))
        for key in near:
            if 1 <= key[0] <= MAX_DEPTH:
                self.precomputer.want(key, lambda k=key: self._compute(*k))

    def _status(self, total, clip, clipped, n_over):
        depth = len(self.norms) - 1
        parts = [
            f"{depth} hidden layer{'s' if depth != 1 else ''} + the output layer = {depth + 1} weight matrices;",
            f"first/last rms gradient ratio: {self.ratio:.2g}",
        ]
        if self.ratio < 1e-2:
            parts.append("(vanishing: layer 1 barely learns)")
        elif self.ratio > 1e2:
            parts.append("(exploding toward the input)")
        largest = float(np.nanmax(self.norms)) if np.any(np.isfinite(self.norms)) else math.inf
        if largest > 1e3:
            parts.append(f"· largest gradient {largest:.2g}: exploding")
        if clip:
            parts.append(
                f"· clipping scaled the total norm {total:.3g} down to {CLIP_NORM:g}"
                if clipped
                else f"· total norm {total:.3g} ≤ {CLIP_NORM:g}: nothing to clip"
            )
        if n_over:
            parts.append("· ▲ marks bars off the top of the scale")
        if self.history.diverged_at is not None:
            parts.append(f"· training diverged at epoch {self.history.diverged_at}")
        return " ".join(parts)


def gradient_flow_explorer(depth=10, activation="sigmoid", init="normal"):
    """Watch gradients vanish or explode with depth, and the fixes (notebook 07).

    depth      -- hidden layers (1 .. 30) of 16 units; the network has depth + 1 Linear layers,
                  and both panels show all of them (the last bar, hatched, is the output layer).
    activation -- "sigmoid", "tanh", "relu" or "leaky_relu".
    init       -- "normal" (std 1), "xavier", "he" or "large" (normal, std 3).
    Returns a GradientFlowExplorer; controls ``.depth_slider``, ``.activation_dropdown``,
    ``.init_dropdown``, ``.clip_checkbox``, ``.residual_checkbox``, ``.batchnorm_checkbox``;
    after a change ``.norms`` (rms per weight, (depth + 1,)), ``.ratio`` (first / last) and
    ``.heatmap`` (epochs, depth + 1) hold the numbers.
    """
    return GradientFlowExplorer(depth=depth, activation=activation, init=init)
