"""System check: a municipality's own Word template (TRYGG_REPORT_TEMPLATE) is refused when configured.

`trygg check`, `runserver` and `migrate` stop with the file's name and the broken tag in Swedish, so
a broken template is found when it is put in place, not when the board report is due.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def report_template_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from trygg.reports.services import ReportTemplateError, check_template

    configured = getattr(settings, "TRYGG_REPORT_TEMPLATE", "")
    if not configured:
        return []
    try:
        check_template(Path(configured))
    except ReportTemplateError as error:
        return [Error(str(error), hint="TRYGG_REPORT_TEMPLATE", id="reports.E001")]
    return []
