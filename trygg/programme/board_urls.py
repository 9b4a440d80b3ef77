"""Project pages under /projekteringar/: the board, a project, create and edit (URL names are a contract)."""

from django.urls import path

from trygg.programme import board, projects

app_name = "projects"
urlpatterns = [
    path("", board.project_board, name="board"),
    path("ny/", projects.project_create, name="create"),
    path("<int:pk>/", projects.project_detail, name="detail"),
    path("<int:pk>/andra/", projects.project_edit, name="edit"),
]
