"""The three views in headless Chromium: every node drawn, no request leaves the machine, hostile text stays text.

Playwright drives Debian's chromium (``make browser`` installs it); it never downloads a browser.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from perfkg.extract.records import load_records
from perfkg.kg.graph_build import build_dataset
from perfkg.kg.graph_views import bureau_view, concept_view, project_view
from perfkg.kg.render_html import write_view

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL_SCHEMES = ("file:", "data:", "about:")
HOSTILE = Path(__file__).parent / "data" / "views" / "hostile_records.json"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (installs Debian's chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class LoadedView:
    """A view page open in the browser, with every request it made."""

    def __init__(self, browser: Browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1280, "height": 860})
        self.requests: list[str] = []
        self.errors: list[str] = []
        # every request is recorded; anything not local is also refused, so a leak cannot succeed silently
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-rendered=yes]", state="attached", timeout=30_000)

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            route.abort()

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def close(self) -> None:
        self.context.close()


def check_rendered(browser: Browser, view, path: Path) -> LoadedView:
    write_view(view, path)
    loaded = LoadedView(browser, path)
    assert loaded.errors == []
    assert loaded.js("network.body.data.nodes.length") == view.number_of_nodes()
    assert loaded.js("Object.keys(network.body.nodes).length") == view.number_of_nodes()
    assert loaded.js("network.body.data.edges.length") == view.number_of_edges()
    assert path.as_uri() in loaded.requests, "the request listener saw the page itself"
    remote = [url for url in loaded.requests if not url.startswith(LOCAL_SCHEMES)]
    assert remote == []
    return loaded


def test_project_view_renders_every_node_offline(browser, tmp_path, seed_records, seed_dataset):
    project = max(seed_records[0].projects, key=lambda p: len(p.indicators))
    view = project_view(seed_dataset, project.name)
    loaded = check_rendered(browser, view, tmp_path / "project.html")
    kinds = loaded.js("network.body.data.nodes.get().map(n => n.kind)")
    assert kinds.count("indicator") == len(project.indicators)
    loaded.close()


def test_bureau_view_renders_every_node_offline(browser, tmp_path, seed_records, seed_dataset):
    view = bureau_view(seed_dataset, seed_records[2].bureau)
    loaded = check_rendered(browser, view, tmp_path / "bureau.html")
    # projects drawn with the sizes the budget gave them
    sizes = loaded.js("network.body.data.nodes.get().filter(n => n.kind === 'project').map(n => n.size)")
    assert sorted(sizes) == sorted(d["size"] for _, d in view.nodes(data=True) if d["kind"] == "project")
    loaded.close()


def test_folded_bureau_view_renders_and_shows_the_notice(browser, tmp_path, seed_records, seed_dataset):
    view = bureau_view(seed_dataset, seed_records[2].bureau, max_nodes=35)
    loaded = check_rendered(browser, view, tmp_path / "bureau_folded.html")
    assert loaded.page.is_visible("#aggregation-notice")
    assert "--max-nodes 35" in loaded.page.inner_text("#aggregation-notice")
    loaded.close()


def test_concept_view_renders_every_node_offline(browser, tmp_path, seed_dataset):
    view = concept_view(seed_dataset, "service-recipient-satisfaction")
    loaded = check_rendered(browser, view, tmp_path / "concept.html")
    assert loaded.js("network.body.data.nodes.get().filter(n => n.kind === 'bureau').length") >= 3
    loaded.close()


def test_script_in_an_indicator_name_shows_as_text(browser, tmp_path):
    records = load_records(json.loads(HOSTILE.read_text(encoding="utf-8")))
    view = bureau_view(build_dataset(records), records[0].bureau)
    loaded = check_rendered(browser, view, tmp_path / "hostile.html")
    assert loaded.js("typeof window.__perfkgXss") == "undefined", "document text ran as script"
    assert loaded.page.inner_text("h1") == f"Bureau: {records[0].bureau}"
    indicator = next(n for n, d in view.nodes(data=True) if d["label"] == "<script>window.__perfkgXss=2</script>")
    node = loaded.js(f"(() => {{ const n = network.body.data.nodes.get({json.dumps(indicator)});"
                     "return {label: n.label, tooltip: n.title.textContent, markup: n.title.innerHTML}; })()")
    assert node["label"] == "<script>window.__perfkgXss=2</script>"  # plain text, drawn on the canvas as it is
    assert "<script>window.__perfkgXss=2</script>" in node["tooltip"]
    assert "&lt;script&gt;window.__perfkgXss=2&lt;/script&gt;" in node["markup"]
    # hover the node: the tooltip vis-network shows holds the name as text
    x, y = loaded.js(f"(() => {{ const p = network.canvasToDOM(network.getPosition({json.dumps(indicator)}));"
                     "const r = document.querySelector('#view canvas').getBoundingClientRect();"
                     "return [r.left + p.x, r.top + p.y]; })()")
    loaded.page.mouse.move(x, y)
    loaded.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    tooltip = loaded.page.inner_text("div.vis-tooltip")
    assert "<script>window.__perfkgXss=2</script>" in tooltip
    assert "</script><script>window.__perfkgXss=4</script><!--" in tooltip
    assert loaded.js("typeof window.__perfkgXss") == "undefined"
    assert loaded.js("document.querySelectorAll('img').length") == 0
    loaded.close()


def _drawn_boxes(loaded: LoadedView) -> list[dict]:
    """Every node's label box in page coordinates (document pixels), from vis-network's own geometry."""
    return loaded.js("""(() => {
      const r = document.querySelector('#view canvas').getBoundingClientRect();
      return Object.values(network.body.nodes).filter(n => !n.options.hidden && network.body.data.nodes.get(n.id))
        .map(n => { const b = n.labelModule.size; const s = network.getScale();
          const tl = network.canvasToDOM({x: b.left, y: b.top});
          return {id: n.id, left: r.left + window.scrollX + tl.x, top: r.top + window.scrollY + tl.y,
                  width: b.width * s, height: b.height * s, font: n.options.font.size * s}; });
    })()""")


@pytest.mark.parametrize("kind", ["project", "bureau", "concept", "bureaus"])
def test_views_are_readable_at_the_default_zoom(browser, tmp_path, seed_records, seed_dataset, kind):
    from perfkg.kg.graph_views import build_view

    project = max(seed_records[0].projects, key=lambda p: len(p.indicators))
    keys = {"project": ("project", project.name), "bureau": ("bureau", seed_records[1].bureau),
            "concept": ("concept", "service-recipient-satisfaction"),
            "bureaus": ("bureau", [seed_records[1].bureau, seed_records[3].bureau])}
    view = build_view(seed_dataset, *keys[kind])
    loaded = check_rendered(browser, view, tmp_path / f"{kind}.html")
    boxes = _drawn_boxes(loaded)
    assert len(boxes) == view.number_of_nodes()
    page = loaded.js("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    for box in boxes:
        assert box["font"] >= 12, box  # labels at least 12 px high as the page opens
        assert box["left"] >= 0 and box["top"] >= 0, box  # nothing off the page
        assert box["left"] + box["width"] <= page[0] and box["top"] + box["height"] <= page[1], box
    for i, a in enumerate(boxes):  # no two labels overlap
        for b in boxes[i + 1:]:
            overlap = (min(a["left"] + a["width"], b["left"] + b["width"]) - max(a["left"], b["left"]),
                       min(a["top"] + a["height"], b["top"] + b["height"]) - max(a["top"], b["top"]))
            assert overlap[0] <= 1 or overlap[1] <= 1, (a, b)
    if kind == "bureaus":
        assert loaded.js("network.body.data.nodes.get().filter(n => n.kind === 'bureau').length") == 2
    loaded.close()


def test_search_box_and_level_filter(browser, tmp_path, seed_records, seed_dataset):
    view = bureau_view(seed_dataset, seed_records[1].bureau)
    loaded = check_rendered(browser, view, tmp_path / "search.html")
    loaded.page.fill("#search", "满意")
    expected = sum(1 for _, d in view.nodes(data=True) if "满意" in str(d["label"]))
    assert expected > 0
    assert loaded.js("network.getSelectedNodes().length") == expected
    assert loaded.page.inner_text("#search-count") == f"{expected} found"
    satisfaction = sum(1 for _, d in view.nodes(data=True) if d.get("group") == "满意度指标")
    loaded.page.uncheck(".level-toggle[value='满意度指标']")
    assert loaded.js("network.body.data.nodes.get().filter(n => n.hidden).length") == satisfaction > 0
    loaded.close()
