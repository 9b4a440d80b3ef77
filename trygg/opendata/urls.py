"""URL routes of trygg.opendata; every view names its access rule (trygg.core.access)."""

app_name = "opendata"

urlpatterns: list = []
