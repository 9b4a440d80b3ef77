"""URL routes of trygg.evaluation; every view names its access rule (trygg.core.access)."""

from django.urls import path

from trygg.evaluation import review_urls, views

app_name = "evaluation"

urlpatterns: list = [
    path("", views.evaluation_list, name="list"),
    path("ny/", views.evaluation_edit, name="create"),
    path("programmet/", views.programme_evaluation, name="programme"),
    path("programmet/rakna-om/", views.programme_recompute, name="programme_recompute"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/andra/", views.evaluation_edit, name="edit"),
    *review_urls.urlpatterns,
]
