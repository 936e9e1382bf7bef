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
from agentic_codegen.logic.parameters import DATABASE_SETTINGS, Resource, ServiceParameters

SERVICE_FILE = ".agentic/service.json"
MANIFEST_FILE = ".agentic/manifest.json"


def _json(data: object) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


PROBE_VALUES: dict[str, object] = {"string": "probe", "integer": 1, "number": 1.5, "boolean": True}


def store_probe(resource: Resource) -> dict[str, object]:
    """What the local deploy target writes and reads back (REST) or sends (event) before "verified"."""
    record = {field.name: PROBE_VALUES[field.type] for field in resource.fields}
    return {"path": f"/v1/{resource.plural}", "record": record, "event": f"{resource.name}.upserted"}


def service_descriptor(entry: CatalogueEntry, params: ServiceParameters) -> bytes:
    database_env = DATABASE_SETTINGS.get(params.database, (None, None))[0]
    return _json(
        {
            "template": entry.id,
            "version": entry.version,
            "language": entry.language,
            "framework": entry.framework,
            "pattern": params.pattern,
            "database": params.database,
            "database_env": database_env,
            "event_source": params.event_source if params.pattern == "event" else None,
            "event_types": [
                f"{r.name}.{action}" for r in params.resources for action in ("upserted", "deleted")
            ]
            if params.pattern == "event"
            else [],
            "probe": store_probe(params.resources[0]),
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
