"""The backprop stepper of notebook 03: watch the backward pass visit one node at a time.

Also used in notebook 04. ``backprop_stepper(value)`` draws the computation
graph of ``value`` (``backprop_lessons/graph.py``) and walks it in reverse
topological order, output first. At every step one node receives its gradient
and the picture shows the chain rule that produced it:

    local derivative × upstream gradient = gradient

A node that feeds two (or more) later nodes gets one term from each of them,
and the terms ADD. That is why ``Value.backward()`` writes
``parent.grad += local * node.grad`` and not ``=``.

Nodes not visited yet show ``grad ?``: their gradient is not known until every
node that uses them has been visited. The stepper computes its own numbers and
never changes the ``.grad`` of the graph it is given.
"""

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from backprop_lessons.autograd import Value
from backprop_lessons.graph import FONT_PT, OP_FONT_PT, draw_graph
from backprop_lessons.widgets._canvas import Explorer, FastFigure, button

__all__ = ["backprop_stepper", "BackpropStepper", "MAX_NODES"]

MAX_NODES = 60  # one box per node: beyond this the picture is too crowded to step through
_DPI = 90
_WIDTH_IN = 9.0  # 810 px: the width of a notebook cell; a wider graph is scaled down to it
_RULE = "local derivative × upstream gradient = gradient"
# The node(s) the current one receives gradient from: dashed, thick, bluish green
# (the current node itself uses graph.py's highlight: orange fill, vermillion outline).
_UPSTREAM = {"edgecolor": "#009E73", "linewidth": 2.4, "linestyle": "--"}


def _fmt(x):
    """4 significant digits, like the graph's boxes; -0 prints as 0."""
    return f"{x + 0.0:.4g}"


def _num(x):
    """A number for an equation: negative numbers in parentheses, so '× (-2)' reads right."""
    s = _fmt(x)
    return f"({s})" if s.startswith("-") else s


