"""quizgen: turn a sourced fact dataset plus question templates into Anki decks, printable quizzes and LMS exports.

The package reads as the pipeline, each stage importing only from the ones before it:

    bank/       a bank folder (YAML) -> a validated, typed Bank
    generate/   Bank + templates -> Questions (with the reason for every question skipped)
    question.py the neutral Question model every renderer reads
    classset/   Questions -> the versions of a printed class set, their answer key and sheet geometry
    anki/ pdf/ export/ html/   renderers: Questions -> bytes of one output format
    output.py   writing files atomically; files.py reads what others supply, within a cap
    marking/    scanned answer sheets + the JSON answer key -> scores
    jobs.py     the jobs the CLI runs, tying the stages together; cli.py parses options and calls them
"""

__version__ = "0.1.0"
