"""Follow-up pages under /uppfoljning/; each view names its access rule (trygg.core.access)."""

from django.urls import path

from trygg.programme import assignments, views

app_name = "programme"

urlpatterns = [
    path("indikator/", views.indicator_page, name="indicator"),
    path("indikator.csv", views.indicator_csv, name="indicator_csv"),
    path("indikator-lang.csv", views.indicator_long_csv, name="indicator_long_csv"),
    path("uppdrag/", assignments.assignment_list, name="assignments"),
    path("uppdrag/ny/", assignments.assignment_create, name="assignment_create"),
    path("uppdrag/<int:pk>/andra/", assignments.assignment_edit, name="assignment_edit"),
    path("budget/", views.budget_page, name="budget"),
    path("budget.csv", views.budget_csv, name="budget_csv"),
    path("tidsfrister/", views.deadlines_page, name="deadlines"),
    path("tidsfrister/kalenderlank/", views.calendar_link, name="calendar_link"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
