"""Need pages under /behov/; each view names its access rule (trygg.incidents.access)."""

from django.urls import path

from trygg.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.index, name="index"),
    path("platser/<int:pk>/", views.site_profile, name="site_profile"),
    path("platser/<int:pk>/profil.json", views.site_profile_json, name="site_profile_json"),
    path("rangordning/", views.ranking, name="ranking"),
    path("rangordning.json", views.ranking_json, name="ranking_json"),
    path("handelser/", views.incident_list, name="incident_list"),
    path("handelser/ny/", views.incident_add, name="incident_add"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/<int:pk>/", views.import_run, name="import_run"),
    path("import/<int:pk>/kolumner/", views.import_mapping, name="import_mapping"),
    path("import/<int:pk>/platser/", views.import_sites, name="import_sites"),
    path("import/<int:pk>/status/", views.import_status, name="import_status"),
    path("import/<int:pk>/importera/", views.import_commit, name="import_commit"),
    path("import/<int:pk>/avvisade.csv", views.import_rejected, name="import_rejected"),
]
