"""Explorers for one neuron (notebook 01) and for fitting a line by hand (notebook 02).

``neuron_explorer()``: sliders for w₁, w₂ and b of one sigmoid neuron
σ(w₁x₁ + w₂x₂ + b) over two clouds of 2-D points. Left: the neuron's output as
a colour map with the decision line w·x + b = 0 (where the output is 0.5) and
the weight vector w, which is perpendicular to it. Right: every point's
pre-activation z and output σ(z) on the sigmoid curve.

``fit_explorer()``: sliders for w and b of the line ŷ = w x + b through
``data.line()``. Left: data, line and residuals. Right: the loss E(w) (b held
at its slider value) with the current w and the tangent whose slope is dE/dw,
the number gradient descent uses in notebook 02.
"""

import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize

from backprop_lessons._checks import as_rng
from backprop_lessons.activations import sigmoid
from backprop_lessons.data import line
from backprop_lessons.plots import CLASS_MARKERS, PALETTE, plot_data
from backprop_lessons.widgets._canvas import Explorer, FastFigure, PixelImage, float_slider, start_value

__all__ = ["neuron_explorer", "fit_explorer", "NeuronExplorer", "FitExplorer", "two_clouds"]

# Output colours: class 0 blue, 0.5 white, class 1 orange (the plots' class colours).
NEURON_CMAP = LinearSegmentedColormap.from_list("neuron", [PALETTE["blue"], "#FFFFFF", PALETTE["orange"]])
_LIM = 3.0  # the neuron panel shows [-3, 3]^2
_NEURON_LUT = (NEURON_CMAP(np.linspace(0.0, 1.0, 256)) * 255).astype(np.uint8)  # (256, 4): output -> colour
_Z_LIM = 10.0  # the sigmoid panel shows z in [-10, 10]
_NEURON_RANGE = (-5.0, 5.0)  # the sliders of w₁, w₂ and b


def two_clouds(n=80, rng=0):
    """Two Gaussian clouds one neuron can separate: X (N, 2), y (N,) in {0, 1}.

    Class 0 is centred at (-1, -0.6), class 1 at (1, 0.9), both with standard
    deviation 0.6; rows are shuffled.
    """
    gen = as_rng(rng)
    half = n // 2
    centres = np.array([[-1.0, -0.6], [1.0, 0.9]])
    y = np.repeat([0, 1], [half, n - half]).astype(np.int64)  # (N,)
    X = centres[y] + 0.6 * gen.standard_normal((n, 2))  # (N, 2)
    order = gen.permutation(n)
    return X[order], y[order]


