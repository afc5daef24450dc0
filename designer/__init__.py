"""The proposal engine: journey in, design proposals out (pure Python, no I/O)."""
