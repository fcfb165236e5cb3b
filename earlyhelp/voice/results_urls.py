from django.urls import path

from . import results_views as views

app_name = "voice_results"

urlpatterns = [
    path("voice/", views.index, name="index"),
    path("voice/results.csv", views.results_csv, name="csv"),
    path("voice/results.xlsx", views.results_xlsx, name="xlsx"),
    path("voice/answers/", views.answers, name="answers"),
    path(
        "voice/answers/<str:kind>/<int:pk>/<str:question_id>/",
        views.moderate,
        name="moderate",
    ),
]
