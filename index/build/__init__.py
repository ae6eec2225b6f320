"""index/build."""
