"""qa/rerank."""
