"""Addresses of the performance data (filled in as they are built)."""

urlpatterns = []
