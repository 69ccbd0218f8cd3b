"""Timing helpers: interleaved rounds, min and median, ratios measured in the same run.

The machines are shared and noisy, so absolute times are reported but never asserted;
what matters is the ratio between two contenders timed in alternating rounds, so that a
burst of load hits both alike.

Import this module before numpy (run.py does): the BLAS thread count is read once,
when numpy loads its BLAS library.
"""

import gc
import os
import statistics
import time

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# What the user had before we pinned the threads: notebook kernels get this back
# (bench_course), because learners run the course with their normal settings.
ORIGINAL_THREAD_ENV = {var: os.environ.get(var) for var in THREAD_VARS}

# One BLAS thread: stable timings, and a fair match against single-threaded peers.
for _var in THREAD_VARS:
    os.environ.setdefault(_var, "1")


def time_once(fn, collect=False, number=1):
    """Seconds per call of fn(), timing `number` calls in a row.

    collect=True also times a gc.collect() right after the calls, so that each contender
    pays for its own cyclic garbage instead of leaving it to whoever runs next.
    number > 1 makes very short steps (~1 ms) long enough for the clock and the noise.
    """
    start = time.perf_counter()
    for _ in range(number):
        fn()
    if collect:
        gc.collect()
    return (time.perf_counter() - start) / number


def interleaved(contenders, rounds=7, warmup=1, collect=False, number=1):
    """Time each contender once per round, alternating; return name -> list of seconds per call.

    contenders: dict name -> zero-argument callable.
    """
    for _ in range(warmup):
        for fn in contenders.values():
            fn()
            if collect:
                gc.collect()  # the warm-up's garbage must not land in the first timed round
    times = {name: [] for name in contenders}
    for r in range(rounds):
        # Alternate the order each round so neither side always runs second.
        names = list(contenders) if r % 2 == 0 else list(reversed(list(contenders)))
        for name in names:
            times[name].append(time_once(contenders[name], collect, number))
    return times


def summary(seconds):
    """(min_ms, median_ms) of a list of seconds."""
    return 1e3 * min(seconds), 1e3 * statistics.median(seconds)


def percentile(values, q):
    """The q-th percentile (0-100) by linear interpolation."""
    data = sorted(values)
    if not data:
        return float("nan")
    k = (len(data) - 1) * q / 100.0
    lo, hi = int(k), min(int(k) + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def fmt_ms(ms):
    """A duration in ms with 3 significant digits ("0.412", "41.2", "412"), s above 10 s."""
    if ms >= 10_000:
        return f"{ms / 1e3:.1f} s"
    if ms >= 100:
        return f"{ms:.0f}"
    if ms >= 10:
        return f"{ms:.1f}"
    return f"{ms:.3g}"


def fmt_times(seconds):
    """'12.3 ms (min 11.9)': the median of a list of seconds, then its min."""
    lo, med = summary(seconds)
    return f"{fmt_ms(med)} ms (min {fmt_ms(lo)})"


def row(benchmark, ours, peer, ratio_text, goal, met, note="", ratio=None):
    """One line of the results table (run.py prints and writes these).

    met: True / False, or None for an informational row without a goal.
    """
    return {
        "benchmark": benchmark,
        "ours": ours,
        "peer": peer,
        "ratio": ratio,
        "ratio_text": ratio_text,
        "goal": goal,
        "met": met,
        "note": note,
    }
