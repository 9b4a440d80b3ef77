"""OGC API – Features routes under /ogc/ (paths as OGC 17-069r3 names them; OWSLib builds them itself)."""

from django.urls import path

from trygg.ogc import views

app_name = "ogc"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("api", views.api_document, name="api"),
    path("conformance", views.conformance, name="conformance"),
    path("collections", views.collections, name="collections"),
    path("collections/<str:collection_id>", views.collection, name="collection"),
    path("collections/<str:collection_id>/items", views.items, name="items"),
    path("collections/<str:collection_id>/items/<str:feature_id>", views.item, name="item"),
]
