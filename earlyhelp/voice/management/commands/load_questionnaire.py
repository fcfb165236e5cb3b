from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.voice.questionnaires import QuestionnaireRefused, load_definition


class Command(BaseCommand):
    help = (
        "Loads a questionnaire definition (YAML, docs/questionnaires.md) as a new version. "
        "A malformed file is refused with the place of each problem; nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the definition file")

    def handle(self, *args, path, **options):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            version, created = load_definition(text)
        except QuestionnaireRefused as refused:
            raise CommandError(str(refused)) from None
        if created:
            self.stdout.write(f"Loaded {version}.")
        else:
            self.stdout.write(f"{version} was already loaded; nothing changed.")
