"""The concept linker: an indicator's level-3 name (with its context) to canonical concepts.

Built on a blank spaCy Chinese pipeline with character tokens (``spacy.blank("zh")``, no model,
nothing downloaded). Three kinds of evidence, all kept in data files:

* phrases: every ``skos:prefLabel``/``skos:altLabel`` @zh of ``ontology/concepts.ttl`` plus the
  fragments of ``kg/data/concept_patterns.jsonl`` (PhraseMatcher); fragments written with ``…``
  are gapped patterns (Matcher, any characters in the gap);
* context rules (``kg/data/concept_context_rules.jsonl``): the level name and measure type, e.g. an
  amount in a 成本指标 row is a cost ceiling whatever the row is called;
* populations (EntityRuler, ``kg/data/population_patterns.jsonl``) and measure types
  (``kg/data/measure_patterns.jsonl``: by unit, else qualitative value, else by name suffix).

Chinese indicator names are head-final (参保人员 | 满意度, 补助标准 | 符合率), so the name link is the
match that ends last (longest on ties); earlier matches are modifiers and are not linked, except one that
overlaps the head and names a narrower concept of it (资金支付及时 + 及时率: fund-disbursement timeliness,
not just timeliness).

Evidence strings say how a link was made: ``label: X`` (the whole name is a label), ``label X: Y`` or
``pattern X: Y`` (label or pattern X matched the text Y of the name), ``… within …`` (a refinement as
above), ``context: rule`` (a context rule).
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from typing import Any

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from perfkg.extract.records import Indicator
from perfkg.extract.target_values import parse_target_value
from perfkg.extract.text_normalise import compact, to_simplified
from perfkg.kg.units import unit_info

CONCEPT_NS = "https://w3id.org/perfkg/concept/"
MEASURE_TYPES = ("rate", "count", "amount", "per_capita_amount", "amount_per_unit", "duration", "qualitative")

EXACT_CONFIDENCE = 1.0
LABEL_CONFIDENCE = 0.9
NOT_AT_END_FACTOR = 0.85  # a match followed by more characters is a weaker head
_GAP = "…"
# Units printed after the name, e.g. 参保人住院费用实际报销比例(%) or 市级财政补助标准(元).
_UNIT_SUFFIX = re.compile(r"\((?:%|元|万元|人|人次|万人)\)$")


@dataclass(frozen=True)
class ConceptLink:
    """One indicator → concept link: the concept slug, how sure, and what matched."""

    concept: str
    confidence: float
    evidence: str

    @property
    def iri(self) -> str:
        return CONCEPT_NS + self.concept


@dataclass(frozen=True)
class IndicatorTags:
    """Everything the linker says about one indicator."""

    links: tuple[ConceptLink, ...]
    populations: tuple[str, ...]
    measure_type: str | None


@dataclass(frozen=True)
class _Pattern:
    concept: str
    text: str
    confidence: float
    is_label: bool


def normalise_name(name: str | None) -> str:
    """The name as matched: no whitespace, simplified, NFKC, no trailing unit in brackets."""
    text = unicodedata.normalize("NFKC", to_simplified(compact(name)))
    return _UNIT_SUFFIX.sub("", text)


def _data(name: str) -> Traversable:
    return resources.files("perfkg.kg").joinpath("data").joinpath(name)


def _read_jsonl(source: Traversable) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ValueError(f"{source}: line {number}: {err.msg}") from None
    return rows


def read_concept_scheme(scheme_ttl: str) -> tuple[dict[str, list[str]], dict[str, frozenset[str]]]:
    """From the concept scheme's Turtle: slug → its @zh pref and alt labels, and slug → all its broader slugs."""
    graph = Graph().parse(data=scheme_ttl, format="turtle")
    labels: dict[str, list[str]] = {}
    broader: dict[str, frozenset[str]] = {}
    for concept in sorted(graph.subjects(RDF.type, SKOS.Concept), key=str):  # IRIs: their text order
        slug = str(concept)[len(CONCEPT_NS):]
        texts = [str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in graph.objects(concept, p)
                 if getattr(o, "language", None) == "zh"]
        labels[slug] = sorted(set(texts))
        ancestors = graph.transitive_objects(concept, SKOS.broader)
        broader[slug] = frozenset(str(a)[len(CONCEPT_NS):] for a in ancestors if a != concept)
    return labels, broader


