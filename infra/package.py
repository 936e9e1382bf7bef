"""``python infra/package.py [service ...]``: build the Lambda wheels layers (needs PyPI or uv's cache).

Installs each zip-packaged Lambda service's requirement list, at the versions uv.lock pins, as manylinux
aarch64 / CPython 3.11 wheels into ``infra/build/layers/<service>/python``. Synth then attaches them
as layers (``-c lambda_bundle=wheels`` insists on them). No Docker involved.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from agentic_infra.packaging import PackagingError, build_layer, zip_lambda_services  # noqa: PLC0415

    services = argv or zip_lambda_services()
    for service in services:
        try:
            layer = build_layer(service)
        except PackagingError as exc:
            sys.stderr.write(f"{exc}\n")
            return 1
        size = sum(f.stat().st_size for f in (layer / "python").rglob("*") if f.is_file())
        print(f"{service}: {layer} ({size / 1e6:.1f} MB unzipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
