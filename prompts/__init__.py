"""Prompt templates shipped as package data (Jinja2, one file per prompt)."""
