from django.urls import path

from . import pdf_views, views

app_name = "audits"

urlpatterns = [
    path("audits/new/", views.new, name="new"),
    path("audits/<int:pk>/", views.overview, name="overview"),
    path("audits/<int:pk>/submit/", views.submit, name="submit"),
    path("audits/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("audits/<int:pk>/audit.pdf", pdf_views.audit_pdf, name="pdf"),
    path("audits/<int:pk>/<str:slug>/", views.section_page, name="section"),
]
