from django.urls import path

from . import findings_views as views

app_name = "findings"

urlpatterns = [
    path("learning/", views.index, name="index"),
    path("learning/audits/", views.audits, name="audits"),
    path("learning/you-said-we-did/", views.you_said, name="you-said"),
    path("learning/loop/theme/<int:pk>/", views.loop, name="loop"),
    path(
        "learning/loop/recommendation/<int:pk>/",
        views.loop_recommendation,
        name="loop-recommendation",
    ),
]
