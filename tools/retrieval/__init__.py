"""Retrieval over the knowledge base: offline embeddings, chunking, hybrid search."""
