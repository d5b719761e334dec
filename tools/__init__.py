"""LLM-free capabilities of shipmate, each usable alone; never imports `assistant`."""
