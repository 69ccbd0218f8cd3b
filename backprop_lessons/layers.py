"""Every layer of the course, gathered in one place to import from.

    from backprop_lessons.layers import Linear, Tanh, Sequential, mlp

Each layer has ``forward(X) -> out`` (keeping what backward needs) and
``backward(dout) -> dX`` (filling ``grads``), and ``params`` / ``grads`` dicts.
Where each one is written, and the notebook that teaches it:

* ``layer.py``         -- the Layer base class, Linear and the activation layers (notebooks 01, 04, 06);
* ``normalization.py`` -- BatchNorm1d (notebook 07);
* ``dropout.py``       -- Dropout (notebook 09);
* ``network.py``       -- Sequential, Residual, mlp(), iter_layers, linear_layers (notebooks 01, 04, 07).
"""

from backprop_lessons.dropout import Dropout
from backprop_lessons.layer import (
    INITS,
    Activation,
    Identity,
    Layer,
    LeakyReLU,
    Linear,
    ReLU,
    Sigmoid,
    Tanh,
    activation_layer,
)
from backprop_lessons.network import Residual, Sequential, iter_layers, linear_layers, mlp
from backprop_lessons.normalization import BatchNorm1d

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
