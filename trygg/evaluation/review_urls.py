"""URL routes of the yearly review, merged into trygg.evaluation.urls (names start with `review_`)."""

from django.urls import path

from trygg.evaluation import review_views

urlpatterns = [
    path("omprovning/", review_views.due_list, name="review_due"),
    path("omprovning/kamera/<int:pk>/", review_views.camera_history, name="review_history"),
    path("omprovning/kamera/<int:pk>/ny/", review_views.review_create, name="review_create"),
    path("omprovning/<int:pk>/", review_views.review_detail, name="review_detail"),
    path("omprovning/<int:pk>/noterat/", review_views.review_note, name="review_note"),
]
