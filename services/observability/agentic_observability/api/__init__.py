"""The observability HTTP API: routes, request/response models and views (wiring: ``bootstrap.build_api``)."""
