"""Dip samples, drift triggers, the audit lifecycle and form, judgements, escalation, practitioner
feedback, moderation.
"""
