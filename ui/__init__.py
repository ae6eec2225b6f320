"""The user interfaces: the Gradio chat and the HTTP API, served in one process."""
