"""Addresses of the quarterly report (filled in as they are built)."""

urlpatterns = []
