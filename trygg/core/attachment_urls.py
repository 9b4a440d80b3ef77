"""/bilagor/: attachments of sites, cameras, projects, assessments and signs (see trygg.core.attachments)."""

from django.urls import path

from trygg.core import attachment_views as views

app_name = "attachments"
urlpatterns = [
    path("<slug:owner>/<int:pk>/ny/", views.upload, name="upload"),
    path("<int:pk>/", views.download, name="download"),
    path("<int:pk>/ta-bort/", views.delete, name="delete"),
]
