"""The user's reminder settings under /konto/; the view names its access rule (trygg.core.access)."""

from django.urls import path

from trygg.notifications import views

app_name = "notifications"

urlpatterns = [
    path("paminnelser/", views.preferences, name="preferences"),
]
