"""URL routes of trygg.evaluation; every view names its access rule (trygg.core.access)."""

from trygg.evaluation import review_urls

app_name = "evaluation"

urlpatterns: list = [*review_urls.urlpatterns]
