"""Timing helpers: interleaved rounds, min and median, ratios measured in the same run.

The machines are shared and noisy, so absolute times are reported but never asserted;
what matters is the ratio between two contenders timed in alternating rounds, so that a
burst of load hits both alike.
"""

import gc
import os
import statistics
import time

# One BLAS thread: stable timings, and a fair match against single-threaded peers.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def time_once(fn, collect=False):
    """Seconds taken by one call of fn().

    collect=True also times a gc.collect() right after the call, so that each contender
    pays for its own cyclic garbage instead of leaving it to whoever runs next.
    """
    start = time.perf_counter()
    fn()
    if collect:
        gc.collect()
    return time.perf_counter() - start


def interleaved(contenders, rounds=7, warmup=1, collect=False):
    """Time each contender once per round, alternating; return name -> list of seconds.

    contenders: dict name -> zero-argument callable.
    """
    for _ in range(warmup):
        for fn in contenders.values():
            fn()
    times = {name: [] for name in contenders}
    for r in range(rounds):
        # Alternate the order each round so neither side always runs second.
        names = list(contenders) if r % 2 == 0 else list(reversed(list(contenders)))
        for name in names:
            times[name].append(time_once(contenders[name], collect))
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
