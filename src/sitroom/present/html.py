"""The brief as one self-contained HTML page. Every piece of source text goes through ``escape``;
links are only ever made from http(s) URLs, and never from the text itself."""

from __future__ import annotations

from html import escape

from .brief import Brief

_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d232a}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem;margin-bottom:.3rem}ul{padding-left:1.2rem}li{margin:.25rem 0}
q{color:#36414d}.where{color:#57606a;font-size:.9rem}sup a{text-decoration:none}
ol.sources{font-size:.9rem;color:#36414d}code{font-size:.8rem}
"""


def _link(url: str | None) -> str:
    if url and url.startswith(("http://", "https://")):
        return f' <a href="{escape(url, quote=True)}" rel="noopener noreferrer nofollow">{escape(url)}</a>'
    return ""


def render_html(brief: Brief) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{escape(brief.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(brief.title)}</h1>",
        f"<p>{brief.documents} documents from {len(brief.sources)} sources; generated "
        f"{escape(brief.generated.strftime('%Y-%m-%d %H:%M %Z').strip())}.</p>",
    ]
    for section, groups in brief.sections.items():
        if not groups:
            continue
        out.append(f"<h2>{escape(section)}</h2>")
        for heading, items in groups.items():
            if heading:
                out.append(f"<h3>{escape(heading)}</h3>")
            out.append("<ul>")
            for item in items:
                quote = f" <q>{escape(item.quote)}</q>" if item.quote else ""
                out.append(
                    f'<li>{escape(item.text)}{quote} <span class="where">— {escape(item.where)}</span>'
                    f' <sup><a href="#src-{item.citation}">[{item.citation}]</a></sup></li>'
                )
            out.append("</ul>")
    out.append('<h2>Sources</h2><ol class="sources">')
    for c in brief.citations:
        doc = c.document
        out.append(
            f'<li id="src-{c.number}">{escape(c.label())} — {escape(doc.title or "(untitled)")} '
            f"<code>{escape(doc.id)}</code>{_link(doc.url)}</li>"
        )
    out.append("</ol></body></html>")
    return "\n".join(out) + "\n"
