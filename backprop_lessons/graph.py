"""Draw the computation graph of a `Value`: the picture of the chain rule.

Taught in notebook 03 (the chain rule on a computation graph); the
backpropagation stepper of notebook 04 redraws the same picture step by step.

The graph is drawn left to right with matplotlib only (no graphviz): inputs on
the left, the output on the right. Every value is a rounded box with its
label, ``data`` and ``grad``; the operation that made it is a small circle
just left of it, with arrows parents -> operation -> value.

How the picture is laid out (a small version of the "Sugiyama" method that
graphviz uses):

1. Columns: the longest path from an input (so every parent sits strictly left
   of its children); then a node with more outgoing than incoming edges (an
   input, a weight) slides right, next to its first use, which shortens edges.
2. An edge that skips columns gets an invisible waypoint in each column it
   passes, so it runs between the boxes instead of through them.
3. Rows: each column is sorted by the mean row of its neighbours (the
   barycentre heuristic), sweeping right and left; the order with the fewest
   crossings wins. Heights then move towards the neighbours' mean while the
   boxes keep a fixed distance apart.
"""

import math
from collections import defaultdict
from types import SimpleNamespace

from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path
from matplotlib.textpath import TextToPath

from backprop_lessons.autograd import Value

__all__ = ["graph_layout", "draw_graph", "GraphDrawing"]

MAX_NODES = 400  # beyond this the picture is unreadable and the layout slow

# Okabe-Ito colours (safe for colour-vision deficiencies); a highlight also gets
# a thicker outline, so colour is never the only cue.
_BLUE, _VERMILLION = "#0072B2", "#D55E00"
_STYLE = {
    "leaf": {"facecolor": "#FFFFFF", "edgecolor": _BLUE, "linewidth": 1.2},
    "inner": {"facecolor": "#E3F1FA", "edgecolor": _BLUE, "linewidth": 1.2},
    "highlight": {"facecolor": "#F3CC75", "edgecolor": _VERMILLION, "linewidth": 2.6},
}
_OP_FACE, _OP_EDGE, _ARROW = "#FFFFFF", "#555555", "#404040"

# Sizes in inches (points for fonts) at scale 1; the whole picture is scaled
# down, fonts included, only when a given Axes is too small for it.
FONT_PT, OP_FONT_PT = 10.0, 10.0
_PAD_X, _PAD_Y, _LINE = 0.07, 0.05, 1.3 * FONT_PT / 72
_ROW_GAP = 0.22  # vertical space between two boxes
_ARROW_GAP = 0.2  # space left and right of an op circle for the arrows
_MIN_RADIUS = 0.14
_TEMPLATE = "grad -0.00000"  # minimum box width: room for the numbers backward() brings (e.g. -0.01234)

_TEXT_TO_PATH = TextToPath()


# ---------------------------------------------------------------- layout
def _check_value(value):
    if not isinstance(value, Value):
        raise TypeError(f"draw_graph needs a Value (the output of a computation), got {type(value).__name__}")
    nodes = value.topological_order()
    if len(nodes) > MAX_NODES:
        raise ValueError(
            f"this graph has {len(nodes)} nodes; draw_graph is readable up to ~40 "
            f"(and refuses more than {MAX_NODES}): draw a smaller piece, e.g. one neuron"
        )
    return nodes


def _columns(nodes, parents, children):
    """Column of every node: longest path from an input, then shortened edges."""
    col = {}
    for node in nodes:  # topological order: parents first
        col[node] = 1 + max((col[p] for p in parents[node]), default=-1)
    moved = True
    while moved:  # every move shortens the total edge length, so this ends
        moved = False
        for node in reversed(nodes):
            kids, pars = children[node], parents[node]
            if len(kids) > len(pars):  # more edges to the right: slide right
                best = min(col[k] for k in kids) - 1
            elif len(kids) < len(pars):  # more edges to the left: slide left
                best = max((col[p] for p in pars), default=-1) + 1
            else:
                continue
            if best != col[node]:
                col[node], moved = best, True
    first = min(col.values())
    return {node: c - first for node, c in col.items()}


