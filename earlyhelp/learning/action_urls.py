from django.urls import path

from . import action_views as views

app_name = "actions"

urlpatterns = [
    path("actions/", views.action_list, name="list"),
    path("actions/new/", views.new_action, name="new"),
    path("actions/<int:pk>/", views.action_detail, name="detail"),
    path("actions/<int:pk>/start/", views.start_action, name="start"),
    path("actions/<int:pk>/evidence/", views.record_evidence, name="evidence"),
    path("actions/<int:pk>/sign-off/", views.sign_off, name="sign-off"),
    path("actions/<int:pk>/send-back/", views.send_back, name="send-back"),
    path("actions/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("actions/<int:pk>/due-date/", views.change_due_date, name="due-date"),
    path(
        "actions/<int:pk>/framework-version/",
        views.record_framework_version,
        name="framework-version",
    ),
]
