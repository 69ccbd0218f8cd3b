"""The project installs itself: pyproject, environment.yml, constraints and Makefile agree."""

import re
import sys
from pathlib import Path

import pytest
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
# Test tools a conda user also needs to run the notebooks' checks; browser tests stay pip-only.
CONDA_TEST_TOOLS = {"nbval", "pytest", "hypothesis"}


def _name(requirement):
    """'numpy>=1.23' -> 'numpy' (lower-case, '-' and '_' alike)."""
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


@pytest.fixture(scope="module")
def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


@pytest.fixture(scope="module")
def conda_names():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    names = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            assert dep == {"pip": ["-e ."]}, "environment.yml's pip section installs the course itself only"
        else:
            names.add(_name(dep))
    return names


def test_environment_yml_has_every_runtime_dependency(pyproject, conda_names):
    runtime = {_name(r) for r in pyproject["project"]["dependencies"]}
    missing = runtime - conda_names
    assert not missing, f"environment.yml lacks runtime dependencies {sorted(missing)}"


def test_environment_yml_has_nothing_pyproject_does_not_declare(pyproject, conda_names):
    declared = {_name(r) for r in pyproject["project"]["dependencies"]}
    for extra in ("lab", "test"):  # conda users get the front-ends and the notebooks' test tools too
        declared |= {_name(r) for r in pyproject["project"]["optional-dependencies"][extra]}
    extra = conda_names - declared - {"python", "pip"}
    assert not extra, f"environment.yml lists {sorted(extra)} that pyproject.toml does not declare"
    assert CONDA_TEST_TOOLS <= conda_names


