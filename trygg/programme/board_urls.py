from django.urls import path

from trygg.programme import board

app_name = "projects"
urlpatterns = [path("", board.project_board, name="board")]
