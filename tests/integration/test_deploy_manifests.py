"""shipmate's own deployment: the Dockerfile's properties (parsed: no docker daemon here) and the
Kubernetes manifests, which `shipmate validate` must pass with no invalid object and no finding."""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO
from tests.integration.test_cli import run

DEPLOY = REPO / "deploy"
KUBE = DEPLOY / "kubernetes"
CRD = KUBE / "crds" / "servicemonitor.yaml"
SECRET_WORDS = re.compile(r"TOKEN|SECRET|PASSW|CREDENTIAL|API_?KEY|PRIVATE", re.IGNORECASE)
# `shipmate serve`'s flags, as the contract between the server and this deployment names them.
SERVE_FLAGS = {
    "--host",
    "--port",
    "--concurrency",
    "--queue-size",
    "--max-body-bytes",
    "--allow-repo",
    "--secret-file",
    "--github-token-file",
    "--work-dir",
    "--drain-seconds",
}


# --- Dockerfile ---------------------------------------------------------------------------------


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs: comments dropped, backslash continuations joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = pending + line
        pending = ""
        keyword, _, rest = full.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def stages(instructions: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The instructions of each build stage, each starting with its FROM."""
    found: list[list[tuple[str, str]]] = []
    for instruction in instructions:
        if instruction[0] == "FROM":
            found.append([])
        if found:
            found[-1].append(instruction)
    return found


def env_names(arguments: str) -> list[str]:
    """Variable names set by an ENV or ARG line (`A=1 B=2`, or the legacy `A value`)."""
    if "=" not in arguments.split(" ", 1)[0]:
        return [arguments.split(" ", 1)[0]]
    return [part.split("=", 1)[0] for part in re.findall(r"(\w+=(?:\"[^\"]*\"|\S+))", arguments)]


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return dockerfile_instructions((DEPLOY / "Dockerfile").read_text())


def global_args(instructions: list[tuple[str, str]]) -> dict[str, str]:
    """ARGs declared before the first FROM, with their defaults."""
    values: dict[str, str] = {}
    for keyword, arguments in instructions:
        if keyword == "FROM":
            break
        if keyword == "ARG" and "=" in arguments:
            name, value = arguments.split("=", 1)
            values[name] = value
    return values


def test_dockerfile_is_multi_stage_from_pinned_python_311(dockerfile: list[tuple[str, str]]) -> None:
    built = stages(dockerfile)
    assert len(built) >= 2
    defaults = global_args(dockerfile)
    images = []
    for stage in built:
        image = stage[0][1].split()[0]
        image = re.sub(r"\$\{(\w+)\}", lambda m: defaults[m.group(1)], image)
        images.append(image)
    for image in images:
        name, _, tag = image.partition("@")[0].partition(":")
        assert name == "python", image
        assert tag.startswith("3.11."), f"{image}: pin a 3.11 patch release"
        assert "slim" in tag, image
    # The virtual environment is copied between stages: both must have the same interpreter.
    assert len(set(images)) == 1
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == ">=3.11"


def test_builder_installs_uv_from_pypi_and_the_locked_environment(dockerfile: list[tuple[str, str]]) -> None:
    builder = stages(dockerfile)[0]
    runs = " ; ".join(arguments for keyword, arguments in builder if keyword == "RUN")
    assert re.search(r"pip install [^;]*\"?uv==\$\{UV_VERSION\}", runs)
    assert "uv sync --frozen --no-dev" in runs
    uv_version = next(a.split("=", 1)[1] for k, a in builder if k == "ARG" and a.startswith("UV_VERSION="))
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["inputs"]["uv-version"]["default"] == uv_version  # one uv release for image and action


def test_runtime_stage_is_small_non_root_and_runs_shipmate_serve(dockerfile: list[tuple[str, str]]) -> None:
    runtime = stages(dockerfile)[-1]
    keywords = [keyword for keyword, _ in runtime]
    assert "HEALTHCHECK" not in keywords  # Kubernetes probes instead
    users = [arguments for keyword, arguments in runtime if keyword == "USER"]
    assert users, "the runtime stage must set USER"
    uid, _, gid = users[-1].partition(":")
    assert uid.isdigit(), "a numeric USER, so runAsNonRoot can verify it"
    assert int(uid) > 0, "a non-root USER"
    assert not gid or (gid.isdigit() and int(gid) > 0)
    assert keywords.index("USER") > max(i for i, k in enumerate(keywords) if k == "RUN")
    runs = " ".join(arguments for keyword, arguments in runtime if keyword == "RUN")
    for tool in ("build-essential", "gcc", "uv ", "uv==", "pip install", "curl", "wget"):
        assert tool not in runs, f"the runtime stage installs or uses {tool.strip()}"
    assert any(k == "COPY" and a.startswith("--from=builder ") for k, a in runtime)
    entrypoint = next(json.loads(a) for k, a in runtime if k == "ENTRYPOINT")
    command = next(json.loads(a) for k, a in runtime if k == "CMD")
    assert entrypoint == ["shipmate"]
    assert command == ["serve", "--host", "0.0.0.0", "--port", "8080"]
    assert set(flag for flag in command if flag.startswith("--")) <= SERVE_FLAGS
    assert [a for k, a in runtime if k == "EXPOSE"] == ["8080"]


def test_dockerfile_has_no_secrets_and_no_piped_installers(dockerfile: list[tuple[str, str]]) -> None:
    for keyword, arguments in dockerfile:
        if keyword in ("ENV", "ARG"):
            secret = [n for n in env_names(arguments) if SECRET_WORDS.search(n)]
            assert not secret, f"{keyword} {arguments}: secrets belong to run time, not to the image"
        if keyword == "RUN":
            assert not re.search(r"(curl|wget)[^|;&]*\|\s*(ba|z)?sh", arguments), arguments


def dockerignore_allows(patterns: list[str], path: str) -> bool:
    """Whether a path goes into the build context: the last pattern matching it or a parent wins."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    allowed = True
    for pattern in patterns:
        negated = pattern.startswith("!")
        glob = pattern.lstrip("!").rstrip("/")
        for candidate in candidates:
            if fnmatch.fnmatch(candidate, glob) or (
                glob.startswith("**/") and fnmatch.fnmatch(candidate.split("/")[-1], glob[3:])
            ):
                allowed = negated
    return allowed


def test_build_context_holds_what_the_build_copies_and_nothing_private(
    dockerfile: list[tuple[str, str]],
) -> None:
    ignore = DEPLOY / "Dockerfile.dockerignore"
    patterns = [
        line.strip() for line in ignore.read_text().splitlines() if line.strip() and not line.startswith("#")
    ]
    copied = [
        source
        for keyword, arguments in dockerfile
        if keyword == "COPY" and not arguments.startswith("--from")
        for source in arguments.split()[:-1]
    ]
    for source in copied:
        assert (REPO / source).exists(), source
        assert dockerignore_allows(patterns, source), f"{source} is copied but left out of the context"
        assert dockerignore_allows(patterns, f"{source}/x.py") or (REPO / source).is_file()
    wheel = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert set(wheel["packages"]) <= set(copied), "every package of the wheel is copied into the build"
    assert {"pyproject.toml", "uv.lock", "README.md"} <= set(copied)
    for private in (".git/config", ".venv/bin/python", "tests/conftest.py", ".env", "assistant/.env"):
        assert not dockerignore_allows(patterns, private), private
    assert not dockerignore_allows(patterns, "tools/__pycache__/x.pyc")


# --- Kubernetes ---------------------------------------------------------------------------------


def kustomization() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((KUBE / "kustomization.yaml").read_text())
    return loaded


def objects() -> dict[str, dict[str, Any]]:
    """Every object of the kustomization's resources, by kind."""
    found: dict[str, dict[str, Any]] = {}
    for name in kustomization()["resources"]:
        for document in yaml.safe_load_all((KUBE / name).read_text()):
            assert document["kind"] not in found
            found[document["kind"]] = document
    return found


def validate_json(*args: str, stdin: bytes | None = None) -> dict[str, Any]:
    result = run("validate", *args, "--crd", str(CRD), "--strict", "--format", "json", stdin=stdin)
    assert result.returncode == 0, (result.stdout.decode()[-3000:], result.stderr.decode())
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def assert_clean(report: dict[str, Any], expected: int) -> None:
    counts = report["counts"]
    assert (counts["resources"], counts["valid"], counts["invalid"], counts["errors"]) == (
        expected,
        expected,
        0,
        0,
    )
    assert counts["skipped"] == 0
    assert report["findings"] == [], [(f["id"], f["title"]) for f in report["findings"]]


def test_every_manifest_is_a_resource_of_the_kustomization() -> None:
    on_disk = {p.name for p in KUBE.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization()["resources"]) == on_disk
    assert kustomization()["namespace"] == "shipmate"
    assert {o["metadata"].get("namespace") for o in objects().values() if o["kind"] != "Namespace"} == {
        "shipmate"
    }


def test_shipmate_validate_passes_the_manifests_with_no_finding() -> None:
    files = [str(KUBE / name) for name in kustomization()["resources"]]
    assert_clean(validate_json(*files), len(files))


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kustomize_renders_and_the_rendered_set_validates() -> None:
    rendered = subprocess.run(
        ["kubectl", "kustomize", str(KUBE)], capture_output=True, check=True, timeout=60
    ).stdout
    kinds = sorted(d["kind"] for d in yaml.safe_load_all(rendered))
    assert kinds == sorted(objects())
    assert_clean(validate_json("-", stdin=rendered), len(kinds))


def test_no_policy_is_suppressed() -> None:
    suppressed = {
        (o["kind"], o["metadata"].get("annotations", {}).get("shipmate.dev/ignore"))
        for o in objects().values()
        if "shipmate.dev/ignore" in o["metadata"].get("annotations", {})
    }
    assert suppressed == set()
    pod = objects()["Deployment"]["spec"]["template"]["metadata"]
    assert "shipmate.dev/ignore" not in pod.get("annotations", {})


def test_a_broken_service_monitor_fails_against_the_crd(tmp_path: Path) -> None:
    broken = (KUBE / "servicemonitor.yaml").read_text().replace("interval: 30s", "interval: soon")
    (tmp_path / "sm.yaml").write_text(broken)
    result = run("validate", str(tmp_path / "sm.yaml"), "--crd", str(CRD), "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["counts"]["invalid"] == 1


def container() -> dict[str, Any]:
    pod = objects()["Deployment"]["spec"]["template"]["spec"]
    (only,) = pod["containers"]
    return dict(only)


def flag_value(args: list[str], flag: str) -> str:
    return args[args.index(flag) + 1]


def test_deployment_runs_serve_hardened_with_probes_and_scratch_volumes() -> None:
    deployment = objects()["Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    box = container()
    assert deployment["spec"]["replicas"] == 2
    image = box["image"]
    assert re.fullmatch(r"[\w./-]+:(\d+\.\d+\.\d+)(@sha256:[0-9a-f]{64})?", image), image
    assert kustomization()["images"][0]["name"] == image.split(":")[0]
    assert box["args"][0] == "serve"
    assert {a for a in box["args"] if a.startswith("--")} <= SERVE_FLAGS
    assert flag_value(box["args"], "--port") == "8080" == str(box["ports"][0]["containerPort"])
    assert box["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert box["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert {"cpu", "memory"} <= set(box["resources"]["requests"]) & set(box["resources"]["limits"])
    security = box["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod["securityContext"]["runAsUser"] == 10001  # the Dockerfile's USER
    assert pod["automountServiceAccountToken"] is False
    assert objects()["ServiceAccount"]["automountServiceAccountToken"] is False
    grace = int(flag_value(box["args"], "--drain-seconds"))
    assert pod["terminationGracePeriodSeconds"] > grace
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in box["volumeMounts"]}
    for path in (flag_value(box["args"], "--work-dir"), "/tmp"):
        assert "emptyDir" in volumes[mounts[path]], path


def test_secrets_are_files_of_the_secret_never_environment_variables() -> None:
    box = container()
    env = {e["name"]: e for e in box["env"]}
    assert all("value" not in e for e in env.values()), "no literal values: a ConfigMap or a Secret"
    assert not [name for name, e in env.items() if "secretKeyRef" in e.get("valueFrom", {})]
    assert not [name for name in env if SECRET_WORDS.search(name)]
    assert "envFrom" not in box
    # The webhook secret and the GitHub token are mounted files of the Secret, named by flags.
    pod = objects()["Deployment"]["spec"]["template"]["spec"]
    files = {flag: Path(flag_value(box["args"], flag)) for flag in ("--secret-file", "--github-token-file")}
    (folder,) = {path.parent for path in files.values()}
    mount = next(m for m in box["volumeMounts"] if m["mountPath"] == str(folder))
    assert mount["readOnly"] is True
    volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
    assert volume["secret"]["secretName"] == "shipmate"
    assert volume["secret"]["defaultMode"] == 0o400
    items = {i["key"]: i["path"] for i in volume["secret"]["items"]}
    assert items == {"webhook-secret": "webhook-secret", "github-token": "github-token"}
    assert sorted(items.values()) == sorted(path.name for path in files.values())
    assert "Secret" not in objects(), "the Secret is created outside Git"


def test_network_policy_lets_in_the_webhook_port_and_out_dns_and_https_only() -> None:
    policy = objects()["NetworkPolicy"]["spec"]
    assert sorted(policy["policyTypes"]) == ["Egress", "Ingress"]
    assert [p["port"] for rule in policy["ingress"] for p in rule["ports"]] == [8080]
    egress = {(p["port"], p["protocol"]) for rule in policy["egress"] for p in rule["ports"]}
    assert egress == {(53, "UDP"), (53, "TCP"), (443, "TCP")}
    labels = objects()["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert policy["podSelector"]["matchLabels"].items() <= labels.items()


def test_service_autoscaler_budget_and_monitor_point_at_the_deployment() -> None:
    found = objects()
    labels = found["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert found["Service"]["spec"]["selector"].items() <= labels.items()
    (port,) = found["Service"]["spec"]["ports"]
    assert port["targetPort"] == container()["ports"][0]["name"]
    hpa = found["HorizontalPodAutoscaler"]
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"]["name"] == found["Deployment"]["metadata"]["name"]
    assert hpa["spec"]["minReplicas"] >= 2
    assert found["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    monitor = found["ServiceMonitor"]["spec"]
    assert monitor["selector"]["matchLabels"].items() <= found["Service"]["metadata"]["labels"].items()
    assert [e["port"] for e in monitor["endpoints"]] == [port["name"]]
    assert monitor["endpoints"][0]["path"] == "/metrics"


def test_the_serve_command_accepts_every_flag_the_deployment_uses() -> None:
    helped = run("serve", "--help")
    if helped.returncode != 0:
        pytest.skip("`shipmate serve` is not registered in this tree yet")
    text = helped.stdout.decode()
    for flag in {a for a in container()["args"] if a.startswith("--")}:
        assert flag in text, flag
