"""Bad parameter values are refused before rendering, with the parameter named."""

from __future__ import annotations

from typing import Any

import pytest

from tools.blueprints.registry import generate_blueprint
from tools.errors import InputError


@pytest.mark.parametrize(
    ("blueprint", "given", "problem"),
    [
        ("k8s-web-service", {"name": "Bad_Name!"}, "--set name: 'Bad_Name!' is not a valid name"),
        ("k8s-web-service", {"namespace": "a\nb"}, "--set namespace: contains a control character"),
        ("k8s-web-service", {"port": "99999"}, "--set port: 99999 is not a port"),
        ("k8s-web-service", {"cpu_request": "lots"}, "--set cpu_request: 'lots' is not a quantity"),
        ("k8s-web-service", {"host": "Not A Host"}, "--set host: 'Not A Host' is not a DNS name"),
        ("k8s-web-service", {"health_path": "healthz"}, "--set health_path: 'healthz' is not an HTTP path"),
        ("k8s-llm-inference", {"cache_size": "big"}, "--set cache_size: 'big' is not a quantity"),
        ("tf-aws-s3", {"name": "logs\n# injected"}, "--set name: contains a control character"),
        ("compose-stack", {"image": "web:1\nprivileged: true"}, "--set image: contains a control character"),
    ],
)
def test_bad_values_are_refused_with_the_parameter_named(
    blueprint: str, given: dict[str, Any], problem: str
) -> None:
    parameters = (
        {"image": "ghcr.io/acme/api:1.0"} if blueprint in ("k8s-web-service", "compose-stack") else {}
    )
    with pytest.raises(InputError) as raised:
        generate_blueprint(blueprint, {**parameters, **given})
    assert str(raised.value).startswith(problem)


def test_good_values_pass() -> None:
    generated = generate_blueprint(
        "k8s-web-service",
        {
            "image": "ghcr.io/acme/api:1.0",
            "name": "api-2",
            "cpu_request": "0.5",
            "memory_limit": "1.5Gi",
            "port": 1,
        },
    )
    assert generated.validation.counts.invalid == 0
