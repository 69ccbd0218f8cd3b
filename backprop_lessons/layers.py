"""Layers with a forward and a backward pass, and networks built from them.

Taught in notebooks 01 (forward pass: Linear, activations), 04 (backprop:
``backward``), 07 (BatchNorm1d, Residual, weight init) and 09 (Dropout).

Every layer has

* ``forward(X) -> out``: computes the output and keeps (caches) what backward needs;
* ``backward(dout) -> dX``: given dL/d(out), fills ``grads`` with dL/d(param)
  and returns dL/dX (gradients are overwritten, not accumulated);
* ``params`` and ``grads``: dicts with the same keys ({} for layers without
  parameters); ``training`` plus ``train()`` / ``eval()``.

Shapes: N examples per batch, D input features, H output features.

``forward`` checks the input once (2-D, finite) and then calls ``_forward``,
the maths. Inside a Sequential only the first layer's input is checked: a
network whose weights blew up may then produce inf/NaN, which the training
loop detects as divergence, instead of failing halfway through.
"""

import functools
import math
import numbers

import numpy as np

from backprop_lessons._checks import as_rng, check_array, check_choice, check_positive_int, check_positive_number
from backprop_lessons.activations import get_activation, leaky_relu, leaky_relu_prime

__all__ = [
    "Layer",
    "Linear",
    "Activation",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "Identity",
    "activation_layer",
    "BatchNorm1d",
    "Dropout",
    "Residual",
    "Sequential",
    "mlp",
    "linear_layers",
    "iter_layers",
    "INITS",
]

INITS = ("normal", "xavier", "he")


def _check_input(X, name):
    """The data entering a layer: a finite float64 batch of shape (N, D)."""
    arr = check_array(X, f"{name} input X", finite=False)  # float64, or one clear TypeError
    if arr.ndim == 1:
        raise ValueError(
            f"{name} expects a batch X of shape (N, D), got a 1-D array of shape {arr.shape}; "
            "for a single example use X.reshape(1, -1)"
        )
    return check_array(arr, f"{name} input X", ndim=2)


def _check_dout(dout, shape, name):
    """dL/d(out) must have the shape forward returned."""
    if shape is None:
        raise RuntimeError(f"{name}.backward was called before forward; forward keeps what backward needs")
    dout = np.asarray(dout, dtype=np.float64)
    if dout.shape != shape:
        raise ValueError(f"{name}.backward got dout of shape {dout.shape}, but forward returned shape {shape}")
    return dout


def _run(layer, X):
    """Forward without re-checking the input (used inside Sequential and Residual)."""
    return layer._forward(X) if isinstance(layer, Layer) else layer.forward(X)


class Layer:
    """Base class: a layer without parameters, in training mode."""

    def __init__(self):
        self.params = {}
        self.grads = {}
        self.training = True

    def forward(self, X):
        """Check X (N, D) once, then return the layer's output."""
        return self._forward(_check_input(X, type(self).__name__))

    def _forward(self, X):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def train(self):
        """Training mode (Dropout drops, BatchNorm uses batch statistics). Returns self."""
        self.training = True
        return self

    def eval(self):
        """Evaluation mode (Dropout off, BatchNorm uses running statistics). Returns self."""
        self.training = False
        return self

    def __repr__(self):
        return f"{type(self).__name__}()"


# --------------------------------------------------------------------- Linear
def _init_std(init, D, H, std):
    """Standard deviation of the initial weights (notebook 07)."""
    if init == "normal":
        return 1.0 if std is None else check_positive_number(std, "std")
    if std is not None:
        raise ValueError(f"std={std!r} is only used with init='normal'; init={init!r} chooses its own std")
    if init == "xavier":
        return math.sqrt(2.0 / (D + H))  # Glorot: keeps the variance equal forward and backward
    return math.sqrt(2.0 / D)  # He: ReLU zeroes half the units, so double the variance 1/D


