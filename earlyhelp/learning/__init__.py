"""Findings and themes, actions, recommendations and responses."""
