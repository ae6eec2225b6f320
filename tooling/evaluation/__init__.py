"""`qa eval`: measure retrieval, highlighting and abstention on labelled question sets."""
