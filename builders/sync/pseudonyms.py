"""Annotators as pseudonyms: ``annotator-`` + HMAC-SHA256(secret salt, e-mail), 12 hex digits.

A keyed hash, not a plain one: e-mail addresses are guessable, so an unkeyed hash could be
reversed by trying candidates. The salt is a local secret (``.studio/pseudonym_salt``, mode 0600,
never committed) or ``$AGITPROP_PSEUDONYM_SALT``; the same salt always gives the same pseudonyms,
so snapshots stay stable across pulls and machines that share it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from builders.studio.server import default_home, write_private


class Pseudonymizer:
    def __init__(self, salt: str) -> None:
        if not salt:
            raise ValueError("the pseudonym salt must not be empty")
        self._salt = salt.encode("utf-8")

    def __repr__(self) -> str:
        return "Pseudonymizer(salt=<hidden>)"

    @classmethod
    def default(cls, salt_file: Path | None = None) -> Pseudonymizer:
        salt = os.environ.get("AGITPROP_PSEUDONYM_SALT")
        if salt:
            return cls(salt)
        salt_file = salt_file or default_home() / "pseudonym_salt"
        if not salt_file.exists():
            write_private(salt_file, secrets.token_hex(32) + "\n")
        return cls(salt_file.read_text(encoding="utf-8").strip())

    def pseudonym(self, identity: str) -> str:
        digest = hmac.new(self._salt, identity.strip().lower().encode("utf-8"), hashlib.sha256)
        return f"annotator-{digest.hexdigest()[:12]}"
