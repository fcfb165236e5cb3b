"""The framework library: versions, sections, quality standards, bottom lines, the judgement and
impact scales.
"""