class Linear(Layer):
    """Fully connected layer: out = X @ W + b.

    in_features D, out_features H; params W (D, H) and b (H,).
    init: "normal" (N(0, std^2), std defaults to 1.0), "xavier" (std = sqrt(2 / (D + H)))
    or "he" (std = sqrt(2 / D)); b starts at zero. rng: None, an int seed or a Generator.
    """

    def __init__(self, in_features, out_features, init="he", std=None, rng=None):
        super().__init__()
        D = check_positive_int(in_features, "in_features")
        H = check_positive_int(out_features, "out_features")
        check_choice(init, INITS, "init")
        self.init = init
        scale = _init_std(init, D, H, std)
        self.params = {"W": as_rng(rng).normal(0.0, scale, size=(D, H)), "b": np.zeros(H)}
        self.grads = {"W": np.zeros((D, H)), "b": np.zeros(H)}
        self.X = None  # cache: the input, needed for dW

    @property
    def W(self):
        return self.params["W"]

    @property
    def b(self):
        return self.params["b"]

    def _forward(self, X):
        """X (N, D) -> out (N, H)."""
        D = self.W.shape[0]
        if X.shape[1] != D:
            raise ValueError(f"Linear expected {D} features, got {X.shape[1]}")
        self.X = X
        return X @ self.W + self.b  # (N, D) @ (D, H) + (H,) -> (N, H)

    def backward(self, dout):
        """dout (N, H) -> dX (N, D); fills grads["W"] (D, H) and grads["b"] (H,)."""
        shape = None if self.X is None else (self.X.shape[0], self.W.shape[1])
        dout = _check_dout(dout, shape, "Linear")
        # Written in place, so dicts handed out earlier (Sequential.grads) see the new values.
        self.grads["W"][...] = self.X.T @ dout  # (D, N) @ (N, H) -> (D, H)
        self.grads["b"][...] = dout.sum(axis=0)  # b was added to every row: sum over N
        return dout @ self.W.T  # (N, H) @ (H, D) -> (N, D)

    def __repr__(self):
        D, H = self.W.shape
        return f"Linear({D}, {H}, init={self.init!r})"


# ---------------------------------------------------------------- activations
class Activation(Layer):
    """Elementwise activation f; backward multiplies by f'(X) entry by entry (notebook 06)."""

    def __init__(self, name):
        super().__init__()
        self.f, self.f_prime = get_activation(name)
        self.X = None
        self.out = None

    def _forward(self, X):
        """X (N, D) -> f(X) (N, D)."""
        self.X = X
        self.out = self.f(X)
        return self.out

    def local_derivative(self):
        """f'(X) (N, D) for the cached input."""
        return self.f_prime(self.X)

    def backward(self, dout):
        """dout (N, D) -> dX = dout * f'(X) (N, D)."""
        dout = _check_dout(dout, None if self.X is None else self.X.shape, type(self).__name__)
        return dout * self.local_derivative()


class Sigmoid(Activation):
    def __init__(self):
        super().__init__("sigmoid")

    def local_derivative(self):
        # sigma'(x) = sigma(x) (1 - sigma(x)): reuse the forward output, no second exp.
        return self.out * (1.0 - self.out)


class Tanh(Activation):
    def __init__(self):
        super().__init__("tanh")

    def local_derivative(self):
        # tanh'(x) = 1 - tanh(x)^2: reuse the forward output instead of recomputing tanh.
        return 1.0 - self.out * self.out


class ReLU(Activation):
    def __init__(self):
        super().__init__("relu")


class Identity(Activation):
    def __init__(self):
        super().__init__("identity")


class LeakyReLU(Activation):
    """max(x, alpha * x) with a small positive slope alpha for x < 0."""

    def __init__(self, alpha=0.01):
        super().__init__("leaky_relu")
        self.alpha = check_positive_number(alpha, "alpha")
        self.f = functools.partial(leaky_relu, alpha=self.alpha)
        self.f_prime = functools.partial(leaky_relu_prime, alpha=self.alpha)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha:g})"


