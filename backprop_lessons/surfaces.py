"""Three small 2-D loss surfaces with exact gradients, for racing optimizers.

Taught in notebook 08 (optimizers: SGD, momentum and Adam on the same
surfaces; also the surfaces of ``widgets.optimizer_race``). A real network
has thousands of weights, so we cannot draw its loss; a surface E(w₁, w₂) of
two weights shows the same troubles in a picture:

``ravine``         a long, narrow valley: steep across (curvature 18), gentle along
                   (curvature 0.1). One learning rate must suit both directions.
``saddle``         a point that is a minimum along w₁ and a maximum along w₂; the
                   start sits a hair (0.001) off the ridge, where the slope is tiny.
``local_minimum``  a plateau (almost flat, high loss), a shallow dip on the hillside
                   (a local minimum, E ≈ 0.53) and the deep valley (global minimum, E = 0).

Every surface has ``f(p)`` and ``grad(p)``: p is an array of shape (..., 2)
holding (w₁, w₂) in its last axis, so one call evaluates a single point
(shape (2,)) or a whole grid (shape (R, R, 2)) for a contour plot. The
gradients are written out by hand (the tests compare them with finite
differences). ``run_optimizer`` runs any optimizer of ``optim.py`` on a
surface and returns the path it took.
"""

from dataclasses import dataclass

import numpy as np

from backprop_lessons._checks import check_choice, check_positive_int, check_positive_number

__all__ = [
    "Surface",
    "SURFACES",
    "get_surface",
    "ravine",
    "ravine_grad",
    "saddle",
    "saddle_grad",
    "local_minimum",
    "local_minimum_grad",
    "OptimizerPath",
    "run_optimizer",
]


def _split(p):
    """(w₁, w₂) from an array of shape (..., 2)."""
    p = np.asarray(p, dtype=np.float64)
    if p.shape[-1:] != (2,):
        raise ValueError(f"a point on a 2-D surface has 2 coordinates (w₁, w₂), got shape {p.shape}")
    return p[..., 0], p[..., 1]


def _pair(g1, g2):
    """Stack two equally shaped arrays into one of shape (..., 2) (np.stack, minus its overhead:
    the optimizer race evaluates a gradient ~1000 times per slider change)."""
    out = np.empty(np.shape(g1) + (2,))
    out[..., 0] = g1
    out[..., 1] = g2
    return out


# ----------------------------------------------------------------- the ravine
# E = ½ (a w₁² + c w₂²): a bowl squeezed into a valley along the w₁ axis.
RAVINE_ALONG, RAVINE_ACROSS = 0.1, 18.0  # curvatures; their ratio (180) is what makes it hard


def ravine(p):
    """E(w₁, w₂) = ½ (0.1 w₁² + 18 w₂²); minimum E = 0 at (0, 0)."""
    w1, w2 = _split(p)
    return 0.5 * (RAVINE_ALONG * w1**2 + RAVINE_ACROSS * w2**2)


def ravine_grad(p):
    """(∂E/∂w₁, ∂E/∂w₂) = (0.1 w₁, 18 w₂), shape like p."""
    w1, w2 = _split(p)
    return _pair(RAVINE_ALONG * w1, RAVINE_ACROSS * w2)


# ------------------------------------------------------------------ the saddle
# E = ½ w₁² + ¼ (w₂² − 1)²: along w₁ a bowl, along w₂ a double well. At (0, 0)
# the surface curves up in w₁ and down in w₂ (a saddle, E = 0.25); the two
# minima are at (0, ±1) with E = 0.


def saddle(p):
    """E(w₁, w₂) = ½ w₁² + ¼ (w₂² − 1)²; saddle point (0, 0), minima (0, ±1) with E = 0."""
    w1, w2 = _split(p)
    return 0.5 * w1**2 + 0.25 * (w2**2 - 1.0) ** 2


def saddle_grad(p):
    """(∂E/∂w₁, ∂E/∂w₂) = (w₁, w₂³ − w₂): zero at the saddle and at both minima."""
    w1, w2 = _split(p)
    return _pair(w1, w2**3 - w2)


