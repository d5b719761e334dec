"""The one place litellm is imported: lazily, quietly and without touching the network.

`import litellm` takes seconds, fetches a model cost map from the internet unless told
not to, and prints "Give Feedback / Get Help" banners to stdout on errors. Every user
of litellm in shipmate goes through `load_litellm()`.
"""

from __future__ import annotations

import os
from types import ModuleType


def load_litellm() -> ModuleType:
    """litellm, imported on first use with the bundled cost map and its banners off."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm
