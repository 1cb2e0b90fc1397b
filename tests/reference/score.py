#!/usr/bin/env python3
# Vendored reference scorer (test data, not part of the package).
# Provenance: copied unchanged, apart from this comment, from the shared workspace's
# tools/score.py (../shared/tools/score.py beside the repo; sha256 of the original
# cc510df6e201ddcd73fa23d5a29611fd489136e14e3c1b7840a76d637d9d4bc9). Its rules are
# docs/records.md. tests/test_evaluation_agreement.py checks that `perfkg evaluate`
# prints the same figures. Refresh by copying the original again and keeping this header.
"""Score extracted performance-target records against gold records.

Usage:
  score.py --gold GOLD [GOLD ...] --pred PRED [PRED ...] [--verbose] [--json] [--min-f1 X]

GOLD and PRED are JSON files (one document object, or an array of them) or
directories of such files. Documents are paired by their "source" file name.
The format and matching rules are in ../spec/records.md.
Exit status: 0, or 1 where --min-f1 is given and indicator F1 falls below it.
"""
import argparse
import json
import os
import re
import sys
import unicodedata
from collections import defaultdict

PUNCT = re.compile(r"[\s（）()“”\"「」:：]+")


def norm(text):
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    return PUNCT.sub("", text)


def norm_value(text):
    t = norm(text)
    t = re.sub(r"^文字描述", "", t)
    return t.replace("百分比", "%").replace("≧", "≥").replace("≦", "≤")


def value_equal(gold, pred):
    """Same printed value, or the same parsed (op, num, unit) where the gold is quantitative."""
    if norm_value(gold.get("value")) == norm_value(pred.get("value")):
        return True
    return (gold.get("num") is not None and num_equal(gold.get("num"), pred.get("num"))
            and norm(gold.get("op")) == norm(pred.get("op"))
            and norm_value(gold.get("unit")) == norm_value(pred.get("unit")))


def load(paths):
    docs = {}
    for path in paths:
        files = (
            [os.path.join(path, f) for f in sorted(os.listdir(path)) if f.endswith(".json")]
            if os.path.isdir(path)
            else [path]
        )
        for f in files:
            with open(f, encoding="utf-8") as fh:
                data = json.load(fh)
            for doc in data if isinstance(data, list) else [data]:
                docs[os.path.basename(str(doc.get("source", "")))] = doc
    return docs


def num_equal(a, b):
    if a is None or b is None:
        return a is None and b is None
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def pair_projects(gold_projects, pred_projects):
    """Pair gold and predicted projects: by normalised name (code or budget breaking ties), then
    by one name containing the other, then the last unpaired gold with the last unpaired prediction.
    Returns (gold, pred, same_name) triples and the unpaired predictions."""
    pairs, used = {}, set()
    for gi, g in enumerate(gold_projects):
        candidates = [
            (i, p) for i, p in enumerate(pred_projects)
            if i not in used and norm(p.get("name")) == norm(g.get("name"))
        ]
        if len(candidates) > 1:
            by_code = [c for c in candidates if norm(c[1].get("code")) == norm(g.get("code"))]
            by_budget = [c for c in candidates if num_equal(c[1].get("budget_total"), g.get("budget_total"))]
            candidates = by_code or by_budget or candidates
        if candidates:
            i, p = candidates[0]
            used.add(i)
            pairs[gi] = (g, p, True)
    for gi, g in enumerate(gold_projects):
        if gi in pairs:
            continue
        gn = norm(g.get("name"))
        for i, p in enumerate(pred_projects):
            pn = norm(p.get("name"))
            if i not in used and len(gn) >= 4 and len(pn) >= 4 and (gn in pn or pn in gn):
                used.add(i)
                pairs[gi] = (g, p, False)
                break
    left_gold = [gi for gi in range(len(gold_projects)) if gi not in pairs]
    left_pred = [i for i in range(len(pred_projects)) if i not in used]
    if len(left_gold) == 1 and len(left_pred) == 1:
        used.add(left_pred[0])
        pairs[left_gold[0]] = (gold_projects[left_gold[0]], pred_projects[left_pred[0]], False)
    result = [pairs.get(gi, (g, None, False)) for gi, g in enumerate(gold_projects)]
    unmatched_pred = [p for i, p in enumerate(pred_projects) if i not in used]
    return result, unmatched_pred


def pair_indicators(gold_inds, pred_inds):
    pairs, used = [], set()
    for g in gold_inds:
        name = norm(g.get("level3"))
        same_name = [i for i, p in enumerate(pred_inds) if i not in used and norm(p.get("level3")) == name]
        same_value = [i for i in same_name if value_equal(g, pred_inds[i])]
        pick = (same_value or same_name or [None])[0]
        if pick is not None:
            used.add(pick)
            pairs.append((g, pred_inds[pick]))
        else:
            pairs.append((g, None))
    extra = [p for i, p in enumerate(pred_inds) if i not in used]
    return pairs, extra


