"""The learning-rate explorer of notebook 05: too small crawls, too large diverges.

Every change of the learning rate α, the number of epochs or the optimizer
re-trains from the SAME starting point, so the only difference between two
pictures is the setting the learner changed. Left: the loss per epoch (log
scale). Right, for problem="surface": the path of (w, b) on the loss surface
E(w, b) of a line fit to ``data.line()``; for problem="boundary": the
decision boundary a small network learned on ``data.moons()``.

On the surface problem plain gradient descent shows four regimes (SGD, 30
epochs, from (w, b) = (-1.5, 2.5)); the steepest curvature of the surface is
λmax ≈ 2.01, so steps are stable only for α < 2/λmax ≈ 0.996 (see ``regime``):

    α ≈ 1e-4 – 0.01   crawling     the loss barely moves (E 7.45 -> 6.95 at α = 0.001)
    α ≈ 0.02 – 0.5    good         a smooth slide into the valley (E 0.088 at α = 0.1)
    α = 0.9           oscillating  the path zig-zags across the valley (b overshoots)
    α ≥ 1             diverging    each step overshoots more; from α ≈ 1.1 train() stops early

The α slider runs over the 1-2-3-5 grid (0.0001, 0.0002, 0.0003, 0.0005, 0.001, …, 5, 10)
plus 0.9, the one grid value that oscillates, so a value set in code is the value shown.
"""

import math

import numpy as np

from backprop_lessons._checks import check_choice
from backprop_lessons.data import line, moons
from backprop_lessons.layers import Linear, Sequential, mlp
from backprop_lessons.optim import OPTIMIZERS
from backprop_lessons.plots import (
    PALETTE,
    decision_grid,
    decision_rgb,
    divergence_point,
    plot_data,
    plot_loss_surface_2d,
)
from backprop_lessons.training import predict, train
from backprop_lessons.widgets._canvas import (
    CachedPixels,
    Explorer,
    FastFigure,
    PixelImage,
    button,
    dropdown,
    int_slider,
    log_slider,
    start_value,
)

__all__ = ["learning_rate_explorer", "LearningRateExplorer", "regime", "surface_problem"]

LR_RANGE = (1e-4, 10.0)  # the slider: the 1-2-3-5 grid from 10**-4 to 10**1 ...
LR_EXTRA = (0.9,)  # ... plus 0.9: between 2/λmax / 2 and 2/λmax, where SGD oscillates
# The loss panel's x axis ends at the first of these >= epochs: a new epochs value redraws the
# static background (contours: ~100 ms) only when it crosses one, and then only once.
_EPOCH_AXES = (10, 20, 30, 50, 100, 150, 200)
EPOCH_RANGE = (1, 200)
MAX_KEPT = 5
_BOUNDARY_GRID = 40  # model outputs per axis on the boundary panel (bilinear to screen pixels)
SURFACE_START = (-1.5, 2.5)  # (w0, b0): far from the minimum (≈ (2, 0.5)) in both directions
SURFACE_XLIM, SURFACE_YLIM = (-2.5, 5.0), (-2.0, 3.5)
# Kept runs: palette colours except blue (the current run) and vermillion (divergence marks).
_KEPT_COLORS = [PALETTE[name] for name in ("orange", "bluish_green", "reddish_purple", "sky_blue", "black")]


# ----------------------------------------------------------------- the problems
def surface_problem():
    """The line fit of notebook 02: X (N, 1), y (N, 1), the loss E(w, b) and its 2/λmax.

    E(w, b) = mean over n of (w x_n + b - y_n)^2 is a quadratic bowl; its Hessian is
    2 [[mean x², mean x], [mean x, 1]], and gradient descent with step α is stable
    exactly when α < 2/λmax (λmax = the Hessian's largest eigenvalue).
    Returns (X, y, E, critical_lr), E vectorized over arrays w, b of any (equal) shape.
    """
    X, y = line()
    x, t = X[:, 0], y[:, 0]  # (N,)

    def E(w, b):
        w, b = np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
        residual = w[..., None] * x + b[..., None] - t  # (..., N)
        return np.mean(residual**2, axis=-1)

    hessian = 2.0 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    critical_lr = 2.0 / float(np.linalg.eigvalsh(hessian).max())
    return X, y, E, critical_lr


