"""Text from outside (logs, files, PRs, documents) as the model sees it: redacted and fenced as data.

The fence names where the text came from; a closing tag inside the text is broken up
so the data cannot end its own fence and speak as the user.
"""

from __future__ import annotations

import re

from tools.redaction.secrets import Redactor

OPEN = "<untrusted-data"
CLOSE = "</untrusted-data>"
_TAG = re.compile(r"<\s*/?\s*untrusted-data", re.IGNORECASE)


def fence(text: str, source: str, kind: str, redactor: Redactor) -> str:
    """`text` with secrets masked, inside a labelled `untrusted-data` fence."""
    safe = _TAG.sub(lambda m: m.group(0).replace("<", "&lt;"), redactor.redact(text))
    label = re.sub(r"[\"<>\n]", "_", source)[:200]
    return f'{OPEN} source="{label}" kind="{kind}">\n{safe}\n{CLOSE}'
