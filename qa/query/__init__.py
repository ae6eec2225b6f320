"""From what was asked to what is searched: validation, spelling, follow-ups."""
