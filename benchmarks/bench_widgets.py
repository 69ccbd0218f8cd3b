"""Widgets: kernel-side latency from a control change to new PNG bytes in ``explorer.images``.

Every explorer in ``backprop_lessons.widgets`` re-renders synchronously when a control's
``.value`` is set (also without a browser), so the time of ``slider.value = x`` is the
whole kernel-side cost: re-computing (re-training), drawing and PNG-encoding the frame.
The browser adds the round trip and the decode (see the browser rows, read from
``benchmarks/.latency/browser_latency.json`` that ``pytest tests/browser`` writes).

Values cycle through a fixed list that spans the control's range. Caches are part of
the explorers' design and are reported, not hidden: the static background of each
figure is cached per setting (every explorer); the activation explorer keeps each
trained (activation, dataset) pair (measured warm and cold: a cold pair chosen in the
browser is timed to its first frame and to its trained frame); the stepper keeps the
frame of each visited step (only first visits are timed).

The naive baseline is measured in the same run, interleaved with the learning-rate
explorer: the same re-training and the same two panels drawn the usual way (a new
Figure, the package's plot functions, ``tight_layout``, ``savefig(bbox_inches="tight")``).

    python benchmarks/bench_widgets.py [changes]
"""

import importlib
import inspect
import io
import json
import pkgutil
import re
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np
from _timing import fmt_ms, percentile, row  # first: pins BLAS threads before numpy
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import backprop_lessons.widgets as bw
from backprop_lessons.autograd import Value
from backprop_lessons.plots import plot_loss_curves, plot_loss_surface_2d
from backprop_lessons.widgets.learning_rate import SURFACE_XLIM, SURFACE_YLIM

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
GOAL_MS = 50.0
BROWSER_GOAL_MS = 150.0
LATENCY_FILE = Path(__file__).resolve().parent / ".latency" / "browser_latency.json"

# Which control each known explorer is driven by (the one a learner drags most);
# explorers added later are driven by their first slider, else their first dropdown.
CONTROLS = {
    "neuron_explorer": "w1_slider",
    "fit_explorer": "w_slider",
    "learning_rate_explorer": "lr_slider",
    "activation_explorer": "activation_dropdown",
    "gradient_flow_explorer": "depth_slider",
    "optimizer_race": "lr_slider",
    "generalization_explorer": "size_slider",
}
NOT_EXPLORERS = {"quiz", "review", "predict_first"}  # no figure


# ----------------------------------------------------------------- the inputs
def small_network_graph():
    """L = (v . tanh(W x + b) + c - y)**2 for a 2-2-1 network: 28 labelled Value nodes."""
    x = [Value(0.5, label="x1"), Value(-1.5, label="x2")]
    hidden = []
    for j, (w1, w2, b) in enumerate([(0.8, -0.4, 0.1), (-0.6, 0.9, -0.2)], start=1):
        z = Value(w1, label=f"w{j}1") * x[0] + Value(w2, label=f"w{j}2") * x[1] + Value(b, label=f"b{j}")
        h = z.tanh()
        h.label = f"h{j}"
        hidden.append(h)
    out = Value(1.2, label="v1") * hidden[0] + Value(-0.7, label="v2") * hidden[1] + Value(0.3, label="c")
    out.label = "ŷ"
    loss = (out - Value(1.0, label="y")) ** 2
    loss.label = "L"
    return loss


def control_values(control, count=10):
    """`count` distinct values spread over a control's range (log-spaced for a log slider)."""
    options = getattr(control, "options", None)
    if options is not None and not hasattr(control, "min"):  # a dropdown
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        return values
    if isinstance(control.value, bool):
        return [not control.value, control.value]
    lo, hi = control.min, control.max
    if hasattr(control, "base"):  # FloatLogSlider: min/max are exponents
        values = [float(control.base**e) for e in np.linspace(lo, hi, count)]
        return [float(f"{v:.3g}") for v in values]
    if isinstance(control.value, int):
        return sorted({int(round(v)) for v in np.linspace(lo, hi, count)})
    step = control.step or (hi - lo) / 100
    inner = np.linspace(lo, hi, count + 2)[1:-1]  # positions a learner drags to, on the slider's step grid
    return sorted({round(round(v / step) * step, 10) for v in inner})


