"""Shared test configuration.

Matplotlib is switched to Agg in this process only. We do not set MPLBACKEND in
the environment: nbval's kernels inherit it, and an Agg kernel would show no
figures, so stored notebook outputs would no longer match.
"""

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

# Property tests: enough examples to find real bugs, no wall-clock deadline
# (the machines are shared and noisy), and the same examples run after run.
settings.register_profile("course", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("course")
