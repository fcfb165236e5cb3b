from pathlib import Path

from .library import load_library
from .models import FrameworkVersion

DEFAULT_LIBRARY = Path(__file__).parent / "libraries" / "cscp-early-help-qa-framework.yaml"


def load_default_library(using="default"):
    """Loads the shipped CSCP framework if no framework has been loaded yet."""
    if using != "default" or FrameworkVersion.objects.exists():
        return None
    return load_library(DEFAULT_LIBRARY.read_text(encoding="utf-8"))
