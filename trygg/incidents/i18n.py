"""A no-op translation marker for the pure modules, so they need no Django.

`_("text")` returns the text unchanged; `makemessages` extracts it (xgettext looks for `_`), and the
Django layer translates it when showing it: `gettext(message.template) % message.params`. Keep every
marked string a plain literal with named `%(placeholders)s`, never an f-string.
"""

from __future__ import annotations


def _(message: str) -> str:
    """Mark `message` for translation and return it untranslated (like Django's `gettext_noop`)."""
    return message
