"""Stage 1, reading a bank: a folder of YAML files in, a validated `Bank` (typed records, dates, file:line of
every record) out.

`yamlio` reads YAML safely with positions, `model` and `dates` are the typed records, `vocabulary` is the bank's
own words (actions, effects, statuses, kinds) and what each means, `validation` turns pydantic errors into
`file:line:col` problems, `loader` assembles and cross-checks the bank, and `timeline` prints its events for
`quizgen timeline`. `skeleton` copies `new_bank/` for `quizgen new`. Nothing here knows about templates or
output formats, nor any bank's subject.
"""
