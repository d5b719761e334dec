"""Reading a Kubernetes cluster, read-only, and finding what is broken in it."""