class NeuronExplorer(Explorer):
    """See ``neuron_explorer``. Controls: w1_slider, w2_slider, b_slider."""

    text_plain = "<neuron explorer: run the notebook to interact>"

    def __init__(self, w1=1.0, w2=-0.5, b=0.0):
        notes = []
        w1 = start_value(w1, _NEURON_RANGE, 1.0, "weight w₁", notes)
        w2 = start_value(w2, _NEURON_RANGE, -0.5, "weight w₂", notes)
        b = start_value(b, _NEURON_RANGE, 0.0, "bias b", notes)
        self._note = " ".join(notes)
        self.X, self.y = two_clouds()
        self.w1_slider = float_slider("weight w₁", w1, -5.0, 5.0)
        self.w2_slider = float_slider("weight w₂", w2, -5.0, 5.0)
        self.b_slider = float_slider("bias b", b, -5.0, 5.0)

        self.fast = FastFigure(width_ratios=[1.0, 1.15])
        ax, zx = self.fast.axes
        # The colour map is computed at screen resolution (PixelImage): no resampling per frame.
        self.output_image = self.fast.animate(PixelImage(ax))
        self.fast.figure.colorbar(
            ScalarMappable(norm=Normalize(0.0, 1.0), cmap=NEURON_CMAP),
            ax=ax,
            label="output a = σ(z)",
            fraction=0.05,
            pad=0.02,
        )
        self.boundary = self.fast.animate(ax.plot([], [], color="black", lw=2)[0])
        self.arrow = self.fast.animate(
            ax.annotate("", xy=(0, 0), xytext=(0, 0), arrowprops=dict(arrowstyle="-|>", color="black", lw=1.8))
        )
        for p in plot_data(self.X, self.y, ax=ax).points:
            self.fast.animate(p)  # above the colour map
        ax.get_legend().remove()
        ax.set_xlim(-_LIM, _LIM)
        ax.set_ylim(-_LIM, _LIM)
        ax.set_aspect("equal")
        ax.set_title("output of the neuron; line: w·x + b = 0", fontsize="medium")

        z = np.linspace(-_Z_LIM, _Z_LIM, 300)
        zx.plot(z, sigmoid(z), color="0.35", lw=1.8)
        zx.axhline(0.5, color="0.75", lw=0.8, ls="--")
        zx.axvline(0.0, color="0.75", lw=0.8, ls="--")
        self.z_points = []
        for k in (0, 1):
            self.z_points.append(
                self.fast.animate(
                    zx.scatter(
                        [],
                        [],
                        s=22,
                        color=(PALETTE["blue"], PALETTE["orange"])[k],
                        marker=CLASS_MARKERS[k],
                        edgecolors="black",
                        linewidths=0.5,
                        zorder=3,
                        label=f"class {k}",
                    )
                )
            )
        zx.legend(handles=self.z_points, loc="upper left", frameon=False)
        zx.set_xlim(-_Z_LIM - 0.5, _Z_LIM + 0.5)
        zx.set_xticks([-10, -5, 0, 5, 10])
        zx.set_ylim(-0.05, 1.05)
        zx.set_xlabel("pre-activation z = w₁x₁ + w₂x₂ + b")
        zx.set_ylabel("output a = σ(z)")
        zx.yaxis.set_label_position("right")  # away from the colour bar's label on the left panel
        zx.yaxis.tick_right()
        zx.set_title("each point on the sigmoid", fontsize="medium")
        self._finish([self.w1_slider, self.w2_slider, self.b_slider])

    def update(self):
        w = np.array([self.w1_slider.value, self.w2_slider.value], dtype=np.float64)  # (2,)
        b = float(self.b_slider.value)
        rows, cols = self.output_image.shape
        x1 = np.linspace(-_LIM, _LIM, cols)  # pixel columns
        x2 = np.linspace(-_LIM, _LIM, rows)  # pixel rows, bottom first
        grid_out = sigmoid(w[0] * x1[None, :] + w[1] * x2[:, None] + b)  # (rows, cols)
        self.output_image.set_data(_NEURON_LUT[(grid_out * 255).astype(np.intp)])
        z = self.X @ w + b  # (N,)
        out = sigmoid(z)
        for k, pts in enumerate(self.z_points):
            mask = self.y == k
            # Points beyond the panel sit on its edge, so none disappears.
            pts.set_offsets(np.column_stack([np.clip(z[mask], -_Z_LIM, _Z_LIM), out[mask]]))
        norm = float(np.hypot(*w))
        if norm < 1e-12:
            self.boundary.set_data([], [])
            self.arrow.set_visible(False)
            line_note = "w = 0: the output is σ(b) everywhere, so there is no line."
        else:
            # Points on the line: the foot of the perpendicular from the origin, ± along the line.
            foot = -b * w / norm**2
            direction = np.array([-w[1], w[0]]) / norm
            ends = foot + np.outer([-10.0, 10.0], direction)  # (2, 2), long enough to cross the panel
            self.boundary.set_data(ends[:, 0], ends[:, 1])
            # w drawn from the line's point nearest the origin, 1 unit long: it points to σ > 0.5.
            self.arrow.set_visible(True)
            self.arrow.xy = tuple(foot + w / norm)
            self.arrow.set_position(tuple(foot))
            line_note = "the arrow w points to where the output is above 0.5."
        self.accuracy = float(np.mean((out > 0.5) == (self.y == 1)))
        self.output = out
        return (
            f"z = {_signed(w[0], '·x₁', first=True)} {_signed(w[1], '·x₂')} {_signed(b, '')}; "
            f"accuracy (output > 0.5 ⇒ class 1): {self.accuracy:.0%}; {line_note}"
        )


def _signed(value, suffix, first=False):
    """'+ 1.00·x₁' / '− 0.50·x₂' (a real minus sign), or '-0.50·x₁' for the first term."""
    if first:
        return f"{value:.2f}{suffix}".replace("-", "−")
    return f"{'−' if value < 0 else '+'} {abs(value):.2f}{suffix}"


def neuron_explorer(w1=1.0, w2=-0.5, b=0.0):
    """One sigmoid neuron σ(w₁x₁ + w₂x₂ + b) on two clouds of points (notebook 01).

    Move w₁, w₂, b and watch the decision line w·x + b = 0 turn (w) and shift (b).
    Returns a NeuronExplorer; controls ``.w1_slider``, ``.w2_slider``, ``.b_slider``
    (each from -5 to 5); after a change ``.accuracy`` and ``.output`` (N,) hold the result.
    """
    return NeuronExplorer(w1=w1, w2=w2, b=b)


# -------------------------------------------------------------------- fitting
_W_RANGE = (-1.0, 5.0)
_B_RANGE = (-2.0, 3.0)


