"""Downloads: CSV safe to open in a spreadsheet, and the printable weekly report as one HTML file."""

from __future__ import annotations

import html
import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """FRAME as UTF-8 CSV with a byte-order mark (Excel reads accents right), formulas neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = safe[column].map(neutralise)
    return safe.to_csv(index=False).encode("utf-8-sig")


def _inline(text: str) -> str:
    """Escape one line of markdown text for HTML (content from the data stays text, never markup)."""
    return html.escape(text.replace("\\|", "|").replace("**", ""))


def markdown_to_html(markdown: str) -> str:
    """The subset of markdown the metrics report uses (headings, tables, lists, paragraphs) as HTML body."""
    out: list[str] = []
    table: list[list[str]] = []

    def flush_table():
        if not table:
            return
        head, *body = table
        out.append("<table><thead><tr>" + "".join(f"<th>{_inline(c)}</th>" for c in head) + "</tr></thead><tbody>")
        out.extend("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>" for row in body)
        out.append("</tbody></table>")
        table.clear()

    in_list = False
    for raw in markdown.splitlines():
        line = raw.rstrip()
        if line.startswith("|"):
            cells = [c.strip() for c in _split_row(line)]
            if not all(set(c) <= set("-: ") and c for c in cells):
                table.append(cells)
            continue
        flush_table()
        if line.startswith(("- ", "* ")):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{_inline(line[2:])}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if line.startswith("#"):
            level = min(len(line) - len(line.lstrip("#")), 6)
            out.append(f"<h{level}>{_inline(line[level:].strip())}</h{level}>")
        elif line:
            out.append(f"<p>{_inline(line)}</p>")
    flush_table()
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


def _split_row(line: str) -> list[str]:
    """The cells of a markdown table row (a pipe escaped as \\| stays inside its cell)."""
    return re.split(r"(?<!\\)\|", line.strip().removeprefix("|").removesuffix("|"))


REPORT_CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 2rem; color: #1b1f24; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; } h2 { font-size: 1.3rem; margin-top: 1.6rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1.2rem; font-size: 0.9rem; }
th, td { border: 1px solid #c9d1d9; padding: 0.25rem 0.6rem; text-align: left; }
th { background: #eef2f6; } tr:nth-child(even) td { background: #f8fafc; }
.meta { color: #57606a; } @media print { body { margin: 0.5cm; } h2 { page-break-after: avoid; } }
"""


def report_html(title: str, markdown: str, note: str = "") -> bytes:
    """A self-contained, printable HTML page holding the markdown report (same content, styled)."""
    body = markdown_to_html(markdown)
    meta = f'<p class="meta">{html.escape(note)}</p>' if note else ""
    page = (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{REPORT_CSS}</style></head><body>\n{meta}\n{body}\n</body></html>\n")
    return page.encode("utf-8")
