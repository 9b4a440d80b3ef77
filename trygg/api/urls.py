"""URL routes of trygg.api; every view names its access rule (trygg.core.access)."""

app_name = "api"

urlpatterns: list = []
