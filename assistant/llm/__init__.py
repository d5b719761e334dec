"""The LLM gateway: every model call of shipmate goes through `LLMGateway` (docs/llm.md).

Importing this package does not import litellm; the first model call does.
"""

from assistant.llm.completion import Completion, ToolCall, Usage
from assistant.llm.config import GatewayConfig
from assistant.llm.errors import ERRORS, ErrorInfo, ErrorKind, LLMError
from assistant.llm.gateway import LLMGateway
from assistant.llm.streaming import CompletionStream
from assistant.llm.usage import BudgetExceeded, SessionUsage

__all__ = [
    "ERRORS",
    "BudgetExceeded",
    "Completion",
    "CompletionStream",
    "ErrorInfo",
    "ErrorKind",
    "GatewayConfig",
    "LLMError",
    "LLMGateway",
    "SessionUsage",
    "ToolCall",
    "Usage",
]
