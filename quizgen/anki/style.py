"""The one stylesheet every quizgen note type shares: readable on a desktop and on a phone, with night mode.

Anki puts `card` on the body and adds `nightMode` (desktop, iOS) or `night_mode` (AnkiDroid) in night
mode, so the colours live in custom properties that those classes override.
"""

CSS = """\
.card {
  --fg: #1d232a; --muted: #5b6570; --bg: #fdfdfb; --line: #d9dde2; --panel: #f2f4f6;
  --accent: #1f5fa8; --right: #17703a; --right-bg: #e3f4e8; --hole: #8a4b00;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans",
    Helvetica, Arial, sans-serif;
  font-size: 20px; line-height: 1.45; color: var(--fg); background: var(--bg);
  text-align: left; margin: 0; padding: 0;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --fg: #e4e7eb; --muted: #a3acb6; --bg: #1e2227; --line: #3a4049; --panel: #2a2f36;
  --accent: #7fb2ef; --right: #7bd89a; --right-bg: #1f3a2a; --hole: #f2b66d;
}
.qz { max-width: 36em; margin: 0 auto; padding: 1.1em 1em 1.5em; }
.qz-label { font-size: .72em; letter-spacing: .06em; text-transform: uppercase; color: var(--muted);
  margin-bottom: .5em; }
.qz-prompt { font-size: 1.12em; font-weight: 600; margin: 0 0 .8em; }
.qz-cloze { font-size: 1.12em; margin: 0 0 .8em; }
.cloze { font-weight: 700; color: var(--hole); }
.qz ol, .qz ul { margin: .4em 0 .8em; padding-left: 1.6em; }
.qz li { margin: .3em 0; padding: .15em .4em; border-radius: .3em; }
.qz-choices { list-style: upper-alpha; }
.qz-key li.right { background: var(--right-bg); color: var(--right); font-weight: 700; }
.qz-key li.wrong { color: var(--muted); }
.qz-answer { font-size: 1.1em; font-weight: 700; color: var(--right); margin: .2em 0 .6em; }
.qz-accepted { color: var(--muted); margin-bottom: .6em; }
.qz-pairs { border-collapse: collapse; margin: .4em 0 .8em; width: 100%; }
.qz-pairs td { border-top: 1px solid var(--line); padding: .35em .4em; vertical-align: top; }
.qz-pairs td.arrow { color: var(--muted); width: 1.5em; text-align: center; }
.qz-pairs td.right { color: var(--right); font-weight: 700; }
.qz-options { color: var(--muted); }
hr#answer { border: 0; border-top: 1px solid var(--line); margin: 1em 0; }
.qz-explanation { background: var(--panel); border-left: 3px solid var(--accent); padding: .6em .8em;
  margin: .8em 0; border-radius: 0 .3em .3em 0; }
.qz-source { font-size: .8em; color: var(--muted); margin-top: .8em; }
.qz-source .title { font-style: italic; }
.qz-source blockquote { margin: .3em 0 0; padding-left: .8em; border-left: 2px solid var(--line); }
@media (max-width: 600px) {
  .card { font-size: 18px; }
  .qz { padding: .8em .7em 1.2em; }
}
"""
