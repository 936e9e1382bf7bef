"""Local JWT issuer and verifier: an RS256 key under AGENTIC_HOME, standing in for Backstage + JWKS.

The local API gateway verifies tokens exactly as API Gateway's JWT authorizer does: signature
(against the JWKS), issuer, audience and expiry.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://agentic.local/auth"
AUDIENCE = "agentic-api"
KEY_ID = "agentic-local-1"
LOCAL_DEVELOPER = "developer@agentic.local"
"""The subject of tokens `agentic token` issues; `agentic up` lets it decide approvals locally."""


class TokenError(ValueError):
    """The token is missing or not acceptable; the message says why (never echoes the token)."""


def _paths(home: Path) -> tuple[Path, Path]:
    folder = home / "auth"
    return folder / "signing-key.pem", folder / "jwks.json"


def ensure_signing_key(home: Path) -> None:
    key_path, jwks_path = _paths(home)
    if key_path.exists() and jwks_path.exists():
        return
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_path.write_bytes(pem)
    key_path.chmod(0o600)
    public_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwks_path.write_text(json.dumps({"keys": [public_jwk | {"kid": KEY_ID, "use": "sig", "alg": "RS256"}]}))


def issue_token(
    home: Path, subject: str = LOCAL_DEVELOPER, ttl_seconds: int = 12 * 3600, groups: Sequence[str] = ()
) -> str:
    """A signed token for ``subject``; ``groups`` go in the ``groups`` claim (e.g. ``deploy-approvers``)."""
    ensure_signing_key(home)
    key_path, _ = _paths(home)
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": subject,
        "email": subject,
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
        "jti": uuid.uuid4().hex,
        "scope": "workflows:write workflows:read",
    }
    if groups:
        claims["groups"] = list(groups)
    return jwt.encode(claims, key_path.read_bytes(), algorithm="RS256", headers={"kid": KEY_ID})


class LocalVerifier:
    def __init__(self, home: Path) -> None:
        _, jwks_path = _paths(home)
        jwks = json.loads(jwks_path.read_text())
        self._keys = {k["kid"]: jwt.PyJWK(k) for k in jwks["keys"]}

    def verify(self, authorization: str | None) -> dict[str, Any]:
        if not authorization:
            raise TokenError(
                "missing Authorization header: send 'Authorization: Bearer <token>' "
                "(get one with `agentic token`)"
            )
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise TokenError("Authorization must use the Bearer scheme")
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = self._keys.get(kid)
            if key is None:
                raise TokenError("token was signed by an unknown key")
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenError("token has expired; get a new one with `agentic token`") from exc
        except jwt.InvalidTokenError as exc:
            raise TokenError(f"token is not valid: {exc}") from exc
        return claims
