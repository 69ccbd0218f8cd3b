"""Dropout: switch off random units in training, so no unit can rely on another.

Taught in notebook 09 (generalization), as a way to reduce overfitting.
"""

from backprop_lessons._checks import as_rng, check_in_range
from backprop_lessons.layer import Layer

__all__ = ["Dropout"]


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
        self.p = check_in_range(p, "dropout probability p", 0.0, 1.0, "[)")
        self.rng = as_rng(rng)
        self.mask = None  # (N, D): 0 or 1 / (1 - p); None in eval mode
        self.frozen = False

    def freeze_mask(self):
        """Reuse one mask on every forward pass (for gradient checks). Returns self."""
        self.frozen = True
        return self

    def unfreeze_mask(self):
        """Draw a fresh mask on every forward pass again (normal training). Returns self."""
        self.frozen = False
        return self

    def forward(self, X):
        """X (N, D) -> out (N, D)."""
        if not self.training:
            self.applied = False
            return X.copy()
        if not (self.frozen and self.mask is not None):
            keep = self.rng.random(X.shape) >= self.p  # True with probability 1 - p
            self.mask = keep / (1.0 - self.p)
        elif self.mask.shape != X.shape:
            raise ValueError(
                f"the frozen dropout mask has shape {self.mask.shape} but the input has shape {X.shape}; "
                "call unfreeze_mask() first"
            )
        self.applied = True
        return X * self.mask

    def backward(self, dout):
        """dout (N, D) -> dX (N, D): dropped entries get no gradient."""
        return dout * self.mask if self.applied else dout.copy()

    def __repr__(self):
        return f"Dropout(p={self.p:g})"
