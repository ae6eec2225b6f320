"""Tools around the product, never on its answering path: evaluation, benchmarks, a server launcher, Milvus Lite."""
