"""A chat model that plays a script: tests decide what the "model" does, step by step.

Each turn is an AIMessage (an answer or tool calls). Every list of messages the agent
sends is kept, so a test can check exactly what the model was shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field


def calls(*steps: tuple[str, dict[str, Any]]) -> AIMessage:
    """A model turn that calls these tools (name, args) in parallel."""
    return AIMessage(
        content="",
        tool_calls=[
            {"name": name, "args": args, "id": f"call-{i}-{name}"} for i, (name, args) in enumerate(steps)
        ],
    )


def answer(text: str) -> AIMessage:
    """A model turn that answers."""
    return AIMessage(content=text)


class ScriptedChatModel(BaseChatModel):
    """Returns the scripted turns in order; then keeps answering 'done'."""

    script: list[AIMessage] = Field(default_factory=list)
    seen: list[list[BaseMessage]] = Field(default_factory=list)
    model: str = "scripted"

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:  # type: ignore[override]
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.seen.append(list(messages))
        turn = self.script.pop(0) if self.script else AIMessage(content="done")
        return ChatResult(generations=[ChatGeneration(message=turn)])
