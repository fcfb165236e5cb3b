"""Addresses of the dashboard (filled in as they are built)."""

urlpatterns = []
