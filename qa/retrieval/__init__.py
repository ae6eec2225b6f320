"""First stage: dense and lexical rankings of passages, fused by reciprocal rank."""
