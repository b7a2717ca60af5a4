"""A big bank's templates run on every core, their results taken in file order.

A template's run reads only the bank and the generator's indexes, never another template's questions, so
forked worker processes (which inherit the loaded bank: nothing is loaded twice; each process builds the
generator's indexes at the same time as the others) can run templates in any order while the main process
runs some too. The work is handed out in batches of units, one batch at a time, and whoever is free takes the
next: a unit is a whole template, or (in a bank of more than twice units.SLICE_RECORDS records of a source) a template
over one slice of its records, and a batch is a whole template, or every sliced template over one slice (so a
slice's records are worked out about in one process only). A process forgets what it remembered about one
slice's records when it starts the next (Generator.forget), so its memos stay those of one slice (about 400 MiB
per process at 100,000 events otherwise). A template's slices joined in order give exactly its run over all its
records.
A worker pickles each unit's questions and report to a file in a private folder (a pipe would stall the
worker until the busy main process read it; a big unit's questions go in parts as they are made, so the
worker never holds them all) and says which one is done; the main process reads them back, gives equal
sources, explanations, dates, facts and tags of one slice's questions one shared object again (each process
shared them only among its own questions) and hands every template's result on in file order, so the merge
sees exactly what one process would give. An error in a template is raised when its turn in file order
comes, as in one process (the first of its slices to fail); no unit after it (in template, then slice order) is
started.
Ctrl-C, an error or a crash ends the workers; a worker whose main process is gone stops after its current
unit.
"""
from __future__ import annotations

import collections
import copyreg
import gc
import operator
import os
import pickle
import shutil
import signal
import tempfile
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..cores import usable_cores
from ..question import Question
from .limits import budget
from .units import WHOLE, in_slice, joined, plan

if TYPE_CHECKING:
    from ..bank.loader import Bank
    from .generator import Generator
    from .results import TemplateReport
    from .templates import TemplateSpec

    Run = tuple[list[Question], TemplateReport]

#: records (events, quotes, numbers, entities, restrictions) from which templates run in several processes.
#: With a free second core a worker pays even on the 150-record shipped bank (41 ms against 47), but the workers
#: cost 5-15% more CPU in all (indexes each process builds again, pickling questions back), lost when the other
#: core is busy, and memory; from 1,000 records (about 900 events, half a second in one process) the gain is
#: a quarter of a second or more (1,000 events: 0.33 s against 0.58). The shipped and test banks stay in one.
WORKERS_FROM = 1_000


def bank_records(bank: Bank) -> int:
    return sum(len(part) for part in (bank.events, bank.quotes, bank.numbers, bank.entities, bank.restrictions))


def template_runs(bank: Bank, make: Callable[[], Generator], specs: list[TemplateSpec],
                  workers_from: int = WORKERS_FROM) -> Iterator[tuple[TemplateSpec, Run]]:
    """Each spec with its (questions, report), in the order of `specs`: in this process for a small bank, else
    shared with worker processes (fork start, one per further core). Each process makes its generator with
    `make()` (its indexes are a second's work at 100,000 events: the processes build theirs at once)."""
    workers = min(usable_cores(), len(specs)) - 1
    if workers < 1 or bank_records(bank) < workers_from or not _can_fork():
        generator = make()
        for spec in specs:
            yield spec, generator.run(spec)
        return
    with _Team(bank, make, specs, workers) as team:
        yield from zip(specs, team.results())


def _can_fork() -> bool:
    import multiprocessing      # only for a big bank: 2 ms of a small one's start-up

    return "fork" in multiprocessing.get_all_start_methods() and hasattr(signal, "pthread_sigmask")


class _Orphaned(BaseException):
    """The main process is gone: a worker stops."""


class _Failure:
    """An exception a template raised, kept until its turn in file order."""

    def __init__(self, error: BaseException):
        self.error = error


