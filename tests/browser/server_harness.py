"""Start and stop a throw-away Jupyter server for the browser tests.

Everything the server could write goes to a temporary directory: config, runtime files, JupyterLab
settings and workspaces, IPython profile and a COPY of the notebooks (autosave must never touch the
repository). The server runs in its own session on 127.0.0.1 with a random port and token, never
talks to the internet (news and update checks off), and is stopped by its own process id.
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The course's notebooks; BL_TEST_NOTEBOOKS_DIR points the browser tests at another folder
# (used to develop these tests on demo notebooks).
NOTEBOOKS_DIR = Path(os.environ.get("BL_TEST_NOTEBOOKS_DIR") or ROOT / "notebooks")


def course_notebooks():
    """Notebook file names present at collection time (none yet is fine: the tests are skipped)."""
    return sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb"))


# Settings a learner would never need but a test does: no network traffic from the frontend
# (news feed, update check) and no "Would you like to get notified…" toast over the screenshots.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
# JupyterLab's frontend asks the server whether the app needs rebuilding (/lab/api/build): seconds
# of CPU on a 2-core machine while the kernel starts, and meaningless with prebuilt extensions.
PAGE_CONFIG = {"buildCheck": False, "buildAvailable": False}
SERVER_CONFIG = {
    "ServerApp": {"open_browser": False},
    # Both are LabApp traits; `jupyter lab` reads them from jupyter_lab_config.json, and the same
    # file is harmless for other apps. --LabApp.news_url=None is what the docs recommend.
    "LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"},
}


def free_port():
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def throwaway_env(tmp):
    """Environment for a Jupyter process whose every writable directory lives under `tmp`.

    Also writes config that keeps the server quiet and offline (see SERVER_CONFIG, LAB_SETTINGS).
    Returns the environment dict.
    """
    tmp = Path(tmp)
    dirs = {
        "JUPYTER_CONFIG_DIR": tmp / "config",
        "JUPYTER_DATA_DIR": tmp / "data",  # hides a user's own kernelspecs (kernel = this venv's python)
        "JUPYTER_RUNTIME_DIR": tmp / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": tmp / "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": tmp / "lab-workspaces",
        "IPYTHONDIR": tmp / "ipython",
    }
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    for name in ("jupyter_server_config.json", "jupyter_lab_config.json", "jupyter_notebook_config.json"):
        (dirs["JUPYTER_CONFIG_DIR"] / name).write_text(json.dumps(SERVER_CONFIG, indent=1))
    (dirs["JUPYTER_CONFIG_DIR"] / "labconfig").mkdir(exist_ok=True)
    (dirs["JUPYTER_CONFIG_DIR"] / "labconfig" / "page_config.json").write_text(json.dumps(PAGE_CONFIG))
    for rel, value in LAB_SETTINGS.items():
        path = dirs["JUPYTERLAB_SETTINGS_DIR"] / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value, indent=1))

    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    env.update({k: str(v) for k, v in dirs.items()})
    # The kernel inherits this environment: an Agg backend would hide every inline figure.
    env.pop("MPLBACKEND", None)
    env["PYTHONHASHSEED"] = "0"
    # `python` in the kernelspec resolves to the server's interpreter (this venv) in jupyter_client;
    # the venv's bin first on PATH makes any other lookup agree.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def root_flags():
    """The server refuses to run as root (containers, CI) unless told it may."""
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def children_of(pid):
    """Pids whose parent is `pid` (Linux /proc), e.g. the kernels a server started."""
    kids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Field 4 (ppid) follows the command name, which is in parentheses and may contain spaces.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            kids.append(int(entry.name))
    return kids


def cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]
    except OSError:
        return []


def stop_process_group(proc, timeout=15):
    """SIGTERM the process group led by `proc` (started with start_new_session), wait, then SIGKILL."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    # Stragglers of the same group (the leader may be gone already).
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if proc.poll() is None:
        proc.wait(timeout=5)


def wait_gone(pids, timeout=10):
    """Wait for pids to exit; SIGKILL the ones that do not (they are processes our server started)."""
    deadline = time.monotonic() + timeout
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if Path(f"/proc/{p}").exists() and not _is_zombie(p)]
        time.sleep(0.1)
    for p in alive:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return alive


def _is_zombie(pid):
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) == "Z"
    except OSError:
        return True


class JupyterServer:
    """`jupyter lab` on a temporary copy of `notebooks_dir`.

    Attributes after start(): base_url ("http://127.0.0.1:PORT"), token, root (the copy),
    proc, log_path. Use as a context manager or call start()/stop().
    """

    def __init__(self, notebooks_dir):
        self.source = Path(notebooks_dir)
        self.proc = None
        self.kernel_pids = set()

    def start(self, timeout=90):
        self.tmp = Path(tempfile.mkdtemp(prefix="bl-jupyter-"))
        self.root = self.tmp / "notebooks"
        shutil.copytree(self.source, self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        self.env = throwaway_env(self.tmp)
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.base_url = f"http://127.0.0.1:{self.port}"
        cmd = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            *root_flags(),
        ]
        self.log_path = self.tmp / "server.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.tmp,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status")
                return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {timeout} s:\n{self.log_tail()}")

    def url(self, path):
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}{path}{sep}token={self.token}"

    def api(self, method, path, body=None, timeout=10):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            text = resp.read().decode()
        return json.loads(text) if text.strip() else None

    def kernel_processes(self):
        """{pid: argv} of the kernels this server runs right now."""
        found = {}
        for pid in children_of(self.proc.pid):
            argv = [a.decode(errors="replace") for a in cmdline(pid)]
            if any("ipykernel" in a for a in argv):
                found[pid] = argv
                self.kernel_pids.add(pid)
        return found

    def shutdown_kernels(self):
        """Delete every session (shuts its kernel down) so the next notebook has the CPU to itself."""
        self.kernel_processes()  # remember the pids, to check they are gone at stop()
        for session in self.api("GET", "/api/sessions") or []:
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)
            except urllib.error.HTTPError:
                pass
        for kernel in self.api("GET", "/api/kernels") or []:
            try:
                self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=30)
            except urllib.error.HTTPError:
                pass

    def log_tail(self, n=40):
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        # Never echo the token into a test report.
        return "\n".join(lines[-n:]).replace(self.token, "<token>")

    def stop(self):
        if self.proc is None:
            return
        try:
            self.kernel_processes()
        except Exception:  # the server may be gone already
            pass
        stop_process_group(self.proc)
        # Kernels run in their own sessions (jupyter_client starts them so): the server shuts them
        # down on SIGTERM; any survivor is killed by its pid.
        wait_gone(self.kernel_pids)
        self._log.close()
        self.proc = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def parse_server_url(text):
    """The first 'http://127.0.0.1:PORT/lab?token=…' a starting server printed, or None."""
    m = re.search(r"(http://127\.0\.0\.1:\d+/lab\?token=[0-9a-f]+)", text)
    return m.group(1) if m else None
