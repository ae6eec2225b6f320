"""index/ingest."""