class _Team:
    """The main process and its forked workers, taking units (a template, or a template over one slice of its
    records) from one shared counter."""

    def __init__(self, bank: Bank, make: Callable[[], Generator], specs: list[TemplateSpec], workers: int):
        import multiprocessing

        self.context = multiprocessing.get_context("fork")
        self.make = make
        self.generator: Generator | None = None      # each process makes its own, once the workers are forked
        self.specs = specs
        self.bank = bank
        self.batches: list[list[int]] = []          # unit numbers, a batch at a time (units.plan)
        self.units: list[tuple[int, int]] = []      # (template index, slice) of each unit
        for batch in plan(bank, specs):
            self.batches.append(list(range(len(self.units), len(self.units) + len(batch))))
            self.units += batch
        self.units_of: list[list[int]] = [[] for _ in specs]            # each template's units, in slice order
        for unit, (index, part) in sorted(enumerate(self.units), key=lambda u: u[1]):
            self.units_of[index].append(unit)
        self.slice = WHOLE          # the slice this process last ran a template over
        self.records: dict[str, list] = {}      # each source's records in the bank's order, to slice
        self.shared: dict[int, dict] = {}        # slice -> its questions' values, one object each (_arrived)
        self.everywhere: dict[Any, Any] = {}     # every slice's dates, tags and tag tuples, one object each
        self.ids: dict[str, str] | None = None   # every record id -> the bank's own string (_arrived)
        self.waiting = collections.Counter(part for _, part in self.units)     # slice -> units yet to arrive
        self.workers = workers
        self.lock = self.context.Lock()                                  # for the three shared values:
        self.next = self.context.RawValue("i", 0)                        # the batch to take next
        self.stop = self.context.RawValue("i", len(specs))              # no unit after a failed one starts:
        self.stop_part = self.context.RawValue("i", WHOLE)              # the failed (template, slice)
        self.seconds = self.context.RawValue("d", budget.build or 0.0)  # render time of the whole build so far
        self.folder = ""
        self.processes: list[Any] = []
        self.pipes: list[Any] = []
        self.done: dict[int, Any] = {}           # unit -> Run or _Failure
        self.main = os.getpid()

    def __enter__(self) -> _Team:
        # Ctrl-C waits while a worker starts, so that it reaches the worker where it is expected (in _work),
        # not the start-up code of a half-made process; the main process gets it right after
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        gc.freeze()     # the workers' collections then leave the inherited objects (and their pages) alone
        try:
            self.folder = tempfile.mkdtemp(prefix="quizgen-generate-")
            for _ in range(self.workers):
                receive, send = self.context.Pipe(duplex=False)
                self.pipes.append(receive)
                process = self.context.Process(target=self._work, args=(send,), daemon=True)
                self.processes.append(process)
                process.start()
                send.close()
            gc.unfreeze()
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            self.generator = self.make()
        except BaseException:
            gc.unfreeze()
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        started = [p for p in self.processes if p.pid is not None]
        for process in started:
            if process.is_alive():
                process.terminate()
        for process in started:
            process.join()
            process.close()     # here, not in a finalizer: an exception there (Ctrl-C) would be lost
        for pipe in self.pipes:
            pipe.close()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
        if budget.build is not None:       # without the lock: a worker ended by terminate() may hold it
            budget.build = self.seconds.value

    # ---- every participant ----

    @contextmanager
    def _holding(self) -> Iterator[None]:
        """The shared values' lock, given up on when the process that may hold it is gone (a lock held by a
        killed process is never released)."""
        while not self.lock.acquire(timeout=0.25):
            self._check_others()
        try:
            yield
        finally:
            self.lock.release()

    def _main_gone(self) -> bool:
        """In a worker whose main process has ended."""
        return os.getpid() != self.main and os.getppid() != self.main

    def _check_others(self) -> None:
        if self._main_gone():
            raise _Orphaned()
        if os.getpid() == self.main and any(p.exitcode not in (None, 0) for p in self.processes):
            raise RuntimeError(f"a generation worker ended early (exit codes "
                               f"{', '.join(str(p.exitcode) for p in self.processes)})")

    def _take(self) -> list[int]:
        """The next batch of units; none when all are taken."""
        with self._holding():
            batch = self.next.value
            self.next.value += 1
        return self.batches[batch] if batch < len(self.batches) else []

    def _wanted(self, unit: int) -> bool:
        """Whether a unit is still needed: not one after a failed one, in (template, slice) order (its template
        and those after it are never merged)."""
        with self._holding():
            return self.units[unit] < (self.stop.value, self.stop_part.value)

    def _among(self, index: int, part: int) -> list | None:
        """The records of a template's source in one slice (None: all of them), forgetting the last slice's."""
        if part != self.slice:
            self.generator.forget()
            self.slice = part
        if part == WHOLE:
            return None
        source = self.specs[index].template.select.from_
        if source not in self.records:
            self.records[source] = list(getattr(self.bank, source).values())
        return in_slice(self.records[source], part)

    def _run(self, unit: int, spill: Callable[[list[Question]], None] | None = None) -> Any:
        """One unit; its render time counts in the build's shared total (the build budget stays one)."""
        index, part = self.units[unit]
        counting = budget.build is not None
        if counting:
            before = budget.build = self.seconds.value
        try:
            return self.generator.run(self.specs[index], spill, self._among(index, part))
        except Exception as exc:        # raised in file order by results(), as one process would
            with self._holding():
                self.stop.value, self.stop_part.value = min((self.stop.value, self.stop_part.value), (index, part))
            return _Failure(exc)
        finally:
            if counting:
                with self._holding():
                    self.seconds.value += budget.build - before

    def _units(self) -> Iterator[int]:
        """The units this process runs, a batch at a time, while the main process is there."""
        while not self._main_gone():
            batch = self._take()
            if not batch:
                return
            for unit in batch:
                if self._main_gone():
                    return
                if self._wanted(unit):
                    yield unit

    # ---- a worker ----

    def _work(self, pipe: Any) -> None:
        try:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
            self.generator = self.make()
            for unit in self._units():
                parts = _Parts(self._path, unit)
                _save(self._path(unit), self._run(unit, parts.save), self.specs[self.units[unit][0]])
                pipe.send((unit, parts.count))
        except (KeyboardInterrupt, BrokenPipeError, _Orphaned):
            pass        # the main process stops too and reports; no second traceback from here
        finally:
            pipe.close()
            if self._main_gone():       # killed: nobody else will remove the folder
                shutil.rmtree(self.folder, ignore_errors=True)

    def _path(self, unit: int, part: int | None = None) -> str:
        """The file of a unit's outcome, or of one of the parts of its questions written before it."""
        return os.path.join(self.folder, f"{unit}.pickle" if part is None else f"{unit}-{part}.pickle")

    # ---- the main process ----

    def results(self) -> Iterator[Run]:
        """Each template's outcome in file order, each as soon as its units and those before it are done: the
        caller merges them while the workers go on (at 100,000 events the merge is a second of work)."""
        ready = 0
        for unit in self._units():
            self.done[unit] = self._arrived(unit, self._run(unit))
            self._collect(block=False)
            while ready < len(self.specs) and self._finished(ready):
                yield self._outcome(ready)
                ready += 1
        # what this process remembered about its last slice is no use while it waits for and merges the last
        # results: at 100,000 events both processes were at their largest then
        self.generator.forget()
        for index in range(ready, len(self.specs)):
            yield self._outcome(index)

    def _finished(self, index: int) -> bool:
        """A template's units are all done, or those up to one that failed."""
        for unit in self.units_of[index]:
            if unit not in self.done:
                return False
            if isinstance(self.done[unit], _Failure):
                return True
        return True

    def _outcome(self, index: int) -> Run:
        """A template's run, its slices joined; the first failure among them (in the bank's order) raised. A
        unit after a failed one may never have started, so none after it is waited for."""
        runs = []
        for unit in self.units_of[index]:
            while unit not in self.done:
                self._collect(block=True)
            outcome = self.done.pop(unit)
            if isinstance(outcome, _Failure):
                raise outcome.error
            runs.append(outcome)
        return joined(runs)

    def _collect(self, block: bool) -> None:
        """Read back what the workers finished (waiting for one when `block`)."""
        from multiprocessing.connection import wait

        if block and not self.pipes:
            codes = ", ".join(str(p.exitcode) for p in self.processes)
            raise RuntimeError(f"a generation worker ended before its templates were done (exit codes {codes})")
        for pipe in wait(self.pipes, timeout=None if block else 0):
            try:
                unit, parts = pipe.recv()
            except EOFError:        # the worker has ended
                self.pipes.remove(pipe)
                pipe.close()
                continue
            self.done[unit] = self._arrived(unit, self._read(unit, parts))

    def _read(self, unit: int, parts: int) -> Any:
        """A worker's outcome of one unit, with the questions it wrote out in parts before it."""
        outcome = _load(self._path(unit))
        if isinstance(outcome, _Failure):
            return outcome
        return [q for part in range(parts) for q in _load(self._path(unit, part))] + outcome[0], outcome[1]

    def _own_ids(self, facts: tuple[str, ...]) -> tuple[str, ...]:
        """The same ids as the bank's own strings (each unpickled part of a worker's results has its own copies:
        412,517 of them in the skips at 100,000 events, 24 MiB)."""
        if self.ids is None:
            self.ids = {i: i for source in (self.bank.events, self.bank.quotes, self.bank.numbers,
                                            self.bank.entities, self.bank.restrictions) for i in source}
        ids = self.ids
        return tuple([ids.get(i, i) for i in facts])

    def _arrived(self, unit: int, outcome: Any) -> Any:
        """A unit's outcome in the main process, its questions' equal values made one object with those of the
        other units of its slice (each process shared them only among its own questions; a big bank's questions
        repeat them many times). A slice's values are forgotten once all its units have arrived; dates and tags,
        few and in every slice, are kept for all (with one object for each tag in them): 15 MiB fewer at
        100,000 events, when every process is near its largest."""
        part = self.units[unit][1]
        shared = self.shared.setdefault(part, {})
        if not isinstance(outcome, _Failure):
            everywhere = self.everywhere
            for question in outcome[0]:
                for name in _OF_A_SLICE:
                    value = getattr(question, name)
                    common = shared.setdefault(value, value)
                    if common is not value:
                        object.__setattr__(question, name, common)   # an equal value: the question is unchanged
                common = shared.get(("facts", question.facts))
                if common is None:
                    common = shared[("facts", question.facts)] = self._own_ids(question.facts)
                object.__setattr__(question, "facts", common)
                common = everywhere.get(question.tags)
                if common is None:
                    common = everywhere[question.tags] = tuple(everywhere.setdefault(t, t) for t in question.tags)
                object.__setattr__(question, "tags", common)
                common = everywhere.setdefault(question.sort_key, question.sort_key)
                object.__setattr__(question, "sort_key", common)
            for skip in outcome[1].skipped:     # a skip's facts name its rivals: 52 ids each at 100,000 events
                object.__setattr__(skip, "facts", self._own_ids(skip.facts))
        self.waiting[part] -= 1
        if not self.waiting[part]:
            del self.shared[part]
        return outcome


