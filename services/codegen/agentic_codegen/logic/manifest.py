"""The files codegen writes besides the templates: ``.agentic/service.json`` and ``.agentic/manifest.json``.

``service.json`` tells the local deploy target how to install and start the service in any language;
``manifest.json`` records the sha256 of every rendered file, so a template upgrade can tell the files a
team changed from the files it may re-render.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from agentic_codegen.logic.catalogue import CatalogueEntry
from agentic_codegen.logic.parameters import ServiceParameters

SERVICE_FILE = ".agentic/service.json"
MANIFEST_FILE = ".agentic/manifest.json"


def _json(data: object) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


def service_descriptor(entry: CatalogueEntry, params: ServiceParameters) -> bytes:
    return _json(
        {
            "template": entry.id,
            "version": entry.version,
            "language": entry.language,
            "framework": entry.framework,
            "pattern": params.pattern,
            "database": params.database,
            "port_env": "PORT",
            "health": "/health",
            "ready": "/ready",
            "metrics": "/metrics",
            "install": list(entry.install),
            "start": list(entry.start),
        }
    )


def file_manifest(entry: CatalogueEntry, files: Mapping[str, bytes]) -> bytes:
    digests = {path: hashlib.sha256(content).hexdigest() for path, content in sorted(files.items())}
    return _json({"template": entry.id, "version": entry.version, "files": digests})


def with_agentic_files(
    entry: CatalogueEntry, params: ServiceParameters, files: Mapping[str, bytes]
) -> dict[str, bytes]:
    """The rendered files plus ``.agentic/service.json`` and a manifest covering everything else."""
    result = dict(files)
    result[SERVICE_FILE] = service_descriptor(entry, params)
    result[MANIFEST_FILE] = file_manifest(entry, result)
    return dict(sorted(result.items()))