def cycled(values, n, avoid):
    """n values cycling through `values`, never repeating the previous one (starting value `avoid`)."""
    if len({repr(v) for v in values}) < 2:
        raise ValueError(f"need at least two different values to cycle through, got {values!r}")
    out, i, last = [], 0, avoid
    while len(out) < n:
        v = values[i % len(values)]
        i += 1
        if v != last:
            out.append(v)
            last = v
    return out


def png_ok(data):
    """PNG bytes? (ipywidgets hands back ``Image.value`` as a memoryview.)"""
    return isinstance(data, (bytes, memoryview)) and bytes(data[:8]) == PNG_SIGNATURE


# ----------------------------------------------------------------- measuring
class Latencies(list):
    """Wall-clock seconds per change, with the process's CPU seconds per change in ``.cpu``.

    The work is single-threaded (one BLAS thread), so on an idle core the wall clock equals
    the CPU time; on a shared machine the difference is time spent waiting for a core.
    """

    def __init__(self):
        super().__init__()
        self.cpu = []

    def __iadd__(self, other):
        self.extend(other)
        self.cpu.extend(getattr(other, "cpu", []))
        return self


def timed(fn, out):
    """Call fn(), appending its wall and CPU seconds to `out` (a Latencies)."""
    cpu, start = time.process_time(), time.perf_counter()
    fn()
    out.append(time.perf_counter() - start)
    out.cpu.append(time.process_time() - cpu)


def time_changes(explorer, changes):
    """Run each change (a zero-argument callable); return (Latencies, frames that changed)."""
    seconds, changed = Latencies(), 0
    for change in changes:
        before = explorer.png
        timed(change, seconds)
        after = explorer.png
        assert png_ok(after), f"{type(explorer).__name__}: no PNG in .png after a change"
        changed += after != before
    return seconds, changed


def setter(control, value):
    def change():
        control.value = value

    return change


def naive_frame(lr_explorer, lr, epochs):
    """The learning-rate explorer's picture the naive way: re-train, new Figure, tight layout and bbox."""
    history, path = lr_explorer.run(lr, epochs, "sgd")
    span = max(SURFACE_XLIM[1] - SURFACE_XLIM[0], SURFACE_YLIM[1] - SURFACE_YLIM[0])
    path = np.clip(np.nan_to_num(path, nan=0.0, posinf=1e3 * span, neginf=-1e3 * span), -1e3 * span, 1e3 * span)
    fig = Figure(figsize=(10, 4), dpi=100)  # pyplot-free, like the explorers
    FigureCanvasAgg(fig)
    ax1, ax2 = fig.subplots(1, 2)
    with np.errstate(all="ignore"):
        plot_loss_curves(history, ax=ax1)
        plot_loss_surface_2d(lr_explorer.E, SURFACE_XLIM, SURFACE_YLIM, path=path, ax=ax2, levels=14)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", bbox_inches="tight")
    return out.getvalue()


def stats(seconds):
    """(median, p90, min) in ms."""
    ms = [1e3 * s for s in seconds]
    return statistics.median(ms), percentile(ms, 90), min(ms)


def describe(seconds):
    med, p90, lo = stats(seconds)
    cpu = f" (CPU {fmt_ms(stats(seconds.cpu)[0])})" if getattr(seconds, "cpu", None) else ""
    return f"median {fmt_ms(med)} ms{cpu}, p90 {fmt_ms(p90)}, min {fmt_ms(lo)}, n={len(seconds)}"


# ----------------------------------------------------------------- the explorers
FACTORY_NAME = re.compile(r"_(explorer|race|stepper)$")  # how the explorer factories are named


