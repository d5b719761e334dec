"""AWS S3 rules: public access blocks, encryption, public ACLs, TLS-only bucket policies.

S3 settings live in separate resources since provider v4 (`aws_s3_bucket_acl`,
`aws_s3_bucket_public_access_block`...), tied to the bucket by their `bucket` argument; the
rules here follow those links within the module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tools.findings import Severity
from tools.terraform.iam import documents
from tools.terraform.model import Block, Module
from tools.terraform.policies.base import CheckContext, Policy, Violation, registry_url
from tools.terraform.values import as_bool, as_str

_BUCKET_REF = re.compile(r"^\$\{aws_s3_bucket\.([A-Za-z0-9_-]+)\.(?:id|bucket|arn)\}$")
_PUBLIC_CANNED = {"public-read", "public-read-write", "authenticated-read"}
_EVERYONE_GROUPS = ("/groups/global/AllUsers", "/groups/global/AuthenticatedUsers")
_PAB_FLAGS = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")


def bucket_key(block: Block) -> str | None:
    """Which bucket a block is about: `aws_s3_bucket.<name>` for references, else the literal name."""
    if block.resource_type == "aws_s3_bucket":
        return f"aws_s3_bucket.{block.labels[1]}"
    value = block.attrs.get("bucket")
    if not isinstance(value, str):
        return None
    match = _BUCKET_REF.match(value.strip())
    return f"aws_s3_bucket.{match.group(1)}" if match else as_str(value)


def _related(module: Module, resource_type: str, key: str | None) -> Iterator[Block]:
    if key is None:
        return
    for block in module.of_type("resource", resource_type):
        if bucket_key(block) == key:
            yield block


def _everyone_grants(block: Block) -> Iterator[tuple[Block, str]]:
    for policy in block.children("access_control_policy"):
        for grant in policy.children("grant"):
            for grantee in grant.children("grantee"):
                uri = str(grantee.attrs.get("uri", ""))
                if uri.endswith(_EVERYONE_GROUPS):
                    yield grant, str(grant.attrs.get("permission", ""))
    for grant in block.children("grant"):  # inline on aws_s3_bucket (provider < 4)
        uri = str(grant.attrs.get("uri", ""))
        if uri.endswith(_EVERYONE_GROUPS):
            for permission in grant.attrs.get("permissions") or []:
                yield grant, str(permission)


def _public_acl(block: Block, context: CheckContext) -> tuple[str, int] | None:
    acl = as_str(context.scope.resolve(block.attrs.get("acl")))
    if acl in _PUBLIC_CANNED:
        return f'canned ACL "{acl}" makes the bucket readable by everyone', block.line_of("acl")
    for grant, permission in _everyone_grants(block):
        return f"ACL grants {permission} to everyone", grant.line
    return None


def _acl_blocked(module: Module, key: str | None, context: CheckContext) -> bool:
    for pab in _related(module, "aws_s3_bucket_public_access_block", key):
        flags = {f: as_bool(context.scope.resolve(pab.attrs.get(f))) for f in _PAB_FLAGS}
        if (flags["block_public_acls"] and flags["ignore_public_acls"]) or flags["restrict_public_buckets"]:
            return True
    return False


def check_public_acl(block: Block, context: CheckContext) -> list[Violation]:
    """A canned public ACL, or a grant to AllUsers/AuthenticatedUsers, not blocked for the bucket."""
    public = _public_acl(block, context)
    if public is None or _acl_blocked(context.module, bucket_key(block), context):
        return []
    return [Violation(public[0], "acl", public[1])]


def check_global_view_acl(block: Block, context: CheckContext) -> list[Violation]:
    """Grants that let everyone read (READ_ACP) or change (FULL_CONTROL) the bucket's ACL."""
    return [
        Violation(
            f"ACL grants {permission} to everyone: anyone can read the bucket's permissions", "grant", g.line
        )
        for g, permission in _everyone_grants(block)
        if permission in ("READ_ACP", "FULL_CONTROL")
    ]


def _enforces_tls(policy: Block, module: Module) -> bool:
    for document in documents(policy, module):
        allows = [s for s in document.statements if s.allows]
        denies_plain = any(
            not s.allows
            and any(c.key.lower() == "aws:securetransport" and "false" in c.values for c in s.conditions)
            for s in document.statements
        )
        allows_tls_only = bool(allows) and all(
            any(c.key.lower() == "aws:securetransport" and "true" in c.values for c in s.conditions)
            for s in allows
        )
        if denies_plain or allows_tls_only:
            return True
    return False


def check_tls_only(block: Block, context: CheckContext) -> list[Violation]:
    """A publicly readable bucket whose bucket policy does not refuse plain-HTTP requests."""
    public = _public_acl(block, context)
    key = bucket_key(block)
    if public is None or _acl_blocked(context.module, key, context):
        return []
    if any(True for _ in _related(context.module, "aws_s3_bucket_website_configuration", key)):
        return []  # S3 website endpoints serve HTTP only; TLS belongs to the CDN in front
    inline = block.resource_type == "aws_s3_bucket"
    if inline and (block.children("website") or _enforces_tls(block, context.module)):
        return []
    policies = list(_related(context.module, "aws_s3_bucket_policy", key))
    if any(_enforces_tls(p, context.module) for p in policies):
        return []
    return [
        Violation(f"{public[0]} but no bucket policy denies aws:SecureTransport = false", "acl", public[1])
    ]


