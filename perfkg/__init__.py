"""perfkg: Chinese budget performance-target tables (绩效目标表) to a knowledge graph.

The Python API, for notebooks and scripts; the ``perfkg`` command line calls these same functions.
Each function is a thin door onto one stage of the pipeline (``perfkg.extract`` reads documents,
``perfkg.kg`` builds, stores, queries and draws the graph)::

    >>> import perfkg
    >>> records = perfkg.extract(["examples/documents"])
    >>> len(records), records[0].bureau
    (5, '临沂市罗庄区医疗保障局')
    >>> graph = perfkg.build(records)
    >>> table = perfkg.query("satisfaction_targets", graph)
    >>> list(table.columns[:2])
    ['bureau', 'project']
    >>> int((table["bureau"] == "漳州市医疗保障局").sum()) > 0
    True
"""
from perfkg import extract  # the package of readers, callable as perfkg.extract(paths)
from perfkg.api import ExtractionError, build, compare, evaluate, open_store, query, table, view
from perfkg.errors import PerfkgError

__all__ = ["PerfkgError", "ExtractionError", "extract", "build", "open_store", "query", "table", "compare", "view",
           "evaluate", "__version__"]
__version__ = "0.1.0"

