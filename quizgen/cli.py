"""The command line: each command parses its options and calls one library function."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import click

from . import __version__
from .errors import QuizgenError

BANK_HELP = ("Bank folder. Default: the bank in ./questions/ when run in a project checkout, otherwise the "
             "bank installed with quizgen. The folder read is named on stderr.")
bank_option = click.option("--bank", "bank_path", type=click.Path(path_type=Path), default=None,
                           metavar="PATH", help=BANK_HELP)


def _bank(path: Path | None, quiet: bool = False) -> Path | None:
    """The bank folder a command reads, named on stderr (stdout may be data) unless `quiet`."""
    from .bank.loader import bank_path_or_default
    from .bank.validation import display_path

    if quiet:
        return path
    path = bank_path_or_default(path)
    click.echo(f"bank: {display_path(path)}", err=True)
    return path
seed_option = click.option("--seed", type=int, default=0, show_default=True,
                           help="Seed for choice order and selection: same seed, same output.")
kinds_option = click.option(
    "--kinds", "kinds", multiple=True, metavar="KIND[,KIND...]",
    help="Only these question kinds (repeatable or comma-separated): multiple_choice, multiple_select, "
         "true_false, ordering, which_first, matching, cloze, short_answer, numeric, quote.")
templates_option = click.option("--templates", "templates", multiple=True, metavar="ID[,ID...]",
                                help="Only these template ids (repeatable or comma-separated).")


def _progress(quiet: bool) -> Callable[[str], None]:
    """Where a long command's progress lines go: standard error (stdout may be data), or nowhere with --quiet."""
    return (lambda _: None) if quiet else (lambda line: click.echo(line, err=True))


