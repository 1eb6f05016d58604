"""HTML pages → main text and metadata (trafilatura); HTML fragments → plain text (lxml).

Scripts, styles and other non-text elements never reach ``Document.text``. Text that merely
*looks* like markup (``&lt;script&gt;`` in the page) is kept as the characters it stands for:
it is data, escaped only when shown.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import datetime
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

from ..errors import EmptyInputError, ParseError
from ..model import Document
from .messages import one_line
from .meta import to_utc

# htmldate: only dates the page states (no guessing from stray numbers in the text), with time.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
# Where pages state when they were published, most specific first (expressions kept as data).
_DATE_META = (
    '//meta[@property="article:published_time"]/@content',
    '//meta[@itemprop="datePublished"]/@content',
    '//time[@itemprop="datePublished"]/@datetime',
    '//meta[@name="pubdate" or @name="publish-date" or @name="parsely-pub-date"]/@content',
    '//meta[@name="dc.date" or @name="DC.date.issued" or @name="dcterms.created"]/@content',
)
_DROP = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head", "button",
)  # fmt: skip
_BLOCKS = (
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "tr", "ul",
)  # fmt: skip
_TAG = re.compile(r"<[^>]*>")


def hostname(url: str | None) -> str | None:
    """``https://www.example.org/a`` → ``example.org``."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _parse_date(value: str | None) -> datetime | None:
    """An ISO 8601 date or datetime (``Z``, ``+0000`` and ``+00:00`` zones) as aware UTC."""
    if not value:
        return None
    try:
        return to_utc(datetime.fromisoformat(value.strip()))
    except ValueError:
        return None


def _meta_date(tree: lxml.html.HtmlElement) -> datetime | None:
    """The publication time a page states in its meta tags (more precise than htmldate's day)."""
    for xpath in _DATE_META:
        for value in tree.xpath(xpath):
            found = _parse_date(str(value))
            if found is not None:
                return found
    return None


def read_html(data: bytes, input: str, url: str | None = None) -> Document:
    """The main text of an HTML page with its title, author, date, site name and URL.

    ``EmptyInputError`` when no text can be found; a failure inside the parser → ``ParseError``.
    """
    try:
        tree = trafilatura.load_html(data)
        stated = _meta_date(tree) if tree is not None else None
        result = (
            trafilatura.bare_extraction(
                tree,
                url=url,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                include_images=False,
                include_links=False,
                date_extraction_params=_DATE_PARAMS,
            )
            if tree is not None
            else None
        )
    except (etree.LxmlError, ValueError, TypeError, AttributeError, IndexError) as exc:
        raise ParseError(
            f"could not parse the HTML ({type(exc).__name__}: {one_line(exc)})",
            input=input,
            hint="open it in a browser and save the text as a .txt file",
        ) from exc
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise EmptyInputError(
            "no article text found in the HTML",
            input=input,
            hint="the page may need JavaScript or a login; copy its text into a .txt file and ingest that",
        )
    page_url = getattr(result, "url", None) or url
    return Document(
        text=text,
        title=getattr(result, "title", None) or None,
        author=getattr(result, "author", None) or None,
        source=getattr(result, "sitename", None) or hostname(page_url),
        url=page_url,
        published=stated or _parse_date(getattr(result, "date", None)),
        kind="article",
    )


def fragment_to_text(markup: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content): one line per block, no markup."""
    if not markup.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.LxmlError, ValueError):
        return _collapse(htmllib.unescape(_TAG.sub(" ", markup)))
    etree.strip_elements(root, *_DROP, with_tail=False)
    for element in root.iter(*_BLOCKS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    return _collapse(root.text_content())


def _collapse(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
