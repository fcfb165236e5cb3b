"""Questionnaires as data: closure form, service user feedback, staff survey; private links."""
