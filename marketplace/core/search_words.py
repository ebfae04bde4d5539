"""Words of a visitor's search, turned into a full-text match (SQLite FTS5 or PostgreSQL tsquery):
one tokenizer for the catalog and the job board."""
from __future__ import annotations

import re

MAX_TOKENS = 8
MAX_TOKEN_LENGTH = 40
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def tokens(query: str | None) -> list[str]:
    """Plain lowercase words from whatever the visitor typed; operators and quotes fall away."""
    if not query:
        return []
    words = _WORD.findall(query[:1000].lower())
    return [w[:MAX_TOKEN_LENGTH] for w in words][:MAX_TOKENS]


def match_text(dialect: str, words: list[str]) -> str:
    """The query text ``match_clause`` binds: every word, as a prefix."""
    if dialect == "postgresql":
        return " & ".join(f"{w}:*" for w in words)
    return " AND ".join(f'"{w}"*' for w in words)