def factories():
    """name -> factory of every explorer: those backprop_lessons.widgets exports, then any other
    explorer factory a widgets module lists in its __all__ (new ones not exported yet)."""
    found = {}
    for name in getattr(bw, "__all__", []):
        if name not in NOT_EXPLORERS and callable(getattr(bw, name, None)):
            found[name] = getattr(bw, name)
    for info in pkgutil.iter_modules(bw.__path__):
        if info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"{bw.__name__}.{info.name}")
        except Exception:  # noqa: BLE001 - a module someone is still writing must not stop the benchmark
            continue
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if name not in found and FACTORY_NAME.search(name) and inspect.isfunction(obj):
                found[name] = obj
    return found


def explorer_names():
    """Every explorer factory's name, exported ones first."""
    return list(factories())


def build(name, **kwargs):
    factory = factories()[name]
    if name == "backprop_stepper":
        return factory(small_network_graph())
    return factory(**kwargs)


def pick_control(name, explorer):
    attr = CONTROLS.get(name)
    if attr is None or not hasattr(explorer, attr):
        names = list(vars(explorer))  # in the order the explorer made them
        attr = next((a for a in names if a.endswith("_slider")), None) or next(
            (a for a in names if a.endswith("_dropdown")), None
        )
    return attr


def measure_lr_with_baseline(n):
    """The learning-rate explorer, interleaved change by change with the naive baseline."""
    created = time.perf_counter()
    ex = build("learning_rate_explorer")
    created = time.perf_counter() - created
    control = ex.lr_slider
    values = cycled(control_values(control), n, control.value)
    epochs = int(ex.epochs_slider.value)  # matplotlib's fonts are loaded: creating the explorer drew it
    ours, naive, changed = Latencies(), Latencies(), 0
    for i, v in enumerate(values):

        def ours_change(v=v):
            control.value = v

        def naive_change(v=v):
            assert png_ok(naive_frame(ex, v, epochs))

        pair = [("ours", ours_change), ("naive", naive_change)]
        for who, fn in pair if i % 2 == 0 else pair[::-1]:
            if who == "ours":
                secs, ch = time_changes(ex, [fn])
                ours += secs
                changed += ch
            else:
                timed(fn, naive)
    return ex, "lr_slider", ours, changed, naive, created


def measure(name, n, kwargs=None):
    """(control name, seconds, frames changed, creation seconds, note) for one explorer."""
    kwargs = kwargs or {}
    start = time.perf_counter()
    ex = build(name, **kwargs)
    created = time.perf_counter() - start
    note = ""
    if name == "backprop_stepper":
        seconds, changed = Latencies(), 0
        while len(seconds) < n:  # first visits only: a revisited step shows its stored frame
            steps = min(len(ex.order), n - len(seconds))
            s, c = time_changes(ex, [ex.next] * steps)
            seconds += s
            changed += c
            if len(seconds) < n:
                ex = build(name)
        return (
            "next()",
            seconds,
            changed,
            created,
            f"{len(ex.order)}-node graph (2-2-1 network), first visits; Back/Reset replay stored frames",
        )
    attr = pick_control(name, ex)
    if attr is None:
        return None, [], 0, created, "no slider or dropdown found"
    control = getattr(ex, attr)
    values = control_values(control)
    if name == "activation_explorer":
        for v in values:  # visit every activation once: the timed changes below are warm (cached)
            control.value = v
        note = "warm: every (activation, dataset) pair trained and cached before timing"
    changes = [setter(control, v) for v in cycled(values, n, control.value)]
    seconds, changed = time_changes(ex, changes)
    return attr, seconds, changed, created, note


