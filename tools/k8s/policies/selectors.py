"""Label selectors as Kubernetes evaluates them."""

from __future__ import annotations

from typing import Any


def map_matches(selector: dict[str, Any], labels: dict[str, Any]) -> bool:
    """A plain selector (Service, ReplicationController): every key/value is among the labels."""
    return all(labels.get(key) == value for key, value in selector.items())


def selector_matches(selector: dict[str, Any], labels: dict[str, Any]) -> bool:
    """A LabelSelector (matchLabels and matchExpressions) matches the labels.

    An empty selector matches everything, as for a PodDisruptionBudget in policy/v1.
    """
    match_labels = selector.get("matchLabels")
    if isinstance(match_labels, dict) and not map_matches(match_labels, labels):
        return False
    expressions = selector.get("matchExpressions")
    if isinstance(expressions, list):
        for expression in expressions:
            if isinstance(expression, dict) and not _expression_matches(expression, labels):
                return False
    return True


def _expression_matches(expression: dict[str, Any], labels: dict[str, Any]) -> bool:
    key = expression.get("key")
    operator = expression.get("operator")
    values = expression.get("values")
    choices = values if isinstance(values, list) else []
    if operator == "In":
        return key in labels and labels[key] in choices
    if operator == "NotIn":
        return key not in labels or labels[key] not in choices
    if operator == "Exists":
        return key in labels
    if operator == "DoesNotExist":
        return key not in labels
    return True  # an unknown operator is the schema's business, not a reason to report a mismatch
