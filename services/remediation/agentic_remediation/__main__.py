"""``python -m agentic_remediation`` runs the worker."""

from agentic_remediation.worker import main

if __name__ == "__main__":
    main()
