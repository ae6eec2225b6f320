"""Text units with exact offsets: sentences, passages, stemmed terms, near-duplicate signatures."""
