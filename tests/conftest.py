"""Shared test configuration.

Matplotlib is switched to Agg in this process only. We do not set MPLBACKEND in
the environment: nbval's kernels inherit it, and an Agg kernel would show no
figures, so stored notebook outputs would no longer match.
"""

import os

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

# Property tests: enough examples to find real bugs and no wall-clock deadline (the
# machines are shared and noisy). On a developer's machine every run explores new
# examples (and replays the failures it saved in .hypothesis/); in CI (CI=true) the
# examples are the same run after run, so a red CI is reproducible.
# HYPOTHESIS_PROFILE=ci (or dev) picks one explicitly.
settings.register_profile("dev", max_examples=60, deadline=None, derandomize=False)
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
