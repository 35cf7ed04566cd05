"""Embedded video from the usual hosts, without asking them (no oEmbed round trip): the page's
address is turned into the host's embed address, or the video stays a plain link."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlparse

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def embed_url(url: str) -> str | None:
    """The ``<iframe>`` address for a YouTube, Vimeo or Facebook video page, or ``None``."""
    try:
        parsed = urlparse((url or "").strip())
    except ValueError:
        return None
    if parsed.scheme not in {"http", "https"}:
        return None
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host == "youtu.be":
        video_id = parsed.path.strip("/").split("/")[0]
    elif host in {"youtube.com", "youtube-nocookie.com"}:
        if parsed.path == "/watch":
            video_id = (parse_qs(parsed.query).get("v") or [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = parsed.path.split("/")[2]
    if video_id:
        return (
            f"https://www.youtube-nocookie.com/embed/{video_id}"
            if _YOUTUBE_ID.match(video_id)
            else None
        )
    if host == "vimeo.com":
        number = parsed.path.strip("/").split("/")[0]
        return f"https://player.vimeo.com/video/{number}" if number.isdigit() else None
    if host in {"facebook.com", "fb.watch"}:
        return "https://www.facebook.com/plugins/video.php?href=" + quote(url, safe="")
    return None