class ConceptLinker:
    """Links indicators to concepts and tags population and measure type (see module docstring)."""

    def __init__(self, scheme_ttl: str | None = None) -> None:
        import spacy  # imported here: a second to import, and only graph building needs it

        if scheme_ttl is None:
            scheme_ttl = resources.files("perfkg.ontology").joinpath("concepts.ttl").read_text(encoding="utf-8")
        self.labels, self.broader = read_concept_scheme(scheme_ttl)
        self.nlp = spacy.blank("zh")  # default segmenter "char": one token per character
        self._patterns = self._read_patterns()
        self._exact = {p.text: p.concept for p in reversed(self._patterns) if p.is_label}
        self._build_matchers()
        self._rules = _read_jsonl(_data("concept_context_rules.jsonl"))
        measure_rows = _read_jsonl(_data("measure_patterns.jsonl"))
        for rule in self._rules:
            for key in ("concept", "from"):
                if key in rule and rule[key] not in self.labels:
                    raise ValueError(f"concept_context_rules.jsonl: unknown concept {rule[key]!r}")
        for row in measure_rows + self._rules:
            named = row.get("measures", [row["measure"]] if "measure" in row else [])
            for measure in named + row.get("excludes_measures", []):
                if measure not in MEASURE_TYPES:
                    raise ValueError(f"kg/data: unknown measure type {measure!r} in {row}")
        self._units = {r["unit"]: r["measure"] for r in measure_rows if "unit" in r}
        self._suffixes = [(r["name_suffix"], r["measure"]) for r in measure_rows if "name_suffix" in r]
        ruler: Any = self.nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})  # an EntityRuler
        ruler.add_patterns(_read_jsonl(_data("population_patterns.jsonl")))

    def _read_patterns(self) -> list[_Pattern]:
        """The scheme's labels, then the fragments and gapped patterns of concept_patterns.jsonl."""
        patterns = [_Pattern(slug, normalise_name(text), LABEL_CONFIDENCE, True)
                    for slug, texts in self.labels.items() for text in texts]
        for row in _read_jsonl(_data("concept_patterns.jsonl")):
            if row["concept"] not in self.labels:
                raise ValueError(f"concept_patterns.jsonl: unknown concept {row['concept']!r}")
            text = _GAP.join(normalise_name(part) for part in row["pattern"].split(_GAP))  # NFKC would turn … into ...
            patterns.append(_Pattern(row["concept"], text, float(row["confidence"]), False))
        return patterns

    def _build_matchers(self) -> None:
        """Plain patterns into a PhraseMatcher, gapped ones (…) into a Matcher with ``*`` in each gap."""
        from spacy.matcher import Matcher, PhraseMatcher

        self._phrases = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._gapped = Matcher(self.nlp.vocab)
        for index, pattern in enumerate(self._patterns):
            key = f"p{index}"  # match ids lead back to self._patterns[index]
            if _GAP in pattern.text:
                tokens: list[dict[str, Any]] = []
                for part_number, part in enumerate(pattern.text.split(_GAP)):
                    if part_number:
                        tokens.append({"OP": "*"})
                    tokens.extend({"ORTH": t.text} for t in self.nlp.make_doc(part))
                self._gapped.add(key, [tokens])
            else:
                self._phrases.add(key, [self.nlp.make_doc(pattern.text)])

    # -- name links ------------------------------------------------------------------------------
    def _name_link(self, name: str) -> ConceptLink | None:
        if not name:
            return None
        if name in self._exact:
            return ConceptLink(self._exact[name], EXACT_CONFIDENCE, f"label: {name}")
        doc = self.nlp.make_doc(name)
        candidates = []
        for match_id, start, end in list(self._phrases(doc)) + list(self._gapped(doc)):
            pattern = self._patterns[int(self.nlp.vocab.strings[match_id][1:])]
            confidence = pattern.confidence * (1.0 if end == len(doc) else NOT_AT_END_FACTOR)
            # head-final: the match ending last wins, then the longest, then the surest
            candidates.append(((end, end - start, confidence, pattern.is_label, pattern.concept),
                               pattern, start, end, confidence))
        if not candidates:
            return None
        _, head, start, end, confidence = max(candidates, key=lambda c: c[0])
        evidence = f"{_kind(head)} {head.text}: {doc[start:end].text}"
        refinements = [c for c in candidates if c[2] < start < c[3] <= end
                       and head.concept in self.broader[c[1].concept]]
        if refinements:  # a modifier overlapping the head that names a narrower concept of it
            _, narrower, n_start, _, n_confidence = max(refinements, key=lambda c: c[0])
            return ConceptLink(narrower.concept, round(min(confidence, n_confidence / NOT_AT_END_FACTOR), 3),
                               f"{_kind(narrower)} {narrower.text} within {evidence.split(':')[0]}: "
                               f"{doc[n_start:end].text}")
        return ConceptLink(head.concept, round(confidence, 3), evidence)

    def _context_link(self, name_link: ConceptLink | None, level1: str | None, level2: str | None,
                      measure: str | None) -> ConceptLink | None:
        levels = compact(f"{level1 or ''}|{level2 or ''}")
        for rule in self._rules:
            if rule["when"] == "vetoes":
                continue
            if rule["when"] == "unlinked" and name_link is not None:
                continue
            if rule["when"] == "refines" and (name_link is None or name_link.concept != rule["from"]):
                continue  # only narrows a general link (满意度 under 服务对象满意度指标)
            if "measures" in rule and measure not in rule["measures"]:
                continue
            if "level_contains" in rule and rule["level_contains"] not in levels:
                continue
            return ConceptLink(rule["concept"], float(rule["confidence"]), f"context: {rule['rule']}")
        return None

    # -- tags ------------------------------------------------------------------------------------
    def measure_type(self, name: str, value: str | None, num: float | None, unit: str | None) -> str | None:
        """rate / count / amount / per_capita_amount / duration / qualitative, or None when unknown."""
        if value and num is None and unit is None:
            parsed = parse_target_value(value)
            num, unit = parsed.num, parsed.unit
        if unit:
            info = unit_info(unit)
            if info is not None and info.compound and info.kind == "currency":
                # the unit grammar: money per person is a per-capita amount, money per anything else is not
                return "per_capita_amount" if "person" in info.per_kinds else "amount_per_unit"
            measure = self._units.get(info.base if info else compact(unit))
            if measure:
                return measure
        if value and num is None:
            return "qualitative"
        for suffix, measure in self._suffixes:  # no value, or a unit the table does not know
            if name.endswith(suffix):
                return measure
        return None

    def populations(self, name: str) -> tuple[str, ...]:
        """Target populations named in the indicator name, in order of appearance, distinct."""
        seen: list[str] = []
        for ent in self.nlp(name).ents:
            if ent.label_ == "POPULATION" and ent.ent_id_ not in seen:
                seen.append(ent.ent_id_)
        return tuple(seen)

    def tag(self, name: str | None, level1: str | None = None, level2: str | None = None,
            value: str | None = None, num: float | None = None, unit: str | None = None) -> IndicatorTags:
        """Concept links, populations and measure type of one indicator given by its fields."""
        key = normalise_name(name)
        measure = self.measure_type(key, value, num, unit)
        name_link = self._name_link(key)
        context_link = self._context_link(name_link, level1, level2, measure)
        if context_link is not None and (name_link is None or name_link.concept != context_link.concept):
            links: tuple[ConceptLink, ...] = (context_link,)  # the row's role outranks its wording
        elif name_link is not None:
            links = (name_link,)
        else:
            links = ()
        vetoed = {r["concept"] for r in self._rules if r["when"] == "vetoes" and measure in r["excludes_measures"]}
        links = tuple(link for link in links if link.concept not in vetoed)
        return IndicatorTags(links, self.populations(key), measure)

    def tag_indicator(self, indicator: Indicator) -> IndicatorTags:
        return self.tag(indicator.level3, indicator.level1, indicator.level2,
                        indicator.value, indicator.num, indicator.unit)


def _kind(pattern: _Pattern) -> str:
    return "label" if pattern.is_label else "pattern"


@functools.lru_cache(maxsize=1)
def default_linker() -> ConceptLinker:
    """The linker over the packaged concept scheme and pattern files (built once per process)."""
    return ConceptLinker()
