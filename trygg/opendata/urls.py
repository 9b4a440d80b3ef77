"""URL routes of trygg.opendata; every view names its access rule (trygg.core.access)."""

from django.urls import path

from trygg.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("kamerabevakning.geojson", views.register_geojson, name="register_geojson"),
    path("kamerabevakning.csv", views.register_csv, name="register_csv"),
    path("openstreetmap.geojson", views.osm_geojson, name="osm_geojson"),
    path("openstreetmap.osm", views.osm_xml, name="osm_xml"),
    path("indikator/kolada.json", views.indicator_kolada_json, name="indicator_kolada_json"),
    path("indikator/kolada.csv", views.indicator_kolada_csv, name="indicator_kolada_csv"),
    path("indikator/uppfoljning.csv", views.indicator_follow_up_csv, name="indicator_follow_up_csv"),
    path("dcat.jsonld", views.dcat_jsonld, name="dcat_jsonld"),
    path("dcat.rdf", views.dcat_rdf, name="dcat_rdf"),
]
