"""CRM sandbox: HTTP emulators of the CRM APIs the pipelines read, with fault injection.

Written from the API reference (shared/crm-apis/API_SHAPES.md) only — never import the project's own
clients here, or a client that misreads the API would be tested against its own misreading.
"""

from .hubspot import HubSpotConfig, HubSpotEmulator
from .runner import Sandbox

__all__ = ["HubSpotConfig", "HubSpotEmulator", "Sandbox"]
