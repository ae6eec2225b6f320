"""Building one index version: what to reuse, what to embed and where (this process or Ray), and `qa doctor`."""
