"""URL routes. Every page outside the admin names its access rule (see trygg.core.access)."""

from django.contrib import admin
from django.urls import include, path

from trygg.cameras import map_views
from trygg.compliance import urls as compliance_urls
from trygg.core import errors
from trygg.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("konto/logga-in/", core_views.login, name="login"),
    path("konto/logga-ut/", core_views.logout, name="logout"),
    path("konto/kommunens-konto/", core_views.oidc_login, name="oidc_login"),
    path("konto/kommunens-konto/tillbaka/", core_views.oidc_callback, name="oidc_callback"),
    path("konto/losenord/", core_views.password_change, name="password_change"),
    path("konto/losenord/andrat/", core_views.password_change_done, name="password_change_done"),
    path("konto/losenord/aterstall/", core_views.password_reset, name="password_reset"),
    path("konto/losenord/aterstall/skickat/", core_views.password_reset_done, name="password_reset_done"),
    path(
        "konto/losenord/aterstall/<uidb64>/<token>/",
        core_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("konto/losenord/aterstall/klart/", core_views.password_reset_complete, name="password_reset_complete"),
    path("sprak/", core_views.choose_language, name="set_language"),
    path("konto/", include("trygg.notifications.urls")),
    path("konto/api-nycklar/", include("trygg.api.account_urls")),
    path("platser/", include("trygg.sites.urls")),
    path("kameror/", include("trygg.cameras.urls")),
    path("projekteringar/", include("trygg.programme.board_urls")),
    path("karta/", map_views.map_page, name="map"),
    path("karta/data.geojson", map_views.map_data, name="map_data"),
    path("admin/", admin.site.urls),
    path("efterlevnad/", include("trygg.compliance.urls")),
    path("behov/", include("trygg.incidents.urls")),
    path("kamerabevakning/", include((compliance_urls.public_urlpatterns, "compliance_public"))),
    path("uppfoljning/", include("trygg.programme.urls")),
    path("rapporter/", include("trygg.reports.urls")),
    path("bilagor/", include("trygg.core.attachment_urls")),
    path("ogc/", include("trygg.ogc.urls")),
    path("utvardering/", include("trygg.evaluation.urls")),
    path("api/", include("trygg.api.urls")),
    path("oppna-data/", include("trygg.opendata.urls")),
    path("jobb/", include("trygg.jobs.urls")),
]

# Error pages in Trygg's layout, in Swedish (English available); used when DEBUG is off.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
