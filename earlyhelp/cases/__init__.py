"""Families, Early Help Assessments (EHAs), review meetings and closure; the EHM data report
import; case list and case page.
"""
