"""Compliance pages under /efterlevnad/; each view names its access rule (trygg.core.access)."""

from django.urls import path

from trygg.compliance import record_views, views

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
    # Records an officer keeps: signs (15 § KBL), legacy IMY permits and the art. 30 record.
    path("skyltar/ny/", record_views.sign_create, name="sign_create"),
    path("skyltar/<int:pk>/", record_views.sign_detail, name="sign_detail"),
    path("skyltar/<int:pk>/andra/", record_views.sign_edit, name="sign_edit"),
    path("skyltar/<int:pk>/inspekterad/", record_views.sign_inspected, name="sign_inspected"),
    path("skyltar/<int:pk>/foto/", record_views.sign_photo, name="sign_photo"),
    path("skyltar/<int:pk>/foto/<int:attachment_pk>/", record_views.sign_photo, name="sign_photo_file"),
    path("skyltar/<int:pk>/skylt-<str:paper>.pdf", record_views.sign_print, name="sign_print"),
    path("tillstand/ny/", record_views.permit_create, name="permit_create"),
    path("tillstand/<int:pk>/andra/", record_views.permit_edit, name="permit_edit"),
    path("behandling/andra/", record_views.processing_record_edit, name="processing_record_edit"),
]

public_urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("platser/<int:pk>/", views.public_site, name="public_site"),
]
