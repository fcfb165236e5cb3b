"""The report's downloads: a tagged PDF, a Word board paper and an Excel workbook.

Each module renders any `earlyhelp.reports.document.Document`, so the three files say what the web
page says: `pdf.pdf_bytes`, `docx.docx_bytes` and `xlsx.xlsx_bytes`.
"""
