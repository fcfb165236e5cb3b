from django.urls import path

from . import import_views

app_name = "imports"

urlpatterns = [
    path("imports/", import_views.history, name="history"),
    path("imports/upload/", import_views.upload, name="upload"),
    path("imports/<int:pk>/", import_views.detail, name="detail"),
    path("imports/<int:pk>/progress.json", import_views.progress, name="progress"),
    path("imports/<int:pk>/confirm/", import_views.confirm, name="confirm"),
    path("imports/<int:pk>/cancel/", import_views.cancel, name="cancel"),
    path("imports/<int:pk>/errors.csv", import_views.errors_csv, name="errors"),
]
