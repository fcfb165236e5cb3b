"""Text that came from outside must not run as a formula when a CSV or workbook is opened."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefixes text that a spreadsheet would read as a formula with an apostrophe.

    Numbers are left alone: -3 is a number, not a formula, and stays one.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
