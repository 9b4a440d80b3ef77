"""Messages whose parts are translated and formatted when they are shown, not when they are made (plain Python).

A rule's message is a Swedish template with named placeholders (`%(zones)s`), and its parameters say
what goes into them. A parameter is kept as JSON-ready data, so a finding can be stored
(`StoredChecklist.finding`) and shown later in each reader's language and number notation:

- a `str` is shown as it is: a name, a date, an identifier;
- `text(msgid, **params)` is a Swedish text (marked with `_` where it is written) translated when shown,
  with parameters of its own;
- `number(value, decimals)` is a number in the reader's notation ("391,6" in Swedish, "391.6" in English);
- `joined(parts, separator)` is a list of parts, each shown by these rules, the separator too;
- `week(minutes)` is a set of minutes of the week, named in the reader's language ("mån–fre 07–17").

`render(template, params)` shows a message in Swedish with the Swedish decimal comma, as the engine's
own `Check.reason`; the Django layer passes `gettext` and its locale-aware number format instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from trygg.cameras.schedule import MINUTES_PER_WEEK
from trygg.compliance.engine.hours import describe_week_minutes, week_runs
from trygg.compliance.engine.i18n import _

Translate = Callable[[str], str]
FormatNumber = Callable[[float, int], str]


def _untranslated(message: str) -> str:
    return message


def swedish_number(value: float, decimals: int) -> str:
    """`value` with at most `decimals` decimals and the Swedish decimal comma: 263.0 → "263", 12.44 → "12,4"."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def text(msgid: str, **params: Any) -> dict[str, Any]:
    """A part translated when shown: `msgid` (a Swedish source string) with its own parameters, if any."""
    return {"text": msgid, "params": params} if params else {"text": msgid}


def number(value: float, decimals: int = 1) -> dict[str, Any]:
    """A number shown in the reader's notation with at most `decimals` decimals."""
    return {"number": round(float(value), decimals), "decimals": decimals}


def percent(share: float) -> dict[str, Any]:
    """A share 0–1 as a whole percentage in the reader's notation: 0.994 → "99 %", 0.002 → "under 1 %"."""
    whole = round(share * 100)
    if whole == 0 and share > 0:
        return text(_("under 1 %"))
    return text(_("%(percent)s %%"), percent=number(whole, 0))


def joined(parts: Iterable[Any], separator: Any = ", ") -> dict[str, Any]:
    """Several parts shown one after the other with `separator` (itself a part, " och " say) between them."""
    return {"join": list(parts), "separator": separator}


def week(minutes: frozenset[int]) -> dict[str, Any]:
    """Minutes of the week (0 = Monday 00:00), named when shown; kept as runs [start, length]."""
    return {"week": [[start, length] for start, length in week_runs(minutes)]}


def render_part(part: Any, translate: Translate = _untranslated, format_number: FormatNumber = swedish_number) -> str:
    """One parameter as text (see the module docstring); ValueError for anything else."""
    if isinstance(part, str):
        return part
    if isinstance(part, Mapping):
        if "text" in part:
            return render(part["text"], part.get("params") or {}, translate, format_number)
        if "number" in part:
            return format_number(part["number"], part["decimals"])
        if "join" in part:
            separator = render_part(part["separator"], translate, format_number)
            return separator.join(render_part(item, translate, format_number) for item in part["join"])
        if "week" in part:
            minutes = frozenset(
                (start + offset) % MINUTES_PER_WEEK for start, length in part["week"] for offset in range(length)
            )
            return describe_week_minutes(minutes, translate)
    raise ValueError(f"not a message part: {part!r}")


def render(
    template: str,
    params: Mapping[str, Any],
    translate: Translate = _untranslated,
    format_number: FormatNumber = swedish_number,
) -> str:
    """`template` translated with its parameters put in, each shown by `render_part`.

    Without parameters the template is shown as it is (so a text may contain a plain "%").
    """
    message = translate(template)
    if not params:
        return message
    return message % {key: render_part(value, translate, format_number) for key, value in params.items()}
