"""URL routes of trygg.evaluation; every view names its access rule (trygg.core.access)."""

app_name = "evaluation"

urlpatterns: list = []
