"""Generation with a model: a blueprint chosen by tool call, or files written, validated and repaired."""
