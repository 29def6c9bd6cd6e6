"""The Prefect server a command talks to: PREFECT_API_URL, or the one `saraban serve` started."""

from deployments.environment import configure_prefect, configured_api_url
from services.errors import BadInput


def use_configured_prefect() -> str:
    try:
        url = configured_api_url()
    except RuntimeError as missing:
        raise BadInput(str(missing)) from missing
    configure_prefect(url)
    return url
