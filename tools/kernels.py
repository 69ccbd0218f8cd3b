"""OpenBLAS kernels for the cross-kernel notebook check (issue 11): choose them, and verify them in nbval.

numpy's bundled OpenBLAS picks a compute kernel for the CPU it runs on, and kernels round differently
in the last bits. `OPENBLAS_CORETYPE=NAME` makes it use another kernel, so one machine can imitate
several CPUs; it must be a kernel the CPU can execute (an unsupported one dies with an illegal
instruction), so the choice is read from the CPU's flags in /proc/cpuinfo.

    python tools/kernels.py choose    # what `make test` runs nbval under, e.g. "native SkylakeX Sandybridge"
    python tools/kernels.py info      # the flags found, the native kernel, why each other one was chosen

numpy's own SIMD code (exp, tanh and other ufuncs) is also dispatched by CPU feature, and it
rounds differently too (measured: the outputs stored from an AMD machine without AVX-512 are
reproduced here only when numpy's AVX-512 paths are off). So a run that imitates a CPU also caps
numpy at that CPU's features with NPY_DISABLE_CPU_FEATURES (`env KERNEL` prints both variables;
numpy's baseline, SSE4.2 in numpy 2, cannot be switched off, so "Prescott" keeps it).

    python tools/kernels.py env SkylakeX  # OPENBLAS_CORETYPE=SkylakeX NPY_DISABLE_CPU_FEATURES=AVX512_ICL,...

"native" means the environment as given (OPENBLAS_CORETYPE left as it is, or unset). The others are
the first two of OTHERS_BY_PREFERENCE that the CPU supports and that differ from the native kernel:
a neighbour of the native kernel and an older one, the CPUs learners are most likely to have.

The same module is a pytest plugin: `pytest -p tools.kernels --openblas-kernel=NAME --nbval ...` asks
every notebook's kernel (the ipykernel subprocess nbval starts) which OpenBLAS kernel it really
runs (threadpoolctl) and which SIMD features its numpy uses, before the notebook's first cell, and
stops the whole run if that is not NAME (the variables did not reach the kernel, or were ignored).
It also appends the kernel to every cell's reported test id, so a failure reads
`notebooks/05_learning_rate.ipynb::Cell 28[SkylakeX]` (`[native=Haswell]` for the native run).
"""

import ast
import json
import os
import sys
from pathlib import Path

import pytest

