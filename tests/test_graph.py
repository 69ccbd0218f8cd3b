"""Tests for backprop_lessons.graph: layout order, what is drawn, highlight, no overlaps."""

import math

import matplotlib

matplotlib.use("Agg")  # no display needed; conftest does the same, this keeps the module self-contained

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch  # noqa: E402

from backprop_lessons.autograd import Value  # noqa: E402
from backprop_lessons.graph import GraphDrawing, draw_graph, graph_layout  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ------------------------------------------------------------------ graphs
def notebook_example():
    """Notebook 03: L = (a*b + c) * f with a=2, b=-3, c=10, f=-2 (7 value nodes, 3 ops)."""
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    f = Value(-2.0, label="f")
    L = d * f
    L.label = "L"
    return L, dict(a=a, b=b, c=c, d=d, e=e, f=f, L=L)


def neuron(x=(2.0, 0.0), w=(-3.0, 1.0), b=6.8813735870195432, tag=""):
    """tanh(x1*w1 + x2*w2 + b), the neuron of notebook 03 (output 0.7071)."""
    xs = [Value(v, label=f"x{i + 1}") for i, v in enumerate(x)] if tag == "" else list(x)
    ws = [Value(v, label=f"w{tag}{i + 1}") for i, v in enumerate(w)]
    total = xs[0] * ws[0]
    for xi, wi in zip(xs[1:], ws[1:]):
        total = total + xi * wi
    n = total + Value(b, label=f"b{tag}")
    return n.tanh()


def mlp_graph(hidden=3):
    """A 2-hidden-1 tanh network with a squared-error loss: 40 value nodes for hidden=3."""
    xs = [Value(0.5, label="x1"), Value(-1.5, label="x2")]
    hs = [neuron(xs, w=(math.sin(j + 1), math.cos(j + 1)), b=0.1 * j, tag=f"1{j + 1}") for j in range(hidden)]
    out = neuron(hs, w=[0.5 - 0.3 * j for j in range(hidden)], b=-0.2, tag="2")
    out.label = "y_hat"
    loss = (out - Value(1.0, label="y")) ** 2
    loss.label = "loss"
    return loss


def shared_graph():
    """Shared nodes and every op: a*a, a+a, a diamond, reflected forms, unary functions."""
    a = Value(1.5, label="a")
    b, c = a * 3, a + 2
    out = (b * c * 0.001).sigmoid() + (a * a).relu() + (a + a).tanh() + (-a) ** 2 + 1 / a + a.exp().log()
    out = out - 2 * (1 - a)
    out.label = "out"
    return out


GRAPHS = {"notebook": lambda: notebook_example()[0], "neuron": neuron, "mlp": mlp_graph, "shared": shared_graph}


def edges_with_multiplicity(value):
    return [(p, n) for n in value.topological_order() for p in n.parents]


# ------------------------------------------------------------------ layout
@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_every_parent_is_strictly_left_of_its_child(name):
    value = GRAPHS[name]()
    pos = graph_layout(value)
    assert set(pos) == set(value.topological_order())
    for parent, child in edges_with_multiplicity(value):
        assert pos[parent][0] < pos[child][0], (parent, child)
    assert max(x for x, _ in pos.values()) == pos[value][0]  # the output is the rightmost column


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_boxes_in_one_column_are_at_least_one_row_apart(name):
    pos = graph_layout(GRAPHS[name]())
    columns = {}
    for x, y in pos.values():
        columns.setdefault(x, []).append(y)
    for ys in columns.values():
        ys.sort()
        assert all(b - a >= 1 - 1e-9 for a, b in zip(ys, ys[1:]))


def test_inputs_sit_next_to_their_first_use():
    L, n = notebook_example()
    pos = graph_layout(L)
    # As in the notebook's picture: a, b | e, c | d, f | L
    assert [pos[n[k]][0] for k in "abecdfL"] == [0, 0, 1, 1, 2, 2, 3]


def test_layout_is_deterministic_and_independent_of_object_identity():
    first, second = mlp_graph(), mlp_graph()
    a = [graph_layout(first)[node] for node in first.topological_order()]
    b = [graph_layout(second)[node] for node in second.topological_order()]
    assert a == b


def test_barycentre_ordering_leaves_the_notebook_example_without_crossings():
    L, n = notebook_example()
    pos = graph_layout(L)
    # a and b feed e; c joins e at d; f joins d at L. No edge needs to cross another:
    # within each column the parents keep the vertical order of what they feed.
    assert pos[n["c"]][1] > pos[n["e"]][1] or pos[n["c"]][1] < pos[n["e"]][1]
    assert abs(pos[n["e"]][1] - (pos[n["a"]][1] + pos[n["b"]][1]) / 2) < 1e-6  # e centred on its inputs


