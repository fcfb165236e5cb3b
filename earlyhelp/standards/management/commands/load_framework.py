import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from earlyhelp.standards.library import LibraryRefused, load_library

EXIT_REFUSED = 2


class Command(BaseCommand):
    help = (
        "Load a framework library file (YAML): one version of a framework, its standards, "
        "bottom lines and scales. A loaded version never changes; exits 2 if the file is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.stderr.write(f"Refused: the file could not be read ({error}).")
            sys.exit(EXIT_REFUSED)
        try:
            result = load_library(text)
        except LibraryRefused as refusal:
            self.stderr.write(f"Refused: {refusal}\nNothing was loaded.")
            sys.exit(EXIT_REFUSED)
        version = result.version
        if result.created:
            standards = sum(section.standards.count() for section in version.sections.all())
            self.stdout.write(
                f"Loaded {version}: {version.sections.count()} sections, {standards} standards, "
                f"{version.bottom_lines.count()} bottom lines, in force from "
                f"{version.effective_date:%d %B %Y}."
            )
        else:
            self.stdout.write(f"{version} is already loaded, unchanged.")