class BackpropStepper(Explorer):
    """Step through the backward pass of a small `Value` graph (see `backprop_stepper`).

    Attributes
    ----------
    order : list of Value -- reverse topological order: the output first, then every
        node after all the nodes that use it. Step k visits ``order[k - 1]``.
    step : int -- how many nodes have been visited (0 = none, ``len(order)`` = all).
    current : Value or None -- the node visited last (None at step 0).
    grads : dict Value -> float -- d(output)/d(node) for every node (what backward() gives).
    equation : str -- the chain-rule line for the current step, with the numbers.
    widget, images, png, figure, status -- as in every explorer (one Image: the graph).
    """

    def __init__(self, value):
        if not isinstance(value, Value):
            raise TypeError(f"backprop_stepper needs a Value (the output of a computation), got {type(value).__name__}")
        topo = value.topological_order()  # parents before children
        if len(topo) > MAX_NODES:
            raise ValueError(
                f"this graph has {len(topo)} nodes; the stepper shows at most {MAX_NODES}: "
                "step through a smaller piece, e.g. one neuron"
            )
        self.value = value
        self.order = list(reversed(topo))
        self._position = {node: i for i, node in enumerate(self.order)}
        self._terms = self._collect_terms()
        self.grads = self._gradients()
        self._names = self._make_names()
        self._step = 0
        self.caption = "A picture of the stepper: run the notebook to step through the backward pass."
        self.text_plain = (
            f"<backprop stepper: {len(self.order)} nodes, output {self._names[value]}; "
            "run the notebook to step through the backward pass>"
        )

        self._build_figure()
        self.back_button = button("◀ Back", "undo the last step")
        self.next_button = button("Next ▶", "visit the next node of the backward pass")
        self.reset_button = button("↺ Reset", "start again: no gradients known")
        self.back_button.on_click(lambda _: self.back())
        self.next_button.on_click(lambda _: self.next())
        self.reset_button.on_click(lambda _: self.reset())
        # Under the picture: the step and its equation (shown ONCE: not in the status line), then
        # the key. ``equation_line`` keeps the equation alone, for code and tests, outside the widget.
        self.explanation = widgets.HTML(value="")
        self.key = widgets.HTML(value=self._key_html())
        self.equation_line = widgets.HTML(value="")
        self._frames = {}  # step -> PNG bytes
        self._last = None  # pixels of the frame drawn last (see _render)
        self._finish([self.back_button, self.next_button, self.reset_button], below=[self.explanation, self.key])
        picture = self.images[0]
        picture.height = ""  # the height follows the width (aspect ratio kept) when it shrinks
        picture.layout = widgets.Layout(max_width="100%", min_width=f"{self.min_width}px", height="auto")
        self.picture.layout.width = "100%"
        self.picture.layout.overflow = "auto hidden"  # a graph too wide even at 9 px text scrolls on its own

    # ------------------------------------------------------------ the numbers
    def _collect_terms(self):
        """node -> list of (child, local derivative d child / d node), in backward()'s order.

        backward() visits children in reverse topological order and adds
        ``local * child.grad`` into each parent; listing the terms in the same
        order makes our sums bit-for-bit equal to its results.
        """
        terms = {node: [] for node in self.order}
        for child in self.order:
            for parent, local in zip(child.parents, child.local_grads):
                terms[parent].append((child, local))
        return terms

    def _gradients(self):
        grads = {self.value: 1.0}  # d(output)/d(output): where every backward pass starts
        for node in self.order[1:]:
            total = 0.0
            for child, local in self._terms[node]:
                total += local * grads[child]
            grads[node] = total
        return grads

    def _make_names(self):
        """A name per node for the equations: its label, else a short formula, else "node k"."""
        names = {}
        for node in reversed(self.order):  # parents first, so a formula can use their names
            if node.label:
                names[node] = node.label
                continue
            parts = [names[p] for p in node.parents]
            op = node._op
            if len(parts) == 2:
                formula = f"({parts[0]}{op}{parts[1]})"
            elif op.startswith("**"):
                formula = f"{parts[0]}{op}"
            elif op == "neg":
                formula = f"(-{parts[0]})"
            elif parts:
                formula = f"{op}({parts[0]})"
            else:
                formula = _fmt(node.data)  # an unlabelled constant, e.g. the 2 in 2*x
            names[node] = formula if len(formula) <= 14 else f"n{len(self.order) - self._position[node]}"
        return names

    def _d(self, top, bottom):
        """The local derivative of ``top`` with respect to its input ``bottom``, e.g. ∂e/∂a."""
        return f"∂{self._names[top]}/∂{self._names[bottom]}"

    def _g(self, node):
        """The gradient of ``node`` as the code names it, e.g. a.grad (which holds ∂L/∂a)."""
        name = self._names[node]
        return f"({name}).grad" if name[0] in "-0123456789" else f"{name}.grad"

    def equation_for(self, node):
        """The chain-rule line that gives ``node`` its gradient, with the numbers.

        Written in the order "local derivative × upstream gradient = gradient",
        one product per node that uses ``node``, added up, e.g.
        "∂e/∂a × e.grad = (-3) × (-2) = 6, so a.grad = 6". Gradients are written
        ``.grad`` (as in the code) so that a local derivative such as ∂L/∂a (L's
        slope through one operation) is never confused with the gradient a.grad.
        """
        out = self.value
        if node is out:
            # a gradient, so an upright d (a curly ∂ is kept for local derivatives): L.grad = dL/dL = 1
            name = self._names[out]
            return f"start: {self._g(out)} = d{name}/d{name} = 1 (the output's slope with respect to itself)"
        # Shown in the order the using nodes were created (d = a*b before e = a+b), which is
        # the reverse of the order backward() adds them in; the rounded sum is the same.
        terms = self._terms[node][::-1]
        symbols = " + ".join(f"{self._d(child, node)} × {self._g(child)}" for child, _ in terms)
        numbers = " + ".join(f"{_num(local)} × {_num(self.grads[child])}" for child, local in terms)
        result = _fmt(self.grads[node])
        line = f"{symbols} = {numbers} = {result}, so {self._g(node)} = {result}"
        if len(terms) > 1:
            line += f"  ({self._names[node]} is used {len(terms)} times: the terms add up, +=)"
        return line

    @property
    def step(self):
        return self._step

    @property
    def current(self):
        return self.order[self._step - 1] if self._step else None

    @property
    def equation(self):
        if self._step == 0:
            return (
                f"Press Next: the backward pass starts at the output {self._names[self.value]}, "
                f"whose gradient {self._g(self.value)} = {self._d(self.value, self.value)} is 1."
            )
        return self.equation_for(self.current)

    def upstream(self, node=None):
        """The nodes that pass gradient to ``node`` (default: the current one): the nodes that use it."""
        node = self.current if node is None else node
        if node is None:
            return []
        return list(dict.fromkeys(child for child, _ in self._terms[node]))

    # --------------------------------------------------------------- stepping
    def next(self):
        """Visit the next node (does nothing at the end, and says so in the status line)."""
        if self._step >= len(self.order):
            self._note = "Already at the last node: every gradient is known. Press Reset to start again."
        else:
            self._step += 1
        self.refresh()

    def back(self):
        """Undo the last step (does nothing at the start, and says so in the status line)."""
        if self._step <= 0:
            self._note = "Already at the start: no node visited yet. Press Next."
        else:
            self._step -= 1
        self.refresh()

    def reset(self):
        """Back to step 0: every gradient unknown again."""
        self._step = 0
        self.refresh()

    def go_to(self, step):
        """Jump to ``step`` (0 .. len(order)); a step outside is clamped and the status says so."""
        n = len(self.order)
        if not isinstance(step, int) or isinstance(step, bool):
            raise TypeError(f"step must be a whole number, got {type(step).__name__}")
        if not 0 <= step <= n:
            self._note = f"There are steps 0 to {n}; went to step {min(max(step, 0), n)}."
        self._step = min(max(step, 0), n)
        self.refresh()

    # ---------------------------------------------------------------- drawing
    def _build_figure(self):
        # Natural size of the graph (graph.py lays boxes out in inches at scale 1): draw once on
        # a large scratch figure and measure the boxes. The picture is the graph alone, at that
        # size (scaled down only beyond 810 px); the words (step, equation, key) are HTML under it,
        # so they wrap in a narrow window.
        scratch = Figure(figsize=(60, 60))
        boxes = draw_graph(self.value, ax=scratch.add_axes((0, 0, 1, 1))).boxes.values()
        x0 = min(b.get_x() for b in boxes)
        x1 = max(b.get_x() + b.get_width() for b in boxes)
        y0 = min(b.get_y() for b in boxes)
        y1 = max(b.get_y() + b.get_height() for b in boxes)
        nat_w, nat_h = x1 - x0 + 0.2, y1 - y0 + 0.2
        scale = min(1.0, _WIDTH_IN / nat_w)
        self.fast = FastFigure(
            width=round(nat_w * scale * _DPI), height=round((nat_h * scale + 0.1) * _DPI), dpi=_DPI, ncols=1
        )
        self.fast.figure.set_layout_engine("none")  # graph.py scales the picture to the Axes it is given
        ax = self.fast.axes[0]
        ax.set_position((0.0, 0.0, 1.0, 1.0))
        self.drawing = draw_graph(self.value, ax=ax, show_grad=True)
        self._base_style = {
            node: (box.get_edgecolor(), box.get_linewidth(), box.get_linestyle())
            for node, box in self.drawing.boxes.items()
        }
        for node in self.order:  # boxes and texts change per step; arrows and op circles do not
            self.fast.animate(self.drawing.boxes[node], *self.drawing.texts[node])
        # In a narrow cell the picture may shrink until its smallest text (the op symbols) is 9 px.
        smallest_px = min(FONT_PT, OP_FONT_PT) * self.drawing.scale * _DPI / 72
        self.min_width = min(self.fast.size[0], int(np.ceil(self.fast.size[0] * 9.0 / smallest_px)))

    def _key_html(self):
        """The key under the picture: every look a box can have, and the rule."""
        looks = self._box_looks()

        def item(label, face, edge, style="solid"):  # a box's look and its meaning, never split by a line break
            swatch = (
                f'<span style="display:inline-block; width:1.4em; height:0.8em; vertical-align:middle; '
                f'background:{to_hex(face)}; border:2px {style} {to_hex(edge)}; margin:0 0.3em 0 0.9em"></span>'
            )
            return f'<span style="white-space: nowrap">{swatch}{label}</span> '

        items = [
            item("visited now", *looks["highlight"]),
            item("upstream node(s)", "white", _UPSTREAM["edgecolor"], "dashed"),
        ]
        for kind, label in (("inner", "computed by an operation"), ("leaf", "input")):
            if kind in looks:
                items.append(item(label, *looks[kind]))
        return f'<div style="font-size: 0.9em; line-height: 1.6">{html.escape(_RULE)}:{"".join(items)}</div>'

    def _box_looks(self):
        """kind -> (face, edge colour) of the boxes as graph.py draws them: 'leaf', 'inner', 'highlight'."""
        looks = {}
        for node, box in self.drawing.boxes.items():
            looks.setdefault("inner" if node.parents else "leaf", (box.get_facecolor(), box.get_edgecolor()))
        self.drawing.set_highlight(self.value)
        box = self.drawing.boxes[self.value]
        looks["highlight"] = (box.get_facecolor(), box.get_edgecolor())
        self.drawing.set_highlight(None)
        return looks

    def update(self):
        """Set grads, highlights and the equation for the current step; returns the status text."""
        visited = set(self.order[: self._step])
        for node, texts in self.drawing.texts.items():
            # The grad line is the last line of a box (graph.py: label?, data, grad).
            texts[-1].set_text(f"grad {_fmt(self.grads[node])}" if node in visited else "grad ?")
        for node, box in self.drawing.boxes.items():  # undo last step's upstream marks
            edge, width, style = self._base_style[node]
            box.set_edgecolor(edge)
            box.set_linewidth(width)
            box.set_linestyle(style)
        self.drawing.set_highlight(None)  # restores the previous current node's own style
        current = self.current
        for node in self.upstream():
            box = self.drawing.boxes[node]
            box.set_edgecolor(_UPSTREAM["edgecolor"])
            box.set_linewidth(_UPSTREAM["linewidth"] * self.drawing.scale)
            box.set_linestyle(_UPSTREAM["linestyle"])
        self.drawing.set_highlight(current)

        n = len(self.order)
        if current is None:
            head = f"step 0 of {n}: no gradient known yet"
        else:
            head = f"step {self._step} of {n}: node {self._names[current]}"
        self.explanation.value = (
            f'<div style="line-height: 1.4; padding-top: 4px"><b>{html.escape(head)}</b><br>'
            f"{html.escape(self.equation)}</div>"
        )
        self.equation_line.value = f"<code>{html.escape(self.equation)}</code>"
        self.back_button.disabled = self._step == 0
        self.next_button.disabled = self._step == n
        # The picture says which step and which equation; the status line only what it cannot.
        if self._step == n:
            return "Done: every node has its gradient (the same numbers as backward())."
        return ""

    def refresh(self, full=False):
        """Show the current step. Each step's PNG is made once and kept: Back and Reset are instant."""
        if full:
            self._frames.clear()
            self.fast.invalidate()
        text = self.update()
        png = self._frames.get(self._step)
        if png is None:
            png = self._frames[self._step] = self._render()
        self.images[0].value = png
        self._set_status(text)

    # ------------------------------------------------- incremental rendering
    # A first visit of a step changes few boxes (the node visited now, the one
    # visited before, their upstream nodes), but a full FastFigure.draw() redraws the
    # text of every box, ~85% of the time of a step on a 28-node graph. So the
    # stepper keeps the last frame it drew and repaints only the areas that
    # changed: the background (arrows, op circles) is pasted back inside the
    # extent of each changed box, and every box touching a repainted area is drawn
    # again, in the same order as a full draw. Each area then holds exactly what
    # a full draw puts there, and the frames are the same pixel for pixel
    # (tests/test_stepper.py compares them with full redraws).
    incremental = True  # False: every frame is a full FastFigure.draw() (the reference in the tests)
    _PAD = 4  # px around an extent: covers a thick (upstream) outline and anti-aliasing

    def _look(self, node):
        """Everything about ``node``'s box that ``update()`` can change; equal looks draw equal pixels."""
        box = self.drawing.boxes[node]
        return (
            tuple(t.get_text() for t in self.drawing.texts[node]),
            tuple(box.get_facecolor()),
            tuple(box.get_edgecolor()),
            box.get_linewidth(),
            str(box.get_linestyle()),
        )

    def _extent(self, node, renderer):
        """Window extent of ``node``'s box and its texts (a long grad line may stick out of the box)."""
        artists = [self.drawing.boxes[node], *self.drawing.texts[node]]
        return Bbox.union([a.get_window_extent(renderer) for a in artists]).padded(self._PAD)

    def _render(self):
        """Draw the current step and return its PNG (see the comment above)."""
        fast, canvas = self.fast, self.fast.canvas
        if not self.incremental or fast.background is None or self._last is None:
            # First frame, or the static part was invalidated: a full draw, then keep
            # the static background as an array to paste back from.
            fast.draw()
            renderer = canvas.get_renderer()
            self._static_pixels = np.asarray(fast.background).copy()  # BufferRegion -> (rows, cols, 4)
            self._drawn = {}
            for node in self.order:
                self._drawn[node] = (self._look(node), self._extent(node, renderer))
            self.redrawn = len(self.order)
        else:
            self._draw_changes()
        pixels = np.asarray(canvas.buffer_rgba())
        self._last = pixels.copy()  # the canvas may be drawn by someone else before the next step
        return fast.png()

    def _draw_changes(self):
        canvas = self.fast.canvas
        renderer = canvas.get_renderer()
        pixels = np.asarray(canvas.buffer_rgba())
        pixels[...] = self._last  # start from the frame drawn last
        rows, cols = pixels.shape[:2]

        # Areas to repaint: every box whose look changed, where it was drawn and where it will be.
        areas = []
        redraw = set()
        new = {}
        for node in self.order:
            look, extent = self._drawn[node]
            if self._look(node) != look:
                new[node] = self._extent(node, renderer)
                areas += [extent, new[node]]
                redraw.add(node)
        # A box touching a repainted area must be drawn again, and then all of it is
        # repainted (drawing twice over the same pixels would blend anti-aliased edges
        # twice); which may touch further boxes: repeat until nothing is added.
        grown = True
        while grown:
            grown = False
            for node in self.order:
                if node in redraw:
                    continue
                extent = self._drawn[node][1]
                if any(extent.overlaps(area) for area in areas):
                    redraw.add(node)
                    areas.append(extent)
                    grown = True

        for area in areas:  # paste the background back (row 0 of the buffer is the top)
            c0, c1 = max(int(np.floor(area.x0)), 0), min(int(np.ceil(area.x1)), cols)
            r0, r1 = max(rows - int(np.ceil(area.y1)), 0), min(rows - int(np.floor(area.y0)), rows)
            if c0 < c1 and r0 < r1:
                pixels[r0:r1, c0:c1] = self._static_pixels[r0:r1, c0:c1]
        for node in self.order:  # the order of fast.animated: box, then its texts
            if node in redraw:
                for artist in (self.drawing.boxes[node], *self.drawing.texts[node]):
                    artist.draw(renderer)
                self._drawn[node] = (self._look(node), new.get(node, self._drawn[node][1]))
        self.redrawn = len(redraw)  # boxes drawn for the last new frame (for timing and tests)


def backprop_stepper(value):
    """Step through the backward pass of ``value``'s computation graph, one node per click.

    value : a `Value` with at most 60 nodes in its graph (label the inputs, e.g.
            ``Value(2.0, label="a")``, so the equations can name them).
    Returns a `BackpropStepper`: buttons Back / Next / Reset, or the methods
    ``.next()``, ``.back()``, ``.reset()``, ``.go_to(k)``; ``.step``, ``.order``,
    ``.equation``; ``.widget`` to display and ``.png`` (PNG bytes).

    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> L = a * b; L.label = "L"
    >>> s = backprop_stepper(L); s.next(); s.next()
    >>> s.equation      # step 2 visits b: local derivative ∂L/∂b = a = 2, upstream L.grad = 1
    '∂L/∂b × L.grad = 2 × 1 = 2, so b.grad = 2'
    """
    return BackpropStepper(value)
