"""Blueprints: parameterised, best-practice manifests that validate clean by construction."""