_ACTIVATION_LAYERS = {"sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU, "leaky_relu": LeakyReLU, "identity": Identity}


def activation_layer(name):
    """The layer for an activation name, e.g. activation_layer("tanh") -> Tanh()."""
    if not isinstance(name, str):
        raise TypeError(f"an activation name must be a string such as 'tanh', got {type(name).__name__}")
    check_choice(name, _ACTIVATION_LAYERS, "activation")
    return _ACTIVATION_LAYERS[name]()


# ----------------------------------------------------------------- BatchNorm1d
class BatchNorm1d(Layer):
    """Batch normalization over N for each of D features (notebook 07).

    out = gamma * (X - mean) / sqrt(var + eps) + beta; params gamma (D,), beta (D,).
    Training mode uses the batch's mean and variance and updates the running
    averages ``running = momentum * running + (1 - momentum) * batch``;
    eval mode uses the running averages, so one example gives a fixed answer.
    """

    def __init__(self, num_features, momentum=0.9, eps=1e-5):
        super().__init__()
        D = check_positive_int(num_features, "num_features")
        if not isinstance(momentum, numbers.Real) or isinstance(momentum, bool) or not 0.0 <= momentum <= 1.0:
            raise ValueError(f"momentum must be a number between 0 and 1, got {momentum!r}")
        self.momentum = float(momentum)
        self.eps = check_positive_number(eps, "eps")
        self.params = {"gamma": np.ones(D), "beta": np.zeros(D)}
        self.grads = {"gamma": np.zeros(D), "beta": np.zeros(D)}
        self.running_mean = np.zeros(D)
        self.running_var = np.ones(D)
        self.xhat = None  # cache: normalized input (N, D), its 1/std (D,), the mode used

    def _forward(self, X):
        """X (N, D) -> out (N, D)."""
        N, D = X.shape
        if D != self.params["gamma"].shape[0]:
            raise ValueError(f"BatchNorm1d expected {self.params['gamma'].shape[0]} features, got {D}")
        if self.training:
            if N < 2:
                raise ValueError(
                    f"BatchNorm1d in training mode needs at least 2 examples per batch, got N={N}; "
                    "use a larger batch, or call eval() to use the running statistics"
                )
            mean = X.mean(axis=0)  # (D,)
            var = X.var(axis=0)  # (D,), divides by N (the same variance backward differentiates)
            m = self.momentum
            self.running_mean = m * self.running_mean + (1.0 - m) * mean
            self.running_var = m * self.running_var + (1.0 - m) * var
        else:
            mean, var = self.running_mean, self.running_var
        # eps keeps 1/std finite when a feature is constant over the batch (var = 0).
        self.inv_std = 1.0 / np.sqrt(var + self.eps)  # (D,)
        self.xhat = (X - mean) * self.inv_std  # (N, D): mean 0, variance ~1 per feature
        self.used_batch_stats = self.training
        return self.params["gamma"] * self.xhat + self.params["beta"]

    def backward(self, dout):
        """dout (N, D) -> dX (N, D); fills grads["gamma"] and grads["beta"] (D,)."""
        dout = _check_dout(dout, None if self.xhat is None else self.xhat.shape, "BatchNorm1d")
        xhat, inv_std = self.xhat, self.inv_std
        self.grads["gamma"][...] = (dout * xhat).sum(axis=0)
        self.grads["beta"][...] = dout.sum(axis=0)
        dxhat = dout * self.params["gamma"]  # (N, D)
        if not self.used_batch_stats:
            return dxhat * inv_std  # running statistics are constants
        # Every X[n, d] also moves the batch mean and variance of feature d;
        # those two paths give the two subtracted terms (derived in notebook 07).
        N = dout.shape[0]
        return inv_std / N * (N * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0))

    def __repr__(self):
        return f"BatchNorm1d({self.params['gamma'].shape[0]}, momentum={self.momentum:g}, eps={self.eps:g})"


