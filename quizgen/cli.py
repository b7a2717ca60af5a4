"""The command line: each command parses its options and calls one library function."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import QuizgenError

BANK_HELP = "Bank folder (default: the shipped red-lines bank)."
bank_option = click.option("--bank", "bank_path", type=click.Path(path_type=Path), default=None,
                           metavar="PATH", help=BANK_HELP)


class _Group(click.Group):
    """Turns QuizgenError into one `error: FILE:LINE:COL: message` line per problem and exit 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except QuizgenError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            for problem in exc.problems[:50]:
                click.echo(f"error: {problem}", err=True)
            if len(exc.problems) > 50:
                click.echo(f"error: ... and {len(exc.problems) - 50} more", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quizgen")
@click.option("--debug", is_flag=True, help="Show full tracebacks (for bug reports).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn a sourced fact bank plus question templates into Anki decks and printable quizzes.

    Start with `quizgen build`: it writes the red-lines bank's deck, quiz and answer key into output/.
    """
    ctx.obj = {"debug": debug}


@cli.command()
@bank_option
@click.option("--against", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              metavar="FILE", help="Also check that every quote appears verbatim in this source text.")
def check(bank_path: Path | None, against: Path | None) -> None:
    """Validate a bank and its templates; list every problem with file and line."""
    from .bank import default_bank_path
    from .check import require_clean

    bank = require_clean(bank_path or default_bank_path(), against)
    click.echo(f"ok: {bank.id}: {len(bank.entities)} entities, {len(bank.restrictions)} red lines, "
               f"{len(bank.events)} events, {len(bank.quotes)} quotes, {len(bank.numbers)} numbers"
               + (f"; every quote found in {against}" if against else ""))


@cli.command()
@bank_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--as-of", "as_of", is_flag=True, help="List each red line and its status at the bank's date.")
def timeline(bank_path: Path | None, fmt: str, as_of: bool) -> None:
    """Print the bank's events in date order (or the red lines' status with --as-of)."""
    from .bank import load_bank
    from .timeline import render_timeline

    click.echo(render_timeline(load_bank(bank_path), fmt, as_of))


@cli.command()
@bank_option
@click.option("-o", "--output", "out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              metavar="FILE", help="The quiz file (default: output/<bank id>-quiz.pdf); key and timeline go beside it.")
@click.option("--questions", "count", type=int, default=None, metavar="N",
              help="Questions per version (default: 20, or all there are if fewer).")
@click.option("--kinds", multiple=True, metavar="KIND[,KIND...]",
              help="Only these question kinds, e.g. multiple_choice,true_false.")
@click.option("--templates", multiple=True, metavar="ID[,ID...]", help="Only questions from these templates.")
@click.option("--versions", type=int, default=1, show_default=True, metavar="K",
              help="Versions A, B, ...: the same questions, each in its own order.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same quiz, byte for byte.")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@click.option("--title", default=None, help="Title printed on the quiz (default: the bank's title).")
@click.option("--key/--no-key", default=True, show_default=True, help="Write the answer key, as its own file.")
@click.option("--timeline/--no-timeline", default=False, show_default=True,
              help="Write the one-page timeline handout.")
@click.option("--different-questions", is_flag=True, help="Give each version its own questions, not just its own order.")
def pdf(bank_path: Path | None, out: Path | None, count: int | None, kinds: tuple[str, ...],
        templates: tuple[str, ...], versions: int, seed: int, paper: str, title: str | None, key: bool,
        timeline: bool, different_questions: bool) -> None:
    """Write a printable quiz in versions, its answer key and a timeline handout (PDF)."""
    from .pdf import PdfOptions, pdf_command

    options = PdfOptions(count, kinds, templates, versions, seed, paper, title, key, timeline, different_questions)
    for written in pdf_command(bank_path, out, options):
        click.echo(str(written))


def main() -> None:
    cli(prog_name="quizgen")


if __name__ == "__main__":
    sys.exit(main())