def _versions(pyproject):
    """Supported Pythons from the classifiers, oldest first: [(3, 10), ...]."""
    found = [
        c.rsplit("::", 1)[1].strip()
        for c in pyproject["project"]["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    return sorted(tuple(map(int, v.split("."))) for v in found)


def test_python_range_is_the_same(pyproject):
    """pyproject's requires-python, its classifiers, environment.yml and the README name one range."""
    versions = _versions(pyproject)
    assert versions, "pyproject.toml lists no 'Programming Language :: Python :: 3.N' classifiers"
    (lo_major, lo_minor), (hi_major, hi_minor) = versions[0], versions[-1]
    assert versions == [(3, m) for m in range(lo_minor, hi_minor + 1)], f"a gap in the classifiers: {versions}"
    assert pyproject["project"]["requires-python"] == f">={lo_major}.{lo_minor}"
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = [d for d in env["dependencies"] if isinstance(d, str) and _name(d) == "python"]
    assert python == [f"python>={lo_major}.{lo_minor},<{hi_major}.{hi_minor + 1}"], (
        f"environment.yml's {python} disagrees with pyproject's Python {versions[0]}..{versions[-1]}"
    )
    readme = (ROOT / "README.md").read_text()
    assert f"Python {lo_major}.{lo_minor}–{hi_major}.{hi_minor}" in readme


def test_environment_yml_bounds_are_pyproject_bounds(pyproject):
    """Each package in environment.yml has exactly the lower bound pyproject gives it."""
    bounds = {_name(r): r.strip() for r in pyproject["project"]["dependencies"]}
    for extra in ("test", "lab"):  # conda and Binder users get JupyterLab too
        bounds.update({_name(r): r.strip() for r in pyproject["project"]["optional-dependencies"][extra]})
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    for dep in env["dependencies"]:
        if isinstance(dep, str) and _name(dep) not in ("python", "pip"):
            assert dep.replace(" ", "") == bounds[_name(dep)].replace(" ", ""), (
                f"environment.yml says {dep!r}, pyproject.toml {bounds[_name(dep)]!r}"
            )


def test_dependencies_have_lower_bounds_not_pins(pyproject):
    for req in pyproject["project"]["dependencies"] + pyproject["project"]["optional-dependencies"]["test"]:
        assert ">=" in req and "==" not in req, f"{req!r}: use a lower bound; exact pins go in constraints.txt"


def test_constraints_pin_every_declared_dependency(pyproject):
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            m = re.match(r"([A-Za-z0-9_.\-]+)==([^ ;]+)", line)
            assert m, f"constraints.txt line is not an exact pin: {line!r}"
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    declared = {_name(r) for r in pyproject["project"]["dependencies"]}
    for extra in pyproject["project"]["optional-dependencies"].values():
        declared |= {_name(r) for r in extra}
    missing = declared - set(pins)
    assert not missing, f"constraints.txt does not pin {sorted(missing)}; run `make constraints`"


def test_front_ends_are_an_extra_not_a_runtime_dependency(pyproject):
    # A JupyterHub image that already has Jupyter installs the course without a second one.
    runtime = {_name(r) for r in pyproject["project"]["dependencies"]}
    assert not {"jupyterlab", "notebook"} & runtime
    assert {"jupyterlab", "notebook"} <= {_name(r) for r in pyproject["project"]["optional-dependencies"]["lab"]}
    makefile = (ROOT / "Makefile").read_text()
    assert "-e '.[lab]'" in makefile and "-e '.[lab,test," in makefile  # make lab and make test install it


def test_version_is_written_once():
    assert pyproject_version_is_dynamic()
    init = (ROOT / "backprop_lessons" / "__init__.py").read_text()
    assert re.search(r'^__version__ = "\d+\.\d+\.\d+"$', init, re.M)
    from importlib.metadata import version

    import backprop_lessons

    assert version("backprop-lessons") == backprop_lessons.__version__  # the installed metadata reads it


def pyproject_version_is_dynamic():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    dynamic = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["dynamic"]
    return (
        "version" not in project["project"]
        and project["project"]["dynamic"] == ["version"]
        and (dynamic["version"] == {"attr": "backprop_lessons.__version__"})
    )


def test_make_help_lists_every_target():
    makefile = (ROOT / "Makefile").read_text()
    phony = re.search(r"^\.PHONY: (.*)$", makefile, re.M).group(1).split()
    helped = re.findall(r"^## (\S+)", makefile, re.M)
    assert sorted(phony) == sorted(helped), "every .PHONY target needs a `## target  what it does` line"
    for target in phony:
        assert re.search(rf"^{target}:", makefile, re.M), f"`## {target}` has no rule"


def test_ruff_is_configured_and_make_lint_runs_it(pyproject):
    assert pyproject["tool"]["ruff"]["line-length"] == 120
    assert {"E", "F", "I"} <= set(pyproject["tool"]["ruff"]["lint"]["select"])
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lint: .*\n\t\$\(VENV\)/bin/ruff check", makefile, re.M)


def test_makefile_has_the_readme_commands():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab", "test", "notebooks", "bench"):
        assert re.search(rf"^{target}:", makefile, re.M), f"Makefile lacks `make {target}`"
    assert "127.0.0.1" in makefile, "make lab must bind to localhost only"


def _recipe(makefile, target):
    m = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n|[^\S\n]*\n)*)", makefile, re.M)
    assert m, f"Makefile lacks `make {target}`"
    return m.group(1)


def test_ci_run_runs_every_test_job_and_never_downloads_a_browser():
    script = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make ci\b", script, re.M), ".ci/run must call `make ci`"
    assert "playwright install" not in script
    makefile = (ROOT / "Makefile").read_text()
    test, ci = _recipe(makefile, "test"), _recipe(makefile, "ci")
    for job in ("test-suite", "$(NBVAL_JOBS)"):
        assert job in test and job in ci, f"`make test` and `make ci` must both run {job}"
    for job in ("py-oldest-lowest", "py-newest-newest"):
        assert job in ci, f"`make ci` must run {job}"


def test_hypothesis_explores_new_examples_outside_ci():
    # conftest.py: fixed examples in CI (reproducible red runs), new ones on a developer's machine.
    from hypothesis import settings

    assert settings.get_profile("ci").derandomize
    assert not settings.get_profile("dev").derandomize
