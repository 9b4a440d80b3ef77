"""Board report pages under /rapporter/; each view names its access rule (trygg.core.access)."""

from django.urls import path

from trygg.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("ny/", views.report_create, name="create"),
    path("<int:pk>/", views.report_edit, name="edit"),
    path("<int:pk>/utkast/", views.report_redraft, name="redraft"),
    path("<int:pk>/las/", views.report_freeze, name="freeze"),
    path("<int:pk>/ny-version/", views.report_reopen, name="reopen"),
    path("<int:pk>/utkast.docx", views.draft_docx, name="draft_docx"),
    path("<int:pk>/utkast.pdf", views.draft_pdf, name="draft_pdf"),
    path("<int:pk>/fil-jobb/", views.report_file_job, name="draft_file_job"),
    path("versioner/<int:pk>/", views.version_detail, name="version"),
    path("versioner/<int:pk>/tjansteutlatande.docx", views.version_docx, name="version_docx"),
    path("versioner/<int:pk>/tjansteutlatande.pdf", views.version_pdf, name="version_pdf"),
    path("versioner/<int:pk>/fil-jobb/", views.version_file_job, name="version_file_job"),
    path("versioner/<int:pk>/bilaga-sekretess.pdf", views.version_annex, name="version_annex"),
]
