from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("audits/<int:pk>/themes/", views.audit_themes, name="audit-themes"),
    path("learning/themes/", views.themes, name="themes"),
]