# --------------------------------------------------------------------- Dropout
class Dropout(Layer):
    """Inverted dropout (notebook 09): in training, zero each entry with probability p
    and scale the survivors by 1 / (1 - p), so the expected output equals X and eval
    mode can simply pass X through unchanged.

    A new random mask is drawn on every training forward pass. For a gradient
    check the mask must stay the same while the input is nudged: call
    ``freeze_mask()`` (the next forward draws one mask, later ones reuse it) and
    ``unfreeze_mask()`` afterwards. ``gradcheck.check_layer`` does this itself.
    """

    def __init__(self, p=0.5, rng=None):
        super().__init__()
        if not isinstance(p, numbers.Real) or isinstance(p, bool) or not 0.0 <= p < 1.0:
            raise ValueError(f"dropout probability p must be a number in [0, 1), got {p!r}")
        self.p = float(p)
        self.rng = as_rng(rng)
        self.mask = None  # (N, D): 0 or 1 / (1 - p)
        self.frozen = False
        self._shape = None  # cache: output shape, and whether the mask was applied
        self._applied = False

    def freeze_mask(self):
        """Reuse one mask on every forward pass (for gradient checks). Returns self."""
        self.frozen = True
        return self

    def unfreeze_mask(self):
        """Draw a fresh mask on every forward pass again (normal training). Returns self."""
        self.frozen = False
        return self

    def _forward(self, X):
        """X (N, D) -> out (N, D)."""
        self._shape, self._applied = X.shape, self.training
        if not self.training:
            return X.copy()
        if not (self.frozen and self.mask is not None):
            keep = self.rng.random(X.shape) >= self.p  # True with probability 1 - p
            self.mask = keep / (1.0 - self.p)
        elif self.mask.shape != X.shape:
            raise ValueError(
                f"the frozen dropout mask has shape {self.mask.shape} but the input has shape {X.shape}; "
                "call unfreeze_mask() first"
            )
        return X * self.mask

    def backward(self, dout):
        """dout (N, D) -> dX (N, D): dropped entries get no gradient."""
        dout = _check_dout(dout, self._shape, "Dropout")
        return dout * self.mask if self._applied else dout.copy()

    def __repr__(self):
        return f"Dropout(p={self.p:g})"


# ---------------------------------------------------------------- containers
def _check_layer_like(layer, where):
    if not (callable(getattr(layer, "forward", None)) and callable(getattr(layer, "backward", None))):
        raise TypeError(f"{where} takes layers (objects with forward and backward), got {type(layer).__name__}")
    return layer


class Residual(Layer):
    """Skip connection (notebook 07): out = X + block(X).

    block maps (N, D) -> (N, D). Backward: dX = dout + block.backward(dout): the
    skip path hands the gradient back unchanged, so it cannot vanish through the block.
    params / grads are the block's.
    """

    def __init__(self, block):
        self.block = _check_layer_like(block, "Residual")
        self.training = True
        self._shape = None

    @property
    def params(self):
        return self.block.params

    @property
    def grads(self):
        return self.block.grads

    def _forward(self, X):
        """X (N, D) -> out (N, D)."""
        fX = _run(self.block, X)
        if fX.shape != X.shape:
            raise ValueError(
                f"Residual needs a block that keeps the shape: input {X.shape}, block output {fX.shape}"
            )
        self._shape = X.shape
        return X + fX

    def backward(self, dout):
        """dout (N, D) -> dX (N, D)."""
        dout = _check_dout(dout, self._shape, "Residual")
        return dout + self.block.backward(dout)

    def train(self):
        self.training = True
        self.block.train()
        return self

    def eval(self):
        self.training = False
        self.block.eval()
        return self

    def __repr__(self):
        inner = repr(self.block).replace("\n", "\n  ")
        return f"Residual(\n  {inner}\n)"


