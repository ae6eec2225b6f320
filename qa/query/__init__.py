"""qa/query."""
