"""A no-op translation marker for the rules engine, so the engine needs no Django.

`_("text")` returns the text unchanged; it exists so that `makemessages` (xgettext looks for `_`)
extracts the Swedish source strings of rules, and the Django layer translates them when it shows a
finding: `messages.render(finding.message_template, finding.params, gettext, ...)`, which translates
the parameters' own texts too. Keep every marked string a plain literal with named
`%(placeholders)s`, never an f-string, so translators see whole sentences.
"""

from __future__ import annotations


def _(message: str) -> str:
    """Mark `message` for translation and return it untranslated (like Django's `gettext_noop`)."""
    return message
