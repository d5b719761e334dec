"""Which argv lists shipmate may run, decided by parsing, whatever asks.

Only read verbs and dry-runs of kubectl, terraform, helm and git pass (docs/safety.md has
the table and the reasons). A command is an argv list run without a shell; a string is
refused. Shell metacharacters inside an argument are harmless without a shell but are
refused anyway: they signal an attempt to smuggle a second command.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pydantic import BaseModel

SHELL_MARKERS = (";", "&", "|", "`", "$(", "${", ">", "<", "\n", "\r", "\0")
DATA_OUTPUTS_OK = {"", "wide", "name"}

_KUBECTL_VERBS = {"get", "describe", "logs", "top", "explain", "version", "api-resources", "api-versions"}
_KUBECTL_VERBS |= {"events", "diff", "apply", "kustomize"}
_KUBECTL_GLOBAL_VALUE = {"-n", "--namespace", "--context", "--request-timeout"}
_KUBECTL_VALUE = _KUBECTL_GLOBAL_VALUE | {
    *("-f", "--filename", "-k", "--kustomize", "-l", "--selector", "-o", "--output", "--field-selector"),
    *("-c", "--container", "--since", "--since-time", "--tail", "--sort-by", "--template", "-L"),
    *("--label-columns", "--field-manager", "--timeout", "--chunk-size", "--limit-bytes", "--types"),
    *("--max-log-requests", "--prune-allowlist", "--api-version", "--concurrency", "--for", "--subresource"),
}
_KUBECTL_GLOBAL_BOOL = {"--match-server-version", "--warnings-as-errors", "--disable-compression", "-h"}
_KUBECTL_GLOBAL_BOOL |= {"--help"}
_CREDENTIALS = "chooses other credentials or another API server"
_KUBECTL_DENIED = {
    "--kubeconfig": "a kubeconfig can run programs (exec credential plugins); the default one is used",
    **dict.fromkeys(("-s", "--server", "--token", "--username", "--password", "--user"), _CREDENTIALS),
    **dict.fromkeys(("--cluster", "--certificate-authority", "--client-certificate"), _CREDENTIALS),
    **dict.fromkeys(("--client-key", "--tls-server-name", "--insecure-skip-tls-verify"), _CREDENTIALS),
    **dict.fromkeys(("--as", "--as-group", "--as-uid"), "impersonation widens what the command may do"),
    **dict.fromkeys(("--cache-dir", "--profile", "--profile-output"), "writes files"),
    **dict.fromkeys(("-v", "--v", "--vmodule"), "verbose logging can print request headers"),
    "--raw": "a raw API request bypasses the resource checks",
}
_NEVER_ENDS = {
    "get": ("-w", "--watch", "--watch-only"),
    "events": ("-w", "--watch"),
    "logs": ("-f", "--follow"),
}

_HELM_VERBS = {"template", "lint", "version", "show"}
_HELM_SHORT = {"-f", "-n", "-s", "-a"}
_HELM_GLOBAL_VALUE = {"--kube-context", "-n", "--namespace", "--registry-config", "--repository-cache"}
_HELM_GLOBAL_VALUE |= {"--repository-config", "--burst-limit", "--qps", "--content-cache"}
_HELM_DENIED = {
    **dict.fromkeys(("--kubeconfig", "--kube-apiserver", "--kube-token", "--kube-as-user"), _CREDENTIALS),
    **dict.fromkeys(("--kube-as-group", "--kube-ca-file", "--kube-tls-server-name"), _CREDENTIALS),
    "--kube-insecure-skip-tls-verify": _CREDENTIALS,
    **dict.fromkeys(("--post-renderer", "--post-renderer-args"), "runs a program on the output"),
    **dict.fromkeys(("--output-dir", "--dependency-update"), "writes files"),
    "--set-file": "reads a local file into the output",
}

_GIT_VERBS = {"status", "diff", "log", "show"}
_GIT_DENIED = {
    "--output": "writes a file",
    "--ext-diff": "runs an external diff program",
    "--no-index": "compares files outside the repository",
}

_TERRAFORM_VERBS = {"fmt", "validate", "plan", "version"}
_TERRAFORM_GLOBAL = re.compile(r"^-(chdir=.+|help|h|version|v)$|^--(help|version)$")
_TERRAFORM_PLAN_DENIED = {
    "out": "a saved plan is the first half of an apply: plans stay on screen",
    "state-out": "writes state",
    "backup": "writes state",
    "generate-config-out": "writes files",
}
_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True}
_BOOLS |= {"0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}


class CommandVerdict(BaseModel):
    """Whether a command may run, and why (or why not)."""

    allowed: bool
    reason: str


def _no(reason: str) -> CommandVerdict:
    return CommandVerdict(allowed=False, reason=reason)


def _yes(reason: str) -> CommandVerdict:
    return CommandVerdict(allowed=True, reason=reason)


def check_command(argv: Sequence[str]) -> CommandVerdict:
    """Parse `argv` against the allowlist: read verbs and dry-runs only; everything else refused."""
    if isinstance(argv, str | bytes):
        return _no("a command is an argv list, never a shell string")
    args = list(argv)
    if not args:
        return _no("empty command")
    if not all(isinstance(arg, str) for arg in args):
        return _no("every argument must be a string")
    for arg in args:
        marker = next((m for m in SHELL_MARKERS if m in arg), None)
        if marker is not None:
            return _no(f"shell metacharacter {marker!r} in {arg!r}: commands never go through a shell")
    program = args[0]
    if "/" in program or "\\" in program:
        return _no(f"{program!r}: name the program (found on PATH), not a path to it")
    checker = _CHECKERS.get(program)
    if checker is None:
        return _no(f"{program!r} is not an allowed program (kubectl, terraform, helm, git)")
    return checker(args[1:])


def _option_values(args: Sequence[str], names: set[str]) -> list[str]:
    """Every value given to the options `names` (`-o x`, `-ox`, `-o=x`, `--output x`, `--output=x`)."""
    values = []
    for position, arg in enumerate(args):
        if arg in names:
            values.append(args[position + 1] if position + 1 < len(args) else "")
        elif arg.startswith("--") and arg.split("=", 1)[0] in names and "=" in arg:
            values.append(arg.split("=", 1)[1])
        elif not arg.startswith("--") and len(arg) > 2 and arg[:2] in names:
            values.append(arg[2:].removeprefix("="))
    return values


def _cobra_verb(
    args: Sequence[str],
    verbs: set[str],
    global_flags: tuple[set[str], set[str]],
    denied: dict[str, str],
    short: set[str],
) -> tuple[int, str | None]:
    """(index of the verb, refusal): cobra's reading of options before the subcommand. Denied
    options are refused anywhere; short options only alone or with their value attached (`-oyaml`)."""
    value_flags, bool_flags = global_flags
    for arg in args:
        name = arg.split("=", 1)[0]
        if name in denied or (not arg.startswith("--") and arg[:2] in denied and len(arg) > 2):
            return -1, f"{name}: {denied.get(name) or denied[arg[:2]]}"
    position = 0
    while position < len(args):
        arg = args[position]
        if arg == "--":
            return -1, "'--' before the command"
        if not arg.startswith("-") or arg == "-":
            break
        if "=" in arg or arg in bool_flags or (len(arg) > 2 and arg[:2] in value_flags):
            position += 1
        elif arg in value_flags:
            position += 2
        else:
            return -1, f"{arg}: not an option known before the command"
    if position >= len(args):
        return -1, "no command given"
    if args[position] not in verbs:
        return -1, f"{args[position]}: not a read verb or dry-run (it changes something or runs a program)"
    for arg in args:
        if arg.startswith("-") and not arg.startswith("--") and len(arg) > 2 and arg[:2] not in short:
            return -1, f"{arg}: give short options one by one"
    return position, None


def _positionals(args: Sequence[str], value_flags: set[str]) -> list[str]:
    found, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in value_flags:
            skip = True
        elif not arg.startswith("-") or arg == "-":
            found.append(arg)
    return found


def _kubectl(args: list[str]) -> CommandVerdict:
    verb_at, refusal = _cobra_verb(
        args, _KUBECTL_VERBS, (_KUBECTL_GLOBAL_VALUE, _KUBECTL_GLOBAL_BOOL), _KUBECTL_DENIED, _KUBECTL_VALUE
    )
    if refusal is not None:
        return _no(f"kubectl {refusal}")
    verb = args[verb_at]
    rest = args[:verb_at] + args[verb_at + 1 :]
    watching = [a for a in rest if a.split("=", 1)[0] in _NEVER_ENDS.get(verb, ())]
    if watching:
        return _no(f"kubectl {verb} {watching[0]}: never ends; commands run to completion")
    outputs = _option_values(rest, {"-o", "--output"})
    if any(o.endswith("-file") or "-file=" in o for o in outputs):
        return _no("kubectl -o ...-file: reads a template from a local file")
    if verb == "apply":
        return _kubectl_apply(rest)
    if verb == "get":
        return _kubectl_get(rest, outputs)
    if verb == "kustomize":
        return _kubectl_kustomize(rest)
    return _yes(f"kubectl {verb} only reads")


_KUSTOMIZE_DENIED = {
    **dict.fromkeys(
        ("--enable-alpha-plugins", "--enable-exec", "--enable-helm", "--helm-command"), "runs programs"
    ),
    **dict.fromkeys(("-o", "--output"), "writes files"),
    "--load-restrictor": "reads files outside the kustomization's folder",
    **dict.fromkeys(
        ("--mount", "--network", "--network-name", "-e", "--env"), "runs containerised functions"
    ),
}


def _kubectl_kustomize(rest: list[str]) -> CommandVerdict:
    for arg in rest:
        name = arg.split("=", 1)[0]
        if name in _KUSTOMIZE_DENIED:
            return _no(f"kubectl kustomize {name}: {_KUSTOMIZE_DENIED[name]}")
    if any("://" in a or a.startswith(("github.com/", "git@")) for a in rest if not a.startswith("-")):
        return _no("kubectl kustomize URL: only local folders (no network)")
    return _yes("kubectl kustomize only renders local files")


def _kubectl_apply(rest: list[str]) -> CommandVerdict:
    dry_runs = [a for a in rest if a.split("=", 1)[0] == "--dry-run"]
    if not dry_runs:
        return _no("kubectl apply without --dry-run=server (or =client) changes the cluster")
    if any(a not in ("--dry-run=server", "--dry-run=client") for a in dry_runs):
        return _no("kubectl apply: every --dry-run must be --dry-run=server or --dry-run=client")
    if _positionals(rest, _KUBECTL_VALUE):
        return _no("kubectl apply: only -f/-k files, no subcommands (edit-last-applied, ...)")
    if any(v.startswith(("http://", "https://")) for v in _option_values(rest, {"-f", "--filename"})):
        return _no("kubectl apply -f URL: only local files")
    return _yes("kubectl apply as a dry-run changes nothing")


def _kubectl_get(rest: list[str], outputs: list[str]) -> CommandVerdict:
    printing = [o for o in outputs if o not in DATA_OUTPUTS_OK] or [
        a for a in rest if a.split("=", 1)[0] == "--template"
    ]
    if not printing:
        return _yes("kubectl get only reads")
    words = {
        p.split("/")[0].split(".")[0].lower() for a in rest if not a.startswith("-") for p in a.split(",")
    }
    if words & {"secret", "secrets"}:
        return _no(f"kubectl get secrets with -o {printing[0]}: would print secret data (use describe)")
    if _option_values(rest, {"-f", "--filename", "-k", "--kustomize"}):
        return _no(f"kubectl get -f with -o {printing[0]}: cannot tell whether it names a Secret")
    return _yes("kubectl get only reads")


def _helm(args: list[str]) -> CommandVerdict:
    verb_at, refusal = _cobra_verb(
        args, _HELM_VERBS, (_HELM_GLOBAL_VALUE, {"--debug", "-h", "--help"}), _HELM_DENIED, _HELM_SHORT
    )
    if refusal is not None:
        return _no(f"helm {refusal}")
    return _yes(f"helm {args[verb_at]} only renders or reads")


def _git(args: list[str]) -> CommandVerdict:
    rest = args[1:] if args[:1] == ["--no-pager"] else args
    if not rest or rest[0] not in _GIT_VERBS:
        shown = rest[0] if rest else "(nothing)"
        return _no(f"git {shown}: only status, diff, log and show, with no options before them")
    for arg in rest:
        name = arg.split("=", 1)[0]
        # git takes unambiguous prefixes of some long options: --outp means --output
        denied = [d for d in _GIT_DENIED if d == name or (len(name) > 3 and d.startswith(name))]
        if denied:
            return _no(f"git {name}: {_GIT_DENIED[denied[0]]}")
    return _yes(f"git {rest[0]} only reads")


def _terraform(args: list[str]) -> CommandVerdict:
    position = 0
    while position < len(args) and _TERRAFORM_GLOBAL.match(args[position]):
        position += 1
    if position == len(args):
        if any("version" in a or a == "-v" for a in args):
            return _yes("terraform -version only prints")
        return _no("terraform: no command given")
    verb, rest = args[position], args[position + 1 :]
    if verb not in _TERRAFORM_VERBS:
        return _no(f"terraform {verb}: only fmt -check, validate, plan and version")
    names = [(a.lstrip("-").split("=", 1)[0], a.split("=", 1)[1] if "=" in a else None) for a in rest]
    names = [(name, value) for (name, value), arg in zip(names, rest, strict=True) if arg.startswith("-")]
    if verb == "plan":
        denied = next((name for name, _ in names if name in _TERRAFORM_PLAN_DENIED), None)
        if denied is not None:
            return _no(f"terraform plan -{denied}: {_TERRAFORM_PLAN_DENIED[denied]}")
        return _yes("terraform plan shows what would change and writes nothing")
    if verb == "fmt":
        return _terraform_fmt(names)
    return _yes(f"terraform {verb} only reads")


def _terraform_fmt(names: list[tuple[str, str | None]]) -> CommandVerdict:
    check, write = False, True
    for name, value in names:
        if name in ("check", "write"):
            flag = True if value is None else _BOOLS.get(value)
            if flag is None:
                return _no(f"terraform fmt -{name}={value}: not a boolean")
            if name == "write" and flag:
                return _no("terraform fmt -write=true rewrites files")
            check, write = (flag, write) if name == "check" else (check, flag)
    if check or not write:
        return _yes("terraform fmt -check reports and writes nothing")
    return _no("terraform fmt without -check rewrites files")


_CHECKERS: dict[str, Callable[[list[str]], CommandVerdict]] = {
    "kubectl": _kubectl,
    "terraform": _terraform,
    "helm": _helm,
    "git": _git,
}
