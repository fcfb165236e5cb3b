"""Keeping private links out of the logs.

A family's feedback link (/feedback/<token>/) and a staff survey round's link
(/staff-survey/r/<code>/) are secrets: whoever has one can answer. Django logs the address of
some requests (a refused CSRF check, a server error), so every log record passes through this
filter, which replaces the secret part of such an address before it is written.
"""

import logging
import re

_PRIVATE = re.compile(
    r"(/feedback/)(?!thank-you/|too-many-attempts/)[^/\s\"'?]+"
    r"|(/staff-survey/r/)[^/\s\"'?]+"
)


def redact(text: str) -> str:
    return _PRIVATE.sub(lambda m: (m.group(1) or m.group(2)) + "[private link]", text)


class RedactPrivateLinks(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


# The report's charts are inline SVG whose elements carry matplotlib's style attributes (fill,
# stroke, text-anchor, ...). WeasyPrint's HTML stylesheet reader does not know these properties
# and logs one warning for each, several hundred a PDF, although its SVG renderer draws them
# correctly. Only those warnings are dropped; any other WeasyPrint warning is kept.
_SVG_PROPERTY = re.compile(
    r"^Ignored `(fill|stroke|text-anchor|clip-path|font-family|opacity)[\w-]*:.*unknown property"
)


class SvgPropertyNoise(logging.Filter):
    def filter(self, record):
        return not _SVG_PROPERTY.match(record.getMessage())
