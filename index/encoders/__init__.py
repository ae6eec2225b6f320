"""index/encoders."""