def _isotonic(targets):
    """Closest non-decreasing sequence to ``targets`` (pool adjacent violators)."""
    blocks = []  # [mean, count]
    for t in targets:
        blocks.append([t, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, c2 = blocks.pop()
            m1, c1 = blocks[-1]
            blocks[-1] = [(m1 * c1 + m2 * c2) / (c1 + c2), c1 + c2]
    return [m for m, c in blocks for _ in range(c)]


def _crossings(layers, pos, right):
    total = 0
    for layer in layers[:-1]:
        edges = [(pos[u], pos[v]) for u in layer for v in right[u]]
        total += sum(1 for i, (a, b) in enumerate(edges) for c, d in edges[i + 1 :] if (a - c) * (b - d) < 0)
    return total


def _layout(value):
    """Columns, rows and edge waypoints of the graph of ``value`` (rows: 1 = one box)."""
    nodes = _check_value(value)
    parents = {n: list(dict.fromkeys(n.parents)) for n in nodes}  # a*a has one parent, twice
    children = defaultdict(list)
    for n in nodes:
        for p in parents[n]:
            children[p].append(n)
    col = _columns(nodes, parents, children)

    # Waypoints ("dummy" nodes) so that every edge joins neighbouring columns.
    layers = [[] for _ in range(max(col.values()) + 1)]
    left, right = defaultdict(list), defaultdict(list)
    routes = {}
    rank = {n: i for i, n in enumerate(nodes)}
    for n in nodes:
        layers[col[n]].append(n)
        for p in parents[n]:
            chain = [p] + [("waypoint", rank[p], rank[n], c) for c in range(col[p] + 1, col[n])] + [n]
            routes[p, n] = chain[1:-1]
            for a, b in zip(chain, chain[1:]):
                right[a].append(b)
                left[b].append(a)
            for w in chain[1:-1]:
                layers[w[3]].append(w)

    # Rows: barycentre sweeps, keeping the order with the fewest crossings.
    pos = {item: i for layer in layers for i, item in enumerate(layer)}
    best = (_crossings(layers, pos, right), [list(layer) for layer in layers])
    for sweep in range(8):
        forward = sweep % 2 == 0
        for c in range(1, len(layers)) if forward else range(len(layers) - 2, -1, -1):
            nbrs = left if forward else right
            layers[c].sort(key=lambda it: sum(pos[x] for x in nbrs[it]) / len(nbrs[it]) if nbrs[it] else pos[it])
            pos.update((item, i) for i, item in enumerate(layers[c]))
        crossings = _crossings(layers, pos, right)
        if crossings < best[0]:
            best = (crossings, [list(layer) for layer in layers])
    layers = best[1]

    # Heights: move towards the neighbours' mean, boxes >= 1 row apart
    # (a waypoint needs less room than a box).
    def gap(a, b):
        return (0.3, 0.6, 1.0)[isinstance(a, Value) + isinstance(b, Value)]

    offsets = []
    for layer in layers:
        o = [0.0]
        for a, b in zip(layer, layer[1:]):
            o.append(o[-1] + gap(a, b))
        offsets.append(o)
    y = {item: o - off[-1] / 2 for layer, off in zip(layers, offsets) for item, o in zip(layer, off)}
    for sweep in range(24):
        for c in range(len(layers)) if sweep % 2 == 0 else range(len(layers) - 1, -1, -1):
            targets = []
            for item, o in zip(layers[c], offsets[c]):
                nb = left[item] + right[item]
                t = sum(y[x] for x in nb) / len(nb) if nb else y[item]
                targets.append(t - o)
            for item, z, o in zip(layers[c], _isotonic(targets), offsets[c]):
                y[item] = z + o
    top = max(y.values())
    y = {item: top - v for item, v in y.items()}  # first in a column = top of the picture
    return col, y, parents, {edge: [(w[3], y[w]) for w in way] for edge, way in routes.items()}


def graph_layout(value):
    """Position of every node of the graph of ``value``: dict Value -> (x, y).

    x is the column (0 = leftmost; every parent has a smaller x than its
    children), y the row height (boxes in one column are >= 1 apart; larger y
    is higher up). Deterministic: the same graph always gets the same layout.
    """
    col, y, _, _ = _layout(value)
    return {node: (float(col[node]), y[node]) for node in col}


# --------------------------------------------------------------- drawing
def _fmt(x):
    return f"{x + 0.0:.4g}"  # + 0.0 turns -0.0 into 0.0


def _lines(node, show_grad):
    lines = [node.label] if node.label else []
    lines.append(f"data {_fmt(node.data)}")
    if show_grad:
        lines.append(f"grad {_fmt(node.grad)}")
    return lines


class _Measure:
    """Text widths in inches, without a renderer; cached, as a stepper re-measures often."""

    def __init__(self):
        self.fonts = {
            "plain": FontProperties(size=FONT_PT),
            "bold": FontProperties(size=FONT_PT, weight="bold"),
            "op": FontProperties(size=OP_FONT_PT),
        }
        self.cache = {}

    def __call__(self, text, font="plain"):
        if (text, font) not in self.cache:
            w, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, self.fonts[font], ismath=False)
            self.cache[text, font] = w / 72  # points -> inches
        return self.cache[text, font]

    def box_width(self, lines, has_label):
        widths = [self(t, "bold" if has_label and i == 0 else "plain") for i, t in enumerate(lines)]
        return max(widths + [self(_TEMPLATE)]) + 2 * _PAD_X


class GraphDrawing:
    """What `draw_graph` drew; lets a stepper recolour or relabel without a new layout.

    Attributes
    ----------
    ax : the matplotlib Axes.
    value : the output Value the graph was drawn for.
    boxes : dict Value -> FancyBboxPatch, one rounded box per value node.
    ops : dict Value -> Circle, the op circle of every computed (non-input) node.
    texts : dict Value -> list of Text (label line if labelled, data line, grad line).
    positions : dict Value -> (x, y), box centres in data coordinates of ``ax``.
    highlighted : tuple of the Values drawn in the accent colour.
    """

    def __init__(self, ax, value, boxes, ops, texts, positions, show_grad, scale, measure):
        self.ax, self.value = ax, value
        self.boxes, self.ops, self.texts, self.positions = boxes, ops, texts, positions
        self.show_grad, self.scale, self._measure = show_grad, scale, measure
        self.highlighted = ()

    @property
    def figure(self):
        return self.ax.figure

    def label_of(self, node):
        """The text of ``node``'s box as one line, e.g. "a | data 2 | grad -6"."""
        return " | ".join(t.get_text() for t in self.texts[node])

    def set_highlight(self, nodes):
        """Draw ``nodes`` (a Value, a list of Values or None) in the accent colour.

        Only recolours boxes (no new layout, no redraw); returns the artists
        that changed (boxes and their texts), for a caller that blits.
        """
        new = _as_nodes(nodes, self.boxes)
        changed = []
        for node in set(self.highlighted) ^ set(new):
            kind = "highlight" if node in new else ("inner" if node.parents else "leaf")
            style = _STYLE[kind]
            box = self.boxes[node]
            box.set_facecolor(style["facecolor"])
            box.set_edgecolor(style["edgecolor"])
            box.set_linewidth(style["linewidth"] * self.scale)
            changed += [box, *self.texts[node]]
        self.highlighted = new
        return changed

    def update_labels(self):
        """Refresh every box's data and grad text (e.g. after backward()); returns the changed artists.

        A box widens (around its centre) if a new number needs more room.
        """
        changed = []
        for node, texts in self.texts.items():
            lines = _lines(node, self.show_grad)
            if [t.get_text() for t in texts] == lines:
                continue
            for text, line in zip(texts, lines):
                text.set_text(line)
            box = self.boxes[node]
            width = max(self._measure.box_width(lines, bool(node.label)), box.get_width())
            box.set_x(self.positions[node][0] - width / 2)
            box.set_width(width)
            changed += [box, *texts]
        return changed

    def __repr__(self):
        # Short and deterministic: a notebook cell ending in draw_graph(...) shows this.
        return f"<GraphDrawing: {len(self.boxes)} value nodes, {len(self.ops)} op nodes>"


def _as_nodes(nodes, known):
    if nodes is None:
        return ()
    items = (nodes,) if isinstance(nodes, Value) else tuple(nodes)
    for node in items:
        if not isinstance(node, Value):
            raise TypeError(f"highlight takes Values (or a list of them), got {type(node).__name__}")
        if node not in known:
            raise ValueError(f"cannot highlight {node!r}: it is not part of the drawn graph")
    return tuple(dict.fromkeys(items))


def draw_graph(value, ax=None, highlight=None, show_grad=True):
    """Draw the computation graph of ``value`` from its inputs (left) to itself (right).

    value     : a Value; every node it was computed from is drawn.
    ax        : a matplotlib Axes, or None for a new pyplot figure sized to the graph.
                (A given Axes should have its final size: the picture is scaled to fit it.)
    highlight : a Value or a list of Values to draw in the accent colour.
    show_grad : also show each node's ``grad`` (set False before backward()).
    Returns a `GraphDrawing` (``.ax``, ``.boxes``, ``.positions``, ``set_highlight``, ``update_labels``).
    """
    measure = _Measure()
    g = _geometry(value, show_grad, measure)
    ax, scale = _prepare_axes(ax, *g.extent)
    boxes, ops, texts = {}, {}, {}
    for n in g.nodes:
        boxes[n], texts[n] = _draw_box(ax, n, g, scale)
        if n in g.op_centre:
            ops[n] = _draw_op(ax, n, g, scale)
    _draw_edges(ax, g, scale)
    drawing = GraphDrawing(ax, value, boxes, ops, texts, g.centre, show_grad, scale, measure)
    drawing.set_highlight(highlight)
    return drawing


def _geometry(value, show_grad, measure):
    """Where everything goes, in inches at scale 1: boxes, op circles, edge waypoints."""
    col, rows, parents, routes = _layout(value)
    nodes = list(col)
    lines = {n: _lines(n, show_grad) for n in nodes}
    width = {n: measure.box_width(lines[n], bool(n.label)) for n in nodes}
    height = {n: len(lines[n]) * _LINE + 2 * _PAD_Y for n in nodes}
    radius = {n: max(_MIN_RADIUS, measure(n._op, "op") / 2 + 0.05) for n in nodes if parents[n]}

    # Column c is as wide as its widest box; the gap before it holds its op circles.
    n_cols = max(col.values()) + 1
    col_w = [max([width[n] for n in nodes if col[n] == c], default=0.0) for c in range(n_cols)]
    col_gap = [2 * max([radius[n] for n in radius if col[n] == c], default=0.1) + 2 * _ARROW_GAP for c in range(n_cols)]
    x_left = [0.0]
    for c in range(1, n_cols):
        x_left.append(x_left[-1] + col_w[c - 1] + col_gap[c])
    pitch = max(height.values()) + _ROW_GAP  # one layout row, in inches
    centre = {n: (x_left[col[n]] + col_w[col[n]] / 2, rows[n] * pitch) for n in nodes}
    op_centre = {n: (x_left[col[n]] - col_gap[col[n]] / 2, centre[n][1]) for n in radius}
    # a waypoint crosses its column on a horizontal run (x from, x to, y)
    runs = {edge: [(x_left[c], x_left[c] + col_w[c], y * pitch) for c, y in way] for edge, way in routes.items()}
    margin = 0.1  # also lets a box at the edge widen a little in update_labels()
    extent = (
        -margin,
        x_left[-1] + col_w[-1] + margin,
        min(centre[n][1] - height[n] / 2 for n in nodes) - margin,
        max(centre[n][1] + height[n] / 2 for n in nodes) + margin,
    )
    return SimpleNamespace(
        nodes=nodes,
        lines=lines,
        width=width,
        height=height,
        radius=radius,
        centre=centre,
        op_centre=op_centre,
        runs=runs,
        extent=extent,
    )


def _draw_box(ax, n, g, scale):
    """The rounded box of value node ``n`` and its text lines (label bold)."""
    (cx, cy), w, h = g.centre[n], g.width[n], g.height[n]
    box = FancyBboxPatch(
        (cx - w / 2, cy - h / 2),
        w,
        h,
        boxstyle="round,pad=0,rounding_size=0.06",
        zorder=2,
        **_STYLE["inner" if n in g.op_centre else "leaf"],
    )
    box.set_linewidth(box.get_linewidth() * scale)
    ax.add_patch(box)
    lines = g.lines[n]
    top = cy + (len(lines) - 1) * _LINE / 2
    texts = [
        ax.text(
            cx,
            top - i * _LINE,
            line,
            ha="center",
            va="center",
            fontsize=FONT_PT * scale,
            fontweight="bold" if (n.label and i == 0) else "normal",
            zorder=3,
            parse_math=False,
        )
        for i, line in enumerate(lines)
    ]
    return box, texts


def _draw_op(ax, n, g, scale):
    """The op circle that made ``n``, and the arrow from it to ``n``'s box."""
    (ox, oy), r = g.op_centre[n], g.radius[n]
    circle = ax.add_patch(Circle((ox, oy), r, facecolor=_OP_FACE, edgecolor=_OP_EDGE, lw=scale, zorder=2))
    ax.text(ox, oy, n._op, ha="center", va="center", fontsize=OP_FONT_PT * scale, zorder=3, parse_math=False)
    _arrow(ax, [(ox + r, oy), (g.centre[n][0] - g.width[n] / 2, oy)], scale)
    return circle


def _draw_edges(ax, g, scale):
    """One arrow per use of a parent: from the parent's right side to the op circle.

    Arrows leaving one box are spread along its right side, arrows entering one
    circle around its left half (upper source, upper entry: no crossings there),
    so that a*a shows two arrows. Sorts are stable and keyed by height only:
    the picture does not depend on object identities.
    """
    edges = [(p, n, g.runs[p, n]) for n in g.nodes for p in n.parents]
    by_parent, by_child = defaultdict(list), defaultdict(list)
    for i, (p, n, _) in enumerate(edges):
        by_parent[p].append(i)
        by_child[n].append(i)
    start = {}
    for p, idx in by_parent.items():
        idx.sort(key=lambda i: -(edges[i][2][0][2] if edges[i][2] else g.centre[edges[i][1]][1]))
        spread = min(0.3 * g.height[p], 0.07 * (len(idx) - 1))
        (px, py), half = g.centre[p], g.width[p] / 2
        for j, i in enumerate(idx):
            start[i] = (px + half, py + spread * (1 - 2 * j / max(len(idx) - 1, 1)))
    for n, idx in by_child.items():
        (ox, oy), r = g.op_centre[n], g.radius[n]
        idx.sort(key=lambda i: -(edges[i][2][-1][2] if edges[i][2] else start[i][1]))
        for j, i in enumerate(idx):
            angle = math.pi - (0.6 * (1 - 2 * j / (len(idx) - 1)) if len(idx) > 1 else 0.0)
            points = [start[i]]
            for x_from, x_to, y in edges[i][2]:
                points += [(x_from, y), (x_to, y)]
            points.append((ox + r * math.cos(angle), oy + r * math.sin(angle)))
            _arrow(ax, points, scale, end_dir=(-math.cos(angle), -math.sin(angle)))


def _arrow(ax, points, scale, end_dir=(1.0, 0.0)):
    """An arrow through ``points``: smooth curves between, straight runs through waypoint columns."""
    verts, codes = [points[0]], [Path.MOVETO]
    for i in range(1, len(points)):
        (ax_, ay), (bx, by) = points[i - 1], points[i]
        if i % 2 == 0 and i < len(points) - 1:  # inside a waypoint's column: straight
            verts.append((bx, by))
            codes.append(Path.LINETO)
            continue
        d = max(bx - ax_, 0.05) / 2
        ex, ey = end_dir if i == len(points) - 1 else (1.0, 0.0)
        verts += [(ax_ + d, ay), (bx - d * ex, by - d * ey), (bx, by)]
        codes += [Path.CURVE4] * 3
    ax.add_patch(
        FancyArrowPatch(
            path=Path(verts, codes),
            arrowstyle="-|>,head_length=0.5,head_width=0.22",
            mutation_scale=10 * scale,
            lw=1.0 * scale,
            color=_ARROW,
            zorder=1,
        )
    )


def _prepare_axes(ax, x0, x1, y0, y1):
    """Axes showing [x0, x1] x [y0, y1] (inches) at scale <= 1, equal on both axes."""
    w, h = x1 - x0, y1 - y0
    if ax is None:
        import matplotlib.pyplot as plt  # only here: widgets pass their own Axes

        fig = plt.figure(figsize=(w, h))
        ax = fig.add_axes((0, 0, 1, 1))  # no layout engine moves it: data units stay inches
    box = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    aw, ah = box.width * fig_w, box.height * fig_h
    scale = min(1.0, aw / w, ah / h)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax.set_xlim(cx - aw / scale / 2, cx + aw / scale / 2)
    ax.set_ylim(cy - ah / scale / 2, cy + ah / scale / 2)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    return ax, scale
