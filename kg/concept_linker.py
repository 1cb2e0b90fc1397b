"""The concept linker: an indicator's level-3 name (with its context) to canonical concepts.

Built on a blank spaCy Chinese pipeline with character tokens (``spacy.blank("zh")``, no model,
nothing downloaded). Three kinds of evidence, all kept in data files:

* phrases: every ``skos:prefLabel``/``skos:altLabel`` @zh of ``ontology/concepts.ttl`` plus the
  fragments of ``kg/data/concept_patterns.jsonl`` (PhraseMatcher); fragments written with ``…``
  are gapped patterns (Matcher, any characters in the gap);
* context rules (``kg/data/concept_context_rules.jsonl``): the level name and measure type, e.g. an
  amount in a 成本指标 row is a cost ceiling whatever the row is called;
* populations (EntityRuler, ``kg/data/population_patterns.jsonl``) and measure types
  (``kg/data/measure_patterns.jsonl``: by unit, else qualitative value, else by name suffix);
* the structure of the name (``kg/name_structure.py``, jieba words) when nothing above matched: its
  measure suffix (``kg/data/measure_suffixes.jsonl``: …率 a rate, …人数 a number of people, …数量 a
  count refined by the head noun), else the kind of its target's unit or its value
  (``kg/data/structure_rules.jsonl``: 台 a count of items, 亩 an area, a date a deadline). These are the
  generic concepts of the measure facet, which the narrower ones above hang under;
* the object facet ("of what": a population, an object, a service) from the words before the measure
  suffix (``kg/data/object_lexicon.jsonl``), nearest the head first, one per facet root.

Chinese indicator names are head-final (参保人员 | 满意度, 补助标准 | 符合率), so the name link is the
match that ends last (longest on ties); earlier matches are modifiers and are not linked, except one that
overlaps the head and names a narrower concept of it (资金支付及时 + 及时率: fund-disbursement timeliness,
not just timeliness).

Evidence strings say how a link was made: ``label: X`` (the whole name is a label), ``label X: Y`` or
``pattern X: Y`` (label or pattern X matched the text Y of the name), ``… within …`` (a refinement as
above), ``context: rule`` (a context rule), ``suffix X of H`` (the measure suffix X after the head
word H), ``structure: rule`` (a structure rule on the target), ``word X: W`` (an object-facet word).
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
from perfkg.kg.name_structure import NameParser, last_match
from perfkg.kg.units import unit_info

CONCEPT_NS = "https://w3id.org/perfkg/concept/"
MEASURE_TYPES = ("rate", "count", "amount", "per_capita_amount", "amount_per_unit", "duration", "qualitative")
MEASURE_FACET = CONCEPT_NS + "facet-measure"
OBJECT_FACET = CONCEPT_NS + "facet-object"

EXACT_CONFIDENCE = 1.0
LABEL_CONFIDENCE = 0.9
NOT_AT_END_FACTOR = 0.85  # a match followed by more characters is a weaker head
_GAP = "…"
# Units printed after the name, e.g. 参保人住院费用实际报销比例(%) or 市级财政补助标准(元).
_UNIT_SUFFIX = re.compile(r"\((?:%|元|万元|人|人次|万人)\)$")
# A template's placeholder left in a name: 受益人口数≥**人, 旅游景点开发数量(≥**个).
_PLACEHOLDER = re.compile(r"\(?[≥≤><=]*\*+[^)）]*\)?$")
# A target that is a date or a range of dates (2023年12月31日, 2023.07-2024.01, 2020年1月--2020年11月).
# A quantity printed at the end of a name (村组干部230人, …达标率100%) is the target, not its structure.
_TRAILING_QUANTITY = re.compile(r"\d+(?:\.\d+)?(?:%|人|个|户|元|万元)$")
_DATE = re.compile(r"^\d{4}(?:年|\.|-|/)\d{0,2}")


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
    about: tuple[ConceptLink, ...] = ()  # the object facet: populations, objects, services the name is about


@dataclass(frozen=True)
class _Pattern:
    concept: str
    text: str
    confidence: float
    is_label: bool
    anchor_end: bool = False  # matches only at the end of the name (a one-character suffix such as 费)


def normalise_name(name: str | None) -> str:
    """The name as matched: no whitespace, simplified, NFKC, no trailing unit in brackets."""
    text = unicodedata.normalize("NFKC", to_simplified(compact(name)))
    return _PLACEHOLDER.sub("", _UNIT_SUFFIX.sub("", text))


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
    labels, broader, _ = read_faceted_scheme(scheme_ttl)
    return labels, broader


def read_faceted_scheme(scheme_ttl: str) -> tuple[dict[str, list[str]], dict[str, frozenset[str]], dict[str, str]]:
    """As ``read_concept_scheme``, plus slug → facet IRI (the collection holding it or one of its broader concepts)."""
    graph = Graph().parse(data=scheme_ttl, format="turtle")
    labels: dict[str, list[str]] = {}
    broader: dict[str, frozenset[str]] = {}
    members = {str(m)[len(CONCEPT_NS):]: str(facet) for facet in graph.subjects(RDF.type, SKOS.Collection)
               for m in graph.objects(facet, SKOS.member)}
    facets: dict[str, str] = {}
    for concept in sorted(graph.subjects(RDF.type, SKOS.Concept), key=str):  # IRIs: their text order
        slug = str(concept)[len(CONCEPT_NS):]
        texts = [str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in graph.objects(concept, p)
                 if getattr(o, "language", None) == "zh"]
        labels[slug] = sorted(set(texts))
        ancestors = graph.transitive_objects(concept, SKOS.broader)
        broader[slug] = frozenset(str(a)[len(CONCEPT_NS):] for a in ancestors if a != concept)
        owners = sorted({members[s] for s in {slug} | broader[slug] if s in members})
        if len(owners) > 1:
            raise ValueError(f"concept scheme: {slug} is in two facets ({', '.join(owners)})")
        facets[slug] = owners[0] if owners else MEASURE_FACET
    return labels, broader, facets


class ConceptLinker:
    """Links indicators to concepts and tags population and measure type (see module docstring)."""

    def __init__(self, scheme_ttl: str | None = None) -> None:
        import spacy  # imported here: a second to import, and only graph building needs it

        if scheme_ttl is None:
            scheme_ttl = resources.files("perfkg.ontology").joinpath("concepts.ttl").read_text(encoding="utf-8")
        self.labels, self.broader, self.facets = read_faceted_scheme(scheme_ttl)
        self.nlp = spacy.blank("zh")  # default segmenter "char": one token per character
        self._patterns = self._read_patterns()
        self._exact = {p.text: p.concept for p in reversed(self._patterns) if p.is_label}
        # a label that is a measure suffix (人数, 数量, 面积) links a whole name equal to it; inside a name
        # the structure step reads it, at the end only and refined by the head noun
        suffixes = {r["suffix"] for r in _read_jsonl(_data("measure_suffixes.jsonl"))}
        self._patterns = [p for p in self._patterns if not (p.is_label and p.text in suffixes)]
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
        self._suffix_rules = {r["suffix"]: r for r in _read_jsonl(_data("measure_suffixes.jsonl"))}
        self._structure_rules = _read_jsonl(_data("structure_rules.jsonl"))
        lexicon_rows = _read_jsonl(_data("object_lexicon.jsonl"))
        self._lexicon = {r["term"]: r["concept"] for r in lexicon_rows}
        self._suffix_terms = frozenset(r["term"] for r in lexicon_rows if r.get("suffix"))
        for row in list(self._suffix_rules.values()) + self._structure_rules:
            if row["concept"] not in self.labels or self.facets[row["concept"]] != MEASURE_FACET:
                raise ValueError(f"kg/data: {row['concept']!r} is no measure concept of the scheme ({row})")
        for term, slug in self._lexicon.items():
            if slug not in self.labels or self.facets[slug] != OBJECT_FACET:
                raise ValueError(f"object_lexicon.jsonl: {slug!r} ({term}) is no object concept of the scheme")
        self._parser = NameParser(self._suffix_rules, self._lexicon)
        # the root of each object concept (population, physical-object, public-service): one link per root
        self._object_root = {slug: next(iter(sorted(s for s in {slug} | self.broader[slug] if not self.broader[s])))
                             for slug in self.labels if self.facets[slug] == OBJECT_FACET}
        self._tags: dict[tuple[Any, ...], IndicatorTags] = {}  # tag()'s answers by its arguments

    def _read_patterns(self) -> list[_Pattern]:
        """The scheme's labels, then the fragments and gapped patterns of concept_patterns.jsonl."""
        patterns = [_Pattern(slug, normalise_name(text), LABEL_CONFIDENCE, True)
                    for slug, texts in self.labels.items() if self.facets[slug] == MEASURE_FACET for text in texts]
        for row in _read_jsonl(_data("concept_patterns.jsonl")):
            if row["concept"] not in self.labels:
                raise ValueError(f"concept_patterns.jsonl: unknown concept {row['concept']!r}")
            text = _GAP.join(normalise_name(part) for part in row["pattern"].split(_GAP))  # NFKC would turn … into ...
            patterns.append(_Pattern(row["concept"], text, float(row["confidence"]), False,
                                     row.get("anchor") == "end"))
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
            if pattern.anchor_end and end != len(doc):
                continue
            confidence = pattern.confidence * (1.0 if end == len(doc) else NOT_AT_END_FACTOR)
            # head-final: the match ending last wins, then the longest, then the surest
            candidates.append(((end, end - start, confidence, pattern.is_label, pattern.concept),
                               pattern, start, end, confidence))
        if not candidates:
            return None
        _, head, start, end, confidence = max(candidates, key=lambda c: c[0])
        evidence = f"{_kind(head)} {head.text}: {doc[start:end].text}"
        # a modifier naming a narrower concept of the head says which kind it is: overlapping the head
        # (资金支付及时 + 及时率), inside a gapped head (促进…集体经济…发展) or before it (…代办服务的村覆盖率)
        refinements = [c for c in candidates if c[3] <= end and (c[2], c[3]) != (start, end)
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

    # -- the structure of the name ---------------------------------------------------------------
    def _unit_kind(self, value: str | None, unit: str | None) -> str | None:
        if unit is None and value:
            unit = parse_target_value(value).unit
        info = unit_info(unit) if unit else None
        return info.kind if info is not None else None

    def _refined(self, rule: dict[str, Any], words: tuple[str, ...]) -> str:
        """A count rule's concept narrowed by its head word: people, events or things (``refine_by_head``)."""
        by_head = rule.get("refine_by_head")
        hits = last_match(words[-1:], self._lexicon, self._suffix_terms) if by_head else []  # the head word alone
        if not hits or not by_head:
            return str(rule["concept"])
        slug = hits[0][2]
        return str(by_head.get(slug, by_head.get(self._object_root[slug], rule["concept"])))

    def _structure_link(self, key: str, value: str | None, num: float | None, measure: str | None,
                        unit: str | None) -> ConceptLink | None:
        """A generic measure concept from the name's measure suffix, else from its target's unit or value."""
        if not key:
            return None
        parsed = self._parser.parse(_TRAILING_QUANTITY.sub("", key) or key)
        unit_kind = self._unit_kind(value, unit)
        rule = self._suffix_rules.get(parsed.suffix or "")
        if rule is not None and ("measures" not in rule or measure in rule["measures"]):
            by_unit = self._unit_rule(unit_kind, None) if rule.get("refine_by_head") else None
            concept = (self._refined(by_unit, parsed.stem_words) if by_unit is not None
                       else self._refined(rule, parsed.stem_words))
            evidence = f"suffix {parsed.suffix} of {parsed.head or ''}".rstrip()
            return ConceptLink(concept, float(rule["confidence"]), evidence)
        done = compact(value or "")
        for rule in self._structure_rules:
            if done and done in rule.get("values", ()):
                return ConceptLink(rule["concept"], float(rule["confidence"]), f"structure: {rule['rule']}")
            if (parsed.words and parsed.words[0] in rule.get("leading_words", ()) and num is not None
                    and unit_kind in rule["unit_kinds"]):
                return ConceptLink(rule["concept"], float(rule["confidence"]), f"structure: {rule['rule']}")
        if value and _DATE.match(done):
            measure = "date"
        by_rule = self._unit_rule(unit_kind, measure)
        if by_rule is None:
            return None
        return ConceptLink(self._refined(by_rule, parsed.words), float(by_rule["confidence"]),
                           f"structure: {by_rule['rule']}")

    def _unit_rule(self, unit_kind: str | None, measure: str | None) -> dict[str, Any] | None:
        for rule in self._structure_rules:
            if "leading_words" in rule or "from" in rule or "values" in rule:
                continue
            if unit_kind is not None and unit_kind in rule.get("unit_kinds", ()):
                return rule
            if measure is not None and measure in rule.get("measures", ()):
                return rule
        return None

    def _about_links(self, key: str) -> tuple[ConceptLink, ...]:
        """Object-facet links: the words before the measure suffix, nearest the head first, one per root."""
        if not key:
            return ()
        parsed = self._parser.parse(_TRAILING_QUANTITY.sub("", key) or key)
        words = parsed.stem_words or parsed.words
        links: dict[str, ConceptLink] = {}
        for rank, (index, term, slug) in enumerate(last_match(words, self._lexicon, self._suffix_terms)):
            root = self._object_root[slug]
            if root in links:
                continue
            confidence = (0.8 if words[index] == term else 0.75) - 0.05 * min(rank, 2)
            links[root] = ConceptLink(slug, round(confidence, 3), f"word {term}: {words[index]}")
        return tuple(links.values())

    def _satisfaction_of(self, link: ConceptLink, key: str, about: tuple[ConceptLink, ...]) -> ConceptLink:
        """A bare satisfaction link narrowed by who is satisfied: the population the name names.

        In X对Y满意度 the satisfied party is X (服务单位对…人员满意度: the host units, not the staff).
        """
        if link.concept != "satisfaction":
            return link
        if "对" in key.strip("对"):
            about = self._about_links(key.split("对", 1)[0]) or about
        for rule in self._structure_rules:
            if rule.get("from") == "satisfaction":
                hit = next((a for a in about if a.concept in rule["populations"]), None)
                if hit is not None:
                    return ConceptLink(rule["concept"], round(min(link.confidence, hit.confidence), 3),
                                       f"{link.evidence}; {hit.evidence}")
        return link

    # -- tags --------------------------------------------------------------------------------------
    TAG_MEMO = 50_000  # answers kept (a corpus repeats its indicator names: 满意度, 完成率, …)

    def tag(self, name: str | None, level1: str | None = None, level2: str | None = None,
            value: str | None = None, num: float | None = None, unit: str | None = None) -> IndicatorTags:
        """Concept links (what is measured), the object facet, populations and measure type of one indicator.

        A function of its arguments alone (the answers are immutable), so each distinct indicator is tagged
        once per process: the answers are kept, up to ``TAG_MEMO`` of them."""
        memo = (name, level1, level2, value, repr(num), unit)  # repr: 1, 1.0 and -0.0 stay apart
        known = self._tags.get(memo)
        if known is None:
            known = self._tag(name, level1, level2, value, num, unit)
            if len(self._tags) >= self.TAG_MEMO:
                self._tags.clear()
            self._tags[memo] = known
        return known

    def _tag(self, name: str | None, level1: str | None, level2: str | None,
             value: str | None, num: float | None, unit: str | None) -> IndicatorTags:
        key = normalise_name(name)
        measure = self.measure_type(key, value, num, unit)
        if num is None and value:
            num = parse_target_value(value).num
        about = self._about_links(key)
        name_link = self._name_link(key)
        if name_link is not None:
            name_link = self._satisfaction_of(name_link, key, about)
            if name_link.evidence.startswith("pattern") or name_link.evidence.startswith("label "):
                # a match short of the end of the name is a modifier when a suffix that says what is
                # measured ends the name (就业人数 | 比例: a proportion, not a count; "outranks_modifiers"),
                # unless the match names a narrower concept of it (追回医保基金 | 金额)
                suffix = self._parser.parse(key).suffix
                if (self._suffix_rules.get(suffix or "", {}).get("outranks_modifiers")
                        and not self._reaches_end(key, name_link)):
                    by_suffix = self._structure_link(key, value, num, measure, unit)
                    wider = self.broader[name_link.concept] | {name_link.concept}
                    if by_suffix is not None and by_suffix.concept not in wider:
                        name_link = by_suffix
        context_link = self._context_link(name_link, level1, level2, measure)
        if context_link is not None and (name_link is None or name_link.concept != context_link.concept):
            links: tuple[ConceptLink, ...] = (context_link,)  # the row's role outranks its wording
        elif name_link is not None:
            links = (name_link,)
        else:
            links = ()
        vetoed = {r["concept"] for r in self._rules if r["when"] == "vetoes" and measure in r["excludes_measures"]}
        links = tuple(link for link in links if link.concept not in vetoed)
        if not links:  # nothing named the measure: the structure of the name and its target
            structure_link = self._structure_link(key, value, num, measure, unit)
            links = (structure_link,) if structure_link is not None else ()
        return IndicatorTags(links, self.populations(key), measure, about)

    def _reaches_end(self, key: str, link: ConceptLink) -> bool:
        matched = link.evidence.rsplit(": ", 1)[-1]
        return key.endswith(matched)

    def tag_indicator(self, indicator: Indicator) -> IndicatorTags:
        return self.tag(indicator.level3, indicator.level1, indicator.level2,
                        indicator.value, indicator.num, indicator.unit)


def _kind(pattern: _Pattern) -> str:
    return "label" if pattern.is_label else "pattern"


@functools.lru_cache(maxsize=1)
def default_linker() -> ConceptLinker:
    """The linker over the packaged concept scheme and pattern files (built once per process)."""
    return ConceptLinker()
