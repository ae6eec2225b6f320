"""index/text."""
