"""The evaluation report: an ``Evaluation`` as the text ``perfkg evaluate`` prints."""
from __future__ import annotations

from perfkg.extract.evaluation_scores import INDICATOR_FIELDS, PROJECT_FIELDS, Evaluation, Scores


def _rate(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def _accuracies(scores: Scores, names: tuple[str, ...]) -> str:
    return "  ".join(f"{name} {_rate(scores.accuracy(name))}" for name in names if scores.accuracy(name) is not None)


def scores_lines(scores: Scores) -> list[str]:
    """Counts, F1s and accuracies of one Scores, as indented lines."""
    ip, ir, if1 = scores.indicator_prf
    np_, nr, nf1 = scores.name_prf
    pp, pr, pf1 = scores.project_prf
    accuracies = [_accuracies(scores, INDICATOR_FIELDS), _accuracies(scores, ("project_name",) + PROJECT_FIELDS)]
    return [
        f"  indicator F1 {if1:.3f} (P {ip:.3f} R {ir:.3f})  gold {scores.indicators_gold}  "
        f"pred {scores.indicators_pred}  matched {scores.indicators_matched}  correct {scores.indicators_correct}",
        f"  name F1 {nf1:.3f} (P {np_:.3f} R {nr:.3f})  (level3 matched, whatever the value)",
        f"  project F1 {pf1:.3f} (P {pp:.3f} R {pr:.3f})  gold {scores.projects_gold}  pred {scores.projects_pred}  "
        f"matched {scores.projects_matched}",
    ] + [f"  {line}" for line in accuracies if line]


def document_table(evaluation: Evaluation) -> list[str]:
    """One line per gold document: indicator, name and project F1 and the indicator field accuracies."""
    width = max([len(d.source) for d in evaluation.documents] + [8])
    header = f"{'document':{width}}  ind.F1  name.F1  proj.F1  " + "  ".join(f"{n:>6}" for n in INDICATOR_FIELDS)
    lines = [header]
    for doc in evaluation.documents:
        s = doc.overall
        lines.append(f"{doc.source:{width}}  {s.indicator_f1:.3f}   {s.name_f1:.3f}    {s.project_f1:.3f}    "
                     + "  ".join(f"{_rate(s.accuracy(n)):>6}" for n in INDICATOR_FIELDS)
                     + ("" if doc.has_prediction else "  (no prediction)"))
    return lines


def format_report(evaluation: Evaluation, verbose: bool = False) -> str:
    """The whole report: overall, per kind, per document, and with ``verbose`` every miss."""
    lines = [f"documents {len(evaluation.documents)}  bureau {_rate(evaluation.bureau_accuracy)}  "
             f"year {_rate(evaluation.year_accuracy)}", "[all]"]
    lines += scores_lines(evaluation.overall)
    for kind in evaluation.kinds():
        lines.append(f"[{kind}]")
        lines += scores_lines(evaluation.by_kind(kind))
    lines += [""] + document_table(evaluation)
    if evaluation.traditional_texts:
        lines += ["", f"{evaluation.traditional_texts} predicted names/values are in traditional characters "
                      "(they do not match simplified gold; records should be simplified)"]
    if evaluation.unscored:
        lines += ["", "no gold for: " + ", ".join(evaluation.unscored)]
    if verbose:
        lines += ["", f"misses ({len(evaluation.misses)}):"] + [f"  {m.describe()}" for m in evaluation.misses]
    return "\n".join(line.rstrip() for line in lines) + "\n"
