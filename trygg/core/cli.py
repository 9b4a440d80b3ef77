"""Command-line parsing that answers a wrong argument in Swedish, as the rest of Trygg does.

argparse words its own errors in English ("the following arguments are required: …"). A command
built on `SwedishCommand` gets them in Swedish: as a `CommandError` when called from code
(`call_command`), and on stderr with exit status 2 when run from the command line.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

# argparse's messages (Python 3.11+), each with the Swedish sentence that replaces it.
_PATTERNS = [
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "required"),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), "unknown"),
    (re.compile(r"argument (?P<names>\S+?): expected one argument"), "value"),
    (re.compile(r"ambiguous option: (?P<names>\S+) could match (?P<matches>.+)"), "ambiguous"),
]


def swedish_argument_error(message: str, command: str) -> str:
    """argparse's English `message` as a Swedish sentence naming the arguments; unknown messages are kept whole."""
    for pattern, kind in _PATTERNS:
        found = pattern.fullmatch(message.strip())
        if found is None:
            continue
        names = found["names"].replace("/", " eller ")
        if kind == "required":
            text = gettext("Argumentet %(names)s saknas.") % {"names": names}
        elif kind == "unknown":
            text = gettext("Okänt argument: %(names)s.") % {"names": names}
        elif kind == "value":
            text = gettext("Argumentet %(names)s saknar värde.") % {"names": names}
        else:
            text = gettext("Argumentet %(names)s är tvetydigt: det kan vara %(matches)s.") % {
                "names": names,
                "matches": found["matches"],
            }
        break
    else:
        text = gettext("Felaktiga argument: %(detail)s.") % {"detail": message}
    return text + " " + gettext("Se ”trygg %(command)s --help”.") % {"command": command}


def _refuse(parser: CommandParser, command: str, message: str) -> NoReturn:
    text = swedish_argument_error(message, command)
    if parser.called_from_command_line:
        parser.exit(2, f"{parser.prog}: {text}\n")
    raise CommandError(text)


class SwedishCommand(BaseCommand):
    """A management command whose argument errors are in Swedish (see the module's docstring)."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # argparse calls `self.error(message)`; the instance's own function answers in Swedish instead.
        parser.error = partial(_refuse, parser, subcommand)  # type: ignore[method-assign]
        return parser
