"""The server-rendered dashboard (Chinese, with English labels where cheap)."""
