"""Text to unit-length vectors: the model under ONNX Runtime where its export is faithful,
sentence-transformers (PyTorch) otherwise. `loading.get_encoder` picks one."""
