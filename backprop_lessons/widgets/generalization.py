"""The generalization explorer of notebook 09: overfitting, L2 regularization and dropout.

A fixed-seed network is trained on the first n points of a noisy two-moons
training pool and judged on a separate validation set it never trains on.
Three controls: the training-set size n, the L2 strength λ (weight decay) and
the dropout rate p. Left: training and validation loss per epoch (log scale),
with the epoch of the lowest validation loss marked (where early stopping
would stop). Right: the decision boundary, with the training points.

Every setting is trained once and cached, so going back is instant. What the
defaults show (n = 30, λ = 0, p = 0): the training loss falls towards 0 while
the validation loss bottoms out early and then climbs, and the boundary bends
around single noisy points. More data, a larger λ or a larger p each calm it down.

The losses plotted are the data loss alone (binary cross-entropy): the L2
penalty ½ λ Σ W² is left out of both curves, so they compare fits, not
penalties. The training loss is measured during training, with dropout active.
"""

import math
from types import SimpleNamespace

import ipywidgets as widgets
import numpy as np

from backprop_lessons.data import moons
from backprop_lessons.layers import mlp
from backprop_lessons.plots import CLASS_MARKERS, PALETTE, decision_grid, decision_rgb
from backprop_lessons.training import predict, train
from backprop_lessons.widgets._background import Precomputer
from backprop_lessons.widgets._canvas import (
    Explorer,
    FastFigure,
    PixelImage,
    float_slider,
    int_slider,
    start_value,
)

__all__ = ["generalization_explorer", "GeneralizationExplorer", "L2_CHOICES", "SIZE_RANGE", "problem"]

SIZE_RANGE = (10, 200)  # training-set size slider (step 10)
L2_CHOICES = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)
DROPOUT_RANGE = (0.0, 0.6)
HIDDEN, EPOCHS, LR = (32, 32), 150, 0.02  # the network and its (full-batch, Adam) training run
NOISE = 0.3  # moons noise: the classes overlap, so a perfect training fit must be memorizing
_GRID = 60  # model outputs on a 60 x 60 grid, smoothed to screen pixels
LOSS_YLIM = (1e-4, 5.0)


def problem():
    """The data: a training pool X (200, 2), y (200,) and a validation set (200, 2), (200,).

    Both are noisy moons from different seeds, so the validation points are new
    points from the same distribution. The rows come shuffled, so the first n of
    the pool contain both classes.
    """
    X_pool, y_pool = moons(n=SIZE_RANGE[1], noise=NOISE, rng=1)
    X_val, y_val = moons(n=200, noise=NOISE, rng=2)
    return X_pool, y_pool, X_val, y_val


def train_setting(n, l2, p, data=None, callbacks=()):
    """Train the explorer's network for one setting; returns (model, History).

    n -- training points (the first n of the pool); l2 -- λ; p -- dropout rate;
    callbacks -- passed to ``train`` (the explorer's: pause while a learner's change is drawn).
    Seeds are fixed (weights, dropout masks), so a setting always gives the same result.
    """
    X_pool, y_pool, X_val, y_val = data if data is not None else problem()
    model = mlp([2, *HIDDEN, 1], activation="tanh", init="xavier", rng=0, dropout=p)
    history = train(
        model,
        X_pool[:n],
        y_pool[:n],
        loss="bce",
        optimizer="adam",
        lr=LR,
        l2=l2,
        epochs=EPOCHS,
        X_val=X_val,
        y_val=y_val,
        callbacks=callbacks,
    )
    return model, history


