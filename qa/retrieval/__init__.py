"""qa/retrieval."""
