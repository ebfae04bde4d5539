"""Seller-written text: limited Markdown, rendered through an allow-list sanitiser."""
from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML is off in the parser, and nh3 removes anything outside this list whatever the parser made.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["image", "heading"])
ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "code", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def render_markdown(source: str | None) -> Markup:
    if not source:
        return Markup("")
    html = _md.render(source[:20_000])
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener ugc")
    return Markup(clean)  # nosec B704  # sanitised by nh3 just above


def plain_text(source: str | None) -> str:
    """Seller text as one tag-free line, for meta descriptions and structured data (see ``shorten``)."""
    if not source:
        return ""
    text = nh3.clean(_md.render(source[:4000]), tags=set())
    return " ".join(html.unescape(text).split())


def shorten(text: str, length: int = 155) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
