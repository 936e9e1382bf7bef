"""``python infra/app.py``: synthesize the platform (offline, no AWS credentials) into ``cdk.out``.

Context as with the CDK CLI: ``-c env=prod -c jwt_issuer=https://... -c jwt_audience=agentic``; when run
directly, ``python infra/app.py env=prod jwt_issuer=https://...`` works too.
"""

from __future__ import annotations

import os
import sys

for _warning in ("END_OF_LIFE", "DEPRECATED", "UNTESTED"):  # Node 20: jsii's banner on every start
    os.environ.setdefault(f"JSII_SILENCE_WARNING_{_warning}_NODE_VERSION", "20")


def main(argv: list[str]) -> int:
    from agentic_infra.synth import synth_from_args  # noqa: PLC0415 - after the jsii variables are set

    return synth_from_args(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
