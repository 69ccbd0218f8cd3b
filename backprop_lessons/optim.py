"""Optimizers: how a gradient becomes a step, plus gradient clipping and lr schedules.

Taught in notebook 05 (learning rate: SGD, schedules) and notebook 08
(optimizers: Momentum, Adam; clipping appears in 07 on exploding gradients).

Every optimizer has one method, ``step(params, grads)``: two dicts with the
same keys (e.g. ``model.params`` / ``model.grads`` keyed "0.W", "0.b", ...)
whose arrays are updated IN PLACE, so the layers holding them see the change.
State (velocities, Adam's moments) is kept per key, and ``.lr`` may be changed
between steps (that is what a schedule does).
"""

import math
from collections.abc import Mapping

import numpy as np

from backprop_lessons._checks import (
    check_choice,
    check_float_array,
    check_in_range,
    check_positive_int,
    check_positive_number,
)

__all__ = [
    "Optimizer",
    "SGD",
    "Momentum",
    "Adam",
    "OPTIMIZERS",
    "make_optimizer",
    "clip_grad_norm",
    "step_decay",
    "exponential_decay",
]


class Optimizer:
    """Base class: the learning rate, and per-key state made on first use.

    A subclass lists its per-key arrays in ``state_names`` and writes
    ``update(p, g, state)``, notebook 08's step function for one array: ``p`` is
    changed in place and ``state`` (a dict, e.g. ``opt.state["0.W"]["v"]``) is
    updated. ``state["t"]`` counts the steps taken for that key.
    """

    state_names = ()
    hyperparameters = ()  # shown by repr, e.g. Momentum(lr=0.1, beta=0.9)

    def __init__(self, lr):
        self.lr = lr  # validated by the property below
        self.state = {}  # key -> {"t": steps, name: array shaped like the parameter}

    @property
    def lr(self):
        return self._lr

    @lr.setter
    def lr(self, value):
        # Checked on every change, so a schedule that returns 0 or NaN fails loudly.
        self._lr = check_positive_number(value, "learning rate")

    def reset(self):
        """Forget all state (velocities, moments, step counts)."""
        self.state.clear()

    def step(self, params, grads):
        """Update every array in ``params`` in place using ``grads`` (a dict with the same keys)."""
        if params.keys() != grads.keys():
            missing, extra = sorted(set(params) - set(grads)), sorted(set(grads) - set(params))
            raise ValueError(f"params and grads need the same keys; missing grads {missing}, extra grads {extra}")
        for key, p in params.items():
            state = self.state.get(key)
            if state is None or state["shape"] != np.shape(p):
                state = self._start(key, p, grads[key], state)
            state["t"] += 1
            self.update(p, grads[key], state)

    def _start(self, key, p, g, state):
        """Check a parameter the first time it is seen, and make its state."""
        if state is not None:
            raise ValueError(
                f"this optimizer's state for {key!r} has shape {state['shape']}, the parameter has "
                f"shape {np.shape(p)}; call reset() (or make a new optimizer) before training another model"
            )
        check_float_array(p, f"params[{key!r}]")
        check_float_array(g, f"grads[{key!r}]")
        if g.shape != p.shape:
            raise ValueError(f"grads[{key!r}] has shape {g.shape} but params[{key!r}] has shape {p.shape}")
        state = self.state[key] = {name: np.zeros_like(p) for name in self.state_names}
        state.update(t=0, shape=p.shape)
        return state

    def update(self, p, g, state):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self):
        extras = "".join(f", {k}={getattr(self, k):g}" for k in self.hyperparameters)
        return f"{type(self).__name__}(lr={self.lr:g}{extras})"


class SGD(Optimizer):
    """Plain gradient descent: p <- p - lr * g (notebook 04's update)."""

    def update(self, p, g, state):
        p -= self.lr * g


class Momentum(Optimizer):
    """Gradient descent with momentum (heavy ball), notebook 08's ``momentum_step``.

        v <- beta * v + g        (v: decaying sum of past gradients)
        p <- p - lr * v

    With a constant gradient g, v grows to g / (1 - beta): steps become
    1 / (1 - beta) times longer (10x for beta = 0.9) along directions where
    the gradient keeps its sign, while zig-zag components cancel out.

    The other common form (CS231n), u <- beta * u - lr * g; p <- p + u, gives
    the same path while lr is constant (u = -lr * v). They differ when lr
    changes: here a new lr scales the whole step at once.
    """

    state_names = ("v",)
    hyperparameters = ("beta",)

    def __init__(self, lr, beta=0.9):
        super().__init__(lr)
        self.beta = check_in_range(beta, "beta", 0.0, 1.0, "[)")

    def update(self, p, g, state):
        state["v"] = v = self.beta * state["v"] + g  # remember the past, add the new gradient
        p -= self.lr * v