_OF_A_SLICE = ("source", "explanation")      # a record's own (and its facts): shared among its slice's questions

_FIELDS_OF = operator.attrgetter(*Question.__dataclass_fields__)     # every field of a question at once, in C


def _question_args(question: Question) -> tuple:
    """Pickle a question as its constructor call: half the time of the dataclass's own per-field state."""
    return Question, _FIELDS_OF(question)


class _Parts:
    """A worker's big template's questions, written out as they are made (see Generator.run's `spill`)."""

    def __init__(self, path: Callable[[int, int], str], index: int):
        self.path = path
        self.index = index
        self.count = 0

    def save(self, questions: list[Question]) -> None:
        with open(self.path(self.index, self.count), "wb") as file:
            _pickler(file).dump(questions)
        self.count += 1


def _pickler(file: Any) -> pickle.Pickler:
    pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, Question: _question_args}
    return pickler


def _load(path: str) -> Any:
    with open(path, "rb") as file:
        outcome = pickle.load(file)
    os.unlink(path)
    return outcome


def _save(path: str, outcome: Any, spec: TemplateSpec) -> None:
    """Pickle a template's outcome for the main process; an exception that does not pickle goes as its text."""
    with open(path, "wb") as file:
        try:
            _pickler(file).dump(outcome)
            return
        except Exception as exc:
            error = outcome.error if isinstance(outcome, _Failure) else exc
        file.seek(0)
        file.truncate()
        pickle.dump(_Failure(RuntimeError(f"template '{spec.id}': {type(error).__name__}: {error}")), file)
