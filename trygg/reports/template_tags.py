"""Finding the broken tag in a Word template's Jinja text, so the officer can be told which one.

Pure: takes the template's text (the XML of one part, as docxtpl hands it to Jinja) and returns the
first problem as a `TagProblem`, or None when Jinja can read the whole text. No Django here; the
Swedish sentence is made by `trygg.reports.services`.

Jinja's own error ("Unexpected end of template…") names no tag and no place a user can find in
Word, so the block tags are matched here: every `{% if %}`, `{% for %}`, … needs its `{% end… %}`,
`{% else %}`/`{% elif %}` only inside one, and each expression tag must parse on its own.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

from jinja2 import Environment, TemplateSyntaxError

# Block tags that need an end tag ({% set x %}…{% endset %} only without "=").
OPENERS = {"if", "for", "macro", "call", "filter", "block", "with", "autoescape", "raw", "set", "trans"}
MIDDLES = {"elif": {"if"}, "else": {"if", "for"}}
SINGLES = {"set", "include", "import", "from", "extends", "print", "do", "break", "continue", "pluralize"}
TAG = re.compile(r"\{%-?(?P<block>.*?)-?%\}|\{\{-?(?P<expression>.*?)-?\}\}", re.DOTALL)
XML_TAG = re.compile(r"<[^>]*>")

Kind = Literal["unclosed", "unopened", "mismatched", "misplaced", "unreadable"]


@dataclass(frozen=True)
class TagProblem:
    """The first broken tag: `tag` as the user wrote it (Word's markup removed), `kind` of fault.

    `expected` is the end tag that is missing (unclosed) or was expected instead (mismatched);
    `detail` is Jinja's own message when the tag is unreadable for another reason.
    """

    kind: Kind
    tag: str
    expected: str = ""
    detail: str = ""


def shown(raw: str) -> str:
    """A tag's text as the user typed it: Word's XML removed, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(XML_TAG.sub("", raw))).strip()


def _name(block: str) -> str:
    words = shown(block).split()
    return words[0] if words else ""


def find_problem(text: str, environment: Environment | None = None) -> TagProblem | None:
    """The first broken tag in `text` (one template part), or None if Jinja reads it.

    Raises nothing: an unreadable text always gives a `TagProblem`.
    """
    environment = environment or Environment(autoescape=True)
    stack: list[tuple[str, str]] = []  # (opener's name, the opening tag as shown)
    for match in TAG.finditer(text):
        whole = shown(match.group(0))
        if match.group("expression") is not None:
            try:
                environment.parse(whole)
            except TemplateSyntaxError as error:
                return TagProblem("unreadable", whole, detail=error.message or "")
            continue
        name = _name(match.group("block"))
        if name in OPENERS and not (name == "set" and "=" in whole):
            stack.append((name, whole))
        elif name in MIDDLES:
            if not stack or stack[-1][0] not in MIDDLES[name]:
                return TagProblem("misplaced", whole)
        elif name.startswith("end"):
            if not stack:
                return TagProblem("unopened", whole)
            opener, opening = stack.pop()
            if name != "end" + opener:
                return TagProblem("mismatched", opening, expected="{% end" + opener + " %}")
        elif name not in SINGLES:
            return TagProblem("unreadable", whole, detail=_parse_error(whole, environment))
    if stack:
        opener, opening = stack[-1]
        return TagProblem("unclosed", opening, expected="{% end" + opener + " %}")
    try:
        environment.parse(text)
    except TemplateSyntaxError as error:
        return TagProblem("unreadable", _line_tag(text, error.lineno), detail=error.message or "")
    return None


def _parse_error(tag: str, environment: Environment) -> str:
    try:
        environment.parse(tag)
    except TemplateSyntaxError as error:
        return error.message or ""
    return ""


def _line_tag(text: str, lineno: int | None) -> str:
    """The first tag on Jinja's error line (docxtpl puts each Word paragraph on a line of its own)."""
    lines = text.splitlines()
    if lineno is None or not 1 <= lineno <= len(lines):
        return ""
    found = TAG.search(lines[lineno - 1])
    return shown(found.group(0)) if found else ""
