from django.urls import path

from trygg.sites import views

app_name = "sites"
urlpatterns = [
    path("", views.site_list, name="list"),
    path("ny/", views.site_edit, name="create"),
    path("<int:pk>/", views.site_detail, name="detail"),
    path("<int:pk>/andra/", views.site_edit, name="edit"),
    path("<int:pk>/karta.geojson", views.site_map_data, name="map_data"),
    path("<int:site_pk>/omraden/nytt/", views.zone_edit, name="zone_create"),
    path("<int:site_pk>/omraden/<int:pk>/andra/", views.zone_edit, name="zone_edit"),
    path("<int:site_pk>/atgarder/ny/", views.measure_add, name="measure_add"),
    path("<int:site_pk>/dialog/ny/", views.note_add, name="note_add"),
]
