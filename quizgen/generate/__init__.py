"""Stage 2, generating questions: a `Bank` and its YAML templates in, neutral `Question` objects out (with a
`Skip` and its reason for every record that cannot make a good question).

`templates` reads and checks template files, `views` renders their Jinja text in a sandbox, `selectors` picks
the records a template applies to, `distractors` knows what the dataset says is true and draws wrong options,
`builders` makes one kind of question each, and `generator` runs them in a fixed order for a seed. `check`
and `preview` are the author's tools built on them (`quizgen check`, `templates`, `preview`). `shared/` holds
template sets any bank may include (`timeline`: templates that select by what words mean, never by a bank's words).
"""