def f1(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold_docs, pred_docs, verbose=False):
    c = defaultdict(lambda: defaultdict(int))  # per kind counters
    misses = []
    for source, gdoc in sorted(gold_docs.items()):
        pdoc = pred_docs.get(source, {"projects": []})
        if source not in pred_docs:
            misses.append(f"{source}: no predicted document")
        for key in ("bureau", "year"):
            c["doc"][key + "_n"] += 1
            gv, pv = norm(gdoc.get(key)), norm(pdoc.get(key))
            ok = bool(gv == pv or (key == "bureau" and gv and pv and (gv in pv or pv in gv)))
            c["doc"][key + "_ok"] += ok
            if not ok:
                misses.append(f"{source}: {key} gold={gdoc.get(key)!r} pred={pdoc.get(key)!r}")
        pairs, extra_projects = pair_projects(gdoc.get("projects", []), pdoc.get("projects", []))
        for p in extra_projects:
            k = p.get("kind") or "project"
            c[k]["proj_pred"] += 1
            c[k]["ind_pred"] += len(p.get("indicators") or [])
            misses.append(f"{source}: extra project {p.get('name')!r}")
        for g, p, same_name in pairs:
            k = g.get("kind") or "project"
            cc = c[k]
            cc["proj_gold"] += 1
            cc["ind_gold"] += len(g.get("indicators") or [])
            if p is None:
                misses.append(f"{source}: missing project {g.get('name')!r}")
                continue
            cc["proj_pred"] += 1
            cc["proj_tp"] += 1
            cc["project_name_n"] += 1
            cc["project_name_ok"] += same_name
            if not same_name:
                misses.append(f"{source}: project name gold={g.get('name')!r} pred={p.get('name')!r}")
            for field in ("code", "budget_total", "budget_fiscal", "budget_other"):
                if g.get(field) is not None:
                    cc[field + "_n"] += 1
                    ok = norm(g[field]) == norm(p.get(field)) if field == "code" else num_equal(g[field], p.get(field))
                    cc[field + "_ok"] += ok
                    if not ok:
                        misses.append(f"{source}: {g.get('name')}: {field} gold={g[field]!r} pred={p.get(field)!r}")
            if g.get("goal"):
                cc["goal_n"] += 1
                cc["goal_ok"] += norm(g["goal"]) == norm(p.get("goal"))
            ipairs, extra = pair_indicators(g.get("indicators") or [], p.get("indicators") or [])
            cc["ind_pred"] += len(p.get("indicators") or [])
            for e in extra:
                misses.append(f"{source}: {g.get('name')}: extra indicator {e.get('level3')!r}={e.get('value')!r}")
            for gi, pi in ipairs:
                if pi is None:
                    misses.append(f"{source}: {g.get('name')}: missing indicator {gi.get('level3')!r}={gi.get('value')!r}")
                    continue
                cc["name_tp"] += 1
                value_ok = value_equal(gi, pi)
                cc["ind_tp"] += value_ok
                if not value_ok:
                    misses.append(f"{source}: {g.get('name')}: {gi.get('level3')!r} value gold={gi.get('value')!r} pred={pi.get('value')!r}")
                for field in ("level1", "level2", "op", "unit"):
                    cc[field + "_n"] += 1
                    ok = norm_value(gi.get(field)) == norm_value(pi.get(field))
                    cc[field + "_ok"] += ok
                    if not ok and field in ("level1", "level2"):
                        misses.append(f"{source}: {g.get('name')}: {gi.get('level3')!r} {field} gold={gi.get(field)!r} pred={pi.get(field)!r}")
                cc["num_n"] += 1
                cc["num_ok"] += num_equal(gi.get("num"), pi.get("num"))
    return c, misses


def summarise(c):
    out = {}
    doc = c.get("doc", {})
    out["bureau_acc"] = doc.get("bureau_ok", 0) / max(1, doc.get("bureau_n", 0))
    out["year_acc"] = doc.get("year_ok", 0) / max(1, doc.get("year_n", 0))
    total = defaultdict(int)
    for kind, cc in c.items():
        if kind == "doc":
            continue
        for k, v in cc.items():
            total[k] += v
        out[kind] = kind_summary(cc)
    out["all"] = kind_summary(total)
    return out


def kind_summary(cc):
    s = {}
    s["projects_gold"] = cc.get("proj_gold", 0)
    s["indicators_gold"] = cc.get("ind_gold", 0)
    s["indicators_pred"] = cc.get("ind_pred", 0)
    s["project_p"], s["project_r"], s["project_f1"] = f1(cc.get("proj_tp", 0), cc.get("proj_pred", 0), cc.get("proj_gold", 0))
    s["name_p"], s["name_r"], s["name_f1"] = f1(cc.get("name_tp", 0), cc.get("ind_pred", 0), cc.get("ind_gold", 0))
    s["indicator_p"], s["indicator_r"], s["indicator_f1"] = f1(cc.get("ind_tp", 0), cc.get("ind_pred", 0), cc.get("ind_gold", 0))
    for field in ("project_name", "level1", "level2", "op", "num", "unit", "code", "budget_total", "budget_fiscal", "budget_other", "goal"):
        n = cc.get(field + "_n", 0)
        if n:
            s[field + "_acc"] = cc.get(field + "_ok", 0) / n
    return s


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", nargs="+", required=True)
    ap.add_argument("--pred", nargs="+", required=True)
    ap.add_argument("--verbose", action="store_true", help="list every miss")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--min-f1", type=float, default=None)
    args = ap.parse_args(argv)
    counts, misses = score(load(args.gold), load(args.pred), args.verbose)
    summary = summarise(counts)
    if args.verbose:
        for m in misses:
            print("MISS", m)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        print(f"bureau acc {summary['bureau_acc']:.3f}  year acc {summary['year_acc']:.3f}")
        for kind in [k for k in summary if isinstance(summary[k], dict)]:
            s = summary[kind]
            accs = "  ".join(f"{k[:-4]} {v:.3f}" for k, v in s.items() if k.endswith("_acc"))
            print(f"[{kind}] projects {s['projects_gold']} (F1 {s['project_f1']:.3f})  "
                  f"indicators gold {s['indicators_gold']} pred {s['indicators_pred']}  "
                  f"name F1 {s['name_f1']:.3f}  indicator F1 {s['indicator_f1']:.3f}")
            print(f"    {accs}")
    f = summary["all"]["indicator_f1"]
    print(f"indicator_f1={f:.4f}")
    if args.min_f1 is not None and f < args.min_f1:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
