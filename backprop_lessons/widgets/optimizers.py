"""The optimizer race of notebook 08: SGD, momentum and Adam from the same start, in lockstep.

All three optimizers (the classes of ``optim.py``) start at the same point of
the same 2-D surface (``surfaces.py``) with the same learning rate α and take
the same number of steps; every change of a control re-runs all three.
Left: their paths on the contour map of the surface. Right: the loss
E − E_min per step (log scale), so "how far from the bottom" reads the same on
every surface. The contour background is drawn once per surface and cached;
only the paths and curves are redrawn (see ``_canvas.FastFigure``).

What the defaults show (α = 0.1, β = 0.9, β₁ = 0.9, β₂ = 0.999, 150 steps):

    ravine         SGD zig-zags across and crawls along; momentum races along the floor;
                   Adam walks at about α per step in each coordinate. SGD diverges for α > 2/18 ≈ 0.11.
    saddle         SGD lingers near the saddle point for ~60 steps; momentum and Adam leave it sooner.
    local_minimum  SGD barely moves on the plateau; Adam crosses it fast and settles in the
                   local minimum; momentum gathers speed and rolls through the dip to the global one.
"""

import math

import numpy as np
from matplotlib import colormaps, patheffects

from backprop_lessons._checks import check_choice
from backprop_lessons.optim import SGD, Adam, Momentum
from backprop_lessons.plots import PALETTE, log_levels
from backprop_lessons.surfaces import SURFACES, get_surface, run_optimizer
from backprop_lessons.widgets._canvas import (
    Explorer,
    FastFigure,
    dropdown,
    float_slider,
    int_slider,
    log_slider,
    start_value,
)

__all__ = ["optimizer_race", "OptimizerRace", "RACERS", "LR_RANGE", "STEPS_RANGE"]

LR_RANGE = (1e-3, 1.0)
STEPS_RANGE = (5, 300)
BETA_RANGE = (0.0, 0.99)  # momentum β and Adam's β₁
BETA2_RANGE = (0.8, 0.9999)  # Adam's β₂: a long memory of gradient sizes
LOSS_FLOOR = 1e-6  # E − E_min below this is drawn on the bottom edge of the log axis
_RESOLUTION = 120  # contour grid per axis (drawn once per surface)
# The loss panel's x axis ends at the first of these >= steps: dragging the steps slider
# then redraws the static background (~100 ms with the contours) only when it crosses one.
_STEP_AXES = (25, 50, 100, 150, 200, 300)
# name -> (colour, path marker, loss line style): colour is never the only cue.
RACERS = {
    "SGD": (PALETTE["vermillion"], "o", "-"),
    "momentum": (PALETTE["blue"], "s", "--"),
    "Adam": (PALETTE["bluish_green"], "^", "-."),
}


