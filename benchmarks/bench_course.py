"""The course: how long each notebook takes to run headless, and how long the imports take.

Each notebook in notebooks/ is executed top to bottom on a fresh kernel with nbclient, as
``make notebooks`` does (tests/notebook_tools.py) but WITHOUT saving anything. The time
includes starting and stopping the kernel; a one-cell notebook measures that part alone.
The kernel gets the user's own thread settings back (the benchmarks pin BLAS to one
thread), because that is how learners run the course.

Import times are measured in fresh subprocesses (median of 5): ``import backprop_lessons``
and ``import backprop_lessons.widgets``, next to the third-party floor they stand on.

    python benchmarks/bench_course.py
"""

import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import ORIGINAL_THREAD_ENV, fmt_ms, row  # first: pins BLAS threads before numpy

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TOTAL_GOAL_S = 60.0

IMPORTS = [
    # (what we import, the third-party modules it cannot be faster than)
    ("backprop_lessons", ""),
    ("backprop_lessons.widgets", "numpy, matplotlib.figure, matplotlib.backends.backend_agg, ipywidgets, PIL.Image"),
]
FLOOR_LABEL = "third-party imports underneath"


@contextlib.contextmanager
def user_thread_settings():
    """Temporarily give child processes the thread variables the user had before _timing pinned them."""
    saved = {var: os.environ.get(var) for var in ORIGINAL_THREAD_ENV}
    try:
        for var, value in ORIGINAL_THREAD_ENV.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value
        yield
    finally:
        for var, value in saved.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value


# Appended to every run: the kernel's own CPU seconds (start-up included). Unlike the wall
# clock, this barely depends on what else the shared machine is doing.
CPU_CELL = "import os as _bench_os\nprint(sum(_bench_os.times()[:2]))"


def execute_notebook(path, timeout=600):
    """(wall seconds, kernel CPU seconds) to run a notebook top to bottom on a fresh kernel.

    Nothing is saved. The kernel's stderr (ipykernel's start-up warnings) is dropped;
    errors in cells still fail the run, as in ``make notebooks``.
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.cells.append(nbformat.v4.new_code_cell(CPU_CELL))
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    with user_thread_settings():
        start = time.perf_counter()
        client.execute(stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
    cpu = float(nb.cells[-1].outputs[-1]["text"].split()[-1])
    return wall, cpu


def execute_with_retry(path, attempts=2):
    """execute_notebook, once more if the kernel died while starting (a shared machine under
    memory pressure, or packages being reinstalled); errors in cells are never retried."""
    for attempt in range(attempts):
        try:
            return execute_notebook(path)
        except RuntimeError as exc:
            if "Kernel died" not in str(exc) or attempt == attempts - 1:
                raise


def empty_notebook(directory):
    """A one-cell notebook (``pass``) in `directory`: its run time is the kernel's start and stop."""
    import nbformat

    path = Path(directory) / "_kernel_only.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def code_cells(path):
    import nbformat

    return sum(cell.cell_type == "code" for cell in nbformat.read(path, as_version=4).cells)


def import_seconds(module, repeats=5):
    """Seconds to import `module` (comma-separated modules allowed) in fresh interpreters, one per repeat."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    times = []
    with user_thread_settings():
        for _ in range(repeats):
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            times.append(float(out.stdout.strip().splitlines()[-1]))
    return times


def own_import_ms(module):
    """ms of `module`'s import spent in backprop_lessons' own modules (python -X importtime, one run)."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"], capture_output=True, text=True, check=True
    )
    total_us = 0
    for line in out.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+\d+\s+\|\s+(\S.*)$", line)
        if m and m.group(2).strip().startswith("backprop_lessons"):
            total_us += int(m.group(1))
    return total_us / 1e3


def notebook_rows(notebooks, kernel_only=True):
    rows = []
    results = [(path, *execute_with_retry(path)) for path in notebooks]
    total = sum(wall for _, wall, _ in results)
    total_cpu = sum(cpu for _, _, cpu in results)
    kernel = None
    if kernel_only and notebooks:
        with tempfile.TemporaryDirectory() as tmp:
            kernel = execute_with_retry(empty_notebook(tmp))
    for path, wall, cpu in results:
        rows.append(
            row(
                f"course: run {path.name} headless",
                f"{wall:.1f} s (kernel CPU {cpu:.1f} s)",
                "-",
                "-",
                "-",
                None,
                f"{code_cells(path)} code cells; nbclient, fresh kernel, nothing saved",
            )
        )
    kernel_note = ""
    if kernel is not None:
        kernel_note = f"; a one-cell notebook takes {kernel[0]:.1f} s (kernel CPU {kernel[1]:.1f} s): start and stop"
    rows.append(
        row(
            f"course: all {len(results)} notebooks headless, one after another",
            f"{total:.1f} s (kernel CPU {total_cpu:.1f} s)",
            "-",
            "-",
            f"<= {TOTAL_GOAL_S:.0f} s on {os.cpu_count()} cores",
            total <= TOTAL_GOAL_S,
            f"wall clock, one run each (the goal is judged on it; kernel CPU time is what an idle machine "
            f"would need at least){kernel_note}",
            ratio=None,
        )
    )
    return rows


def import_rows(repeats=5, imports=IMPORTS):
    rows = []
    for module, floor in imports:
        ours = statistics.median(import_seconds(module, repeats))
        peer = statistics.median(import_seconds(floor, repeats)) if floor else None
        own = own_import_ms(module)
        rows.append(
            row(
                f"course: import {module} (fresh process)",
                f"{fmt_ms(1e3 * ours)} ms",
                f"{FLOOR_LABEL}: {fmt_ms(1e3 * peer)} ms" if floor else "-",
                f"{ours / peer:.2f}x the time" if floor else "-",
                "-",
                None,
                f"median of {repeats}; about {fmt_ms(own)} ms in backprop_lessons' own modules (-X importtime, one run)"
                + (f"; floor = import {floor}" if floor else ""),
                ratio=ours / peer if floor else None,
            )
        )
    return rows


def run(import_repeats=5, notebooks=None, kernel_only=True, imports=IMPORTS):
    """Rows for the results table. notebooks: paths (default: every notebooks/*.ipynb);
    kernel_only: also time a one-cell notebook; imports: (module, third-party floor) pairs."""
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb")) if notebooks is None else [Path(p) for p in notebooks]
    rows = import_rows(import_repeats, imports)
    rows += notebook_rows(notebooks, kernel_only=kernel_only)
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
