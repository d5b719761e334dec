"""What to do about a broken container, by category: the fix texts of container findings."""

from __future__ import annotations

from tools.kube.analyze.messages import Reading


def pull_fix(category: str, image: str) -> str:
    """How to fix an image pull failure."""
    if category == "image.pull.auth":
        return (
            f"Give the pod credentials for the registry of {image}: create a docker-registry Secret "
            "(`kubectl create secret docker-registry ...`) and list it in spec.imagePullSecrets (or on the "
            "ServiceAccount); check the credentials are valid."
        )
    return (
        f"Check that {image} exists (`crane ls <repository>` / `docker manifest inspect {image}`); fix "
        "the tag in the manifest or push the image."
    )


def config_fix(reading: Reading, namespace: str) -> str:
    """How to fix a container whose configuration cannot be built."""
    if reading.category in ("container.config.missing_secret", "container.config.missing_configmap"):
        return (
            f"Create the missing {reading.detail} in namespace {namespace} (or fix the name/key in the pod "
            "spec's env/envFrom/volumes), or mark the reference optional: true."
        )
    return "Fix the container's securityContext or configuration as the message says."


def start_fix(category: str) -> str:
    """How to fix a container that cannot start."""
    return {
        "image.arch_mismatch": "Build the image for the nodes' architecture (docker buildx --platform).",
        "container.command_not_found": "Fix command/args in the pod spec or the image's ENTRYPOINT.",
        "container.permission_denied": "Make the file executable in the image or fix securityContext.",
    }.get(category, "Read `kubectl describe pod` for the runtime's message and fix the command or image.")


def probe_fix(kind: str) -> str:
    """How to fix a failing probe."""
    return (
        f"Check the {kind} probe's path, port and timing against the application (`kubectl describe pod`); "
        "raise initialDelaySeconds/failureThreshold or add a startupProbe for slow starts."
    )
