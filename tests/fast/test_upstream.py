"""Every patch of upstream internals (kb.upstream.PATCHES) only saves time: switched off, the output is the same.

(Except for what a patch leaves out on purpose, ``LEFT_OUT``: Sphinx's unused searchindex.js.)

One build of the testroot with every patch applied (pages with sphinx-design components
and quotes added; furo, sphinx-sitemap, kb.design, kb.problems and kb.discovery loaded),
then one build per patch with it switched off by ``kb_upstream_off``: every output file
byte for byte the same. A probe per patch shows it really acted in the first build and
not in the second, so the comparison can fail.
"""

from __future__ import annotations

import gc
import runpy
import shutil
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

import kb.discovery
import kb.navigation
import kb.topmatter
import kb.upstream
from kb.design import CENSUS
from kb.smartquotes import QuickSmartQuotes

ROOT = Path(__file__).parent / "roots" / "test-kb"
# sphinx-sitemap 2.9 reads env.app, which Sphinx 9 deprecates: its business, not this test's.
pytestmark = pytest.mark.filterwarnings(r"ignore:'sphinx\.environment\.BuildEnvironment\.app' is deprecated")

# The testroot's extensions and those of the patches it does not load.
EXTENSIONS = [
    *runpy.run_path(str(ROOT / "conf.py"))["extensions"],
    "kb.design",
    "kb.problems",
    "kb.discovery",
    "kb.search_index",
    "kb.topmatter",
]
CONF = {"extensions": EXTENSIONS, "html_theme": "furo", "html_baseurl": "https://example.invalid/"}
# Two processes asked for: kb.parallel builds the small testroot serially, switched off it runs in parallel.
PARALLEL = 2

PAGES = {
    "komponenten.md": """---
description: Seite mit Komponenten von sphinx-design für die schnellen Tests.
---
# Komponenten

:::{dropdown} Mehr dazu
Text im Aufklapper.
:::

::::{tab-set}
:::{tab-item} Eins
Erster Reiter.
:::
:::{tab-item} Zwei
Zweiter Reiter.
:::
::::

:::{card} Eine Karte
:link: https://example.org/
:link-new-tab:
Text der Karte.
:::
""",
    "zeichen.md": """---
description: Seite mit Anführungszeichen, Strichen und Auslassungspunkten.
---
# Zeichen

Er sagte "Hallo".

Nur 'einfach', geht's?

Von A -- B.

Von A --- B.

Dann ... am Ende.

Und . . . so.

Mit \\\\ Schrägstrich.

Die Zeichenfolge &amp;#34; im Text.

Schon „typografisch“ – nichts zu tun, `"Code"` bleibt.

*"Betont"* und [„Link"](https://example.org/) mit {term}`Testbegriff`.

```
"wörtlich" -- bleibt...
```
""",
    "index.md": (ROOT / "index.md")
    .read_text(encoding="utf-8")
    .replace("events/*\n", "komponenten\nzeichen\nevents/*\n"),
}

# Settings besides the default under which a patch acts differently (each costs two builds).
VARIANTS: dict[str, list[dict]] = {
    "navigation": [{"kb_sidebar_full_max_pages": 1}],  # the short sidebar of a large site
}


def _warnings(text: str) -> list[str]:
    """The warnings of a build, without the "already registered" notices of every app after the first."""
    return [line for line in text.splitlines() if "WARNING" in line and "is already registered" not in line]


def _handlers(app: SphinxTestApp, event: str) -> list:
    """The handlers of an event, unwrapped (kb.safety wraps kb's own)."""
    return [getattr(listener.handler, "__wrapped__", listener.handler) for listener in app.events.listeners[event]]


# Whether a patch acted in a build: (app, what the spies saw) -> bool.
PROBES = {
    "design": lambda app, seen: "dropdown" in (seen["census"] or ((), False))[0],
    "smartquotes": lambda app, seen: QuickSmartQuotes in app.registry.transforms,
    "memory": lambda app, seen: seen["frozen"] > 0,
    "parallel": lambda app, seen: seen["processes"] != PARALLEL,
    "navigation": lambda app, seen: seen["sidebars"] > 0,
    "safety": lambda app, seen: any(
        hasattr(listener.handler, "__wrapped__")
        for listeners in app.events.listeners.values()
        for listener in listeners
    ),
    "sitemap": lambda app, seen: kb.discovery.sitemap_in_serial_order in _handlers(app, "build-finished"),
    "searchindex": lambda app, seen: not (Path(app.outdir) / "searchindex.js").exists(),
    "topmatter": lambda app, seen: kb.topmatter.installed(),
}
# What a patch leaves out on purpose: files only the build with it switched off writes.
LEFT_OUT = {"searchindex": {"searchindex.js"}}


def build(srcdir: Path, **overrides) -> tuple[dict[str, bytes], dict, str]:
    """(output files, what the probes say, status log) of a fresh build of the testroot with PAGES."""
    shutil.copytree(ROOT, srcdir)
    for name, text in PAGES.items():
        (srcdir / name).write_text(text, encoding="utf-8")
    status, warning = StringIO(), StringIO()
    app = SphinxTestApp(
        "html", srcdir=srcdir, confoverrides={**CONF, **overrides}, parallel=PARALLEL, status=status, warning=warning
    )
    seen = {"census": None, "frozen": 0, "processes": 0}

    def census(app, doctree, docname):
        if docname == "komponenten":
            seen["census"] = getattr(doctree, CENSUS, None)

    app.connect("doctree-resolved", census, priority=999)
    app.connect("env-updated", lambda app, env: seen.update(frozen=gc.get_freeze_count()), priority=999)
    app.connect("write-started", lambda app, builder: seen.update(processes=app.parallel), priority=999)
    try:
        app.build()
        seen["sidebars"] = kb.navigation.cached_sidebars()
        probes = {name: PROBES[name](app, seen) for name in kb.upstream.PATCHES}
        assert not _warnings(warning.getvalue()), warning.getvalue()
        files = {
            path.relative_to(app.outdir).as_posix(): path.read_bytes()
            for path in sorted(Path(app.outdir).rglob("*"))
            if path.is_file() and path.name != ".buildinfo"
        }
    finally:
        app.cleanup()
    return files, probes, status.getvalue()