class OptimizerRace(Explorer):
    """See ``optimizer_race``. Controls: surface_dropdown, lr_slider, steps_slider,
    beta_slider (momentum), beta1_slider and beta2_slider (Adam).

    After every change: ``surface`` (the Surface), ``paths`` (name -> surfaces.OptimizerPath)
    and ``final_losses`` (name -> last loss E).
    """

    panels = [[0], [1, 2]]  # the paths on the surface | the loss curves with their legend
    text_plain = "<optimizer race: run the notebook to interact>"

    def __init__(self, surface="ravine", lr=0.1, beta=0.9, beta1=0.9, beta2=0.999, steps=150):
        check_choice(surface, SURFACES, "surface")
        notes = []
        lr = start_value(lr, LR_RANGE, 0.1, "learning rate", notes, positive=True)
        beta = start_value(beta, BETA_RANGE, 0.9, "momentum β", notes)
        beta1 = start_value(beta1, BETA_RANGE, 0.9, "Adam β₁", notes)
        beta2 = start_value(beta2, BETA2_RANGE, 0.999, "Adam β₂", notes)
        steps = start_value(steps, STEPS_RANGE, 150, "steps", notes, integer=True)

        self.surface_dropdown = dropdown(
            "surface",
            [("narrow ravine", "ravine"), ("saddle point", "saddle"), ("plateau + local minimum", "local_minimum")],
            surface,
        )
        self.lr_slider = log_slider("learning rate α", lr, *LR_RANGE)  # the 1-2-3-5 grid
        if self.lr_slider.value != lr:
            notes.append(f"learning rate {lr:g} is not on the slider's grid; using {self.lr_slider.value:g}.")
        self._note = " ".join(notes)
        self.steps_slider = int_slider("steps", steps, *STEPS_RANGE)
        self.beta_slider = float_slider("momentum β", beta, *BETA_RANGE, step=0.01)
        self.beta1_slider = float_slider("Adam β₁", beta1, *BETA_RANGE, step=0.01)
        self.beta2_slider = float_slider("Adam β₂", beta2, *BETA2_RANGE, step=0.0001, readout_format=".4f")

        self.fast = FastFigure(width=820, height=340, ncols=3, width_ratios=[1.12, 1.0, 0.2])
        self.surface_ax, self.loss_ax, legend_ax = self.fast.axes
        self.fast.figure.get_layout_engine().set(wspace=0.08)  # room for the y label, and for the cut between pieces
        legend_ax.set_axis_off()
        self._backgrounds = {}  # surface name -> the static artists of its contour map
        # One cached background per (surface, x-axis length): 3 x len(_STEP_AXES).
        self.fast.max_backgrounds = len(SURFACES) * len(_STEP_AXES)
        self._setup_surface_panel()
        self._setup_loss_panel()
        legend_ax.legend(
            [self.loss_lines[name] for name in RACERS],
            list(RACERS),
            loc="center left",
            frameon=False,
            handlelength=2.4,
            borderaxespad=0,
        )
        controls = [
            self.surface_dropdown,
            self.lr_slider,
            self.steps_slider,
            self.beta_slider,
            self.beta1_slider,
            self.beta2_slider,
        ]
        self._finish(controls, rows=[controls[:3], controls[3:]])

    # ---- static parts
    def _setup_surface_panel(self):
        ax = self.surface_ax
        ax.set_xlabel("weight w₁")
        ax.set_ylabel("weight w₂")
        ax.set_title("paths on the loss surface E(w₁, w₂)", fontsize="medium")
        (self.start_marker,) = ax.plot([], [], "o", ms=9, mfc="white", mec="black", mew=1.5, zorder=6)
        (self.min_marker,) = ax.plot([], [], "+", color="black", ms=12, mew=2, zorder=4)
        self.path_lines, self.end_markers = {}, {}
        for name, (color, marker, _) in RACERS.items():
            self.path_lines[name] = self.fast.animate(
                ax.plot([], [], marker + "-", color=color, ms=2.5, lw=1.2, zorder=7)[0]
            )
            self.end_markers[name] = self.fast.animate(
                ax.plot([], [], "*", color=color, ms=13, mec="black", mew=0.6, zorder=8)[0]
            )

    def _setup_loss_panel(self):
        ax = self.loss_ax
        ax.set_yscale("log")
        ax.set_xlabel("step")
        ax.set_ylabel(r"$E - E_{\mathrm{min}}$", labelpad=4)
        ax.set_title("loss per step (log scale)", fontsize="medium")
        self.loss_lines, self.div_markers = {}, {}
        for name, (color, _, style) in RACERS.items():
            self.loss_lines[name] = self.fast.animate(ax.plot([], [], style, color=color, lw=2.0, zorder=5)[0])
            self.div_markers[name] = self.fast.animate(  # not clipped: a × at the right edge shows whole
                ax.plot([], [], "x", color=color, ms=11, mew=2.5, zorder=6, clip_on=False)[0]
            )
            self.div_markers[name].set_in_layout(False)  # an unclipped artist would steer the layout

    def _show_surface(self, name):
        """Make ``name``'s contour map the visible one (drawing it the first time)."""
        surface = get_surface(name)
        ax = self.surface_ax
        if name not in self._backgrounds:
            w1 = np.linspace(*surface.xlim, _RESOLUTION)
            w2 = np.linspace(*surface.ylim, _RESOLUTION)
            W1, W2 = np.meshgrid(w1, w2)  # (R, R)
            Z = surface.f_xy(W1, W2)
            levels = log_levels(Z, 16)
            # Grey bands (darker = lower) keep every palette colour free for the paths.
            shades = colormaps["Greys"](np.linspace(0.32, 0.02, len(levels) - 1))
            filled = ax.contourf(W1, W2, Z, levels=levels, colors=shades, zorder=1)
            lines = ax.contour(W1, W2, Z, levels=levels, colors="0.55", linewidths=0.6, zorder=2)
            # Landmark names are drawn OVER the paths (animated, last), with a white halo, so a
            # path never hides "minimum" or "saddle point".
            labels = [
                ax.annotate(
                    text,
                    xy,
                    xytext=(0, -13),
                    textcoords="offset points",
                    ha="center",
                    va="top",
                    fontsize="small",
                    color="0.15",
                    zorder=9,
                    path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")],
                )
                for text, xy in surface.landmarks
            ]
            for label in labels:
                label.set_in_layout(False)  # the layout is frozen; a label must never move it
            self.fast.animate(*labels, new=True)  # new artists: no cached background holds them
            self._backgrounds[name] = (filled, lines, *labels)
        for other, artists in self._backgrounds.items():
            for artist in artists:
                artist.set_visible(other == name)
        ax.set_xlim(surface.xlim)
        ax.set_ylim(surface.ylim)
        self.start_marker.set_data([surface.start[0]], [surface.start[1]])
        self.min_marker.set_data([surface.minimum[0]], [surface.minimum[1]])
        top = 10.0 ** (math.ceil(math.log10(surface.f(np.array(surface.start)) - surface.E_min)) + 1)
        self.loss_ax.set_ylim(LOSS_FLOOR / 2, top)
        self.loss_top = top

    def static_key(self):
        # The contour map (surface) and the loss panel's x axis (steps) are cached per pair.
        return (self.surface_dropdown.value, self._x_end(int(self.steps_slider.value)))

    def next_static_keys(self):
        surface, end = self.static_key()
        i = _STEP_AXES.index(end)
        keys = [(surface, _STEP_AXES[j]) for j in (i + 1, i - 1) if 0 <= j < len(_STEP_AXES)]
        return keys + [(other, end) for other in SURFACES if other != surface]

    def apply_static(self, key):
        surface, end = key
        self._show_surface(surface)
        self.loss_ax.set_xlim(0, end)

    @staticmethod
    def _x_end(steps):
        return next(end for end in _STEP_AXES if end >= steps)

    # ---- the race
    def optimizers(self):
        """Fresh SGD, Momentum and Adam with the current control values."""
        lr = float(self.lr_slider.value)
        return {
            "SGD": SGD(lr),
            "momentum": Momentum(lr, beta=float(self.beta_slider.value)),
            "Adam": Adam(lr, beta1=float(self.beta1_slider.value), beta2=float(self.beta2_slider.value)),
        }

    def update(self):
        name, steps = self.surface_dropdown.value, int(self.steps_slider.value)
        if getattr(self, "surface", None) is None or self.surface.name != name:
            self._show_surface(name)
        self.surface = get_surface(name)
        self.paths = {racer: run_optimizer(opt, self.surface, steps) for racer, opt in self.optimizers().items()}
        self.final_losses = {racer: path.final_loss for racer, path in self.paths.items()}

        self.loss_ax.set_xlim(0, self._x_end(steps))
        for racer, path in self.paths.items():
            self._draw_racer(racer, path)
        return self._status(steps)

    def _draw_racer(self, racer, path):
        (x0, x1), (y0, y1) = self.surface.xlim, self.surface.ylim
        points = path.points  # (T+1, 2)
        # A diverging path is drawn until its first point beyond one window-width outside the
        # view (that segment leaves the picture); the rest would only paint over it.
        far = (np.abs(points[:, 0] - (x0 + x1) / 2) > 1.5 * (x1 - x0)) | (
            np.abs(points[:, 1] - (y0 + y1) / 2) > 1.5 * (y1 - y0)
        )
        out = np.flatnonzero(far)
        shown = points if out.size == 0 else points[: out[0] + 1]
        self.path_lines[racer].set_data(shown[:, 0], shown[:, 1])
        if path.diverged_at is None:
            self.end_markers[racer].set_data(shown[-1:, 0], shown[-1:, 1])
        else:
            self.end_markers[racer].set_data([], [])

        gap = path.losses - self.surface.E_min  # (T+1,): distance from the bottom
        above = np.flatnonzero(~(gap <= self.loss_top))  # beyond the top of the panel (or not finite)
        if above.size:
            gap = gap[: above[0] + 1]  # the line leaves through the top edge
        gap = np.clip(np.nan_to_num(gap, nan=self.loss_top, posinf=self.loss_top), LOSS_FLOOR, self.loss_top)
        self.loss_lines[racer].set_data(np.arange(len(gap)), gap)
        if path.diverged_at is None:
            self.div_markers[racer].set_data([], [])
        else:
            self.div_markers[racer].set_data([len(gap) - 1], [min(gap[-1], self.loss_top / 3)])

    def _status(self, steps):
        parts, diverged = [], []
        for racer, path in self.paths.items():
            if path.diverged_at is not None:
                parts.append(f"{racer} diverged at step {path.diverged_at}")
                diverged.append(racer)
            else:
                parts.append(f"{racer} E = {path.final_loss:.4g}")
        text = f"after {steps} steps: " + " · ".join(parts) + "."
        finished = {r: p.final_loss for r, p in self.paths.items() if r not in diverged}
        if finished:
            best = min(finished, key=finished.get)
            text += f" Lowest: {best}."
        if "SGD" in diverged and self.surface.name == "ravine":
            text += " (SGD is stable here only for α < 2/18 ≈ 0.111.)"
        return text


def optimizer_race(surface="ravine", lr=0.1, beta=0.9, beta1=0.9, beta2=0.999, steps=150):
    """Race SGD, momentum and Adam on a 2-D loss surface (notebook 08).

    surface -- "ravine" (a narrow valley), "saddle" (a saddle point) or "local_minimum"
               (a plateau, a local minimum and the global one); see ``surfaces.py``.
    lr      -- the learning rate α all three use (slider over 0.001, 0.002, 0.003, 0.005, 0.01, …, 1).
    beta    -- momentum's β (slider 0 .. 0.99); beta1, beta2 -- Adam's β₁ (0 .. 0.99) and β₂ (0.8 .. 0.9999).
    steps   -- optimizer steps (slider 5 .. 300).
    Returns an OptimizerRace: display it; controls ``.surface_dropdown``, ``.lr_slider``,
    ``.steps_slider``, ``.beta_slider``, ``.beta1_slider``, ``.beta2_slider``; after each
    change ``.paths`` and ``.final_losses`` describe the three runs.
    """
    return OptimizerRace(surface=surface, lr=lr, beta=beta, beta1=beta1, beta2=beta2, steps=steps)
