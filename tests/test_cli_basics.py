import subprocess
import sys

from click.testing import CliRunner

from quizgen import __version__
from quizgen.cli import cli


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_lists_every_command_with_a_description():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name, command in cli.commands.items():
        assert name in result.output
        assert command.get_short_help_str(), f"{name} has no description"
    commands = result.output.split("Commands:", 1)[1]
    assert "..." not in commands, "a description was cut short"


def test_help_does_not_import_heavy_libraries():
    code = ("import sys\nfrom quizgen.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('reportlab', 'genanki', 'anki', 'pydantic', 'jinja2', 'yaml') if m in sys.modules]\n"
            "print('HEAVY', heavy)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out


def test_missing_bank_folder_is_one_line_error(tmp_path):
    result = CliRunner().invoke(cli, ["check", "--bank", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "no bank folder" in result.output
    assert "Traceback" not in result.output


def test_the_command_turns_pydantic_plugins_off_unless_told_otherwise():
    code = ("import atexit, os, sys; from quizgen import cli; sys.argv = ['quizgen', '--version'];"
            "atexit.register(lambda: print('plugins', repr(os.environ.get('PYDANTIC_DISABLE_PLUGINS')))); cli.main()")
    env = {k: v for k, v in __import__("os").environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    off = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    on = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                        env={**env, "PYDANTIC_DISABLE_PLUGINS": ""})
    assert off.stdout.splitlines()[-1] == "plugins '__all__'"
    assert on.stdout.splitlines()[-1] == "plugins ''"
