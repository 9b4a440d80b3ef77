"""Texts kept untranslated until they are shown: the Swedish msgid and the values put into it.

Work done in the background (a job's steps and summary, the stored programme evaluation) runs in
Swedish but is read later, perhaps in English. Such code writes its texts with `deferred` in place of
`gettext`, under the name `_` so that makemessages finds the msgids:

    from trygg.core.texts import deferred as _
    progress(done, total, _("Ritar sida %(page)s av %(pages)s") % {"page": 3, "pages": 9})

The result is a `Text`: a str (the Swedish text, usable as it is) that remembers its msgid and, after
`%` with a dict, its values. `as_json` keeps the two for storing; `translated` composes them again in
the language of the reader, as `gettext(msgid) % params` would have given it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Translate = Callable[[str], str]


class Text(str):
    """A text that remembers its msgid and the values put into it (`%` with a dict)."""

    msgid: str
    params: dict[str, Any] | None

    def __new__(cls, value: str, msgid: str | None = None, params: dict[str, Any] | None = None) -> Text:
        text = super().__new__(cls, value)
        text.msgid = value if msgid is None else msgid
        text.params = params
        return text

    def __mod__(self, params: Any) -> Text:  # type: ignore[override]
        return Text(str.__mod__(self, params), self.msgid, dict(params) if isinstance(params, dict) else None)


def deferred(msgid: str) -> str:
    """A translation that translates later: the Swedish msgid itself, as a `Text`."""
    return Text(msgid)


def as_json(value: str) -> dict[str, Any]:
    """A text as stored: its msgid and values when it is a `Text`, else as it is (already composed)."""
    if isinstance(value, Text) and (value.params is not None or value.msgid == str(value)):
        return {"msgid": value.msgid, "params": {k: str(v) for k, v in (value.params or {}).items()}}
    return {"text": str(value)}


def translated(data: dict[str, Any], _: Translate) -> str:
    """A stored text (`as_json`) translated with `_`, as `_(msgid) % params` would have given it."""
    if "text" in data:
        return data["text"]
    return shown(data["msgid"], data["params"], _)


def shown(msgid: str, params: dict[str, Any] | None, _: Translate) -> str:
    """`msgid` translated with `_` and `params` put in; an empty msgid stays empty (gettext("") is the
    catalogue's header), and a text that is no msgid (composed before it was stored) comes back as it is."""
    if not msgid:
        return ""
    text = _(msgid)
    return text % params if params else text
