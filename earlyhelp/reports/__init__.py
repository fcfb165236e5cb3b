"""Quarterly report, dashboard, performance data, charts, and PDF/DOCX/XLSX exports."""