def measure_activation_cold(n):
    """The activation explorer when a pair is new, chosen in the browser: (first frame, trained frame, changed).

    Each change is what a comm message from the browser does (``set_state``, which our controls
    mark as a browser change): the handler returns with a first frame (f, f′ and the untrained
    network) and the 300 epochs are trained in the background thread, which pushes frames and
    at last the trained one. Both are timed from the change: the first frame is the latency a
    learner feels (the goal), the trained frame the time to the final picture. Before each change
    the trained networks are dropped and the background thread is quiet.
    """
    ex = build("activation_explorer")
    control = ex.activation_dropdown
    names = list(control.options)
    first, trained, changed = Latencies(), Latencies(), 0
    done = threading.Event()
    ex.status.observe(lambda change: "training…" not in ex.status_text and done.set(), names="value")
    for v in cycled(control_values(control), n, control.value):
        ex.precomputer.cancel()  # the neighbours it would train next...
        ex.wait_precomputed()  # ...and the one it trains now: a quiet thread, as for a learner who just arrived
        # Forget the trained networks. The backgrounds stay: every dataset's is drawn when the
        # explorer is created (one per dataset, never evicted), so no learner's change redraws them.
        ex.cache.clear()
        done.clear()
        before = ex.png
        cpu, start = time.process_time(), time.perf_counter()
        control.set_state({"index": names.index(v)})  # returns with the first frame in .images
        first.append(time.perf_counter() - start)
        first.cpu.append(time.process_time() - cpu)
        assert "training…" in ex.status_text, ex.status_text
        changed += ex.png != before
        assert done.wait(120), "the trained frame never came"
        trained.append(time.perf_counter() - start)
    ex.stop_precomputing()
    return first, trained, changed


def browser_rows():
    """Rows from the browser tests' measurements, when they exist."""
    if not LATENCY_FILE.exists():
        return [
            row(
                "browser: slider to pixels",
                "not measured",
                "-",
                "-",
                f"<= {BROWSER_GOAL_MS:.0f} ms median",
                None,
                f"{LATENCY_FILE.name} is written by `pytest tests/browser` (needs Chromium)",
            )
        ]
    data = json.loads(LATENCY_FILE.read_text())
    rows = []
    for key, entry in data.items():
        med = float(entry["median_ms"])
        rows.append(
            row(
                f"browser: slider to pixels, {key.split(':')[-1]} ({entry.get('frontend', '?')})",
                f"median {fmt_ms(med)} ms, p90 {fmt_ms(float(entry.get('p90_ms', float('nan'))))} "
                f"(n={entry.get('n', '?')})",
                "-",
                "-",
                f"<= {BROWSER_GOAL_MS:.0f} ms median",
                med <= BROWSER_GOAL_MS,
                f"measured {entry.get('measured_at', '?')} by the browser tests, not in this run",
                ratio=None,
            )
        )
    return rows


def _measurements(name, changes, cold, boundary):
    """[(label, control, seconds, changed, created, note, naive)] for one explorer factory."""
    if name == "learning_rate_explorer":
        _, attr, secs, changed, naive, created = measure_lr_with_baseline(changes)
        out = [(name, attr, secs, changed, created, "re-trains 30 epochs per change", naive)]
        if boundary:
            attr, secs, changed, created, note = measure(name, changes, {"problem": "boundary"})
            out.append((f"{name}(problem='boundary')", attr, secs, changed, created, note, None))
        return out
    attr, secs, changed, created, note = measure(name, changes)
    if name not in getattr(bw, "__all__", []):
        note = "; ".join(n for n in (note, "not exported by backprop_lessons.widgets yet") if n)
    out = [(name, attr, secs, changed, created, note, None)]
    if name == "activation_explorer" and cold:
        first, trained, c_changed = measure_activation_cold(changes)
        how = "activation_dropdown.set_state (browser)"
        note = "first visit of a pair, chosen in the browser: f, f′ and the untrained network at once"
        out.append((f"{name} (cold), first frame", how, first, c_changed, None, note, None))
        note = (
            "the same changes, to the trained frame: 300 epochs in the background thread, which pushes the "
            "boundary at epochs 10-200 (at most every 0.1 s); a change in code (a notebook cell) trains before "
            "it returns"
        )
        out.append((f"{name} (cold), trained frame", how, trained, len(trained), None, note, None, False))
    return out


def control_rows(changes):
    """Every control of every explorer, each against its own naive baseline (bench_controls.py)."""
    import bench_controls

    return bench_controls.run(changes)