@pytest.fixture(scope="module")
def applied(tmp_path_factory) -> tuple[dict[str, bytes], dict, str]:
    """The build with every patch applied, default settings."""
    return build(tmp_path_factory.mktemp("applied") / "src")


CASES = [
    pytest.param(name, settings, id="-".join([name, *(f"{k}={v}" for k, v in settings.items())]))
    for name in kb.upstream.PATCHES
    for settings in [{}, *VARIANTS.get(name, [])]
]


@pytest.mark.parametrize(("name", "settings"), CASES)
def test_a_patch_switched_off_changes_no_output(applied, tmp_path, name, settings):
    on_files, on, _ = build(tmp_path / "on", **settings) if settings else applied
    off_files, off, log = build(tmp_path / "off", kb_upstream_off=[name], **settings)
    assert on[name], f"the patch {name} did not act in the build with it applied"
    assert not off[name], f"switched off, the patch {name} still acted"
    notices = [line for line in log.splitlines() if line.startswith(f"kb.upstream: {name} aus")]
    assert len(notices) == 1, notices  # one line per build
    assert off_files.keys() - on_files.keys() == LEFT_OUT.get(name, set())
    assert on_files.keys() <= off_files.keys()
    changed = [path for path in on_files if on_files[path] != off_files[path]]
    assert not changed, f"switching {name} off changed {changed}"


def test_the_patched_pages_have_what_the_patches_touch(applied):
    """The pages the comparisons above rest on hold components and characters to educate (folded in
    from test_extensions' kb.design and kb.smartquotes tests, which compared one page with and without)."""
    files, _, _ = applied
    components = files["komponenten.html"].decode("utf-8")
    assert "<details" in components and 'type="radio"' in components  # dropdown, tab set
    assert 'target="_blank"' in components  # the card's link opens in a new tab
    characters = files["zeichen.html"].decode("utf-8")
    for educated in ("„Hallo“", "‚einfach‘, geht’s", "A – B", "A — B", "Dann … am", "Und … so"):
        assert educated in characters, educated
    assert "wörtlich" in characters and "„wörtlich“" not in characters  # code is left as it is


def _notices(log: str) -> dict[str, list[str]]:
    return {
        name: [line for line in log.splitlines() if f"kb.upstream: {name} aus" in line] for name in kb.upstream.PATCHES
    }


def _start(tmp_path: Path) -> SphinxTestApp:
    """The application of a build of the testroot, set up (config-inited is past), not built."""
    shutil.copytree(ROOT, tmp_path / "src")
    app = SphinxTestApp("html", srcdir=tmp_path / "src", confoverrides=CONF, status=StringIO(), warning=StringIO())
    for name in kb.upstream.PATCHES:
        kb.upstream.applies(app, name)  # (asked again: answered from the first decision, not logged twice)
    return app


def test_outside_its_versions_a_patch_stays_out_with_one_notice(tmp_path, monkeypatch):
    for name, (dist, _, description) in list(kb.upstream.PATCHES.items()):
        monkeypatch.setitem(kb.upstream.PATCHES, name, (dist, "==0.0.1", description))
    app = _start(tmp_path)
    try:
        for name, lines in _notices(app.status.getvalue()).items():
            dist = kb.upstream.PATCHES[name][0]
            version = kb.upstream.installed(dist)
            assert lines == [
                f"kb.upstream: {name} aus – geschrieben für {dist} ==0.0.1, installiert {version}; "
                f"es gilt das Verhalten von {dist}"
            ]
            assert not kb.upstream.applies(app, name)
        assert QuickSmartQuotes not in app.registry.transforms
        assert not _warnings(app.warning.getvalue())
    finally:
        app.cleanup()


def test_a_further_distribution_outside_its_versions_keeps_a_patch_out(tmp_path, monkeypatch):
    real = kb.upstream.version
    monkeypatch.setattr(kb.upstream, "version", lambda dist: "8.2.3" if dist == "sphinx" else real(dist))
    app = _start(tmp_path)
    try:
        notices = _notices(app.status.getvalue())
        for name, (dist, _, _) in kb.upstream.PATCHES.items():
            on_sphinx = dist == "sphinx" or "sphinx" in dict(kb.upstream.ALSO_FOR.get(name, ()))
            assert kb.upstream.applies(app, name) is not on_sphinx, name
            assert len(notices[name]) == on_sphinx, notices[name]
            expected = "geschrieben für sphinx >=9.0,<9.1, installiert 8.2.3; es gilt das Verhalten von sphinx"
            assert all(expected in line for line in notices[name]), notices[name]
    finally:
        app.cleanup()


@pytest.mark.parametrize("every", ["*", "all"])
def test_star_or_all_switches_every_patch_off(tmp_path, every):
    shutil.copytree(ROOT, tmp_path / "src")
    conf = {**CONF, "kb_upstream_off": [every]}
    app = SphinxTestApp("html", srcdir=tmp_path / "src", confoverrides=conf, status=StringIO(), warning=StringIO())
    try:
        assert not any(kb.upstream.applies(app, name) for name in kb.upstream.PATCHES)
    finally:
        app.cleanup()
