"""`qa bench`: this pipeline against the usual LangChain + FAISS stack, same model and corpus."""
