"""Docker Compose and Swarm stack files: reading and validation."""
