"""Where an organisation keeps its own announcement templates (documents/text/templates/README.md)."""

from pathlib import Path

from models import Organisation
from models.settings import get_settings

TEMPLATE_OVERRIDES_FOLDER = "templates"


def template_override_dir(org: Organisation) -> Path | None:
    """<SARABAN_HOME>/templates/<org code>/ when the organisation has its own templates there."""
    folder = get_settings().home / TEMPLATE_OVERRIDES_FOLDER / org.code
    return folder if folder.is_dir() else None
