"""Knowledge shipped as package data: signatures catalogue, runbooks, taxonomy."""
