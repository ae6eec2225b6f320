"""index/stores."""
