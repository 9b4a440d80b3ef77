from django.urls import path

from trygg.cameras import views

app_name = "cameras"
urlpatterns = [
    path("", views.camera_list, name="list"),
    path("kameror.csv", views.camera_csv, name="csv"),
    path("ny/", views.camera_edit, name="create"),
    path("import/", views.camera_import, name="import"),
    path("forhandsvisning/", views.camera_preview, name="preview"),
    path("<int:pk>/", views.camera_detail, name="detail"),
    path("<int:pk>/andra/", views.camera_edit, name="edit"),
    path("<int:pk>/status/", views.camera_move, name="move"),
    path("<int:pk>/tackning.geojson", views.coverage_geojson, name="coverage"),
    path("<int:pk>/maskering/", views.privacy_mask, name="privacy_mask"),
    path("<int:pk>/maskering/bild/<int:attachment_pk>/", views.privacy_mask_image, name="privacy_mask_image"),
]
