"""Values detect-secrets reports that are not secrets (applied to its findings by ``secrets.py``).

The keyword plugin reports any value assigned to a key that sounds secret. Three kinds of value are
never a secret themselves: a boolean or null literal (``automountServiceAccountToken: false``), an
unquoted Terraform reference (``secret_string = random_password.db.result``), and the name of a
Kubernetes Secret a manifest points at (``secretName: orders-db``).
"""

from __future__ import annotations

import re

LITERALS = frozenset({"true", "false", "null", "none", "nil", "yes", "no", "~", "''", '""'})
REFERENCE = re.compile(r"^[A-Za-z_][\w-]*(\.[\w-]+|\[[^\]\"']*\])+$")
SECRET_NAME_KEYS = re.compile(r"^\s*(-\s*)?(secret|secretName|secretRef|existingSecret)\s*:")
DNS_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def is_literal_value(secret: str) -> bool:
    return secret.strip().strip("\"'").lower() in LITERALS


def is_terraform_reference(secret: str, line: str, filename: str) -> bool:
    """``key = some_resource.name.attribute`` (no quotes) in a .tf file: an expression, not a value."""
    if not filename.endswith(".tf"):
        return False
    value = secret.strip()
    return bool(REFERENCE.match(value)) and f'"{value}"' not in line


def is_kubernetes_secret_name(secret: str, line: str, filename: str) -> bool:
    """``secretName: orders-db`` in YAML: the name of a Secret object, not its content."""
    if not filename.endswith((".yaml", ".yml")):
        return False
    return bool(SECRET_NAME_KEYS.match(line)) and bool(DNS_NAME.match(secret.strip().strip("\"'")))


def not_a_secret(secret: str, line: str, filename: str) -> bool:
    return (
        is_literal_value(secret)
        or is_terraform_reference(secret, line, filename)
        or is_kubernetes_secret_name(secret, line, filename)
    )