class GeneralizationExplorer(Explorer):
    """See ``generalization_explorer``. Controls: size_slider, l2_slider, dropout_slider.

    After every change: ``result`` for the current setting (train_loss and val_loss arrays,
    best_epoch, train_acc, val_acc, rgb: the (60, 60, 3) boundary colours); ``cache`` maps
    (n, λ, p) to results; ``trained_last`` says whether the last change had to train
    (False: it came from the cache).
    """

    text_plain = "<generalization explorer: run the notebook to interact>"

    def __init__(self, n=30, l2=0.0, dropout=0.0):
        notes = []
        n = self._start_n(n, notes)
        l2 = self._start_l2(l2, notes)
        dropout = start_value(dropout, DROPOUT_RANGE, 0.0, "dropout rate p", notes)
        self._note = " ".join(notes)
        self.data = problem()
        X_pool, _, X_val, _ = self.data
        # (n, λ, p) -> result; after each change a background thread trains the settings one
        # slider step away (what a learner tries next), so that change costs no training
        self.precomputer = Precomputer()
        self.cache = self.precomputer.results
        self.trained_last = None

        # continuous_update=False: a new setting trains a network (~0.1 s), so the sliders
        # act when released instead of on every pixel of a drag.
        self.size_slider = int_slider("training points n", n, *SIZE_RANGE, continuous_update=False)
        self.size_slider.step = 10
        # A selection slider: λ = 0 (no decay) must be one of the choices, which a log slider cannot offer.
        self.l2_slider = widgets.SelectionSlider(
            options=[(f"{v:g}", v) for v in L2_CHOICES],
            value=l2,
            description="L2 strength λ",
            style={"description_width": "initial"},
            continuous_update=False,
        )
        self.dropout_slider = float_slider(
            "dropout rate p", dropout, *DROPOUT_RANGE, step=0.1, readout_format=".1f", continuous_update=False
        )

        self.fast = FastFigure(width=820, height=340, ncols=2, width_ratios=[1.0, 0.95])
        self.loss_ax, self.boundary_ax = self.fast.axes
        self.fast.max_backgrounds = 1
        self._setup_loss_panel()
        self.grid, extent = decision_grid(np.vstack([X_pool, X_val]), resolution=_GRID)
        self._setup_boundary_panel(extent)
        self._finish([self.size_slider, self.l2_slider, self.dropout_slider])

    # ---- start values (clamped, with a note, like the sliders would): see _canvas.start_value
    @staticmethod
    def _start_n(n, notes):
        value = start_value(n, SIZE_RANGE, 30, "training points n", notes, integer=True)
        on_grid = int(round(value / 10) * 10)  # the slider's step is 10
        if on_grid != value:
            notes.append(f"training points n = {n!r} is not on the slider; using {on_grid}.")
        return on_grid

    @staticmethod
    def _start_l2(l2, notes):
        value = start_value(l2, (0.0, L2_CHOICES[-1]), 0.0, "L2 strength λ", notes)
        nearest = min(L2_CHOICES, key=lambda c: abs(math.log10(c + 1e-5) - math.log10(value + 1e-5)))
        if nearest != value:
            notes.append(f"L2 strength λ = {l2!r} is not on the slider; using {nearest:g}.")
        return nearest

    # ---- static parts
    def _setup_loss_panel(self):
        ax = self.loss_ax
        ax.set_yscale("log")
        ax.set_xlim(0, EPOCHS + 1)
        ax.set_ylim(*LOSS_YLIM)
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss E (cross-entropy)")
        ax.set_title("training and validation loss (log scale)", fontsize="medium")
        self.train_line = self.fast.animate(ax.plot([], [], color=PALETTE["blue"], lw=2.0, label="training")[0])
        self.val_line = self.fast.animate(ax.plot([], [], "--", color=PALETTE["orange"], lw=2.2, label="validation")[0])
        self.best_line = self.fast.animate(ax.axvline(1, color="0.35", ls=":", lw=1.3, label="lowest validation loss"))
        (self.best_marker,) = ax.plot([], [], "o", color=PALETTE["orange"], mec="black", ms=7, zorder=6)
        self.fast.animate(self.best_marker)
        ax.legend(loc="lower left", frameon=True, framealpha=0.9, fontsize="small")

    def _setup_boundary_panel(self, extent):
        ax = self.boundary_ax
        self.boundary_image = self.fast.animate(PixelImage(ax, smooth=True))
        self.points = []
        for k in range(2):
            scatter = ax.scatter(
                [],
                [],
                s=24,
                color=[PALETTE["blue"], PALETTE["orange"]][k],
                marker=CLASS_MARKERS[k],
                edgecolors="black",
                linewidths=0.5,
                zorder=3,
            )
            self.points.append(self.fast.animate(scatter))
        ax.set_xlim(extent[:2])
        ax.set_ylim(extent[2:])
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        ax.set_title("decision boundary and the training points", fontsize="medium")

    # ---- training (cached)
    def setting(self):
        """The current (n, λ, p), rounded the way the cache keys them."""
        n = int(round(self.size_slider.value / 10) * 10)
        n = min(max(n, SIZE_RANGE[0]), SIZE_RANGE[1])
        p = round(float(self.dropout_slider.value), 2)
        return n, float(self.l2_slider.value), p

    def trained(self, n, l2, p):
        """The result for a setting: trained on first use (or in the background beforehand), then cached."""
        key = (n, l2, p)
        self.trained_last = key not in self.cache
        return self.precomputer.get(key, lambda: self._train(n, l2, p))

    def _train(self, n, l2, p):
        # fresh, seeded: any thread, same result; in the background the learner's change goes first
        model, history = train_setting(n, l2, p, self.data, callbacks=[self.precomputer.pause_point])
        val = np.asarray(history.val_loss, dtype=np.float64)
        rgb = decision_rgb(predict(model, self.grid), (_GRID, _GRID))
        return SimpleNamespace(
            train_loss=np.asarray(history.data_loss, dtype=np.float64),  # without the L2 penalty
            val_loss=val,
            best_epoch=int(np.argmin(val)) + 1,
            train_acc=float(history.train_acc[-1]),
            val_acc=float(history.val_acc[-1]),
            rgb=rgb,
            screen=None,  # rgb resized to the panel's pixels, filled in on first display
        )

    def _precompute_neighbours(self, n, l2, p):
        """Queue the settings one step away on each slider, nearest first."""
        i = L2_CHOICES.index(l2)
        for key in [
            (n + 10, l2, p),
            (n - 10, l2, p),
            (n, L2_CHOICES[min(i + 1, len(L2_CHOICES) - 1)], p),
            (n, L2_CHOICES[max(i - 1, 0)], p),
            (n, l2, round(p + 0.1, 2)),
            (n, l2, round(p - 0.1, 2)),
        ]:
            kn, kl, kp = key
            if SIZE_RANGE[0] <= kn <= SIZE_RANGE[1] and DROPOUT_RANGE[0] <= kp <= DROPOUT_RANGE[1] + 1e-9:
                self.precomputer.want(key, lambda k=key: self._train(*k))

    def update(self):
        n, l2, p = self.setting()
        self.result = r = self.trained(n, l2, p)
        epochs = np.arange(1, len(r.train_loss) + 1)
        lo, hi = LOSS_YLIM
        self.train_line.set_data(epochs, np.clip(r.train_loss, lo, hi))
        self.val_line.set_data(epochs, np.clip(r.val_loss, lo, hi))
        self.best_line.set_xdata([r.best_epoch, r.best_epoch])
        self.best_marker.set_data([r.best_epoch], [np.clip(r.val_loss[r.best_epoch - 1], lo, hi)])
        if r.screen is None:
            self.boundary_image.set_data(r.rgb)  # smooth 60 x 60 -> screen pixels (~10 ms), once per setting
            r.screen = self.boundary_image.get_array()
        else:
            self.boundary_image.set_data(r.screen)  # already screen-sized uint8 RGBA: copied as it is
        X_pool, y_pool = self.data[0][:n], self.data[1][:n]
        for k, scatter in enumerate(self.points):
            scatter.set_offsets(X_pool[y_pool == k])
        self._precompute_neighbours(n, l2, p)
        return self._status(n, l2, p, r)

    def _status(self, n, l2, p, r):
        best = float(r.val_loss[r.best_epoch - 1])
        last = float(r.val_loss[-1])
        text = (
            f"n = {n}, λ = {l2:g}, p = {p:g}: training loss {r.train_loss[-1]:.3g}, validation loss {last:.3g} "
            f"(lowest {best:.3g} at epoch {r.best_epoch}); accuracy: training {r.train_acc:.0%}, "
            f"validation {r.val_acc:.0%}."
        )
        if last > 1.2 * best and r.best_epoch < EPOCHS:
            text += f" Overfitting: the validation loss rose after epoch {r.best_epoch}."
        return text


def generalization_explorer(n=30, l2=0.0, dropout=0.0):
    """Explore overfitting and its cures (notebook 09): data size, L2 and dropout.

    n       -- training-set size (slider 10 .. 200, step 10): the first n points of a noisy
               two-moons pool (noise 0.3); validation: 200 other points from the same moons.
    l2      -- L2 strength λ (weight decay), one of 0, 1e-4, 3e-4, ..., 0.1.
    dropout -- dropout rate p after each hidden layer (slider 0 .. 0.6).
    The network: 2-32-32-1 tanh (Xavier init, seed 0), Adam α = 0.02, 150 full-batch epochs.
    Each setting trains once when first chosen (a fraction of a second: the sliders act on
    release) and is cached, so revisiting is instant.
    Returns a GeneralizationExplorer: display it; controls ``.size_slider``, ``.l2_slider``,
    ``.dropout_slider``; after each change ``.result`` holds the curves and accuracies.
    """
    return GeneralizationExplorer(n=n, l2=l2, dropout=dropout)
