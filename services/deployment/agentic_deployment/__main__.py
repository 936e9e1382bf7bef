"""``python -m agentic_deployment``: run the deployment worker."""

from agentic_deployment.worker import main

main()