# ------------------------------------------------------------------ drawing
def test_draws_every_value_box_op_circle_and_arrow():
    value = shared_graph()
    nodes = value.topological_order()
    computed = [n for n in nodes if n.parents]
    drawing = draw_graph(value)
    assert isinstance(drawing, GraphDrawing)
    patches = drawing.ax.patches
    assert sum(isinstance(p, FancyBboxPatch) for p in patches) == len(nodes) == len(drawing.boxes)
    assert sum(isinstance(p, Circle) for p in patches) == len(computed) == len(drawing.ops)
    # one arrow per use of a parent (a*a has two) plus one from each op circle to its result
    arrows = [p for p in patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == len(edges_with_multiplicity(value)) + len(computed)
    op_texts = [t.get_text() for t in drawing.ax.texts if t.get_text() in {n._op for n in computed}]
    assert sorted(op_texts) == sorted(n._op for n in computed)
    assert {"+", "-", "*", "**2", "/", "neg", "exp", "log", "tanh", "sigmoid", "relu"} <= set(op_texts)


def test_op_circle_sits_between_the_parents_and_its_node():
    value = mlp_graph()
    drawing = draw_graph(value)
    for node, circle in drawing.ops.items():
        cx, cy = circle.center
        assert cy == pytest.approx(drawing.positions[node][1])
        box = drawing.boxes[node]
        assert cx + circle.radius < box.get_x()
        for parent in node.parents:
            pbox = drawing.boxes[parent]
            assert pbox.get_x() + pbox.get_width() < cx - circle.radius


def test_arrows_end_on_the_op_circles():
    value, _ = notebook_example()
    drawing = draw_graph(value)
    shapes = [p.get_path().vertices for p in drawing.ax.patches if isinstance(p, FancyArrowPatch)]
    for node, circle in drawing.ops.items():
        # No arrow enters the circle; one arrow per parent ends at it (the tip is pulled
        # back ~1 pt so the stroked outline, not the centre line, meets the circle) and
        # one leaves it for the node's box. Data units are inches here (scale 1).
        gaps = [min(math.dist(v, circle.center) for v in shape) - circle.radius for shape in shapes]
        assert min(gaps) > -1e-9
        assert sum(g < 2 / 72 for g in gaps) == len(node.parents) + 1


def test_labels_show_label_data_and_grad_rounded_to_4_significant_digits():
    L, n = notebook_example()
    L.backward()
    drawing = draw_graph(L)
    assert drawing.label_of(n["a"]) == "a | data 2 | grad 6"
    assert drawing.label_of(n["b"]) == "b | data -3 | grad -4"
    assert drawing.label_of(n["L"]) == "L | data -8 | grad 1"
    o = neuron()
    o.backward()
    drawing = draw_graph(o)
    unlabeled = [node for node in drawing.boxes if not node.label]
    assert unlabeled, "the neuron has intermediate nodes without labels"
    for node in drawing.boxes:
        lines = [t.get_text() for t in drawing.texts[node]]
        expected = [f"data {node.data:.4g}", f"grad {node.grad + 0.0:.4g}"]
        assert lines == ([node.label] if node.label else []) + expected
    assert drawing.label_of(o) == "data 0.7071 | grad 1"
    texts = {t.get_text() for t in drawing.ax.texts}
    assert {"data 0.8814", "grad 0.5", "grad -1.5", "tanh"} <= texts


def test_show_grad_false_hides_gradients():
    L, n = notebook_example()
    drawing = draw_graph(L, show_grad=False)
    assert drawing.label_of(n["a"]) == "a | data 2"
    assert not any("grad" in t.get_text() for t in drawing.ax.texts)


def test_update_labels_refreshes_numbers_after_backward():
    L, n = notebook_example()
    drawing = draw_graph(L)
    assert drawing.label_of(n["a"]) == "a | data 2 | grad 0"
    L.backward()
    changed = drawing.update_labels()
    assert drawing.label_of(n["a"]) == "a | data 2 | grad 6"
    assert drawing.boxes[n["a"]] in changed
    assert drawing.update_labels() == []  # nothing left to change
    # a number that needs more room widens its box around the same centre
    n["a"].grad = -0.000123456
    box = drawing.boxes[n["a"]]
    before = box.get_width()
    drawing.update_labels()
    assert box.get_width() > before
    assert box.get_x() + box.get_width() / 2 == pytest.approx(drawing.positions[n["a"]][0])
    _assert_texts_inside_boxes(drawing, _render(drawing))


def test_highlight_recolours_only_the_given_boxes():
    L, n = notebook_example()
    drawing = draw_graph(L, highlight=n["a"])
    colour = {node: tuple(box.get_facecolor()) for node, box in drawing.boxes.items()}
    accent = colour[n["a"]]
    assert drawing.highlighted == (n["a"],)
    assert sum(c == accent for c in colour.values()) == 1
    width = drawing.boxes[n["a"]].get_linewidth()
    assert width > drawing.boxes[n["b"]].get_linewidth()  # thicker outline: colour is not the only cue

    n_patches, n_texts = len(drawing.ax.patches), len(drawing.ax.texts)
    extents = [box.get_bbox().bounds for box in drawing.boxes.values()]
    changed = drawing.set_highlight([n["d"], n["f"]])
    assert tuple(drawing.boxes[n["d"]].get_facecolor()) == accent
    assert tuple(drawing.boxes[n["f"]].get_facecolor()) == accent
    assert tuple(drawing.boxes[n["a"]].get_facecolor()) == tuple(drawing.boxes[n["b"]].get_facecolor())
    assert {drawing.boxes[n[k]] for k in "adf"} <= set(changed)
    assert drawing.boxes[n["b"]] not in changed
    # recolouring only: nothing added, nothing moved
    assert (len(drawing.ax.patches), len(drawing.ax.texts)) == (n_patches, n_texts)
    assert [box.get_bbox().bounds for box in drawing.boxes.values()] == extents

    drawing.set_highlight(None)
    assert sum(tuple(b.get_facecolor()) == accent for b in drawing.boxes.values()) == 0
    assert drawing.highlighted == ()


def test_highlight_rejects_foreign_nodes_and_non_values():
    L, _ = notebook_example()
    drawing = draw_graph(L)
    with pytest.raises(ValueError, match="not part of the drawn graph"):
        drawing.set_highlight(Value(1.0, label="stranger"))
    with pytest.raises(TypeError, match="highlight takes Values"):
        drawing.set_highlight(["a"])
    with pytest.raises(TypeError, match="needs a Value"):
        draw_graph(3.0)


def test_refuses_graphs_far_too_large_to_read():
    x = Value(0.0)
    for _ in range(300):
        x = x + 1
    with pytest.raises(ValueError, match="nodes; draw_graph is readable up to ~40"):
        draw_graph(x)


def _render(drawing):
    """Draw the figure once; returns the renderer that measures display extents (pixels)."""
    drawing.figure.canvas.draw()
    return drawing.figure.canvas.get_renderer()


def _shape_extents(drawing, renderer):
    shapes = list(drawing.boxes.values()) + list(drawing.ops.values())
    return [s.get_window_extent(renderer) for s in shapes]


def _assert_texts_inside_boxes(drawing, renderer):
    for node, texts in drawing.texts.items():
        box = drawing.boxes[node].get_window_extent(renderer)
        for text in texts:
            t = text.get_window_extent(renderer)
            assert box.x0 - 0.5 <= t.x0 and t.x1 <= box.x1 + 0.5, (text.get_text(), t, box)
            assert box.y0 - 0.5 <= t.y0 and t.y1 <= box.y1 + 0.5, (text.get_text(), t, box)


def _assert_no_overlaps(extents):
    for i, a in enumerate(extents):
        for b in extents[i + 1 :]:
            apart = a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0
            assert apart, (a, b)


def test_a_40_node_graph_draws_without_overlapping_boxes_or_circles():
    value = mlp_graph(hidden=3)
    value.backward()
    assert len(value.topological_order()) == 40
    drawing = draw_graph(value)
    renderer = _render(drawing)
    extents = _shape_extents(drawing, renderer)
    _assert_no_overlaps(extents)
    _assert_texts_inside_boxes(drawing, renderer)
    assert drawing.scale == 1.0  # its own figure: full size fonts


def test_ax_none_makes_a_figure_sized_to_the_graph():
    small = draw_graph(notebook_example()[0])
    large = draw_graph(mlp_graph())
    assert small.ax is small.figure.axes[0]
    assert plt.fignum_exists(small.figure.number)
    w_small, h_small = small.figure.get_size_inches()
    w_large, h_large = large.figure.get_size_inches()
    assert 4 < w_small < 10 and h_small < 4  # the notebook example fits a notebook cell
    assert w_large > w_small and h_large > h_small


def test_a_given_small_axes_gets_a_scaled_down_picture_that_still_fits():
    fig, (ax, other) = plt.subplots(2, 1, figsize=(12, 8))  # ax ~9 x 3 in: fonts ~4 pt
    drawing = draw_graph(mlp_graph(), ax=ax)
    assert drawing.ax is ax and drawing.figure is fig
    assert 0 < drawing.scale < 1
    renderer = _render(drawing)
    extents = _shape_extents(drawing, renderer)
    _assert_no_overlaps(extents)
    _assert_texts_inside_boxes(drawing, renderer)
    axes_box = ax.get_window_extent()
    for e in extents:
        assert axes_box.x0 - 1 <= e.x0 and e.x1 <= axes_box.x1 + 1
        assert axes_box.y0 - 1 <= e.y0 and e.y1 <= axes_box.y1 + 1
    assert not other.patches  # nothing drawn elsewhere


def test_a_single_input_is_one_box():
    drawing = draw_graph(Value(3.0, label="x"))
    assert len(drawing.boxes) == 1 and not drawing.ops
    assert drawing.label_of(next(iter(drawing.boxes))) == "x | data 3 | grad 0"


def test_repr_is_short_and_deterministic():
    drawing = draw_graph(notebook_example()[0])
    assert repr(drawing) == "<GraphDrawing: 7 value nodes, 3 op nodes>"


def test_drawing_changes_no_global_state():
    before = dict(matplotlib.rcParams)
    fig, ax = plt.subplots()
    draw_graph(neuron(), ax=ax, highlight=None)
    assert dict(matplotlib.rcParams) == before
    assert plt.get_fignums() == [fig.number]  # with an Axes given, no new figure