# CPU flags (as Linux spells them in /proc/cpuinfo) each kernel needs; "pni" is SSE3.
REQUIRED_FLAGS = {
    "Prescott": {"pni"},
    "Sandybridge": {"avx"},
    "Haswell": {"avx2", "fma"},
    "SkylakeX": {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"},
}
OTHERS_BY_PREFERENCE = ["SkylakeX", "Haswell", "Sandybridge", "Prescott"]
HOW_MANY_OTHERS = 2
# What threadpoolctl reports for a requested kernel. numpy's OpenBLAS (built without DYNAMIC_OLDER)
# serves OPENBLAS_CORETYPE=Prescott from its generic SSE3 table, which it calls "Katmai" (measured).
REPORTED_AS = {"Prescott": {"Prescott", "Katmai"}}
CPUINFO = Path("/proc/cpuinfo")
# numpy's names (1.x features and 2.x groups) for what each imitated CPU has.
_SSE = {"SSE", "SSE2", "SSE3"}
_NEHALEM = _SSE | {"SSSE3", "SSE41", "POPCNT", "SSE42", "X86_V2"}
_AVX2 = _NEHALEM | {"AVX", "F16C", "FMA3", "AVX2", "X86_V3", "LAHF", "CX16", "MOVBE", "BMI", "BMI2", "LZCNT"}
NUMPY_FEATURES = {
    "Prescott": _SSE,
    "Sandybridge": _NEHALEM | {"AVX"},
    "Haswell": _AVX2,
    "SkylakeX": _AVX2 | {"AVX512F", "AVX512CD", "AVX512VL", "AVX512BW", "AVX512DQ", "AVX512_SKX", "X86_V4"},
}
# Run in the notebook's kernel in a dict of its own (nothing lands in the learner's namespace).
PROBE = """
import json, threadpoolctl, numpy
try:
    from numpy._core._multiarray_umath import __cpu_features__ as features
except ImportError:
    from numpy.core._multiarray_umath import __cpu_features__ as features
result = json.dumps({
    "blas": [(i.get("internal_api"), i.get("architecture"), i.get("num_threads"))
             for i in threadpoolctl.threadpool_info()],
    "simd": sorted(name for name, on in features.items() if on),
})
"""


def cpu_flags(cpuinfo=CPUINFO):
    """The first processor's flags from /proc/cpuinfo, or None when there is no such file (macOS)."""
    try:
        text = Path(cpuinfo).read_text()
    except OSError:
        return None
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "flags":
            return set(value.split())
    return set()


def supported_kernels(flags):
    """Kernels of REQUIRED_FLAGS this CPU can execute, oldest first."""
    if not flags:
        return []
    return [name for name, needs in REQUIRED_FLAGS.items() if needs <= flags]


def openblas_info():
    """threadpoolctl's entries for the OpenBLAS libraries numpy loaded in this process."""
    import numpy  # noqa: F401  (loads numpy's OpenBLAS, so threadpoolctl can see it)
    import threadpoolctl

    return [i for i in threadpoolctl.threadpool_info() if i.get("internal_api") == "openblas"]


def numpy_simd():
    """(dispatchable, enabled): numpy's dispatch targets and the features it uses in this process."""
    try:
        from numpy._core import _multiarray_umath as umath
    except ImportError:  # numpy 1.x
        from numpy.core import _multiarray_umath as umath
    return list(umath.__cpu_dispatch__), {name for name, on in umath.__cpu_features__.items() if on}


def numpy_disable(kernel):
    """numpy dispatch targets to switch off so numpy uses only what `kernel`'s CPU has.

    Every target the CPU lacks, whether this machine has it or not (numpy ignores the ones it does
    not use), so the answer does not depend on NPY_DISABLE_CPU_FEATURES being set already.
    """
    dispatch, _ = numpy_simd()
    return [name for name in dispatch if name not in NUMPY_FEATURES[kernel]]


def kernel_env(kernel):
    """The environment variables that make this machine imitate `kernel`'s CPU ({} for native)."""
    if kernel == "native":
        return {}
    env = {"OPENBLAS_CORETYPE": kernel}
    disable = numpy_disable(kernel)
    if disable:
        env["NPY_DISABLE_CPU_FEATURES"] = ",".join(disable)
    return env


def native_kernel():
    """The kernel numpy's OpenBLAS runs in this environment, or None when numpy uses no OpenBLAS."""
    info = openblas_info()
    return info[0].get("architecture") if info else None


def choose(flags, native, how_many=HOW_MANY_OTHERS):
    """(kernels, reasons): "native" first, then up to `how_many` other kernels the CPU supports."""
    if native is None:
        return ["native"], ["numpy uses no OpenBLAS here (e.g. Accelerate or MKL): only the native run"]
    if flags is None:
        return ["native"], [f"no {CPUINFO} to read the CPU's flags from: only the native run ({native})"]
    supported = supported_kernels(flags)
    reasons = [f"native: the environment as given, OpenBLAS kernel {native}"]
    others = []
    for name in OTHERS_BY_PREFERENCE:
        if len(others) == how_many:
            break
        if name not in supported:
            reasons.append(f"{name}: skipped, the CPU lacks {sorted(REQUIRED_FLAGS[name] - flags)}")
        elif native in REPORTED_AS.get(name, {name}):
            reasons.append(f"{name}: skipped, it is the native kernel")
        else:
            others.append(name)
            reasons.append(f"{name}: chosen, the CPU has {sorted(REQUIRED_FLAGS[name])}")
    return ["native"] + others, reasons


def expected_architectures(kernel):
    """Names threadpoolctl may report when `kernel` ("native" or a REQUIRED_FLAGS name) is active."""
    if kernel == "native":
        native = native_kernel()
        return {native} if native else set()
    return set(REPORTED_AS.get(kernel, {kernel}))


# --- pytest plugin --------------------------------------------------------------------------------


def query_kernel(kernel_client, timeout=60):
    """{"blas": [(internal_api, architecture, num_threads), ...], "simd": [numpy feature, ...]}
    as seen inside a running Jupyter kernel.

    Runs silently (no execution count, nothing bound in the user's namespace; only numpy and
    threadpoolctl get imported), so the notebook's own cells and outputs are unaffected.
    """
    expression = f"(lambda d: (exec({PROBE!r}, d), d['result'])[1])({{}})"
    msg_id = kernel_client.execute("", silent=True, store_history=False, user_expressions={"probe": expression})
    while True:
        reply = kernel_client.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    result = reply["content"].get("user_expressions", {}).get("probe", {})
    if result.get("status") != "ok":
        raise RuntimeError(f"{result.get('ename')}: {result.get('evalue')} (is threadpoolctl installed?)")
    seen = json.loads(ast.literal_eval(result["data"]["text/plain"]))
    return {"blas": [tuple(entry) for entry in seen["blas"]], "simd": seen["simd"]}


def pytest_addoption(parser):
    parser.addoption(
        "--openblas-kernel",
        default=None,
        metavar="NAME",
        help="verify that every nbval notebook kernel runs this OpenBLAS kernel ('native' = as the "
        "environment gives it) and name it in each cell's test id",
    )


def pytest_configure(config):
    kernel = config.getoption("--openblas-kernel")
    config._openblas = None
    if kernel is None:
        return
    requested = os.environ.get("OPENBLAS_CORETYPE")
    if kernel != "native":
        if kernel not in REQUIRED_FLAGS:
            raise pytest.UsageError(f"--openblas-kernel={kernel}: not one of native, {', '.join(REQUIRED_FLAGS)}")
        if requested != kernel:
            raise pytest.UsageError(
                f"--openblas-kernel={kernel} needs OPENBLAS_CORETYPE={kernel} in the environment (it is {requested!r})"
            )
        flags = cpu_flags()
        if flags is not None and kernel not in supported_kernels(flags):
            raise pytest.UsageError(
                f"this CPU cannot execute the OpenBLAS kernel {kernel}: it lacks "
                f"{sorted(REQUIRED_FLAGS[kernel] - flags)}"
            )
        wanted = kernel_env(kernel).get("NPY_DISABLE_CPU_FEATURES", "")
        if os.environ.get("NPY_DISABLE_CPU_FEATURES", "") != wanted:
            raise pytest.UsageError(
                f"--openblas-kernel={kernel} needs NPY_DISABLE_CPU_FEATURES={wanted} "
                "(see `python tools/kernels.py env KERNEL`)"
            )
    expected = expected_architectures(kernel)
    label = kernel if kernel != "native" else f"native {'/'.join(sorted(expected)) or '(no OpenBLAS)'}"
    threads = os.environ.get("OPENBLAS_NUM_THREADS")
    tag = kernel if kernel != "native" else "=".join(["native", *sorted(expected)])
    allowed_simd = NUMPY_FEATURES.get(kernel) if kernel != "native" else None
    config._openblas = {
        "kernel": kernel,
        "expected": expected,
        "label": label,
        "tag": tag,
        "simd": allowed_simd,
        "threads": int(threads) if threads and threads.isdigit() else None,
        "checked": set(),
    }


def pytest_report_header(config):
    if getattr(config, "_openblas", None):
        o = config._openblas
        return (
            f"OpenBLAS kernel under test: {o['label']} (OPENBLAS_CORETYPE="
            f"{os.environ.get('OPENBLAS_CORETYPE', '<unset>')}), verified in every notebook's kernel"
        )


def _is_nbval_cell(item):
    return type(item).__name__ == "IPyNbCell" and hasattr(item, "cell_num")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Name the kernel in every nbval cell's report: `FAILED notebooks/05_….ipynb::Cell 28[SkylakeX]`."""
    outcome = yield
    o = getattr(item.config, "_openblas", None)
    if o and _is_nbval_cell(item):
        report = outcome.get_result()
        report.nodeid = f"{report.nodeid}[{o['tag']}]"
        report.sections.append(("OpenBLAS kernel", o["label"]))


@pytest.hookimpl(trylast=True)
def pytest_runtest_setup(item):
    """Runs after pytest set up the cell's notebook, that is after nbval started its kernel."""
    o = getattr(item.config, "_openblas", None)
    if not o or not _is_nbval_cell(item):
        return
    notebook = item.parent
    if notebook.nodeid in o["checked"]:
        return
    o["checked"].add(notebook.nodeid)

    where = f"{notebook.nodeid}: the notebook's kernel"
    try:
        seen = query_kernel(notebook.kernel.kc)
    except Exception as exc:  # noqa: BLE001 - any failure to ask is a failure of the check
        pytest.exit(f"{where} could not be asked for its OpenBLAS kernel: {exc}", returncode=3)
    blas = [s for s in seen["blas"] if s[0] == "openblas"]
    if o["simd"] is not None:
        dispatch, _ = numpy_simd()
        extra = sorted(set(seen["simd"]) & (set(dispatch) - o["simd"]))
        if extra:
            pytest.exit(
                f"{where}'s numpy uses {extra}, which a {o['kernel']} CPU lacks: "
                f"NPY_DISABLE_CPU_FEATURES did not reach the kernel",
                returncode=3,
            )
    if not o["expected"]:
        if blas:
            pytest.exit(f"{where} runs OpenBLAS {blas}, but this process found none", returncode=3)
        return
    archs = {s[1] for s in blas}
    if not archs or not archs <= o["expected"]:
        pytest.exit(
            f"{where} runs OpenBLAS kernel {sorted(archs) or 'none'}, not {o['label']} "
            f"(expected {sorted(o['expected'])}): OPENBLAS_CORETYPE did not reach the kernel "
            f"or OpenBLAS ignored it; every result of this run would be meaningless",
            returncode=3,
        )
    if o["threads"] is not None and {s[2] for s in blas} != {o["threads"]}:
        pytest.exit(
            f"{where} runs OpenBLAS with {sorted({s[2] for s in blas})} threads, not "
            f"OPENBLAS_NUM_THREADS={o['threads']}",
            returncode=3,
        )


# --- command line ---------------------------------------------------------------------------------


def main(argv):
    command = argv[0] if argv else "info"
    flags = cpu_flags()
    kernels, reasons = choose(flags, native_kernel())
    if command == "choose":
        print(" ".join(kernels))
    elif command == "env":
        print(" ".join(f"{k}={v}" for k, v in kernel_env(argv[1]).items()))
    elif command == "info":
        print(f"CPU flags that matter: {sorted(flags & set().union(*REQUIRED_FLAGS.values())) if flags else flags}")
        print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '<unset>')}")
        print("\n".join(reasons))
        for kernel in kernels[1:]:
            print(f"{kernel} runs with: {' '.join(f'{k}={v}' for k, v in kernel_env(kernel).items())}")
        print(f"-> {' '.join(kernels)}")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
