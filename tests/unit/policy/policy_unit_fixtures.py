"""Repositories and tarballs the policy unit tests share (imported by conftest and by tests)."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Mapping

CLEAN_DOCKERFILE = """\
# syntax=docker/dockerfile:1
FROM python:3.11.10-slim AS build
WORKDIR /build
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install \\
    -r requirements.txt

FROM python:3.11.10-slim
RUN useradd --create-home --uid 10001 app
COPY --from=build /install /usr/local
COPY app/ /srv/app/
WORKDIR /srv
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s \\
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"]
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
"""

CLEAN_REQUIREMENTS = """\
# runtime dependencies
fastapi==0.115.6
uvicorn[standard]==0.32.1
pydantic==2.10.3  # validated models
psycopg[binary]==3.2.3
"""

CLEAN_MAIN = '''\
"""payments-api: a FastAPI service."""

import os

from fastapi import FastAPI

app = FastAPI(title="payments-api")
DATABASE_URL = os.environ["DATABASE_URL"]


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
'''

CLEAN_CATALOG = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  description: Payments API
spec:
  type: service
  lifecycle: experimental
  owner: team-payments
"""


def clean_files() -> dict[str, bytes]:
    return {
        "Dockerfile": CLEAN_DOCKERFILE.encode(),
        "requirements.txt": CLEAN_REQUIREMENTS.encode(),
        "requirements-dev.txt": b"-r requirements.txt\npytest==8.3.4\n",
        "app/__init__.py": b"",
        "app/main.py": CLEAN_MAIN.encode(),
        "tests/test_health.py": b"def test_health():\n    assert True\n",
        "README.md": b"# payments-api\n\nRun it with `uvicorn app.main:app`.\n",
        "catalog-info.yaml": CLEAN_CATALOG.encode(),
        ".env.example": b"DATABASE_URL=postgresql://localhost/payments\n",
        ".gitignore": b".env\n__pycache__/\n",
    }


def build_tarball(files: Mapping[str, bytes], prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path, content in files.items():
            info = tarfile.TarInfo(prefix + path)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()