def regime(history, path=None):
    """Name what a whole run did: "diverging", "crawling", "oscillating" or "good".

    Decided from the whole loss curve (and the path), not from its last step:
    diverging   -- training stopped (diverged_at), a loss is not finite, the run ends above
                   where it started, or it climbs in its second half: it ends above 1.5 x its
                   lowest loss and either rose in more than 3 of 4 epochs of the second half
                   (α just above 2/λmax) or its last quarter's mean is over 2 x the quarter before;
    crawling    -- even the lowest loss of the run is above half the first one;
    oscillating -- the loss went UP in more than a quarter of the epochs of the second half
                   (it bounces instead of settling), or (with a path (T, 2)) most consecutive
                   steps point backwards (cosine < -0.5): the zig-zag of a too-large α;
    good        -- anything else: the loss fell by more than half and settles.
    """
    losses = np.asarray(history.epoch_loss, dtype=np.float64)
    if history.diverged_at is not None or not np.all(np.isfinite(losses)) or losses[-1] > losses[0]:
        return "diverging"
    n = len(losses)
    second = losses[n // 2 :]
    ups = np.diff(second) > 1e-3 * np.abs(second[:-1])  # rose this epoch (float noise ignored)
    if n >= 8 and losses[-1] > 1.5 * losses.min():
        q = n // 4
        if np.mean(ups) > 0.75 or losses[-q:].mean() > 2.0 * losses[-2 * q : -q].mean():
            return "diverging"  # slowly: the loss first falls, then climbs
    if losses.min() > 0.5 * losses[0]:
        return "crawling"
    if len(second) >= 4 and np.mean(ups) > 0.25:
        return "oscillating"  # it bounces instead of settling
    if path is not None and len(path) >= 4:
        steps = np.diff(np.asarray(path, dtype=np.float64), axis=0)  # (T-1, 2)
        size = np.linalg.norm(steps, axis=1)
        moving = size > 1e-3 * size.max()  # ignore steps once the run has settled
        a, b = steps[:-1], steps[1:]
        both = moving[:-1] & moving[1:]
        if both.sum() >= 3:
            cos = np.einsum("ij,ij->i", a, b)[both] / (size[:-1][both] * size[1:][both])
            if np.mean(cos < -0.5) > 0.5:
                return "oscillating"
    return "good"


_SHORT = {"sgd": "", "momentum": "mom. ", "adam": "Adam "}


def _run_label(lr, optimizer, epochs):
    """'α=0.3', 'mom. α=0.9', 'Adam α=0.1, 50 ep.': unique per (α, optimizer, epochs)."""
    name = _SHORT.get(optimizer, f"{optimizer} ")
    return f"{name}α={lr:g}" + ("" if epochs == 30 else f", {epochs} ep.")


# ------------------------------------------------------------------- explorer
class LearningRateExplorer(Explorer):
    """See ``learning_rate_explorer``. Controls: lr_slider, epochs_slider, optimizer_dropdown,
    keep_button, clear_button. After every change: ``history`` (the current run's History),
    ``final_loss``, ``path`` ((T, 2) array of (w, b), surface problem only) and ``regime``.
    """

    panels = [[0], [1, 2]]  # the loss curve | the legend (of both panels) and the surface or boundary
    text_plain = "<learning-rate explorer: run the notebook to interact>"

    def __init__(self, problem="surface", lr=0.1, epochs=30, optimizer="sgd"):
        check_choice(problem, ("surface", "boundary"), "problem")
        check_choice(optimizer, OPTIMIZERS, "optimizer")
        self.problem = problem
        notes = []
        lr = start_value(lr, LR_RANGE, 0.1, "learning rate", notes, positive=True)
        epochs = start_value(epochs, EPOCH_RANGE, 30, "epochs", notes, integer=True)
        self.kept = []  # [(label, loss Line2D, path Line2D or None)]

        self.lr_slider = log_slider("learning rate α", lr, *LR_RANGE, extra=LR_EXTRA)
        if self.lr_slider.value != lr:
            notes.append(f"learning rate {lr:g} is not on the slider's grid; using {self.lr_slider.value:g}.")
        self.epochs_slider = int_slider("epochs", epochs, *EPOCH_RANGE)
        self.optimizer_dropdown = dropdown("optimizer", list(OPTIMIZERS), optimizer)
        self.keep_button = button("Keep this run", "overlay this run so the next one can be compared with it")
        self.clear_button = button("Clear", "remove the kept runs")
        self.keep_button.on_click(lambda _: self.keep())
        self.clear_button.on_click(lambda _: self.clear())

        # Two panels with a legend column between them: the legend never covers a curve.
        self.fast = FastFigure(ncols=3, width_ratios=[1.0, 0.4, 1.0])
        self.loss_ax, self.legend_ax, self.right_ax = self.fast.axes
        self.legend_ax.set_axis_off()
        if problem == "surface":
            self._setup_surface()
        else:
            self._setup_boundary()
        self._setup_loss_panel()
        self._note = " ".join(notes)
        controls = [self.lr_slider, self.epochs_slider, self.optimizer_dropdown, self.keep_button, self.clear_button]
        self._finish(controls)

    # ---- problem set-up (static parts drawn once)
    def _setup_surface(self):
        self.X, self.y, self.E, self.critical_lr = surface_problem()
        ax = self.right_ax
        d = plot_loss_surface_2d(self.E, SURFACE_XLIM, SURFACE_YLIM, ax=ax, levels=14)
        w_best, b_best = np.linalg.lstsq(
            np.column_stack([self.X[:, 0], np.ones(len(self.X))]), self.y[:, 0], rcond=None
        )[0]
        ax.plot([w_best], [b_best], "+", color="black", ms=10, mew=1.5, zorder=4)
        ax.plot(*SURFACE_START, "o", ms=8, mfc="white", mec=PALETTE["blue"], mew=2, zorder=6)
        ax.set_title("path of (w, b) on the loss surface E(w, b)", fontsize="medium")
        self.loss_floor = float(d.Z.min())
        color = PALETTE["blue"]
        self.path_line = self.fast.animate(ax.plot([], [], "o-", color=color, ms=3.5, lw=1.4, zorder=7)[0])
        self.end_marker = self.fast.animate(ax.plot([], [], "*", ms=14, color=color, mec="black", mew=0.6, zorder=8)[0])
        self.first_loss = float(self.E(*SURFACE_START))

    def _setup_boundary(self):
        self.X, self.y = moons(n=200, noise=0.15)
        self.critical_lr = None
        self.grid, self.extent = decision_grid(self.X, resolution=_BOUNDARY_GRID)
        ax = self.right_ax
        # Model outputs on a coarse grid, smoothed to screen pixels (no imshow resampling).
        self.boundary_image = self.fast.animate(PixelImage(ax, smooth=True))
        points = plot_data(self.X, self.y, ax=ax).points
        ax.get_legend().remove()
        for p in points:
            self.fast.animate(p)  # drawn after (above) the image
        ax.set_xlim(self.extent[:2])
        ax.set_ylim(self.extent[2:])
        ax.set_title("decision boundary after training", fontsize="medium")
        self.loss_floor = 1e-2
        self.first_loss = math.log(2.0)  # BCE of a net that starts near 50/50
        self.path_line = self.end_marker = None

    def _setup_loss_panel(self):
        ax = self.loss_ax
        # Fixed limits so the axes are cached: from below the best possible loss up to
        # where train() calls a run diverged (1e4 times the first loss).
        bottom = 10.0 ** math.floor(math.log10(self.loss_floor * 0.5))
        top = 10.0 ** math.ceil(math.log10(self.first_loss * 1e4))
        ax.set_yscale("log")
        ax.set_ylim(bottom, top)
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss E (log scale)")
        # Static title: every glyph matplotlib draws costs ~0.3 ms, so changing text (the
        # current α) goes to the status line and the slider readout, not into the picture.
        ax.set_title("loss per epoch", fontsize="medium")
        self.loss_top = top
        self.loss_line = self.fast.animate(ax.plot([], [], color=PALETTE["blue"], lw=2.2, zorder=5)[0])
        self.div_marker = self.fast.animate(
            ax.plot([], [], "x", color=PALETTE["vermillion"], ms=12, mew=2.8, zorder=6, clip_on=False)[0]
        )
        self.div_marker.set_in_layout(False)  # unclipped (a × at the edge shows whole): keep it out of the layout
        self.div_text = self.fast.animate(
            # Beside the ×, at its height: the curve comes from below, the space beside it is free.
            ax.annotate(
                "", xy=(1, 1), xytext=(12, 0), textcoords="offset points", va="center", color=PALETTE["vermillion"]
            )
        )
        self._make_legend()

    def _make_legend(self):
        """Legend in its own column: the current run first, then the kept ones.

        Animated, and its pixels cached per look (CachedPixels): keeping or clearing a run
        redraws no static background.
        """
        if getattr(self, "legend", None) is not None:
            self.legend.remove()
        handles = [self.loss_line] + [line for _, line, _ in self.kept]
        # "Adam α=0.002, 200 ep." on two lines: the legend stays clear of the right panel's y label
        labels = ["this run"] + [label.replace(", ", "\n") for label, _, _ in self.kept]
        self.legend = self.legend_ax.legend(
            handles,
            labels,
            loc="center left",
            bbox_to_anchor=(0.12, 0.5),  # clear of the loss panel's last tick label ("200"): the cut is here
            frameon=False,
            fontsize="small",
            handlelength=1.2,
            borderaxespad=0,
            title=f"kept: {len(self.kept)} of {MAX_KEPT}" if self.kept else None,
            title_fontsize="small",
        )
        self.legend.set_animated(True)
        if getattr(self, "_legend_pixels", None) is None:
            self._legend_pixels = CachedPixels(self.legend, key=self._legend_look)
            self.fast.animate(self._legend_pixels, new=True, at=0)
        self._legend_pixels.artist = self.legend

    def _legend_look(self):
        return tuple((label, line.get_color()) for label, line, _ in self.kept)

    # ---- training
    def run(self, lr, epochs, optimizer):
        """Train from the fixed start; returns (History, path (T, 2) or None)."""
        if self.problem == "surface":
            model = Sequential(Linear(1, 1))
            model[0].params["W"][...] = SURFACE_START[0]
            model[0].params["b"][...] = SURFACE_START[1]
            path = [SURFACE_START]  # (w, b) after every step that moved them

            def record(model, step):
                if step.updated:
                    path.append((float(model[0].W[0, 0]), float(model[0].b[0])))

            history = train(
                model, self.X, self.y, loss="mse", optimizer=optimizer, lr=lr, epochs=epochs, callbacks=[record]
            )
            return history, np.array(path)
        model = mlp([2, 16, 16, 1], activation="tanh", init="xavier", rng=0)
        history = train(model, self.X, self.y, loss="bce", optimizer=optimizer, lr=lr, epochs=epochs)
        self.model = model
        return history, None

    def update(self):
        lr, epochs, optimizer = (
            float(self.lr_slider.value),
            int(self.epochs_slider.value),
            self.optimizer_dropdown.value,
        )
        self.history, self.path = self.run(lr, epochs, optimizer)
        losses = np.asarray(self.history.epoch_loss, dtype=np.float64)
        self.final_loss = float(losses[-1])
        self.regime = regime(self.history, self.path)
        self.label = _run_label(lr, optimizer, epochs)

        self.loss_ax.set_xlim(0.5, self._x_end(epochs) + 0.5)
        self.loss_line.set_data(np.arange(1, len(losses) + 1), np.where(np.isfinite(losses), losses, np.nan))
        div = self.history.diverged_at
        if div is not None:
            ex, ey = divergence_point(losses, div)
            ey = min(ey if math.isfinite(ey) else self.loss_top, self.loss_top / 3)  # keep the × inside the axes
            self.div_marker.set_data([ex], [ey])
            self.div_text.xy = (ex, ey)
            self.div_text.set_text(f"diverged at epoch {div}")
            right = ex > 0.6 * self._x_end(epochs)
            self.div_text.set_horizontalalignment("right" if right else "left")
            self.div_text.set_position((-12 if right else 12, 0))
        else:
            self.div_marker.set_data([], [])
            self.div_text.set_text("")

        if self.problem == "surface":
            self._draw_path(self.path_line, self.end_marker, self.path)
        else:
            scores = predict(self.model, self.grid)
            self.boundary_image.set_data(decision_rgb(scores, (_BOUNDARY_GRID, _BOUNDARY_GRID)))
        return self._status(lr, optimizer)

    def static_key(self):
        return self._x_end(int(self.epochs_slider.value))  # sets the loss panel's x axis

    def next_static_keys(self):
        i = _EPOCH_AXES.index(self.static_key())
        return [_EPOCH_AXES[j] for j in (i + 1, i - 1) if 0 <= j < len(_EPOCH_AXES)]

    def apply_static(self, key):
        self.loss_ax.set_xlim(0.5, key + 0.5)

    @staticmethod
    def _x_end(epochs):
        return next(end for end in _EPOCH_AXES if end >= epochs)

    def _draw_path(self, line, end, path):
        # Far-off points of a diverging run are pulled in to 1000 plot widths away:
        # the visible part of the line is unchanged and Agg never sees 1e300.
        span = max(SURFACE_XLIM[1] - SURFACE_XLIM[0], SURFACE_YLIM[1] - SURFACE_YLIM[0])
        shown = np.clip(np.nan_to_num(path, nan=0.0, posinf=1e3 * span, neginf=-1e3 * span), -1e3 * span, 1e3 * span)
        line.set_data(shown[:, 0], shown[:, 1])
        if end is not None:
            end.set_data(shown[-1:, 0], shown[-1:, 1])

    def _status(self, lr, optimizer):
        h = self.history
        stable = ""
        if self.critical_lr is not None and optimizer == "sgd":
            side = "above" if lr >= self.critical_lr else "below"
            stable = f" α = {lr:.3g} is {side} 2/λmax ≈ {self.critical_lr:.3g}, the largest stable step."
        if h.diverged_at is not None:
            return f"diverged at epoch {h.diverged_at}: the loss blew up, training stopped.{stable}"
        acc = f", train accuracy {h.train_acc[-1]:.0%}" if h.train_acc else ""
        epochs = f"{h.epochs_run} epoch{'' if h.epochs_run == 1 else 's'}"
        return f"{self.regime}: E = {self.final_loss:.4g} after {epochs}{acc}.{stable}"

    # ---- kept runs
    def keep(self):
        """Overlay the current run (at most 5 kept: the oldest is dropped first, and the status says so).

        Pressing it again for a run already kept does nothing (and says so). No static part
        of the picture changes: the kept lines and the legend are blitted.
        """
        if any(label == self.label for label, _, _ in self.kept):
            self._note = f"This run ({self.label}) is kept already."
            self.refresh()
            return
        if len(self.kept) >= MAX_KEPT:
            dropped = self.kept.pop(0)
            self._drop(dropped)
            self._note = f"At most {MAX_KEPT} runs are kept: dropped the oldest ({dropped[0]})."
        used = {line.get_color() for _, line, _ in self.kept}
        color = next(c for c in _KEPT_COLORS if c not in used)
        x, yv = self.loss_line.get_data()
        (loss_line,) = self.loss_ax.plot(x, yv, color=color, lw=1.6, alpha=0.9, zorder=3)
        kept_artists = [loss_line]
        path_line = None
        if self.problem == "surface":
            (path_line,) = self.right_ax.plot(*self.path_line.get_data(), "o-", color=color, ms=2.5, lw=1.1, zorder=5)
            kept_artists.append(path_line)
        # Below the current run's artists, above the static background (after the legend).
        already = sum(1 for _, line, path in self.kept for a in (line, path) if a is not None)
        self.fast.animate(*kept_artists, new=True, at=1 + already)
        self.kept.append((self.label, loss_line, path_line))
        self._make_legend()
        self.refresh()

    def clear(self):
        """Remove every kept run."""
        if not self.kept:
            self._note = "No kept runs to clear."
        while self.kept:
            self._drop(self.kept.pop())
        self._make_legend()
        self.refresh()

    def _drop(self, kept):
        for artist in kept[1:]:
            if artist is not None:
                self.fast.release(artist)


def learning_rate_explorer(problem="surface", lr=0.1, epochs=30, optimizer="sgd"):
    """Explore the learning rate α (notebook 05): re-train on every change and watch the loss.

    problem   -- "surface": linear regression on data.line(), right panel = the path of
                 (w, b) on the loss surface; "boundary": a 2-16-16-1 tanh network on
                 data.moons(), right panel = its decision boundary.
    lr        -- starting learning rate α (slider over the 1-2-3-5 grid 0.0001 … 10, plus 0.9;
                 another value snaps to the nearest grid value, and the status line says so).
    epochs    -- starting number of full-batch epochs (slider 1 .. 200).
    optimizer -- "sgd", "momentum" or "adam".
    Returns a LearningRateExplorer: display it; its controls are ``.lr_slider``,
    ``.epochs_slider``, ``.optimizer_dropdown``, ``.keep_button``, ``.clear_button``;
    after each change ``.history``, ``.final_loss`` and ``.regime`` describe the run.
    """
    return LearningRateExplorer(problem=problem, lr=lr, epochs=epochs, optimizer=optimizer)
