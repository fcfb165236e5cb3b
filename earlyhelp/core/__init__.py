"""Small shared pieces with no dependency on other apps: the GOV.UK form layer, the base layout,
task glue.
"""
