from django.urls import path

from trygg.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("tackning/", views.start_coverage, name="start_coverage"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/avbryt/", views.job_cancel, name="cancel"),
    path("<int:pk>/fil/", views.job_file, name="file"),
]
