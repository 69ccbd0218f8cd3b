"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, a throw-away Jupyter server.

Costs are kept down by sharing: one Chromium and one Jupyter server per test module, one page per
notebook (closed, and its kernel shut down, before the next notebook opens). The browser is
module-scoped rather than session-scoped so that Playwright's event loop is gone before nbval
starts its kernels later in the same pytest run.

Chromium missing: the tests are skipped on a learner's machine, but FAIL in CI (CI=true), where
`.ci/run` installs Debian's `chromium` package. No browser is ever downloaded.
"""

import os
from pathlib import Path

import pytest
from server_harness import NOTEBOOKS_DIR, JupyterServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}


def in_ci():
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def missing(what, how):
    """Skip on a learner's machine; fail in CI, where the tool must be there."""
    message = f"{what} is missing: {how}"
    if in_ci():
        pytest.fail(f"{message} (CI=true, so the browser tests may not be skipped)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        missing(
            f"Chromium at {CHROMIUM}",
            "install Debian's package (`sudo apt-get install -y chromium`; .ci/run does this); "
            "the tests never download a browser",
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python", "run `make test` (installs the [test] extra)")
    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    except Exception:
        pw.stop()
        raise
    yield chromium
    chromium.close()
    pw.stop()


@pytest.fixture(scope="module")
def browser_context(browser):
    context = browser.new_context(viewport=VIEWPORT)
    yield context
    context.close()


@pytest.fixture(scope="module")
def jupyter(browser):
    """`jupyter lab` (serves /lab and Notebook 7's /tree, /notebooks) on a temporary copy of notebooks/.

    Depends on `browser` so that no server is started when the browser tests are skipped.
    """
    server = JupyterServer(NOTEBOOKS_DIR).start()
    yield server
    server.stop()