class FitExplorer(Explorer):
    """See ``fit_explorer``. Controls: w_slider, b_slider."""

    text_plain = "<line-fit explorer: run the notebook to interact>"

    def __init__(self, w=0.5, b=0.0):
        notes = []
        w = start_value(w, _W_RANGE, 0.5, "weight w", notes)
        b = start_value(b, _B_RANGE, 0.0, "bias b", notes)
        self._note = " ".join(notes)
        self.X, self.y = line()  # (N, 1), (N, 1)
        self.x, self.t = self.X[:, 0], self.y[:, 0]  # (N,)
        self.w_slider = float_slider("weight w", w, *_W_RANGE)
        self.b_slider = float_slider("bias b", b, *_B_RANGE)

        self.fast = FastFigure()
        ax, ex = self.fast.axes
        plot_data(self.X, self.y, ax=ax)
        self.residuals = self.fast.animate(
            ax.add_collection(LineCollection([], colors=PALETTE["vermillion"], linewidths=1.0, label="error y − ŷ"))
        )
        self.fit_line = self.fast.animate(
            ax.plot([], [], color=PALETTE["bluish_green"], lw=2.2, label="ŷ = w x + b")[0]
        )
        ax.legend(handles=[self.fit_line, self.residuals], loc="upper left", frameon=False)
        ax.set_xlim(-1.1, 1.1)
        ax.set_xticks([-1.0, -0.5, 0.0, 0.5, 1.0])  # matplotlib's default 0.25 steps run together
        ax.set_ylim(-4.0, 4.5)
        ax.set_title("data, line and errors", fontsize="medium")

        self.ws = np.linspace(*_W_RANGE, 200)
        corners = [self.E(wc, bc) for wc in _W_RANGE for bc in _B_RANGE]
        self.curve = self.fast.animate(ex.plot([], [], color=PALETTE["blue"], lw=2, label="E(w), b fixed")[0])
        self.tangent = self.fast.animate(
            ex.plot([], [], color=PALETTE["orange"], lw=2, ls="--", label="tangent: slope dE/dw")[0]
        )
        self.point = self.fast.animate(
            ex.plot([], [], "o", color=PALETTE["vermillion"], ms=8, mec="black", zorder=5)[0]
        )
        ex.legend(handles=[self.curve, self.tangent], loc="upper center", frameon=False)
        ex.set_xlim(*_W_RANGE)
        ex.set_ylim(-0.5, max(corners) * 1.05)
        ex.set_xlabel("weight w")
        ex.set_ylabel("loss E(w) (mean squared error)")
        ex.set_title("the loss as a function of w", fontsize="medium")
        self._finish([self.w_slider, self.b_slider])

    def E(self, w, b):
        """Mean squared error of ŷ = w x + b, vectorized over w (any shape)."""
        w = np.asarray(w, dtype=np.float64)
        residual = w[..., None] * self.x + b - self.t  # (..., N)
        return np.mean(residual**2, axis=-1)

    def dE_dw(self, w, b):
        """dE/dw = mean(2 (w x + b - y) x): the slope of the tangent."""
        return float(np.mean(2.0 * (w * self.x + b - self.t) * self.x))

    def update(self):
        w, b = float(self.w_slider.value), float(self.b_slider.value)
        y_hat = w * self.x + b  # (N,)
        self.fit_line.set_data([-1.1, 1.1], [b - 1.1 * w, b + 1.1 * w])
        self.residuals.set_segments(
            np.stack([np.column_stack([self.x, self.t]), np.column_stack([self.x, y_hat])], axis=1)
        )
        self.loss, self.slope = float(self.E(w, b)), self.dE_dw(w, b)
        self.curve.set_data(self.ws, self.E(self.ws, b))
        dw = np.array([-0.9, 0.9])
        self.tangent.set_data(w + dw, self.loss + self.slope * dw)
        self.point.set_data([w], [self.loss])
        direction = "decrease" if self.slope > 0 else "increase"
        hint = "at the minimum" if abs(self.slope) < 0.02 else f"to lower E, {direction} w"
        return f"E = {self.loss:.4f}, dE/dw = {self.slope:.3f} ({hint})"


def fit_explorer(w=0.5, b=0.0):
    """Fit the line ŷ = w x + b to ``data.line()`` by hand (notebook 02).

    Left: data, the line and its residuals; right: E(w) with the current w and the
    tangent of slope dE/dw. Returns a FitExplorer; controls ``.w_slider`` (-1 .. 5)
    and ``.b_slider`` (-2 .. 3); after a change ``.loss`` and ``.slope`` hold E and dE/dw.
    """
    return FitExplorer(w=w, b=b)