def browser_control_rows():
    """Per-control action-to-pixels medians from the browser tests (benchmarks/.latency/controls.json)."""
    path = LATENCY_FILE.parent / "controls.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return []
    rows = []
    for key, values in sorted(data.items()):
        if not isinstance(values, list) or not values:
            continue
        med = statistics.median(values)
        rows.append(
            row(
                f"browser: {key}",
                f"median {fmt_ms(med)} ms (n={len(values)})",
                "-",
                "-",
                f"<= {BROWSER_GOAL_MS:.0f} ms median",
                med <= BROWSER_GOAL_MS,
                f"measured {data.get('measured_at', '?')} by the browser tests "
                "(tests/browser: test_explorer_controls.py, test_progressive_browser.py)",
                ratio=None,
            )
        )
    return rows


def run(changes=30, names=None, cold=True, boundary=True, browser=True, per_control=False):
    """Rows for the results table. changes: slider changes timed per explorer (>= 30 for the
    report); names: explorer factory names (default: every explorer found); cold: also time
    the activation explorer's first visits; boundary: also the learning-rate explorer's
    problem="boundary"; browser: add the browser tests' measurements; per_control: also every
    control of every explorer against its own naive baseline (bench_controls.py, minutes).

    An explorer that raises, or whose changes do not give new pictures, gets a FAILED row;
    the others are still measured."""
    names = explorer_names() if names is None else list(names)
    # The learning-rate explorer first: its interleaved naive baseline is every row's peer.
    names.sort(key=lambda name: name != "learning_rate_explorer")
    measured, failed, naive = [], [], None
    for name in names:
        try:
            for m in _measurements(name, changes, cold, boundary):
                label, secs, changed = m[0], m[2], m[3]
                if secs and changed < (len(secs) + 1) // 2:
                    raise AssertionError(f"only {changed} of {len(secs)} changes gave a new picture")
                measured.append((*m[:6], m[7] if len(m) > 7 else True))  # m[7]: held to the goal
                naive = m[6] if m[6] else naive
        except Exception as exc:  # noqa: BLE001 - one broken explorer must not hide the others
            failed.append(row(f"widget: {name} FAILED", f"{type(exc).__name__}: {exc}", "-", "-", "-", False, ""))
    naive_med = stats(naive)[0] if naive else None
    rows = []
    for label, attr, secs, changed, created, note, goal in measured:
        if not secs:
            rows.append(row(f"widget: {label}", "not measured", "-", "-", f"<= {GOAL_MS:.0f} ms median", None, note))
            continue
        med = stats(secs)[0]
        cpu_med = stats(secs.cpu)[0] if getattr(secs, "cpu", None) else None
        notes = [n for n in (note, f"{changed}/{len(secs)} changes gave new PNG bytes") if n]
        if created is not None:
            notes.append(f"created in {1e3 * created:.0f} ms")
        how = attr if attr == "next()" or " " in attr else f"{attr}.value = x"
        peer = naive_med if goal else None  # a row without a goal is a note: no ratio either
        rows.append(
            row(
                f"widget: {label}, {how}",
                describe(secs),
                f"naive redraw: median {fmt_ms(naive_med)} ms" if naive_med else "-",
                f"{peer / med:.0f}x faster" if peer else "-",
                f"<= {GOAL_MS:.0f} ms median" if goal else "-",
                med <= GOAL_MS if goal else None,
                "; ".join(notes),
                ratio=peer / med if peer else None,
            )
        )
        if goal and cpu_med is not None and (cpu_med <= GOAL_MS) != (med <= GOAL_MS):
            rows[-1]["met_text"] = f"{'yes' if med <= GOAL_MS else 'NO'} (CPU {'yes' if cpu_med <= GOAL_MS else 'NO'})"
    rows += failed
    if naive:
        rows.append(
            row(
                "widget baseline: naive redraw of the learning-rate picture",
                describe(naive),
                "-",
                "-",
                "-",
                None,
                "re-train + new Figure(10x4 in, 100 dpi) + plot functions + tight_layout + "
                "savefig(png, bbox_inches='tight'); interleaved with the learning-rate explorer",
            )
        )
    if per_control:
        rows += control_rows(max(6, changes // 3))
    if browser:
        rows += browser_rows() + browser_control_rows()
    return rows


if __name__ == "__main__":
    for r in run(changes=int(sys.argv[1]) if len(sys.argv) > 1 else 30):
        print(r)
