"""Time and memory limits around untrusted template code: per render, per template and per build.

Time: an interval timer interrupts a render after MAX_SECONDS, or sooner when the template's or the
build's total budget is nearly spent, so a template that is just under the per-render limit cannot
run for minutes over many records. Memory: while a template compiles or renders, the process's
address-space limit (RLIMIT_AS) is lowered to what it uses now plus MEMORY_HEADROOM, so an allocation
no size check foresaw fails at once with MemoryError instead of taking gigabytes; the old limit is put
back afterwards. Both need the main thread (signals, and a process-wide limit that other threads would
feel); elsewhere the size checks in sandbox.py still hold.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager

MAX_SECONDS = 2.0
TEMPLATE_SECONDS = 15.0
BUILD_SECONDS = 60.0
MEMORY_HEADROOM = 256 * 1024 * 1024


class TemplateRenderError(Exception):
    """A template failed while compiling or rendering (the caller adds the file and line)."""


class _Budget:
    """Seconds spent rendering, per template and per build, while each is being counted."""

    def __init__(self) -> None:
        self.template: float | None = None
        self.build: float | None = None

    def check_spent(self) -> None:
        """Raise when a total budget is spent (what `allowance` checks first)."""
        if self.build is not None and self.build >= BUILD_SECONDS:
            raise TemplateRenderError(f"templates took longer than {BUILD_SECONDS:g} s in total in this run")
        if self.template is not None and self.template >= TEMPLATE_SECONDS:
            raise TemplateRenderError(f"template took longer than {TEMPLATE_SECONDS:g} s over all its records")

    def allowance(self) -> float:
        """Seconds the next render may take; raises when a total budget is spent."""
        self.check_spent()
        left = [MAX_SECONDS]
        if self.template is not None:
            left.append(TEMPLATE_SECONDS - self.template)
        if self.build is not None:
            left.append(BUILD_SECONDS - self.build)
        return max(min(left), 0.001)

    def charge(self, seconds: float) -> None:
        if self.template is not None:
            self.template += seconds
        if self.build is not None:
            self.build += seconds


budget = _Budget()


@contextmanager
def build_budget():
    """Count render time across every template of one build, check or preview (the outermost call counts)."""
    if budget.build is not None:
        yield
        return
    budget.build = 0.0
    try:
        yield
    finally:
        budget.build = None


def signals_usable() -> bool:
    return threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")


_interrupt_message = ["template took too long"]


def _raise_timeout(signum, frame):
    raise timed_out()


def timed_out() -> TemplateRenderError:
    """The error for a render that used up its allowance: the per-render limit, or what was left of a budget."""
    return TemplateRenderError(_interrupt_message[0])


def _surely(action) -> None:
    """Run a clean-up step to the end even if the render timer fires during it (it is retried)."""
    while True:
        try:
            action()
            return
        except TemplateRenderError:
            continue


def _stop_timer() -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)


_session = False


@contextmanager
def render_session():
    """One template's renders: installs the timer handler once (installing it costs more than a short
    render) and counts the template's total time."""
    global _session
    outer_template = budget.template
    budget.template = 0.0 if outer_template is None else outer_template
    if _session or not signals_usable():
        try:
            yield
        finally:
            budget.template = outer_template
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    _session = True
    try:
        yield
    finally:
        _surely(_stop_timer)
        signal.signal(signal.SIGALRM, previous)
        _session = False
        budget.template = outer_template


@contextmanager
def time_limit():
    """Interrupt runaway pure-Python loops after this render's allowance; charge the time spent."""
    seconds = budget.allowance()
    _interrupt_message[0] = (f"template took longer than {MAX_SECONDS:g} s to render" if seconds >= MAX_SECONDS
                             else "template ran out of its total time budget")
    started = time.monotonic()
    if not signals_usable():
        try:
            yield seconds
        finally:
            budget.charge(time.monotonic() - started)
        return
    previous = None if _session else signal.signal(signal.SIGALRM, _raise_timeout)
    try:
        # repeating: an interrupt that lands where Python cannot raise it (a finalizer) is not the last one
        signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
        yield seconds
    finally:
        _surely(_stop_timer)
        if previous is not None:
            signal.signal(signal.SIGALRM, previous)
        budget.charge(time.monotonic() - started)


class _AddressSpace:
    """Reads this process's virtual size cheaply (one pread of /proc/self/statm) and sets RLIMIT_AS."""

    def __init__(self) -> None:
        self.fd: int | None = None
        self.usable = False
        try:
            import resource

            self.resource = resource
            self.fd = os.open("/proc/self/statm", os.O_RDONLY)
            self.page = os.sysconf("SC_PAGE_SIZE")
            self.usable = self.size() > 0
        except (ImportError, OSError, ValueError):
            self.usable = False

    def size(self) -> int:
        return int(os.pread(self.fd, 64, 0).split()[0]) * self.page


_space: _AddressSpace | None = None
_limited = False


@contextmanager
def memory_limit():
    """Let the code inside allocate at most MEMORY_HEADROOM more address space (main thread, Linux).

    Enter it before time_limit(), so that the timer is stopped before the old limit is put back."""
    global _space, _limited
    if _space is None:
        _space = _AddressSpace()
    if _limited or not _space.usable or threading.current_thread() is not threading.main_thread():
        yield
        return
    resource = _space.resource
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _space.size() + MEMORY_HEADROOM
    for limit in (soft, hard):
        if limit != resource.RLIM_INFINITY:
            cap = min(cap, limit)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    _limited = True
    try:
        yield
    finally:
        _surely(lambda: resource.setrlimit(resource.RLIMIT_AS, (soft, hard)))
        _limited = False


def out_of_memory() -> TemplateRenderError:
    return TemplateRenderError(f"template needs more than {MEMORY_HEADROOM // (1024 * 1024)} MB of memory")
