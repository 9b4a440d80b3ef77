"""Compliance pages under /efterlevnad/; each view names its access rule (trygg.core.access)."""

from django.urls import path

from trygg.compliance import views

app_name = "compliance"

urlpatterns = [
    path("kameror/checklista.json", views.checklist_list_json, name="checklist_list_json"),
    path("kameror/<int:pk>/checklista/", views.checklist, name="checklist"),
    path("kameror/<int:pk>/checklista.json", views.checklist_json, name="checklist_json"),
    path("kameror/<int:pk>/skylt-<str:paper>.pdf", views.sign_pdf, name="sign_pdf"),
    path("konsekvensbedomningar/<int:pk>/", views.impact_assessment, name="impact_assessment"),
    path("forteckning/", views.register, name="register"),
    path("forteckning.csv", views.register_csv, name="register_csv"),
    path("forteckning.pdf", views.register_pdf, name="register_pdf"),
    path("forteckning/imy-begaran/", views.imy_request, name="imy_request"),
    path("behandling/", views.processing_record, name="processing_record"),
    path("behandling.csv", views.processing_csv, name="processing_csv"),
]

public_urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("platser/<int:pk>/", views.public_site, name="public_site"),
]
