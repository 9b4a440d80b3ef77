from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "trygg.jobs"
    label = "jobs"
    verbose_name = _("Bakgrundsjobb")

    def ready(self) -> None:
        # The queue's own rows (django-tasks-db) are the worker's business, not a register page: users see
        # their `Job`, the operator the worker's log. Kept out of Trygg's admin, whose every page is ruled.
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
