"""URL routes. Every page outside the admin names its access rule (see trygg.core.access)."""

from django.contrib import admin
from django.urls import path

from trygg.cameras import views as camera_views
from trygg.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("konto/logga-in/", core_views.login, name="login"),
    path("konto/logga-ut/", core_views.logout, name="logout"),
    path("sprak/", core_views.choose_language, name="set_language"),
    path("kameror/<int:pk>/tackning.geojson", camera_views.coverage_geojson, name="camera_coverage"),
    path("admin/", admin.site.urls),
]
