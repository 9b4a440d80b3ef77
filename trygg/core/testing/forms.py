"""What a browser posts back for a form on a page, read from the page's HTML.

Django's bound forms say what the server meant to show; a browser posts what the HTML shows: the first
option of a select without a selected one, "on" for a checked box without a value, nothing for an
unchecked one. Tests of "open the page, press Save" use this to post what a person's browser would.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None, action: str | None, css_class: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id, self.action, self.css_class = form_id, action, css_class
        self.inside = False
        self.done = False
        self.skip = 0  # how many matching forms to pass over before reading one
        self.data: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text = ""
        self._textarea: str | None = None
        self._textarea_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and not self.done and not self.inside:
            wanted = (
                a.get("method", "").lower() == "post"
                and (self.form_id is None or a.get("id") == self.form_id)
                and (self.action is None or a.get("action", "") == self.action)
                and (self.css_class is None or self.css_class in a.get("class", "").split())
            )
            if wanted and self.skip:
                self.skip -= 1
            elif wanted:
                self.inside = True
            return
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.data.append((name, a.get("value", "on")))
                return
            self.data.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_selected = "selected" in a
            self._option_text = ""
        elif tag == "textarea" and name:
            self._textarea, self._textarea_text = name, ""

    def handle_data(self, data: str) -> None:
        if self._option_value is None and self._select is not None:
            self._option_text += data
        if self._textarea is not None:
            self._textarea_text += data

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        if tag == "option" and self._select is not None:
            value = self._option_value if self._option_value is not None else self._option_text.strip()
            self._options.append((value, self._option_selected))
            self._option_value = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [v for v, _s in self._options[:1]]
            for value in chosen:
                self.data.append((self._select, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            self.data.append((self._textarea, self._textarea_text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self.inside, self.done = False, True


def browser_post_data(
    html: str, form_id: str | None = None, action: str | None = None, css_class: str | None = None
) -> dict[str, list[str]]:
    """The fields a browser would post for the first POST form of `html` with this id, action or class.

    With no id, action or class: the POST form with the most fields (the page's main form, not the
    menu's log-out or language form). Returns {name: [values]} for `Client.post`.
    """
    if form_id is None and action is None and css_class is None:
        forms = []
        while True:
            reader = _FormReader(None, None, None)
            reader.skip = len(forms)
            reader.feed(html)
            if not reader.done:
                break
            forms.append(reader.data)
        fields = max(forms, key=len, default=[])
    else:
        reader = _FormReader(form_id, action, css_class)
        reader.feed(html)
        fields = reader.data
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data
