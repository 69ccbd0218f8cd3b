"""The CI helpers: tools/jobs.py (make targets side by side) and tools/python_jobs.py's discovery."""

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import jobs  # noqa: E402
import python_jobs  # noqa: E402

MAKEFILE = """\
slow:
\t@sleep 1; echo slow output
fails:
\t@echo "FAILED notebooks/05_learning_rate.ipynb::Cell 28[SkylakeX] - Notebook cell execution failed"; exit 1
quick:
\t@echo quick output
"""


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_jobs_run_side_by_side_print_one_block_each_and_fail_if_any_fails(tmp_path, capsys):
    (tmp_path / "Makefile").write_text(MAKEFILE)
    results, wall = jobs.run(["slow", "fails", "quick"], 2, cwd=tmp_path)
    assert {t: code == 0 for t, (code, _, _) in results.items()} == {"slow": True, "fails": False, "quick": True}
    assert wall < sum(seconds for _, seconds, _ in results.values()) + 1.0  # two at a time
    assert all(0 <= cpu < seconds + 1.0 for _, seconds, cpu in results.values())  # `sleep` costs no CPU
    assert jobs.report(results, wall, cwd=tmp_path) == 1
    out = capsys.readouterr().out
    block = out[out.index("═ slow ") : out.index("slow: ok")]
    assert "slow output" in block and "quick output" not in block  # one job's lines stay together
    assert "fails: FAILED (exit 2)" in out  # make's exit status for a failed recipe
    assert "CPU time" in out and "idle cores" in out
    # The summary repeats the failure with the job that produced it (and the kernel in the id).
    assert "fails: FAILED notebooks/05_learning_rate.ipynb::Cell 28[SkylakeX]" in out


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_jobs_measure_the_cpu_time_of_the_whole_process_tree(tmp_path, capsys):
    # make -> sh -> python: the CPU is spent two processes below the target's make.
    spin = "exec('while time.process_time() - t < 0.5: pass')"
    busy = f'{sys.executable} -c "import time; t = time.process_time(); {spin}"'
    (tmp_path / "Makefile").write_text(f"busy:\n\t@{busy}\n")
    results, _ = jobs.run(["busy"], 1, cwd=tmp_path)
    code, seconds, cpu = results["busy"]
    assert code == 0 and 0.45 < cpu <= seconds + 0.1


def test_supported_pythons_come_from_the_classifiers():
    text = (ROOT / "pyproject.toml").read_text()
    versions = python_jobs.supported_pythons(text)
    assert versions[0] == "3.10" and versions[-1] == "3.13"
    assert python_jobs.supported_pythons(
        '"Programming Language :: Python :: 3.9", "Programming Language :: Python :: 3.12"'
    ) == ["3.9", "3.12"]


def test_find_python_takes_the_newest_pyenv_patch_release(tmp_path, monkeypatch):
    for v in ("3.10.2", "3.10.13", "3.10.9", "3.10-dev", "3.13.0"):
        binary = tmp_path / ".pyenv" / "versions" / v / "bin" / "python"
        binary.parent.mkdir(parents=True)
        binary.write_text("")
    assert python_jobs.find_python("3.10", home=tmp_path).parts[-3] == "3.10.13"
    assert python_jobs.find_python("3.13", home=tmp_path).parts[-3] == "3.13.0"
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert python_jobs.find_python("3.99", home=tmp_path) is None


def test_a_missing_python_skips_locally_and_fails_in_ci(monkeypatch, capsys):
    monkeypatch.setattr(python_jobs, "find_python", lambda version: None)
    monkeypatch.setenv("CI", "")
    assert python_jobs.run_job("oldest-lowest") == 0
    assert "SKIPPED oldest-lowest: no Python 3.10" in capsys.readouterr().out
    monkeypatch.setenv("CI", "true")
    with pytest.raises(SystemExit, match="CI=true"):
        python_jobs.run_job("newest-newest")
