"""Run the benchmarks, print one table and write benchmarks/results.md (``make bench``).

    python benchmarks/run.py                      # everything (~5 minutes; more on a busy machine)
    python benchmarks/run.py --quick              # few rounds: checks that it all runs (~2 minutes)
    python benchmarks/run.py --only engine,layers # some sections: engine, layers, widgets, course

Sections: engine (scalar Value vs micrograd), layers (vectorized step vs PyTorch or
numpy by hand), widgets (slider-to-PNG latency vs a naive redraw; browser numbers
when the browser tests left them), course (notebook run times, import times).
The machine is shared: contenders are timed in interleaved rounds on one BLAS
thread, ratios come from medians measured in the same run, and nothing asserts an
absolute time. The correctness checks (equal gradients, new PNGs) do assert.
"""

import argparse
import datetime
import importlib.metadata
import os
import platform
import sys
import time
import traceback
from pathlib import Path

import _timing  # first: pins BLAS threads before anything imports numpy
import readme_speed

HERE = Path(__file__).resolve().parent
SECTIONS = ("engine", "layers", "widgets", "course")
SETTINGS = {  # section -> keyword arguments of its run()
    "full": {
        "engine": {"rounds": 7},
        "layers": {"rounds": 15, "min_seconds": 4.0},
        "widgets": {"changes": 30, "per_control": True},
        "course": {"import_repeats": 5},
    },
    "quick": {
        "engine": {"rounds": 2},
        "layers": {"rounds": 3},
        "widgets": {"changes": 8},
        "course": {"import_repeats": 3},
    },
}
COLUMNS = ("benchmark", "ours", "peer", "ratio", "goal", "met")
VERSIONS = ("numpy", "matplotlib", "micrograd", "torch", "ipywidgets", "pillow", "nbclient", "ipykernel")


def run_section(name, kwargs):
    """The section's rows; a section that fails gives one row saying why (and the run goes on)."""
    try:
        module = __import__(f"bench_{name}")
        return module.run(**kwargs), None
    except Exception as exc:  # noqa: BLE001 - report every failure, then keep measuring
        detail = traceback.format_exc()
        error = f"{type(exc).__name__}: {exc}"
        failed = _timing.row(f"{name}: FAILED", error, "-", "-", "-", False, "see the traceback")
        return [failed], detail


def met_text(met):
    return "-" if met is None else ("yes" if met else "NO")


def cells(r):
    return [r["benchmark"], r["ours"], r["peer"], r["ratio_text"], r["goal"], r.get("met_text") or met_text(r["met"])]


def text_table(rows):
    """A plain-text table for the terminal."""
    lines = [list(COLUMNS)] + [cells(r) for r in rows]
    widths = [min(max(len(str(line[i])) for line in lines), 70) for i in range(len(COLUMNS))]
    out = []
    for k, line in enumerate(lines):
        out.append(" | ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip())
        if k == 0:
            out.append("-+-".join("-" * w for w in widths))
    return "\n".join(out)


def markdown_table(rows):
    def esc(text):
        return str(text).replace("|", "\\|")

    out = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    out += ["| " + " | ".join(esc(c) for c in cells(r)) + " |" for r in rows]
    return "\n".join(out)


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def version(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine_info():
    """Lines describing where and with what the numbers were measured."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(f"{d} {v}" for d in VERSIONS if (v := version(d)) is not None)
    missing = [d for d in VERSIONS if version(d) is None]
    threads = ", ".join(f"{v}={os.environ.get(v)}" for v in _timing.THREAD_VARS)
    return [
        f"CPU: {cpu_model()}, {os.cpu_count()} cores ({usable} usable)",
        f"OS: {platform.platform()}",
        f"Python {platform.python_version()} ({sys.executable})",
        f"Packages: {versions}" + (f" (not installed: {', '.join(missing)})" if missing else ""),
        f"Threads: {threads} (notebook kernels and import timings get the user's own settings)",
    ]


def write_results(path, rows, info, notes, settings_name, sections, started, seconds):
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`python benchmarks/run.py{' --quick' if settings_name == 'quick' else ''}"
        f"{' --only ' + ','.join(sections) if tuple(sections) != SECTIONS else ''}`) on "
        f"{started:%Y-%m-%d %H:%M} UTC in {seconds / 60:.1f} minutes. How to read it: `benchmarks/README.md`.",
        "",
        "## Machine",
        "",
        *[f"- {line}" for line in info],
        "",
        "## Results",
        "",
        markdown_table(rows),
        "",
        "## Notes",
        "",
        *[f"- {line}" for line in notes],
        "",
        "Per benchmark:",
        "",
        *[f"- **{r['benchmark']}**: {r['note']}" for r in rows if r.get("note")],
        "",
    ]
    Path(path).write_text("\n".join(lines))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few rounds and slider changes (a smoke run)")
    sections = ", ".join(SECTIONS)
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of: {sections}")
    parser.add_argument("--output", default=str(HERE / "results.md"), help="where to write the markdown results")
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    settings_name = "quick" if args.quick else "full"

    started = datetime.datetime.now(datetime.timezone.utc)
    load_start = os.getloadavg()
    t0 = time.perf_counter()
    rows, failures = [], []
    for name in sections:
        print(f"[bench] {name} ...", flush=True)
        t = time.perf_counter()
        section_rows, failure = run_section(name, SETTINGS[settings_name][name])
        rows += section_rows
        if failure:
            failures.append(failure)
            print(failure, file=sys.stderr)
        print(f"[bench] {name} done in {time.perf_counter() - t:.0f} s", flush=True)
    seconds = time.perf_counter() - t0
    load_end = os.getloadavg()

    goals = [r for r in rows if r["met"] is not None]
    notes = [
        f"Load average (1 min) {load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end, on "
        f"{os.cpu_count()} cores: above the core count, other work shared the CPUs and absolute times are inflated.",
        "Ratios come from the medians of interleaved rounds measured in this run (a burst of load hits both "
        "contenders alike); min and median are shown, absolute times are never asserted.",
        f"Goals met: {sum(bool(r['met']) for r in goals)} of {len(goals)}.",
    ]
    if any(r.get("met_text") for r in rows):
        notes.append(
            "'NO (CPU yes)': the wall-clock median misses the goal, the CPU-time median meets it "
            "(single-threaded work waiting for a core other processes held)."
        )
    info = machine_info()
    print()
    print(text_table(rows))
    print()
    for line in info + notes:
        print(line)
    write_results(args.output, rows, info, notes, settings_name, sections, started, seconds)
    print(f"\nwrote {args.output}")
    if settings_name == "full" and tuple(sections) == SECTIONS and Path(args.output) == readme_speed.RESULTS:
        readme_speed.update_readme()  # the README's numbers come from this results.md
        print(f"updated the speed section of {readme_speed.README}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