class Sequential(Layer):
    """Layers applied one after another; backward runs them in reverse.

    ``params`` / ``grads`` are flat dicts keyed ``"{index}.{name}"`` ("0.W", "0.b",
    "2.W", and "2.0.W" for a layer inside a Residual or Sequential at index 2);
    the values are the arrays the layers hold, so an in-place optimizer update
    changes the layers.
    """

    def __init__(self, *layers):
        self.layers = [_check_layer_like(layer, "Sequential") for layer in layers]
        self.training = True

    def _flat(self, attribute):
        flat = {}
        for i, layer in enumerate(self.layers):
            for name, value in getattr(layer, attribute).items():
                flat[f"{i}.{name}"] = value
        return flat

    @property
    def params(self):
        return self._flat("params")

    @property
    def grads(self):
        return self._flat("grads")

    def _forward(self, X):
        """X (N, D) -> output of the last layer, e.g. scores (N, C)."""
        for layer in self.layers:
            X = _run(layer, X)
        return X

    def backward(self, dout):
        """dout (shape of the output) -> dX (N, D); every layer fills its grads."""
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def train(self):
        self.training = True
        for layer in self.layers:
            layer.train()
        return self

    def eval(self):
        self.training = False
        for layer in self.layers:
            layer.eval()
        return self

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, index):
        if isinstance(index, slice):
            part = Sequential(*self.layers[index])
            part.training = self.training
            return part
        return self.layers[index]

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self):
        lines = [f"  ({i}): " + repr(layer).replace("\n", "\n  ") for i, layer in enumerate(self.layers)]
        return "Sequential(\n" + "\n".join(lines) + "\n)"


# -------------------------------------------------------------------- builders
def mlp(sizes, activation="tanh", init="xavier", std=None, rng=None, batchnorm=False, residual=False, dropout=0.0):
    """A multi-layer perceptron as a Sequential.

    sizes [D, H1, ..., C]: mlp([2, 16, 16, 1]) = Linear(2, 16), Tanh, Linear(16, 16),
    Tanh, Linear(16, 1). The last Linear has no activation: its outputs are scores
    (logits) for the loss. Each hidden block is Linear [+ BatchNorm1d] + activation
    [+ Dropout(dropout)]; residual=True wraps every block whose input and output
    widths are equal in a Residual. All Linear layers draw from ONE generator made
    from rng, so the same seed gives the same initial weights (whatever the
    batchnorm / residual / dropout options: those draw nothing at construction).
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least 2 entries (inputs and outputs), got {sizes}")
    sizes = [check_positive_int(s, f"layer size sizes[{i}]") for i, s in enumerate(sizes)]
    activation_layer(activation)  # fail early on an unknown name
    if dropout != 0.0:
        Dropout(dropout)  # same check as the layer itself
    rng = as_rng(rng)
    layers = []
    for d_in, d_out in zip(sizes[:-2], sizes[1:-1]):
        block = [Linear(d_in, d_out, init=init, std=std, rng=rng)]
        if batchnorm:
            block.append(BatchNorm1d(d_out))
        block.append(activation_layer(activation))
        if dropout > 0.0:
            block.append(Dropout(dropout, rng=rng))
        if residual and d_in == d_out:
            layers.append(Residual(Sequential(*block)))
        else:
            layers.extend(block)
    layers.append(Linear(sizes[-2], sizes[-1], init=init, std=std, rng=rng))
    return Sequential(*layers)


def iter_layers(model):
    """Every basic layer inside model, in forward order (opens Sequential and Residual)."""
    if isinstance(model, Sequential):
        for layer in model.layers:
            yield from iter_layers(layer)
    elif isinstance(model, Residual):
        yield from iter_layers(model.block)
    else:
        yield model


def linear_layers(model):
    """The Linear layers of model in order (layer 1 = input side), e.g. for per-layer gradient norms."""
    return [layer for layer in iter_layers(model) if isinstance(layer, Linear)]
