"""The result of `shipmate diagnose --cluster`: a diagnosis report with what was read from the cluster."""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.logs.report import DiagnosisReport


class ClusterInfo(BaseModel):
    """Which cluster was read, how much of it, and what could not be read."""

    context: str
    namespaces: list[str] | None = Field(description="Namespaces read; null for all namespaces.")
    label_selector: str | None = None
    objects: dict[str, int] = Field(default_factory=dict, description="Objects read, by kind (plural).")
    not_read: list[str] = Field(
        default_factory=list,
        description="Kinds or logs that could not be read, with the permission or reason.",
    )
    api_calls: int = Field(0, description="Requests made to the API server.")
    logs_read: int = Field(0, description="Container logs read (only those of broken containers).")


class ClusterReport(DiagnosisReport):
    """Findings about the cluster's objects, ranked root cause first, and what was read to find them."""

    tool: str = "shipmate diagnose --cluster"
    cluster: ClusterInfo
