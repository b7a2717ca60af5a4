"""quizgen: turn a sourced fact dataset plus question templates into Anki decks and printable quizzes."""

__version__ = "0.1.0"