def check_encryption(block: Block, context: CheckContext) -> list[Violation]:
    """A bucket without server-side encryption configured inline or as a separate resource."""
    if block.children("server_side_encryption_configuration"):
        return []
    key = bucket_key(block)
    if any(True for _ in _related(context.module, "aws_s3_bucket_server_side_encryption_configuration", key)):
        return []
    return [Violation("no server-side encryption configuration for this bucket", None, block.line)]


def check_public_access_block(block: Block, context: CheckContext) -> list[Violation]:
    """Any of the four public-access-block flags left false (their default)."""
    found: list[Violation] = []
    for flag in _PAB_FLAGS:
        value = context.scope.resolve(block.attrs.get(flag))
        if as_bool(value) is not True and not (isinstance(value, str) and "${" in value):
            found.append(Violation(f"{flag} is not true", flag, block.line_of(flag)))
    return found


def _url(resource_type: str) -> str:
    return registry_url("aws", resource_type)


POLICIES = [
    Policy(
        id="TF_AWS_S3_PUBLIC_ACCESS_BLOCK",
        severity=Severity.MEDIUM,
        title="S3 public access block leaves public access possible",
        rationale="The public access block is the guard rail against a later ACL or bucket policy that "
        "exposes data; each of its four flags defaults to false.",
        fix='resource "aws_s3_bucket_public_access_block" "logs" {\n  bucket                  = '
        "aws_s3_bucket.logs.id\n  block_public_acls       = true\n  block_public_policy     = true\n"
        "  ignore_public_acls      = true\n  restrict_public_buckets = true\n}",
        docs_url=_url("aws_s3_bucket_public_access_block"),
        resource_types=("aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"),
        check=check_public_access_block,
    ),
    Policy(
        id="TF_AWS_S3_ENCRYPTION",
        severity=Severity.LOW,
        title="S3 bucket has no explicit server-side encryption configuration",
        rationale="S3 applies SSE-S3 by default since 2023, but only an explicit configuration (ideally "
        "SSE-KMS with your key) makes the choice visible, auditable and key-controlled.",
        fix='resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {\n'
        "  bucket = aws_s3_bucket.logs.id\n  rule {\n    apply_server_side_encryption_by_default {\n"
        '      sse_algorithm     = "aws:kms"\n      kms_master_key_id = aws_kms_key.s3.arn\n    }\n  }\n}',
        docs_url=_url("aws_s3_bucket_server_side_encryption_configuration"),
        resource_types=("aws_s3_bucket",),
        check=check_encryption,
    ),
    Policy(
        id="TF_AWS_S3_PUBLIC_ACL",
        severity=Severity.HIGH,
        title="S3 bucket ACL makes it public",
        rationale="A public-read/public-read-write/authenticated-read ACL, or a grant to the AllUsers or "
        "AuthenticatedUsers groups, exposes objects to anyone with an AWS account or none.",
        fix='resource "aws_s3_bucket_acl" "logs" {\n  bucket = aws_s3_bucket.logs.id\n'
        '  acl    = "private"\n}',
        docs_url=_url("aws_s3_bucket_acl"),
        resource_types=("aws_s3_bucket", "aws_s3_bucket_acl"),
        check=check_public_acl,
    ),
    Policy(
        id="TF_AWS_S3_ACL_GLOBAL_VIEW",
        severity=Severity.HIGH,
        title="S3 ACL lets everyone read or control the bucket's permissions",
        rationale="READ_ACP or FULL_CONTROL for AllUsers/AuthenticatedUsers lets anyone list who has access "
        "(reconnaissance) or, with FULL_CONTROL, take the bucket over.",
        fix='grant {\n  grantee {\n    type = "CanonicalUser"\n'
        "    id   = data.aws_canonical_user_id.current.id\n"
        '  }\n  permission = "READ"\n}',
        docs_url=_url("aws_s3_bucket_acl"),
        resource_types=("aws_s3_bucket", "aws_s3_bucket_acl"),
        check=check_global_view_acl,
    ),
    Policy(
        id="TF_AWS_S3_TLS_ONLY",
        severity=Severity.MEDIUM,
        title="Public S3 bucket does not enforce TLS in its bucket policy",
        rationale="A bucket readable by the public should refuse plain-HTTP requests so data cannot be read "
        "or altered in transit; only a bucket policy denying aws:SecureTransport = false does that.",
        fix='statement {\n  effect    = "Deny"\n  actions   = ["s3:*"]\n'
        '  resources = [aws_s3_bucket.logs.arn, "${aws_s3_bucket.logs.arn}/*"]\n'
        '  principals {\n    type        = "*"\n    identifiers = ["*"]\n  }\n'
        '  condition {\n    test     = "Bool"\n    variable = "aws:SecureTransport"\n'
        '    values   = ["false"]\n  }\n}',
        docs_url=_url("aws_s3_bucket_policy"),
        resource_types=("aws_s3_bucket", "aws_s3_bucket_acl"),
        check=check_tls_only,
    ),
]