# ------------------------------------------------------- plateau + local minimum
# A bowl that flattens out far from its centre (1 - Gaussian: a plateau at E ≈ 1)
# plus a small Gaussian dip on its hillside (the local minimum):
#   E = A (1 − exp(−|p − g|² / 2R²)) − d exp(−|p − l|² / 2s²)
GLOBAL_CENTRE, BOWL_HEIGHT, BOWL_RADIUS = (1.5, -1.0), 1.0, 1.8
DIP_CENTRE, DIP_DEPTH, DIP_RADIUS = (-1.2, 1.1), 0.3, 0.4


def _bumps(w1, w2):
    """The two Gaussian factors (bowl, dip), each in (0, 1]."""
    gx, gy = GLOBAL_CENTRE
    lx, ly = DIP_CENTRE
    bowl = np.exp(-((w1 - gx) ** 2 + (w2 - gy) ** 2) / (2.0 * BOWL_RADIUS**2))
    dip = np.exp(-((w1 - lx) ** 2 + (w2 - ly) ** 2) / (2.0 * DIP_RADIUS**2))
    return bowl, dip


def local_minimum(p):
    """Plateau (E ≈ 1 far away), a local minimum near (−1.2, 1.1) and the global one at (1.5, −1)."""
    w1, w2 = _split(p)
    bowl, dip = _bumps(w1, w2)
    return BOWL_HEIGHT * (1.0 - bowl) - DIP_DEPTH * dip


def local_minimum_grad(p):
    """Gradient of ``local_minimum``: each Gaussian term contributes (p − centre) / radius² times itself."""
    w1, w2 = _split(p)
    bowl, dip = _bumps(w1, w2)
    gx, gy = GLOBAL_CENTRE
    lx, ly = DIP_CENTRE
    b = BOWL_HEIGHT * bowl / BOWL_RADIUS**2  # d/dp of -A exp(-r²/2R²) = A exp(...) (p - g) / R²
    d = DIP_DEPTH * dip / DIP_RADIUS**2  # d/dp of -d exp(-r²/2s²) = d exp(...) (p - l) / s²
    return _pair(b * (w1 - gx) + d * (w1 - lx), b * (w2 - gy) + d * (w2 - ly))


# ------------------------------------------------------------------ the table
@dataclass(frozen=True)
class Surface:
    """A named 2-D loss surface: E = f(p), its gradient, a start point and a view.

    f, grad -- functions of p (..., 2) -> E (...) and ∂E/∂p (..., 2).
    start   -- (w₁, w₂) where every optimizer starts.
    xlim, ylim -- the window the notebooks and the explorer show.
    minimum -- (w₁, w₂) of the global minimum; ``E_min`` is its loss.
    landmarks -- (label, (w₁, w₂)) pairs worth naming on a picture, e.g. the saddle point.
    """

    name: str
    title: str
    f: object
    grad: object
    start: tuple
    xlim: tuple
    ylim: tuple
    minimum: tuple
    description: str
    landmarks: tuple = ()

    @property
    def E_min(self):
        """The lowest loss on the surface (0 for all three, up to rounding)."""
        # Rounded to 12 decimals: the plateau surface's minimum is -4e-17, printed "-0.0" otherwise.
        return round(float(self.f(np.array(self.minimum))), 12) + 0.0

    def f_xy(self, w1, w2):
        """E for separate w₁, w₂ arrays of the same shape (what ``plots.plot_loss_surface_2d`` calls)."""
        w1, w2 = np.broadcast_arrays(np.asarray(w1, dtype=np.float64), np.asarray(w2, dtype=np.float64))
        return self.f(np.stack([w1, w2], axis=-1))

    def __repr__(self):
        return f"Surface({self.name!r}: {self.title})"


