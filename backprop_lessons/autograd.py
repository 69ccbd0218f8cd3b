"""Scalar reverse-mode automatic differentiation: the chain rule on a computation graph.

Taught in notebook 03 (chain rule) and used again in 04 (backpropagation).

Every operation on a `Value` builds a new node that remembers

* ``_prev``  -- the nodes it was computed from (its parents in the graph),
* ``_op``    -- the operation's name, so the graph can be drawn,
* ``_local`` -- the *local derivatives* d(out)/d(parent), one per parent,
  computed during the forward pass while the numbers are at hand.

``backward()`` then applies the chain rule node by node in reverse topological
order: ``parent.grad += local_derivative * node.grad``.

Two choices differ from micrograd, on purpose:

* Local derivatives are stored as numbers instead of ``_backward`` closures.
  A closure that refers to its own node makes a reference cycle, so every node
  of a micrograd graph waits for the cyclic garbage collector; plain numbers
  keep the graph cycle-free and backprop several times faster.
* ``backward()`` first sets every gradient in the graph to zero, so calling it
  twice gives the same numbers instead of silently doubling them.
"""

import math
import numbers

__all__ = ["Value"]


def _as_number(x, what="Value"):
    """Return ``x`` as a float, or raise one clear TypeError."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(
            f"{what} needs a real number (int or float), got {type(x).__name__} {x!r:.40}"
        )
    return float(x)


class Value:
    """One scalar in a computation graph, with the gradient d(output)/d(this).

    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> c = a * b + a
    >>> c.backward()
    >>> a.grad, b.grad          # dc/da = b + 1, dc/db = a
    (-2.0, 2.0)
    """

    # __slots__ makes nodes small and attribute access fast; a training step
    # builds tens of thousands of them.
    __slots__ = ("data", "grad", "label", "_prev", "_op", "_local")

    def __init__(self, data, label=""):
        self.data = _as_number(data)
        self.grad = 0.0
        self.label = str(label)
        self._prev = ()
        self._op = ""
        self._local = ()

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _node(data, prev, local, op):
        """Build a result node without re-validating ``data`` (a hot path)."""
        out = object.__new__(Value)
        out.data = data
        out.grad = 0.0
        out.label = ""
        out._prev = prev
        out._op = op
        out._local = local
        return out

    @staticmethod
    def _wrap(other):
        if isinstance(other, Value):
            return other
        try:
            return Value(other)
        except TypeError:
            raise TypeError(
                f"a Value can only be combined with numbers or other Values, "
                f"not {type(other).__name__} {other!r:.40}"
            ) from None

    # --------------------------------------------------------- binary operators
    def __add__(self, other):
        other = Value._wrap(other)
        return Value._node(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __sub__(self, other):
        other = Value._wrap(other)
        return Value._node(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __mul__(self, other):
        other = Value._wrap(other)
        # d(ab)/da = b and d(ab)/db = a: each factor's slope is the *other* factor.
        return Value._node(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __truediv__(self, other):
        other = Value._wrap(other)
        if other.data == 0.0:
            raise ZeroDivisionError(f"division by a Value whose data is 0 ({self!r} / {other!r})")
        inv = 1.0 / other.data
        # d(a/b)/da = 1/b and d(a/b)/db = -a/b**2
        return Value._node(self.data * inv, (self, other), (inv, -self.data * inv * inv), "/")

    def __pow__(self, exponent):
        if isinstance(exponent, Value):
            raise TypeError(
                "the exponent of ** must be a plain number, not a Value; "
                "for a learnable exponent write (b * a.log()).exp()"
            )
        n = _as_number(exponent, "the exponent of **")
        x = self.data
        if x == 0.0 and n < 1.0:
            raise ZeroDivisionError(f"0 ** {n:g} is undefined (or its slope is): the base is 0")
        if x < 0.0 and not n.is_integer():
            raise ValueError(f"({x:g}) ** {n:g} is not a real number: a negative base needs a whole exponent")
        # power rule: d(x**n)/dx = n * x**(n-1)
        return Value._node(x**n, (self,), (n * x ** (n - 1.0),), f"**{n:g}")

    # Reflected forms, so that 2 * v, 1 - v and 1 / v work too.
    def __radd__(self, other):
        return self + other

    def __rsub__(self, other):
        return Value._wrap(other) - self

    def __rmul__(self, other):
        return self * other

    def __rtruediv__(self, other):
        return Value._wrap(other) / self

    def __neg__(self):
        return Value._node(-self.data, (self,), (-1.0,), "neg")

    # ------------------------------------------------------------ unary functions
    def exp(self):
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"exp({self.data:g}) is too large for a float; an input this large often "
                "means the learning rate is too high"
            ) from None
        return Value._node(e, (self,), (e,), "exp")  # d(e^x)/dx = e^x

    def log(self):
        if self.data <= 0.0:
            raise ValueError(f"log needs a positive number, got {self.data:g}")
        return Value._node(math.log(self.data), (self,), (1.0 / self.data,), "log")

    def tanh(self):
        t = math.tanh(self.data)
        return Value._node(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self):
        x = self.data
        # Two algebraically equal forms so that exp never overflows.
        if x >= 0.0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        return Value._node(s, (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self):
        x = self.data
        # The slope at exactly 0 is taken as 0, the usual convention.
        return Value._node(x if x > 0.0 else 0.0, (self,), (1.0 if x > 0.0 else 0.0,), "relu")

    # ------------------------------------------------------------------ backward
    def topological_order(self):
        """All nodes this Value depends on, each after all of its parents.

        Iterative depth-first search, so a chain of 100,000 nodes works
        (a recursive one stops near Python's recursion limit of ~1,000).
        """
        order = []
        visited = set()
        stack = [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
                continue
            if node in visited:
                continue
            visited.add(node)
            stack.append((node, True))
            for parent in node._prev:
                if parent not in visited:
                    stack.append((parent, False))
        return order

    def backward(self):
        """Fill ``.grad`` of every node in the graph with d(self)/d(node).

        Gradients are recomputed from zero, so calling backward() twice gives
        the same numbers. Within one pass a node used twice receives the sum
        of both contributions (the multivariable chain rule), hence ``+=``.
        """
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            g = node.grad
            for parent, local in zip(node._prev, node._local):
                parent.grad += local * g

    # --------------------------------------------------------------------- show
    def __repr__(self):
        # 6 significant digits: readable, and stable across machines for nbval.
        label = f"{self.label}: " if self.label else ""
        return f"Value({label}data={self.data:.6g}, grad={self.grad:.6g})"
