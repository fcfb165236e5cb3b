from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [
    path("standards/", views.standards, name="index"),
    path("standards/<int:pk>/", views.version, name="version"),
]
