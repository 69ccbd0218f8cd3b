"""Work off the learner's clock: results computed in a background thread, and who asked for a change.

Shared by the explorers of ``backprop_lessons.widgets`` that train networks (notebooks 06, 07,
09). Like ``_canvas.py``, not something a learner needs to read to follow the course.

``Precomputer`` trains the settings a learner will probably choose next in one background
thread, and pauses it while a learner's change is computed (Python runs one thread at a
time: a background thread would make the learner's frame up to twice as slow).
``from_browser()`` tells a change that came from the browser (the learner's drag or click,
which may be answered with a first frame at once) from a change made in code (a notebook
cell, a test: synchronous, its numbers final when the assignment returns).
"""

import contextlib
import threading

__all__ = ["Precomputer", "from_browser", "browser_change"]


class _Learner:
    """What every Precomputer of a kernel shares: one lock, and the learner's requests in flight.

    Shared because all background threads compete with the learner's change for one GIL: a
    change in one explorer pauses the background threads of every explorer in the notebook.
    """

    cond = threading.Condition()
    requests = 0


class Precomputer:
    """Computes results (trained networks) in one background thread, before a learner asks for them.

    An explorer whose change needs training calls ``get(key, fn)`` for the current setting (the
    result if it is known, else it waits for the thread or computes it itself) and ``want(key, fn)``
    for the settings a learner is likely to choose next (its neighbours); the thread works through
    those while the learner looks at the picture. ``fn()`` must build everything it uses (fresh,
    seeded models), so results do not depend on which thread made them.

    The learner's request comes first: while another thread is inside ``foreground()`` (every
    ``Explorer.refresh`` is) or ``get()`` of any Precomputer, the background threads stop at
    their next ``pause_point`` (pass it to ``train(..., callbacks=[...])``) instead of competing
    for Python's GIL, which would make the learner's frame up to twice as slow. A thread is not
    paused while the learner waits for the very result it is computing.
    """

    def __init__(self):
        self.results = {}
        self.errors = {}  # key -> the exception its fn raised in the background thread
        self._pending = {}  # key -> fn, in the order wanted
        self._busy = set()
        self._done = {}  # key -> callbacks to call (in the background thread) once it is computed
        self._cond = _Learner.cond
        self._thread = None
        self._working = False  # a background thread is taking work from _pending
        self._stopped = False
        self._waiting = 0  # learner requests waiting for this background thread's result
        self.paused = False  # the background thread is waiting in pause_point (for tests)

    def in_worker(self):
        """True in the background thread."""
        return threading.current_thread() is self._thread

    @contextlib.contextmanager
    def foreground(self):
        """A learner's request is in flight: the background thread pauses at its next pause_point."""
        if self.in_worker():
            yield
            return
        with self._cond:
            _Learner.requests += 1
        try:
            yield
        finally:
            with self._cond:
                _Learner.requests -= 1
                self._cond.notify_all()

    def pause_point(self, *_):
        """Wait while a learner's request is in flight (in the background thread; elsewhere a no-op).

        Takes any arguments, so that it can be a ``train`` callback: ``callbacks=[pre.pause_point]``.
        """
        if not self.in_worker():
            return
        with self._cond:
            while _Learner.requests and not self._waiting and not self._stopped:
                self.paused = True
                self._cond.notify_all()
                self._cond.wait()
            self.paused = False

    def get(self, key, fn):
        """The result for ``key``: known, or waited for (the background thread has it), or ``fn()`` now."""
        with self.foreground():
            with self._cond:
                while key in self._busy:
                    self._waiting += 1
                    self._cond.notify_all()  # a paused background thread may be the one computing it
                    try:
                        self._cond.wait()
                    finally:
                        self._waiting -= 1
                if key in self.results:
                    return self.results[key]
                self._pending.pop(key, None)
                self._done.pop(key, None)  # computed here: whoever waited for it gets it from this thread
                self._busy.add(key)
            try:
                result = fn()
            finally:
                with self._cond:
                    self._busy.discard(key)
                    self._cond.notify_all()
            self.results[key] = result
            self.errors.pop(key, None)  # (a background attempt may have failed before)
            return result

    def want(self, key, fn, first=False, done=None):
        """Compute ``key`` in the background thread unless it is known, busy or already wanted.

        first -- put it at the front of the queue (a learner is waiting for it).
        done  -- called with no arguments in the background thread once ``key`` is computed
                 (or failed: see ``errors``); not called if the result is already known.
        Returns True if the background thread will have it, False if not (known, or stopped).
        """
        with self._cond:
            if self._stopped or key in self.results:
                return False
            if key in self.errors and not first:
                return False  # it failed: tried again only when a learner asks for it (first=True)
            self.errors.pop(key, None)
            if done is not None:
                self._done.setdefault(key, []).append(done)
            if key in self._busy:
                return True  # (busy in another thread's get(): that one stores it, done is dropped)
            if key in self._pending or first:
                fn = self._pending.pop(key, fn)
            if first:
                self._pending = {key: fn, **self._pending}
            else:
                self._pending.setdefault(key, fn)
            if not self._working:  # (not is_alive(): a thread that has decided to stop is alive for a moment)
                self._working = True
                self._thread = threading.Thread(target=self._work, name="backprop-lessons-precompute", daemon=True)
                self._thread.start()
            self._cond.notify_all()
            return True

    def _work(self):
        while True:
            with self._cond:
                if self._stopped or not self._pending:
                    self._working = False  # decided under the lock: a later want() starts a new thread
                    return
                key = next(iter(self._pending))
                fn = self._pending.pop(key)
                self._busy.add(key)
            try:
                result = fn()
                error = None
            except Exception as exc:  # noqa: BLE001 - the main thread computes it again and shows the error
                error = exc
            with self._cond:
                if error is None:
                    self.results[key] = result
                else:
                    self.errors[key] = error
                self._busy.discard(key)
                callbacks = self._done.pop(key, [])
                self._cond.notify_all()
            for callback in callbacks:
                try:
                    callback()
                except Exception:  # noqa: BLE001, S110 - a failed frame must not end the thread
                    pass

    def wait(self, timeout=60.0):
        """Block until nothing is pending (tests and benchmarks: the learner's pause)."""
        with self._cond:
            self._cond.wait_for(lambda: not self._pending and not self._busy, timeout)

    def cancel(self):
        """Forget what is pending (not the result being computed): benchmarks start from a quiet thread."""
        with self._cond:
            self._pending.clear()
            self._cond.notify_all()

    def stop(self):
        with self._cond:
            self._stopped = True
            self._pending.clear()
            self._cond.notify_all()


_local = threading.local()


def from_browser():
    """True while a control handles a change that came from the browser (a learner's drag or click)."""
    return getattr(_local, "browser", False)


@contextlib.contextmanager
def browser_change():
    """Handle what runs inside as a change from the browser (what ``set_state`` of our controls does)."""
    before = from_browser()
    _local.browser = True
    try:
        yield
    finally:
        _local.browser = before
