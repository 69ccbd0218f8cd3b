"""The cross-kernel nbval check (tools/kernels.py): which kernels run, and that the check really checks.

The choice is tested on made-up CPUs; the plugin on this machine, with a two-cell notebook run by
nbval in a subprocess: once with the kernel as requested (passes, names the kernel in the ids) and
once with an IPython startup file that switches the notebook kernel's OpenBLAS kernel behind the
test's back (the run must stop loudly before the first cell).
"""

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import kernels  # noqa: E402

AVX512 = {"pni", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"}
AVX2 = {"pni", "avx", "avx2", "fma"}


@pytest.mark.parametrize(
    "flags, native, chosen",
    [
        (AVX512, "Haswell", ["native", "SkylakeX", "Sandybridge"]),  # these machines (env sets Haswell)
        (AVX512, "SkylakeX", ["native", "Haswell", "Sandybridge"]),  # the same CPU, left alone
        (AVX2, "Zen", ["native", "Haswell", "Sandybridge"]),  # an AMD machine without AVX-512
        (AVX2, "Haswell", ["native", "Sandybridge", "Prescott"]),
        ({"pni", "avx"}, "Sandybridge", ["native", "Prescott"]),  # an old CPU: only one other exists
        (AVX512, "Katmai", ["native", "SkylakeX", "Haswell"]),  # OPENBLAS_CORETYPE=Prescott as native
        (None, "Haswell", ["native"]),  # no /proc/cpuinfo (macOS)
        (AVX512, None, ["native"]),  # numpy without OpenBLAS
    ],
)
def test_choice(flags, native, chosen):
    assert kernels.choose(flags, native)[0] == chosen


def test_never_a_kernel_the_cpu_lacks():
    every_flag = sorted(set().union(*kernels.REQUIRED_FLAGS.values()))
    for n in range(len(every_flag) + 1):
        for flags in itertools.combinations(every_flag, n):
            for native in ("Haswell", "Zen", "Katmai"):
                for kernel in kernels.choose(set(flags), native)[0][1:]:
                    assert kernels.REQUIRED_FLAGS[kernel] <= set(flags)


def test_imitating_a_cpu_caps_numpy_at_its_features():
    dispatch, _ = kernels.numpy_simd()
    assert kernels.kernel_env("native") == {}
    for kernel in kernels.REQUIRED_FLAGS:
        env = kernels.kernel_env(kernel)
        assert env["OPENBLAS_CORETYPE"] == kernel
        off = set(env.get("NPY_DISABLE_CPU_FEATURES", "").split(",")) - {""}
        assert off == {name for name in dispatch if name not in kernels.NUMPY_FEATURES[kernel]}
    # Older CPUs lose more: every feature SkylakeX lacks, Sandybridge lacks too.
    off = {k: set(kernels.numpy_disable(k)) for k in kernels.REQUIRED_FLAGS}
    assert off["SkylakeX"] <= off["Haswell"] <= off["Sandybridge"] <= off["Prescott"]


def test_cpu_flags_are_read_from_cpuinfo(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu pni avx avx2 fma\n\nprocessor\t: 1\n")
    assert kernels.cpu_flags(cpuinfo) == {"fpu", "pni", "avx", "avx2", "fma"}
    assert kernels.supported_kernels(kernels.cpu_flags(cpuinfo)) == ["Prescott", "Sandybridge", "Haswell"]
    assert kernels.cpu_flags(tmp_path / "missing") is None


# --- the plugin, end to end -------------------------------------------------------------------------

here = kernels.supported_kernels(kernels.cpu_flags())
needs_two_kernels = pytest.mark.skipif(
    kernels.native_kernel() is None or len(here) < 2,
    reason="needs numpy with OpenBLAS on a CPU with two OpenBLAS kernels",
)


def tiny_notebook(path, stored):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell("print(6 * 7)", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{stored}\n")]
    nb.cells = [cell, nbformat.v4.new_code_cell("x = 1", execution_count=2)]
    nbformat.write(nb, path)


def run_nbval(kernel, notebook, tmp_path, startup=None):
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", IPYTHONDIR=str(tmp_path / "ipython"))
    env.pop("NPY_DISABLE_CPU_FEATURES", None)
    env.update(kernels.kernel_env(kernel))
    if startup:
        folder = tmp_path / "ipython" / "profile_default" / "startup"
        folder.mkdir(parents=True)
        (folder / "00-switch.py").write_text(startup)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "tools.kernels",
        f"--openblas-kernel={kernel}",
        "--nbval",
        "--nbval-current-env",
        "-p",
        "no:cacheprovider",
        "-rA",
        "--color=no",
        str(notebook),
    ]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@needs_two_kernels
def test_a_failure_names_notebook_cell_and_kernel(tmp_path):
    kernel = here[0]  # the oldest kernel this CPU runs
    notebook = tmp_path / "tiny.ipynb"
    tiny_notebook(notebook, stored=41)  # the stored output is wrong: cell 0 must fail
    proc = run_nbval(kernel, notebook, tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"OpenBLAS kernel under test: {kernel}" in proc.stdout
    assert re.search(rf"^FAILED \S*tiny\.ipynb::Cell 0\[{kernel}\]( |$)", proc.stdout, re.M), proc.stdout
    assert re.search(rf"^PASSED \S*tiny\.ipynb::Cell 1\[{kernel}\]$", proc.stdout, re.M), proc.stdout


@needs_two_kernels
def test_the_kernel_really_running_is_verified(tmp_path):
    requested, actual = here[-1], here[0]
    notebook = tmp_path / "tiny.ipynb"
    tiny_notebook(notebook, stored=42)
    # Something in the notebook kernel's start-up changes OPENBLAS_CORETYPE before numpy loads.
    proc = run_nbval(
        requested, notebook, tmp_path, startup=f"import os\nos.environ['OPENBLAS_CORETYPE'] = {actual!r}\n"
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 3, out
    assert "not " + requested in out and "OPENBLAS_CORETYPE did not reach the kernel" in out
    assert "passed" not in out.splitlines()[-1]
    # ...and without the sabotage the same run passes.
    clean = run_nbval(requested, notebook, tmp_path / "clean")
    assert clean.returncode == 0, clean.stdout + clean.stderr


def _kernel_with_numpy_cap():
    """A kernel this CPU runs whose imitation switches off a numpy feature this machine uses."""
    _, enabled = kernels.numpy_simd()
    for kernel in here:
        if set(kernels.numpy_disable(kernel)) & enabled:
            return kernel
    return None


@needs_two_kernels
def test_numpys_simd_cap_is_verified(tmp_path):
    kernel = _kernel_with_numpy_cap()
    if kernel is None:
        pytest.skip("numpy uses no feature that an older CPU lacks here")
    notebook = tmp_path / "tiny.ipynb"
    tiny_notebook(notebook, stored=42)
    proc = run_nbval(
        kernel, notebook, tmp_path, startup="import os\nos.environ.pop('NPY_DISABLE_CPU_FEATURES', None)\n"
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 3, out
    assert f"a {kernel} CPU lacks: NPY_DISABLE_CPU_FEATURES did not reach the kernel" in out


def test_the_plugin_refuses_a_kernel_the_environment_does_not_request(tmp_path):
    notebook = tmp_path / "tiny.ipynb"
    tiny_notebook(notebook, stored=42)
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "tools.kernels",
        "--openblas-kernel=Sandybridge",
        "--nbval",
        "--nbval-current-env",
        "-p",
        "no:cacheprovider",
        str(notebook),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 4, proc.stdout + proc.stderr  # pytest's usage error
    assert "needs OPENBLAS_CORETYPE=Sandybridge" in proc.stderr
