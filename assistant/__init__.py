"""shipmate: an LLM-powered DevOps assistant (application layer: config, CLI, rendering)."""
