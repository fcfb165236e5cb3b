"""Reading a report PDF back as poppler does (pdftotext, pdfinfo), for the export tests.

Like tests/audits/test_audit_pdf.py, the tests fail (never skip) when poppler-utils is missing:
`make test` installs it.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

MISSING_POPPLER = (
    "{tool} is missing: these tests read the PDF back with Debian's poppler-utils. Install it "
    "with `scripts/install-debian-packages.sh /usr/bin/pdftotext poppler-utils` (`make test` "
    "does this for you)."
)


def _run(tool: str, pdf: bytes, *options: str) -> str:
    executable = shutil.which(tool)
    if executable is None:
        pytest.fail(MISSING_POPPLER.format(tool=tool))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(  # noqa: S603 - poppler's own tool on a file the test wrote
            [executable, *options, str(path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            check=True,
            timeout=60,
        )
        return result.stdout.decode("utf-8")


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page in the order it was written (a table row by row, each row's cells
    in turn), its white space run together so that wrapped lines still match."""
    text = _run("pdftotext", pdf, "-raw")
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def pdf_text(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))


def pdf_info(pdf: bytes) -> dict[str, str]:
    lines = _run("pdfinfo", pdf).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}
