"""Second stage: every sentence of the first-stage head scored; the best is the highlight."""
