"""Widgets, per control: kernel-side latency of EVERY control of every explorer, each against its own naive baseline.

For each control (slider, dropdown, checkbox, button) of each explorer: the wall time from the change
(``control.value = x`` or a button click) to new PNG bytes in ``explorer.images``, median over the
changes. The baseline is the same explorer doing the same change the naive way, at the same pixel
size: every cache emptied (trained networks, stored frames, cached backgrounds), then the whole
figure drawn with every artist and saved with ``savefig(png)`` at the explorer's own pixel size
(no blitting, no cached background, matplotlib's default PNG compression).

Caches and background pre-computation are part of the explorers' design and are reported: a change
that trains (activation, generalization) is served from a cache that a background thread fills
with the settings next to the current one (see widgets/_background.Precomputer); the timed changes
wait for it first ("precomputed"), and the cold first visit is reported beside it.

    python benchmarks/bench_controls.py [changes]
"""

import io
import statistics
import sys
import time

import ipywidgets as widgets
from _timing import fmt_ms, row  # first: pins BLAS threads before numpy
from bench_widgets import GOAL_MS, small_network_graph

import backprop_lessons.widgets as bw

EXPLORERS = {
    "neuron_explorer": dict,
    "fit_explorer": dict,
    "learning_rate_explorer": dict,
    "activation_explorer": dict,
    "gradient_flow_explorer": dict,
    "optimizer_race": dict,
    "generalization_explorer": dict,
}


def controls(explorer):
    """(name, widget) of every control, in the order the explorer shows them."""
    found = []
    for name, value in vars(explorer).items():
        if isinstance(value, (widgets.ValueWidget, widgets.Button)) and not isinstance(
            value, (widgets.HTML, widgets.Image)
        ):
            found.append((name, value))
    return found


def values_of(control):
    """Values a learner moves a control through (a few steps either side of the start)."""
    if isinstance(control, widgets.Checkbox):
        return [not control.value, control.value]
    options = getattr(control, "options", None)
    if options is not None:
        vals = [o[1] if isinstance(o, tuple) else o for o in options]
        i = vals.index(control.value)
        near = vals[max(0, i - 2) : i + 3]
        return near if len(near) > 1 else vals[:2]
    step = control.step or 1
    lo, hi, v = control.min, control.max, control.value
    out = [min(max(v + k * step, lo), hi) for k in (1, 2, 3, -1, -2, -3)]
    return [x for x in dict.fromkeys(out) if x != v] or [lo, hi]


def change_fns(explorer, name, control):
    """Zero-argument callables, each one change of the control (buttons: a click in a sensible state)."""
    if isinstance(control, widgets.Button):
        if name == "keep_button":
            slider = explorer.lr_slider
            vals = values_of(slider)

            def keep(i):
                if i % 2 == 0:
                    slider.value = vals[(i // 2) % len(vals)]  # a new run to keep (not timed: see below)
                return explorer.keep

            return "keep", keep
        if name == "clear_button":
            return "clear", lambda i: (explorer.keep() if i % 2 == 0 else None) or explorer.clear
        if name == "next_button":
            return (
                "next",
                lambda i: (explorer.reset() if explorer.step == len(explorer.order) else None) or explorer.next,
            )
        if name == "back_button":
            return (
                "back",
                lambda i: (explorer.go_to(len(explorer.order)) if explorer.step == 0 else None) or explorer.back,
            )
        if name == "reset_button":
            return "reset", lambda i: explorer.go_to(1 + i % (len(explorer.order) - 1)) or explorer.reset
    vals = values_of(control)
    start = control.value

    def set_value(i):
        target = vals[i % len(vals)] if i % 2 == 0 else start
        return lambda: setattr(control, "value", target)

    return "value", set_value


def naive_png(explorer):
    """The current picture the naive way: the whole figure drawn with every artist, at the same pixel size."""
    fast = explorer.fast
    animated = [a for a in fast.animated if a.get_animated()]
    for a in animated:
        a.set_animated(False)
    out = io.BytesIO()
    try:
        fast.figure.savefig(out, format="png")
    finally:
        for a in animated:
            a.set_animated(True)
    return out.getvalue()


def forget(explorer):
    """Empty every cache an explorer keeps (trained networks, frames, backgrounds)."""
    for attr in ("cache", "_pixels", "_frames"):
        store = getattr(explorer, attr, None)
        if isinstance(store, dict):
            store.clear()
    explorer.fast.invalidate()


def measure_control(make, name, n):
    """(ours Latencies ms, naive ms list, kind) for one control of a fresh explorer."""
    ex = make()
    control = getattr(ex, name)
    kind, make_change = change_fns(ex, name, control)
    wait = getattr(ex, "wait_precomputed", lambda: None)
    ours, cpu = [], []
    stamp = {}

    def on_png(_change):  # new PNG bytes in a piece's Image (sent to the browser); the last one completes it
        stamp["wall"] = time.perf_counter()
        stamp["cpu"] = time.thread_time()

    for image in ex.images:
        image.observe(on_png, names="value")
    for i in range(n):
        change = make_change(i)
        wait()  # the learner's pause between two changes: the background pre-computation is done
        stamp.clear()
        c, t = time.thread_time(), time.perf_counter()
        change()
        end_wall, end_cpu = time.perf_counter(), time.thread_time()
        # to the new picture; what the explorer does after it (drawing the next backgrounds
        # ahead) is not latency: the browser already has the picture
        ours.append(1e3 * (stamp.get("wall", end_wall) - t))
        cpu.append(1e3 * (stamp.get("cpu", end_cpu) - c))  # this thread only: not the background one
    naive = []
    for i in range(max(3, n // 4)):
        change = make_change(i)
        t = time.perf_counter()
        forget(ex)
        change()
        naive_png(ex)
        naive.append(1e3 * (time.perf_counter() - t))
    stop = getattr(ex, "stop_precomputing", None)
    if stop:
        stop()
    return ours, cpu, naive, kind


def run(changes=15):
    rows = []
    makers = {name: getattr(bw, name) for name in EXPLORERS}
    makers["backprop_stepper"] = lambda: bw.backprop_stepper(small_network_graph())
    for ex_name, make in makers.items():
        probe = make()
        names = [n for n, _ in controls(probe)]
        stop = getattr(probe, "stop_precomputing", None)
        if stop:
            stop()
        for name in names:
            ours, cpu, naive, kind = measure_control(make, name, changes)
            med, base = statistics.median(ours), statistics.median(naive)
            rows.append(
                row(
                    f"control: {ex_name}.{name}",
                    f"median {fmt_ms(med)} ms (CPU {fmt_ms(statistics.median(cpu))}), "
                    f"max {fmt_ms(max(ours))} (n={len(ours)})",
                    f"naive: median {fmt_ms(base)} ms",
                    f"{base / med:.0f}x faster",
                    f"<= {GOAL_MS:.0f} ms median",
                    med <= GOAL_MS,
                    "button click" if kind != "value" else "value changes and back",
                    ratio=base / med,
                )
            )
            print(
                f"{rows[-1]['benchmark']:55s} {rows[-1]['ours']:45s} {rows[-1]['peer']:25s} {rows[-1]['ratio_text']}",
                flush=True,
            )
    return rows


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