class Adam(Optimizer):
    """Adam, notebook 08's ``adam_step``: momentum on g, and a step size per coordinate.

        m <- beta1 * m + (1 - beta1) * g         (running average of the gradient)
        s <- beta2 * s + (1 - beta2) * g**2      (running average of its square, its size)
        p <- p - lr * m_hat / (sqrt(s_hat) + eps)

    m_hat and s_hat are the bias-corrected averages: m and s start at 0, so after
    t steps they are too small by the factors (1 - beta1**t) and (1 - beta2**t);
    dividing those out makes the first step lr * g / |g| = lr per coordinate.
    Each coordinate moves by about lr per step, whatever the gradient's scale.
    eps only guards against dividing by 0 where a gradient has always been 0.
    """

    state_names = ("m", "s")
    hyperparameters = ("beta1", "beta2", "eps")

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1 = check_in_range(beta1, "beta1", 0.0, 1.0, "[)")
        self.beta2 = check_in_range(beta2, "beta2", 0.0, 1.0, "[)")
        self.eps = check_positive_number(eps, "eps")

    def update(self, p, g, state):
        b1, b2, t = self.beta1, self.beta2, state["t"]
        state["m"] = m = b1 * state["m"] + (1 - b1) * g  # running average of the gradient
        state["s"] = s = b2 * state["s"] + (1 - b2) * g**2  # running average of its square (its size)
        m_hat = m / (1 - b1**t)  # bias correction
        s_hat = s / (1 - b2**t)
        p -= self.lr * m_hat / (np.sqrt(s_hat) + self.eps)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(name, lr, **kwargs):
    """Build the optimizer called ``name`` ("sgd", "momentum", "adam") with learning rate ``lr``.

    Extra keyword arguments go to the class, e.g. ``make_optimizer("momentum", 0.1, beta=0.5)``.
    """
    return OPTIMIZERS[check_choice(name, OPTIMIZERS, "optimizer")](lr, **kwargs)


def clip_grad_norm(grads, max_norm):
    """Scale all gradients together so that their total L2 norm is at most ``max_norm``.

    grads: dict of arrays (or one array), changed IN PLACE. The total norm is
    sqrt(sum of every squared entry of every array), as in PyTorch's
    ``clip_grad_norm_``: one scale for all arrays keeps the step's direction.
    Returns the total norm BEFORE clipping (a float), so callers can log it.
    A non-finite norm (inf/NaN gradients) is returned with the gradients left
    unchanged: scaling would only turn inf into NaN.
    """
    max_norm = check_positive_number(max_norm, "max_norm")
    named = grads.items() if isinstance(grads, Mapping) else [("", grads)]
    arrays = [check_float_array(g, f"grads[{key!r}]" if key else "grads") for key, g in named]
    # vdot flattens each array; no copies of the gradients are made.
    total = math.sqrt(sum(float(np.vdot(g, g)) for g in arrays))
    if total > max_norm and math.isfinite(total):
        scale = max_norm / total
        for g in arrays:
            g *= scale
    return total


def step_decay(lr0, factor=0.5, every=10):
    """Schedule: multiply the learning rate by ``factor`` every ``every`` epochs.

    Returns a function epoch (0-based) -> lr0 * factor ** (epoch // every);
    with the defaults, epochs 0-9 use lr0, epochs 10-19 use lr0/2, ...
    """
    lr0 = check_positive_number(lr0, "learning rate")
    factor = check_in_range(factor, "factor", 0.0, 1.0, "(]")
    every = check_positive_int(every, "every")

    def schedule(epoch):
        return lr0 * factor ** (check_positive_int(epoch, "epoch (counted from 0)", minimum=0) // every)

    schedule.__doc__ = f"step_decay(lr0={lr0:g}, factor={factor:g}, every={every})"
    return schedule


def exponential_decay(lr0, rate=0.95):
    """Schedule: multiply the learning rate by ``rate`` every epoch.

    Returns a function epoch (0-based) -> lr0 * rate ** epoch.
    """
    lr0 = check_positive_number(lr0, "learning rate")
    rate = check_in_range(rate, "rate", 0.0, 1.0, "(]")

    def schedule(epoch):
        return lr0 * rate ** check_positive_int(epoch, "epoch (counted from 0)", minimum=0)

    schedule.__doc__ = f"exponential_decay(lr0={lr0:g}, rate={rate:g})"
    return schedule
