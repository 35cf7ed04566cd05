"""A file uploaded to propose an act's card, kept privately until the editor confirms it.

The file waits under ``var/pending-uploads/`` (not in MEDIA_ROOT, so nobody can download it),
named by a random token that only the uploader's session knows; it is removed when the act is
registered or after a day."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "acts_pending_uploads"
MAX_AGE_SECONDS = 24 * 60 * 60


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "pending-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def keep(request, name: str, content: bytes) -> str:
    """Keep ``content`` for this session; return its token."""
    folder = _folder()
    _sweep(folder)
    token = secrets.token_urlsafe(18)
    (folder / token).write_bytes(content)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = name
    request.session[SESSION_KEY] = pending
    return token


def take(request, token: str) -> tuple[str, bytes] | None:
    """The file kept under ``token`` by this session (and forget it), or None."""
    pending = request.session.get(SESSION_KEY, {})
    name = pending.pop(token, None)
    if name is None or not token.replace("-", "").replace("_", "").isalnum():
        return None
    path = _folder() / token
    if not path.exists():
        return None
    content = path.read_bytes()
    path.unlink(missing_ok=True)
    request.session[SESSION_KEY] = pending
    return name, content


def peek_name(request, token: str) -> str | None:
    return request.session.get(SESSION_KEY, {}).get(token)
