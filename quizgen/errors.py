"""The one exception type for mistakes a user can fix: bad banks, templates and options."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: characters that would break `error:` lines apart or reach the terminal as commands
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong, with where it is (file, line and column are 1-based; 0 means unknown)."""

    message: str
    file: str = ""
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        """One line, whatever the message quotes from a file (newlines and escape sequences shown escaped)."""
        where = _visible(self.file)
        if where and self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        message = _visible(self.message)
        return f"{where}: {message}" if where else message


class QuizgenError(Exception):
    """A user mistake; carries one or more problems, each with file/line where known."""

    def __init__(self, message: str = "", file: str | Path = "", line: int = 0, col: int = 0,
                 problems: list[Problem] | None = None):
        self.problems = list(problems) if problems else [Problem(message, str(file), line, col)]
        super().__init__(str(self))

    def __reduce__(self):
        """Pickled with every problem (from a worker process), not just the text of the first."""
        return self.__class__, ("", "", 0, 0, self.problems)

    @property
    def first(self) -> Problem:
        return self.problems[0]

    def __str__(self) -> str:
        text = str(self.problems[0])
        if len(self.problems) > 1:
            text += f" (and {len(self.problems) - 1} more; `quizgen check` lists them all)"
        return text
