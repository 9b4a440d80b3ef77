"""One PDF renderer for every app: HTML from a Django template, drawn by WeasyPrint."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any], base_url: str | None = None) -> bytes:
    """The PDF bytes of `template` rendered with `context`; `base_url` resolves relative links and images."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=base_url).write_pdf()
