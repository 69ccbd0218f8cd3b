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
import numbers
from collections.abc import Mapping

import numpy as np

from backprop_lessons._checks import check_choice, check_positive_int, check_positive_number

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


def _check_beta(value, name):
    """A decay rate must lie in [0, 1): at 1 the running average never forgets."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value!r:.40}")
    return float(value)


class Optimizer:
    """Base class: holds the learning rate and the per-key state.

    A subclass lists its per-key arrays in ``_state_names`` and implements
    ``_update(p, g, state)``; ``step`` finds (or makes) each key's state and
    calls it. ``state[key]`` is a dict, e.g. ``opt.state["0.W"]["v"]`` for Momentum.
    """

    _state_names = ("buf",)  # "buf": scratch space, so a step makes no new arrays

    def __init__(self, lr):
        self.lr = lr  # validated by the property below
        self.state = {}  # key -> dict of arrays (shaped like the parameter), made on first use

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
            missing = sorted(set(params) - set(grads))
            extra = sorted(set(grads) - set(params))
            raise ValueError(f"params and grads need the same keys; missing grads {missing}, extra grads {extra}")
        for key, p in params.items():
            g = grads[key]
            state = self.state.get(key)
            # The shape checks cost little and catch a model swapped under a used optimizer.
            if state is None or g.shape != p.shape or state["buf"].shape != p.shape:
                state = self._new_state(key, p, g, state)
            self._update(p, g, state)

    def _new_state(self, key, p, g, state):
        if g.shape != p.shape:
            raise ValueError(f"grads[{key!r}] has shape {g.shape} but params[{key!r}] has shape {p.shape}")
        if state is not None:
            raise ValueError(
                f"this optimizer's state for {key!r} has shape {state['buf'].shape}, the parameter has "
                f"shape {p.shape}; call reset() (or make a new optimizer) before training another model"
            )
        state = self.state[key] = {name: np.zeros_like(p, dtype=np.float64) for name in self._state_names}
        state["t"] = 0  # steps taken for this key (Adam's bias correction needs it)
        return state

    def _update(self, p, g, state):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self):
        extras = "".join(f", {k}={v:g}" for k, v in self._hyper().items())
        return f"{type(self).__name__}(lr={self.lr:g}{extras})"

    def _hyper(self):
        return {}


class SGD(Optimizer):
    """Plain gradient descent: p <- p - lr * g."""

    def _update(self, p, g, state):
        # Same arithmetic as `p -= self.lr * g`, but lr * g goes into a reused buffer.
        buf = state["buf"]
        np.multiply(g, self._lr, out=buf)
        p -= buf


class Momentum(Optimizer):
    """Gradient descent with momentum (heavy ball), in PyTorch's form.

        v <- beta * v + g        (v: decaying sum of past gradients)
        p <- p - lr * v

    With a constant gradient g, v grows to g / (1 - beta): steps become
    1 / (1 - beta) times longer (10x for beta = 0.9) along directions where
    the gradient keeps its sign, while zig-zag components cancel out.

    The other common form (CS231n), u <- beta * u - lr * g; p <- p + u, gives
    the same path while lr is constant (u = -lr * v). They differ when lr
    changes: here a new lr scales the whole step at once.
    """

    _state_names = ("v", "buf")

    def __init__(self, lr, beta=0.9):
        super().__init__(lr)
        self.beta = _check_beta(beta, "beta")

    def _hyper(self):
        return {"beta": self.beta}

    def _update(self, p, g, state):
        v, buf = state["v"], state["buf"]
        v *= self.beta
        v += g  # v = beta*v + g
        np.multiply(v, self._lr, out=buf)
        p -= buf  # p = p - lr*v


class Adam(Optimizer):
    """Adam: momentum on g plus a per-coordinate step size from a running mean of g**2.

        m <- beta1 * m + (1 - beta1) * g         (first moment: mean gradient)
        v <- beta2 * v + (1 - beta2) * g**2      (second moment: mean squared gradient)
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)

    with the bias-corrected moments m_hat, v_hat computed in ``_update``.
    Each coordinate moves by about lr per step, whatever the gradient's scale.
    """

    _state_names = ("m", "v", "buf")

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1 = _check_beta(beta1, "beta1")
        self.beta2 = _check_beta(beta2, "beta2")
        self.eps = check_positive_number(eps, "eps")

    def _hyper(self):
        return {"beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}

    def _update(self, p, g, state):
        m, v, buf = state["m"], state["v"], state["buf"]
        state["t"] += 1
        t = state["t"]
        b1, b2 = self.beta1, self.beta2

        m *= b1
        np.multiply(g, 1.0 - b1, out=buf)
        m += buf  # m = b1*m + (1-b1)*g
        v *= b2
        np.multiply(g, g, out=buf)
        buf *= 1.0 - b2
        v += buf  # v = b2*v + (1-b2)*g**2

        # Bias correction. m and v start at 0, so after t steps they are too
        # small by the factors (1 - b1**t) and (1 - b2**t); e.g. at t = 1,
        # m = 0.1*g and v = 0.001*g**2. Dividing those factors out gives
        # m_hat = g and v_hat = g**2 at the first step, so the first step is
        # lr * g / |g| = lr per coordinate instead of lr * 0.1/sqrt(0.001) ~ 3.2 lr.
        m_hat_scale = 1.0 / (1.0 - b1**t)
        v_hat_scale = 1.0 / (1.0 - b2**t)

        # buf = sqrt(v_hat) + eps; eps only guards against dividing by 0 where
        # a coordinate's gradient has always been 0.
        np.multiply(v, v_hat_scale, out=buf)
        np.sqrt(buf, out=buf)
        buf += self.eps
        np.divide(m, buf, out=buf)  # m / (sqrt(v_hat) + eps)
        buf *= self._lr * m_hat_scale  # lr * m_hat / (sqrt(v_hat) + eps)
        p -= buf


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(name, lr, **kwargs):
    """Build the optimizer called ``name`` ("sgd", "momentum", "adam") with learning rate ``lr``.

    Extra keyword arguments go to the class, e.g. ``make_optimizer("momentum", 0.1, beta=0.5)``.
    """
    check_choice(name, OPTIMIZERS, "optimizer")
    return OPTIMIZERS[name](lr, **kwargs)


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
    arrays = list(grads.values()) if isinstance(grads, Mapping) else [grads]
    # vdot flattens each array; no copies of the gradients are made.
    total = math.sqrt(sum(float(np.vdot(g, g)) for g in arrays))
    if total > max_norm and math.isfinite(total):
        scale = max_norm / total
        for g in arrays:
            g *= scale
    return total


def _check_epoch(epoch):
    if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral) or epoch < 0:
        raise ValueError(f"epoch must be a whole number >= 0 (epochs count from 0), got {epoch!r:.40}")
    return int(epoch)


def _check_factor(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 < value <= 1.0:
        raise ValueError(f"{name} must be in (0, 1], got {value!r:.40}")
    return float(value)


def step_decay(lr0, factor=0.5, every=10):
    """Schedule: multiply the learning rate by ``factor`` every ``every`` epochs.

    Returns a function epoch (0-based) -> lr0 * factor ** (epoch // every);
    with the defaults, epochs 0-9 use lr0, epochs 10-19 use lr0/2, ...
    """
    lr0 = check_positive_number(lr0, "learning rate")
    factor = _check_factor(factor, "factor")
    every = check_positive_int(every, "every")

    def schedule(epoch):
        return lr0 * factor ** (_check_epoch(epoch) // every)

    schedule.__doc__ = f"step_decay(lr0={lr0:g}, factor={factor:g}, every={every})"
    return schedule


def exponential_decay(lr0, rate=0.95):
    """Schedule: multiply the learning rate by ``rate`` every epoch.

    Returns a function epoch (0-based) -> lr0 * rate ** epoch.
    """
    lr0 = check_positive_number(lr0, "learning rate")
    rate = _check_factor(rate, "rate")

    def schedule(epoch):
        return lr0 * rate ** _check_epoch(epoch)

    schedule.__doc__ = f"exponential_decay(lr0={lr0:g}, rate={rate:g})"
    return schedule
