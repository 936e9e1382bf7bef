"""Records that several services read and write, each declared once with its port and adapters."""
