"""docs/cli.md names every command and option the CLI has, and the README's set-up commands exist."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from sitroom.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _commands():
    group = typer.main.get_command(app)
    return group, group.commands  # type: ignore[attr-defined]


def test_every_command_and_option_is_documented():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    group, commands = _commands()
    for param in group.params:
        for opt in param.opts:
            assert opt in doc, f"global option {opt} is not in docs/cli.md"
    for name, command in commands.items():
        assert f"## `sitroom {name}" in doc, f"command {name} has no section in docs/cli.md"
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("-"):
                    assert opt in doc, f"{name} {opt} is not in docs/cli.md"


def test_exit_codes_in_docs_match_the_error_classes():
    from sitroom import errors

    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in errors.__all__:
        cls = getattr(errors, name)
        if cls is errors.SitroomError or name in {
            "UnsupportedInputError",
            "EmptyInputError",
            "InputTooLargeError",
            "DecodeError",
            "ParseError",
            "MigrationError",
        }:
            continue
        assert re.search(rf"^\| {cls.exit_code} \|.*{name}", doc, re.M), name


def test_readme_gives_the_two_setup_commands_and_makefile_has_them():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test"):
        assert f"make {target}" in readme
        assert re.search(rf"^{target}:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
