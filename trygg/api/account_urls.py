"""The API keys page under the account menu (/konto/api-nycklar/); each view names its access rule."""

from django.urls import path

from trygg.api import account_views

app_name = "api_keys"

urlpatterns = [
    path("", account_views.token_list, name="list"),
    path("<int:pk>/namn/", account_views.token_rename, name="rename"),
    path("<int:pk>/aterkalla/", account_views.token_revoke, name="revoke"),
]
