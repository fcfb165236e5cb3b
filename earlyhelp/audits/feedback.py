"""Feedback to practitioners after an audit (being written)."""
