"""The staff survey: the QA lead's pages, and the public page its shared link opens."""

from django.urls import path

from . import staff_survey_views as views

app_name = "staff_survey"

urlpatterns = [
    path("staff-survey/", views.rounds, name="rounds"),
    path("staff-survey/new/", views.new, name="new"),
    path("staff-survey/<int:pk>/", views.round_detail, name="round"),
    path("staff-survey/<int:pk>/close/", views.close, name="close"),
    path("staff-survey/<int:pk>/staff-asked/", views.staff_asked, name="staff-asked"),
    path("staff-survey/r/<str:code>/", views.answer, name="answer"),
    path("staff-survey/r/<str:code>/thank-you/", views.thanks, name="thanks"),
]
