"""The one database: schema, upserts, bookmarks and reading frames."""

from store.engine import StoreError, open_engine, resolve_url, safe_url, writing
from store.read import empty_frame, read_frame, read_frames
from store.state import finish_run, get_bookmark, last_success, set_bookmark, start_run
from store.write import replace, upsert

__all__ = [
    "StoreError", "open_engine", "resolve_url", "safe_url", "writing",
    "empty_frame", "read_frame", "read_frames", "upsert", "replace",
    "get_bookmark", "set_bookmark", "start_run", "finish_run", "last_success",
]
