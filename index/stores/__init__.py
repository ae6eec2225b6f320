"""The index on disk: versions and their manifest, the passage stores, and the articles it keeps."""
