"""``python -m agentic_observability`` runs the worker."""

from agentic_observability.worker import main

if __name__ == "__main__":
    main()
