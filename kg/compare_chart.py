"""The comparison page of one concept: a strip plot of normalised targets per bureau, the table below, offline.

One row per bureau on a common axis per normalised unit (ratio, 元, 人 …; a unit of its own gets its own
panel), one dot per target, its shape the comparator (▶ at least, ◀ at most, ● equal); qualitative
targets are listed beside their bureau. Below, every target with project, printed value and source
line. A search box filters dots and rows by bureau, project or indicator. The page is plain SVG and a
few lines of script: no library, no request.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfkg.extract.serialise import write_atomic
from perfkg.kg.query_library import parse_query, resolve_concept, run_query
from perfkg.kg.view_facts import union_graph

POINTS_QUERY = """# title: Comparison points
# param: concept — the concept's IRI (iri)
PREFIX pkg: <https://w3id.org/perfkg/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?bureau ?project ?indicator ?comparator ?printed ?value ?unit ?source ?line
WHERE {
  ?linked skos:broader* ?concept .
  ?i pkg:concept ?linked ;
     rdfs:label ?indicator ;
     pkg:position ?position ;
     pkg:inProject ?p .
  ?p rdfs:label ?project ;
     pkg:bureau ?b .
  { SELECT DISTINCT ?b ?bureau WHERE { ?b a pkg:Bureau ; rdfs:label ?bureau } }
  OPTIONAL { ?i pkg:sourceDocument/pkg:fileName ?source }
  OPTIONAL { ?i pkg:lineStart ?line }
  OPTIONAL {
    ?i pkg:target ?t .
    OPTIONAL { ?t pkg:printedValue ?printed }
    OPTIONAL { ?t pkg:comparator ?comparator }
    OPTIONAL { ?t pkg:normalisedValue ?value }
    OPTIONAL { ?t pkg:normalisedUnitLabel ?unit }
  }
}
ORDER BY ?bureau ?project ?p ?position
"""
SYMBOL = {">=": "▶", ">": "▶", "<=": "◀", "<": "◀", "=": "●", None: "●"}
UNIT_NAMES = {"1": "ratio (100% = 1)"}


@dataclass(frozen=True)
class Point:
    bureau: str
    project: str
    indicator: str
    comparator: str | None
    printed: str | None
    value: Decimal | None
    unit: str | None
    source: str | None
    line: int | None


def comparison_points(data: Any, concept: str) -> tuple[str, str, list[Point]]:
    """(slug, label, points) of every target linked to the concept or a narrower one (an rdflib graph or an
    Oxigraph store)."""
    from perfkg.kg.concept_compare import _pref_label
    from perfkg.kg.store import is_store

    source = data if is_store(data) else union_graph(data)
    iri = resolve_concept(source, concept)
    query = parse_query(POINTS_QUERY, "comparison_points", "kg/compare_chart.py")
    points = []
    for r in run_query(query, source, {"concept": str(iri)}).dicts():
        points.append(Point(str(r["bureau"]), str(r["project"]), str(r["indicator"]),
                            None if r["comparator"] is None else str(r["comparator"]),
                            None if r["printed"] is None else str(r["printed"]),
                            None if r["value"] is None else Decimal(str(r["value"])),
                            None if r["unit"] is None else str(r["unit"]),
                            None if r["source"] is None else str(r["source"]),
                            None if r["line"] is None else int(r["line"])))
    slug = str(iri).rsplit("/", 1)[-1]
    return slug, _pref_label(data, iri) or slug, points


def _esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _panel(unit: str | None, points: list[Point], bureaus: list[str], qualitative: dict[str, list[Point]]) -> str:
    width, left, right, row_h, top = 1100, 250, 300, 34, 40
    numeric = [p for p in points if p.value is not None]
    values = [p.value for p in numeric if p.value is not None]
    low = min(min(values), Decimal(0)) if unit == "1" else min(values)
    high = max(values)
    if unit == "1":
        high = max(high, Decimal(1))
    if high == low:
        high = low + 1
    span = high - low
    plot_w = width - left - right

    def x(v: Decimal) -> float:
        return left + float((v - low) / span) * plot_w

    height = top + row_h * len(bureaus) + 30
    out = [f'<svg class="strip" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{_esc(unit)}" data-unit="{_esc(unit)}">']
    for k in range(6):
        v = low + span * k / 5
        out.append(f'<line x1="{x(v):.1f}" y1="{top - 10}" x2="{x(v):.1f}" y2="{height - 30}" class="grid"/>')
        tick = _esc(_number(v.quantize(Decimal("0.001"))))
        out.append(f'<text x="{x(v):.1f}" y="{top - 16}" class="tick">{tick}</text>')
    for n, bureau in enumerate(bureaus):
        y = top + row_h * n + row_h / 2
        out.append(f'<text x="{left - 10}" y="{y + 5:.1f}" class="bureau">{_esc(bureau)}</text>')
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" class="row"/>')
        for p in numeric:
            if p.bureau == bureau and p.value is not None:
                tip = (f"{p.bureau} · {p.project} · {p.indicator}: {p.printed or ''} "
                       f"({p.source or ''} line {p.line or '?'})")
                out.append(f'<text class="dot" x="{x(p.value):.1f}" y="{y + 6:.1f}" data-search="{_esc(tip)}">'
                           f'{SYMBOL.get(p.comparator, "●")}<title>{_esc(tip)}</title></text>')
        words = [q.printed for q in qualitative.get(bureau, []) if q.printed]
        if words:
            text = "; ".join(words)
            out.append(f'<text x="{width - right + 12}" y="{y + 5:.1f}" class="words">'
                       f'{_esc(text[:30] + ("…" if len(text) > 30 else ""))}<title>{_esc(text)}</title></text>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" class="axis">'
               f'{_esc(UNIT_NAMES.get(unit or "", unit))}</text></svg>')
    return "\n".join(out)


def render_comparison(slug: str, label: str, points: list[Point]) -> str:
    """The whole page."""
    bureaus = sorted({p.bureau for p in points})
    qualitative: dict[str, list[Point]] = {}
    for p in points:
        if p.value is None:
            qualitative.setdefault(p.bureau, []).append(p)
    units = sorted({p.unit for p in points if p.value is not None}, key=lambda u: (u != "1", u or ""))
    panels = [f"<h2>{_esc(UNIT_NAMES.get(u or '', u))}</h2>" + _panel(u, [p for p in points if p.unit == u], bureaus,
                                                                 qualitative if i == 0 else {})
              for i, u in enumerate(units)]
    if not units and qualitative:
        panels.append("<p>Only qualitative targets: see the table.</p>")
    rows = "\n".join(
        f'<tr data-search="{_esc(" ".join([p.bureau, p.project, p.indicator]))}"><td>{_esc(p.bureau)}</td>'
        f'<td>{_esc(p.project)}</td><td>{_esc(p.indicator)}</td><td>{_esc(p.printed)}</td>'
        f'<td>{_esc("" if p.value is None else _number(p.value))} {_esc("(ratio)" if p.unit == "1" else p.unit)}</td>'
        f'<td>{_esc(p.source)}{"" if p.line is None else f" line {p.line}"}</td></tr>' for p in points)
    data = json.dumps({"concept": slug, "bureaus": len(bureaus), "targets": len(points)}).replace("<", "\\u003c")
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="perfkg compare"><title>{_esc(label)} — comparison</title>
<style>
 body {{ font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; margin: 16px 24px; }}
 h1 {{ font-size: 20px; margin: 0 0 4px; }} h2 {{ font-size: 15px; margin: 18px 0 2px; }}
 .legend, .counts {{ color: #555; font-size: 13px; }}
 svg.strip {{ max-width: 1100px; display: block; }}
 svg text {{ font-size: 13px; }} .bureau {{ text-anchor: end; }} .tick, .axis {{ text-anchor: middle; fill: #555; }}
 .dot {{ font-size: 15px; text-anchor: middle; fill: #4e79a7; cursor: default; }} .dot.off {{ display: none; }}
 .grid {{ stroke: #e4e4e4; }} .row {{ stroke: #f0f0f0; }} .words {{ fill: #8a5a00; }}
 table {{ border-collapse: collapse; font-size: 13px; margin-top: 14px; }}
 td, th {{ border-bottom: 1px solid #e4e4e4; padding: 3px 8px; text-align: left; vertical-align: top; }}
 tr.off {{ display: none; }} input {{ font-size: 14px; padding: 3px 6px; width: 320px; }}
</style></head><body data-rendered="yes">
<h1>{_esc(label)} <span class="counts">({_esc(slug)})</span></h1>
<div class="counts">{len(bureaus)} bureaus, {len(points)} targets · values in the base unit (万元 → 元, % → ratio)</div>
<p class="legend">▶ at least (≥, &gt;) · ◀ at most (≤, &lt;) · ● equal ·
 qualitative targets in brown beside their bureau · hover a dot for project, printed value and source line</p>
<label>Filter: <input id="search" type="search" placeholder="bureau, project or indicator"></label>
{"".join(panels)}
<table id="targets"><thead><tr><th>bureau</th><th>project</th><th>indicator</th><th>printed</th>
<th>normalised</th><th>source</th></tr></thead><tbody>
{rows}
</tbody></table>
<script>
var perfkgComparison = {data};
document.getElementById("search").addEventListener("input", function (e) {{
  var q = e.target.value.trim();
  document.querySelectorAll("[data-search]").forEach(function (el) {{
    el.classList.toggle("off", q !== "" && el.getAttribute("data-search").indexOf(q) < 0);
  }});
}});
</script>
</body></html>
"""


def write_comparison(data: Any, concept: str, path: Path) -> tuple[str, int, int]:
    """Write the comparison page of a concept; returns (slug, bureaus, targets)."""
    slug, label, points = comparison_points(data, concept)
    write_atomic(render_comparison(slug, label, points), Path(path))
    return slug, len({p.bureau for p in points}), len(points)
