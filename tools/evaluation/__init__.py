"""Evaluation: cases as folders, deterministic scoring, suite results and their comparison."""
