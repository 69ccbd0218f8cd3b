"""Networks built from layers: Sequential, the Residual skip connection, and mlp().

Taught in notebook 01 (a network is layers in a row), 04 (its backward pass is
the layers' backward passes in reverse) and 07 (skip connections).
"""

from backprop_lessons._checks import as_rng, check_choice, check_in_range, check_positive_int
from backprop_lessons.dropout import Dropout
from backprop_lessons.layer import _ACTIVATION_LAYERS, Layer, Linear, activation_layer, init_std
from backprop_lessons.normalization import BatchNorm1d

__all__ = ["Residual", "Sequential", "mlp", "iter_layers", "linear_layers"]


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
        super().__init__()
        self.block = _check_layer_like(block, "Residual")
        self.params, self.grads = block.params, block.grads

    def forward(self, X):
        """X (N, D) -> out (N, D)."""
        fX = self.block.forward(X)
        if fX.shape != X.shape:
            raise ValueError(f"Residual needs a block that keeps the shape: input {X.shape}, block output {fX.shape}")
        return X + fX

    def backward(self, dout):
        """dout (N, D) -> dX (N, D)."""
        return dout + self.block.backward(dout)

    def train(self):
        self.block.train()
        return super().train()

    def eval(self):
        self.block.eval()
        return super().eval()

    def __repr__(self):
        inner = repr(self.block).replace("\n", "\n  ")
        return f"Residual(\n  {inner}\n)"


class Sequential(Layer):
    """Layers applied one after another; backward runs them in reverse.

    ``params`` / ``grads`` are flat dicts keyed ``"{index}.{name}"`` ("0.W", "0.b",
    "2.W", and "2.0.W" for a layer inside a Residual or Sequential at index 2);
    the values are the arrays the layers hold, so an in-place optimizer update
    changes the layers (and a layer's backward writes into its grads in place).
    """

    def __init__(self, *layers):
        super().__init__()
        self.layers = [_check_layer_like(layer, "Sequential") for layer in layers]
        for i, layer in enumerate(self.layers):
            self.params.update({f"{i}.{name}": p for name, p in layer.params.items()})
            self.grads.update({f"{i}.{name}": g for name, g in layer.grads.items()})

    def forward(self, X):
        """X (N, D) -> output of the last layer, e.g. scores (N, C)."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, dout):
        """dout (shape of the output) -> dX (N, D); every layer fills its grads."""
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def train(self):
        for layer in self.layers:
            layer.train()
        return super().train()

    def eval(self):
        for layer in self.layers:
            layer.eval()
        return super().eval()

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


def _check_sizes(sizes):
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
        raise TypeError(
            f"sizes must be a list of layer widths [D, H1, ..., C] such as [2, 16, 1], got {type(sizes).__name__} "
            f"{sizes!r:.40}"
        )
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least 2 entries (inputs and outputs), got {sizes}")
    return [check_positive_int(s, f"layer size sizes[{i}]") for i, s in enumerate(sizes)]


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
    sizes = _check_sizes(sizes)
    check_choice(activation, _ACTIVATION_LAYERS, "activation")
    init_std(init, sizes[0], sizes[1], std)  # an unknown init or a misplaced std, before any layer is built
    dropout = check_in_range(dropout, "dropout probability p", 0.0, 1.0, "[)")
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