def _warn(line: str) -> None:
    """Something the user should know that does not stop the command (stderr, one line)."""
    click.echo(f"warning: {line}", err=True)


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

    Start with `quizgen build`: it writes the default bank's deck, quiz and answer key into output/.
    The default bank is the one in ./questions/ when run in a project checkout, otherwise the one
    installed with quizgen; `--bank PATH` reads another, and `quizgen new PATH` starts one.
    """
    ctx.obj = {"debug": debug}


@cli.command(short_help="Everything: deck, quiz versions, key, timeline.")
@bank_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default="output",
              show_default=True, help="Folder for everything built.")
@seed_option
@click.option("--versions", type=int, default=4, show_default=True, metavar="K",
              help="Quiz versions A, B, ...: same questions, shuffled per version.")
@click.option("--questions", type=int, default=None, metavar="N", help="Questions per quiz version (default: 20).")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@click.option("--timestamp", type=click.IntRange(min=0), default=None, metavar="SECONDS",
              help="Build time for the deck (default: SOURCE_DATE_EPOCH, else now).")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines, only what was written.")
def build(bank_path: Path | None, out_dir: Path, seed: int, versions: int, questions: int | None, paper: str,
          timestamp: int | None, quiet: bool) -> None:
    """Build everything: the Anki deck, the quiz in versions, its answer key and the timeline."""
    from .jobs import BuildOptions
    from .jobs import build as build_all

    options = BuildOptions(out_dir, seed, versions, questions, paper, timestamp)
    for line in build_all(_bank(bank_path, quiet), options, _progress(quiet), _warn):
        click.echo(f"wrote {line}")


@cli.command(short_help="Validate a bank and its templates.")
@bank_option
@click.option("--against", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              metavar="FILE", help="Also check that every quote appears verbatim in this source text.")
def check(bank_path: Path | None, against: Path | None) -> None:
    """Validate a bank and its templates; list every problem with file and line."""
    from .bank.loader import bank_path_or_default
    from .bank.validation import display_path
    from .generate.check import require_clean

    path = bank_path_or_default(bank_path)
    bank = require_clean(path, against)
    words = bank.vocabulary.words
    counts = [(bank.entities, "entity", "entities"), (bank.restrictions, words.restriction, words.restrictions),
              (bank.events, "event", "events"), (bank.quotes, "quote", "quotes"), (bank.numbers, "number", "numbers")]
    click.echo(f"ok: {bank.id} ({display_path(path)}): "
               + ", ".join(f"{len(records)} {one if len(records) == 1 else many}" for records, one, many in counts)
               + (f"; every quote found in {against}" if against else ""))


@cli.command("new", short_help="Start a new bank folder that checks clean.")
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
def new(path: Path) -> None:
    """Create a bank folder with one example record of each type, its vocabulary, a source text and a README.

    Edit the examples into your own facts; `quizgen check --bank PATH --against PATH/source.txt` checks them.
    """
    from .bank.skeleton import create_bank

    for line in create_bank(path):
        click.echo(line)


@cli.command(short_help="The events in date order, or each restriction's status.")
@bank_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--as-of", "as_of", is_flag=True,
              help="List each restriction (in the bank's own word) and its status at the bank's date.")
def timeline(bank_path: Path | None, fmt: str, as_of: bool) -> None:
    """Print the bank's events in date order (or each restriction's status with --as-of)."""
    from .bank.loader import load_bank
    from .bank.timeline import render_timeline

    click.echo(render_timeline(load_bank(_bank(bank_path)), fmt, as_of))


@cli.command(short_help="Each template: questions made and skipped.")
@bank_option
def templates(bank_path: Path | None) -> None:
    """List templates: kind, questions made, questions skipped and why."""
    from .bank.loader import load_bank
    from .generate.preview import list_templates

    click.echo(list_templates(load_bank(_bank(bank_path))))


@cli.command(short_help="Sample questions with answers, for authors.")
@bank_option
@click.option("--template", "template", default=None, metavar="ID", help="Only this template.")
@click.option("-n", "count", type=int, default=5, show_default=True, help="How many questions to show.")
@seed_option
@kinds_option
@click.option("--html", "as_html", is_flag=True,
              help="Write every question (not -n samples) to a review web page, filterable by template and kind.")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path, dir_okay=False), default=None, metavar="FILE",
              help="Where --html writes the page (default: output/<bank id>-review.html).")
def preview(bank_path: Path | None, template: str | None, count: int, seed: int, kinds: tuple[str, ...],
            as_html: bool, out: Path | None) -> None:
    """Print sample questions with their answers, for template authors (or all of them as a web page)."""
    if as_html:
        from .jobs import build_review

        click.echo(str(build_review(_bank(bank_path), out, seed=seed, kinds=kinds, template=template)))
        return
    from .bank.loader import load_bank
    from .generate.preview import preview as render_preview

    click.echo(render_preview(load_bank(_bank(bank_path)), template, count, seed, kinds))


@cli.command(short_help="List suspicious questions, for authors.")
@bank_option
@click.option("--seeds", default="0-9", show_default=True, metavar="SEEDS",
              help="Seeds to generate with: a range (0-9), a list (0,3,7) or both.")
@kinds_option
@templates_option
def review(bank_path: Path | None, seeds: str, kinds: tuple[str, ...], templates: tuple[str, ...]) -> None:
    """Check every generated question against the facts, as a teacher would read it: wrong options the dataset
    does not refute, blanks another record fills, answers given away, implausible options, a restriction's status asked
    as yes/no, wording. Lists each suspicious question (id, rule, facts); exit 1 if any. `quizgen build` skips
    them; this shows them to you first."""
    from .bank.loader import load_bank
    from .generate.check import parse_seeds, review_bank

    seed_list = parse_seeds(seeds)
    count, flags = review_bank(load_bank(_bank(bank_path)), seed_list, kinds or None, templates or None)
    for flag in flags:
        click.echo(str(flag))
    what = f"{count} questions from seeds {seeds}"
    if flags:
        click.echo(f"{len(flags)} suspicious in {what}", err=True)
        sys.exit(1)
    click.echo(f"ok: {what}, none suspicious")


@cli.command(short_help="Only the Anki deck (.apkg).")
@bank_option
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None, metavar="FILE",
              help="Where to write the deck (default: output/<bank id>.apkg).")
@seed_option
@kinds_option
@templates_option
@click.option("--timestamp", type=click.IntRange(min=0), default=None, metavar="SECONDS",
              help="Build time in Unix seconds (default: SOURCE_DATE_EPOCH, else now); fixes the output bytes.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines, only what was written.")
def anki(bank_path: Path | None, output: Path | None, seed: int, kinds: tuple[str, ...],
         templates: tuple[str, ...], timestamp: int | None, quiet: bool) -> None:
    """Write an Anki deck (.apkg) that updates in place when re-imported."""
    from .jobs import build_anki

    click.echo(str(build_anki(_bank(bank_path, quiet), output, seed=seed, kinds=kinds,
                              templates=templates, timestamp=timestamp, warn=_warn, progress=_progress(quiet))))


@cli.command("export", short_help="Moodle XML, GIFT, Canvas QTI, CSV, xlsx or JSON.")
@bank_option
@click.option("--format", "fmt", type=click.Choice(["moodle", "gift", "qti", "csv", "tsv", "xlsx", "json"]),
              required=True, help="moodle: Moodle XML; gift: GIFT text; qti: Canvas QTI zip; "
                                  "csv/tsv: one row per question; xlsx: the same as a workbook of text "
                                  "cells (best for spreadsheets); json: every field.")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              default=None, metavar="FILE",
              help="Where to write (default: output/<bank id>.<ext>; - for stdout, text formats only).")
@seed_option
@kinds_option
@templates_option
@click.option("-q", "--quiet", is_flag=True, help="No progress lines, only what was written.")
def export(bank_path: Path | None, fmt: str, out: Path | None, seed: int, kinds: tuple[str, ...],
           templates: tuple[str, ...], quiet: bool) -> None:
    """Export the questions for an LMS: Moodle XML, GIFT, Canvas QTI, CSV/TSV, xlsx or JSON."""
    from .jobs import build_export

    summary = build_export(_bank(bank_path, quiet), fmt, out, seed=seed, kinds=kinds,
                           templates=templates, progress=_progress(quiet))
    for line in summary.lines():
        click.echo(line, err=summary.to_stdout)


@cli.command(short_help="Only the printable quiz, key and timeline.")
@bank_option
@click.option("-o", "--output", "out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              metavar="FILE", help="The quiz file (default: output/<bank id>-quiz.pdf); key and timeline go beside it.")
@click.option("--questions", "count", type=int, default=None, metavar="N",
              help="Questions per version (default: 20, or all there are if fewer).")
@kinds_option
@templates_option
@click.option("--versions", type=int, default=1, show_default=True, metavar="K",
              help="Versions A, B, ...: the same questions, each in its own order.")
@seed_option
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@click.option("--title", default=None, help="Title printed on the quiz (default: the bank's title).")
@click.option("--key/--no-key", default=True, show_default=True, help="Write the answer key, as its own file.")
@click.option("--timeline/--no-timeline", default=False, show_default=True,
              help="Write the one-page timeline handout.")
@click.option("--different-questions", is_flag=True, help="Give each version its own questions, not just its own order.")
@click.option("--answer-sheet", is_flag=True,
              help="Also write bubble answer sheets (one page per version) for `quizgen mark`.")
@click.option("--student-digits", type=click.IntRange(1, 12), default=6, show_default=True, metavar="N",
              help="Digits of the student number on the answer sheets.")
def pdf(bank_path: Path | None, out: Path | None, count: int | None, kinds: tuple[str, ...],
        templates: tuple[str, ...], versions: int, seed: int, paper: str, title: str | None, key: bool,
        timeline: bool, different_questions: bool, answer_sheet: bool, student_digits: int) -> None:
    """Write a printable quiz in versions, its answer key and a timeline handout (PDF)."""
    from .jobs import build_pdf
    from .pdf.options import PdfOptions

    options = PdfOptions(count, kinds, templates, versions, seed, paper, title, key, timeline, different_questions,
                         answer_sheet, student_digits)
    for written in build_pdf(_bank(bank_path), out, options, _warn):
        click.echo(str(written))


@cli.command("html", short_help="A practice quiz as one self-contained web page.")
@bank_option
@click.option("-o", "--output", "out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              metavar="FILE", help="The page (default: output/<bank id>-practice.html, or -bank.html with --all).")
@click.option("--questions", "count", type=int, default=None, metavar="N",
              help="Questions on the page (default: 20, or all there are if fewer).")
@kinds_option
@templates_option
@seed_option
@click.option("--title", default=None, help="Title of the page (default: the bank's title).")
@click.option("--all", "all_questions", is_flag=True, help="Every question, grouped like the deck's subdecks.")
def html_page(bank_path: Path | None, out: Path | None, count: int | None, kinds: tuple[str, ...],
              templates: tuple[str, ...], seed: int, title: str | None, all_questions: bool) -> None:
    """Write a practice quiz as one HTML file that works offline: check answers, score, try again."""
    from .html import HtmlOptions
    from .jobs import build_html

    click.echo(str(build_html(_bank(bank_path), out, HtmlOptions(count, kinds, templates, seed, title,
                                                              all_questions))))


@cli.command(short_help="Score scanned answer sheets into a CSV.")
@click.argument("scans", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--key", "keys", multiple=True, type=click.Path(path_type=Path, exists=True, dir_okay=False),
              metavar="KEY.json", help="Answer key(s) from `quizgen pdf` (default: every *-answer-key.json "
                                       "beside the scans and in output/).")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("results.csv"), show_default=True, metavar="FILE", help="The results CSV.")
def mark(scans: tuple[Path, ...], keys: tuple[Path, ...], out: Path) -> None:
    """Mark scanned answer sheets (PNG, JPEG or PDF): one CSV row per student."""
    from .marking import mark_scans

    summary = mark_scans(scans, keys, out)
    for line in summary.problem_lines():
        click.echo(line, err=True)
    for line in summary.lines():
        click.echo(line)


def main() -> None:
    import os

    from .gcpause import end_command, for_a_command

    # quizgen's models use no pydantic plugin; looking for them read every installed package's metadata at each
    # start (about 5 ms of a single quiz). Setting the variable, even empty, brings them back.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    for_a_command()
    try:
        cli(prog_name="quizgen")
    except SystemExit as done:      # click ends every command this way, success or not
        end_command(done.code)


if __name__ == "__main__":
    sys.exit(main())