SURFACES = {
    "ravine": Surface(
        "ravine",
        "a narrow ravine",
        ravine,
        ravine_grad,
        start=(-9.0, 1.2),
        xlim=(-10.0, 3.0),
        ylim=(-2.0, 2.0),
        minimum=(0.0, 0.0),
        description="steep across (w₂), gentle along (w₁): plain gradient descent zig-zags and crawls",
    ),
    "saddle": Surface(
        "saddle",
        "a saddle point",
        saddle,
        saddle_grad,
        start=(-2.5, 0.001),
        xlim=(-3.0, 3.0),
        ylim=(-1.6, 1.6),
        minimum=(0.0, 1.0),
        description="a minimum along w₁, a maximum along w₂: the slope near (0, 0) is almost 0",
        landmarks=(("saddle point", (0.0, 0.0)), ("minimum", (0.0, 1.0)), ("minimum", (0.0, -1.0))),
    ),
    "local_minimum": Surface(
        "local_minimum",
        "a plateau and a local minimum",
        local_minimum,
        local_minimum_grad,
        start=(-3.0, 2.5),
        xlim=(-4.0, 3.5),
        ylim=(-3.0, 3.5),
        minimum=GLOBAL_CENTRE,
        description="an almost flat plateau, a shallow dip (local minimum) and the deep valley (global minimum)",
        landmarks=(("plateau", (-3.0, -2.0)), ("local minimum", DIP_CENTRE), ("global minimum", GLOBAL_CENTRE)),
    ),
}


def get_surface(name):
    """The Surface called ``name``: "ravine", "saddle" or "local_minimum" (a Surface passes through)."""
    if isinstance(name, Surface):
        return name
    check_choice(name, SURFACES, "surface")
    return SURFACES[name]


# ------------------------------------------------------------ running an optimizer
@dataclass
class OptimizerPath:
    """Where an optimizer went: points (T+1, 2) from the start, their losses (T+1,), and divergence.

    diverged_at -- the step (1-based) at which the loss exceeded ``explode_factor`` times the
    starting loss (the rule ``training.train`` uses) or stopped being a number, or None.
    The path stops there.
    """

    points: np.ndarray
    losses: np.ndarray
    diverged_at: int | None = None

    @property
    def final_loss(self):
        return float(self.losses[-1])


def run_optimizer(optimizer, surface, steps=100, start=None, explode_factor=1e4):
    """Run ``optimizer`` (an object of optim.py: SGD, Momentum, Adam) for ``steps`` steps on a surface.

    surface -- a Surface or its name. start -- (w₁, w₂), default the surface's own start.
    explode_factor -- stop as diverged once E - E_min exceeds this many times its starting value.
    The optimizer keeps its state between calls: pass a fresh one (or call reset()) per run.
    Returns an OptimizerPath. Each step is exactly what training a network does:
    gradient at the current point, then ``optimizer.step(params, grads)``.
    """
    surface = get_surface(surface)
    steps = check_positive_int(steps, "steps")
    explode_factor = check_positive_number(explode_factor, "explode_factor")
    p0 = surface.start if start is None else start
    params = {"w": np.array(p0, dtype=np.float64).reshape(2)}  # (2,): (w₁, w₂)
    points = np.empty((steps + 1, 2))
    points[0] = params["w"]
    last = steps
    with np.errstate(all="ignore"):  # a too-large step is a lesson here, not a warning
        for t in range(1, steps + 1):
            grads = {"w": surface.grad(params["w"])}
            optimizer.step(params, grads)  # updates params["w"] in place
            points[t] = params["w"]
            if not np.isfinite(params["w"]).all():
                last = t  # overflowed: nothing after this step means anything
                break
        losses = surface.f(points[: last + 1])  # (T+1,): one vectorized call instead of one per step
    # Divergence: the loss grew explode_factor times beyond its start (above the minimum).
    E_min = surface.E_min
    threshold = E_min + explode_factor * max(losses[0] - E_min, 1e-12)
    bad = np.flatnonzero(~(losses <= threshold))  # also catches NaN
    diverged_at = int(bad[0]) if bad.size else None
    if diverged_at is not None:
        points, losses = points[: diverged_at + 1], losses[: diverged_at + 1]
        losses = np.where(np.isfinite(losses), losses, np.inf)
    else:
        points = points[: last + 1]
    return OptimizerPath(points=points, losses=losses, diverged_at=diverged_at)
