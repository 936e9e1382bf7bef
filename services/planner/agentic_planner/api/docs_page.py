"""``/openapi.json`` (the platform's one document) and ``/docs`` (Swagger UI over it), both without a token.

The page loads swagger-ui-dist's files from ``/docs/assets/``: locally the gateway serves them from the
npm package ``make tools`` installs; where they are missing the page still links the document itself.
"""

from __future__ import annotations

import json

from agentic_common.api_contract import openapi_document
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Agentic DevOps API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"><p>The OpenAPI document: <a href="/openapi.json">/openapi.json</a></p></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script>
    if (window.SwaggerUIBundle) {
      window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", persistAuthorization: true});
    }
  </script>
</body>
</html>
"""


def register_document_routes(app: APIGatewayHttpResolver) -> None:
    @app.get("/openapi.json", summary="The platform's OpenAPI document (no auth)", include_in_schema=False)
    def openapi() -> Response[str]:
        body = json.dumps(openapi_document())
        return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=body)

    @app.get("/docs", summary="Swagger UI for the OpenAPI document (no auth)", include_in_schema=False)
    def docs() -> Response[str]:
        return Response(status_code=200, content_type="text/html; charset=utf-8", body=PAGE)
