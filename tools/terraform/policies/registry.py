"""Every Terraform policy, and running them over a module."""

from __future__ import annotations

from collections.abc import Iterator

from tools.terraform.model import Block, Module
from tools.terraform.policies import aws_iam, aws_network, aws_s3, aws_services, azure, azure_network, gcp
from tools.terraform.policies.base import CheckContext, Policy, Violation
from tools.terraform.values import Scope

POLICIES: tuple[Policy, ...] = (
    *aws_s3.POLICIES,
    *aws_network.POLICIES,
    *aws_services.POLICIES,
    *aws_iam.POLICIES,
    *gcp.POLICIES,
    *azure.POLICIES,
    *azure_network.POLICIES,
)
BY_ID = {policy.id: policy for policy in POLICIES}


def _key(block: Block) -> str:
    return f"data.{block.resource_type}" if block.type == "data" else block.resource_type


def applies(policy: Policy, block: Block) -> bool:
    """True when the policy judges blocks of this (resource or `data.`) type."""
    return block.type in ("resource", "data") and _key(block) in policy.resource_types


def run_policies(
    module: Module, policies: tuple[Policy, ...] = POLICIES
) -> Iterator[tuple[Policy, Block, Violation]]:
    """Each violation of each policy in the module, with the policy and block it concerns."""
    context = CheckContext(module, Scope.of(module))
    by_type: dict[str, list[Policy]] = {}
    for policy in policies:
        for resource_type in policy.resource_types:
            by_type.setdefault(resource_type, []).append(policy)
    for block in module.blocks:
        if block.type not in ("resource", "data"):
            continue
        for policy in by_type.get(_key(block), []):
            for violation in policy.check(block, context):
                yield policy, block, violation
