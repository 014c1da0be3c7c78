"""``make livehtml``: every page shows the problems of the last build in a German notice box."""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx

NOTICE_JS = """// Written by kb.problems for `make livehtml`: the problems of the last build.
(function () {
  var problems = %s;
  if (!problems.length) return;
  function show() {
    var box = document.createElement("div");
    box.className = "kb-problems";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:sticky;top:0;z-index:100;background:#fff4e5;color:#5f2b00;" +
      "border:3px solid #b54708;padding:0.75rem 1rem;font:1rem/1.4 sans-serif;max-height:40vh;overflow:auto";
    var title = document.createElement("strong");
    title.textContent = problems.length === 1 ? "Der letzte Build meldet 1 Problem:" :
      "Der letzte Build meldet " + problems.length + " Probleme:";
    box.appendChild(title);
    var list = document.createElement("ul");
    problems.forEach(function (p) {
      var item = document.createElement("li");
      item.textContent = p;
      list.appendChild(item);
    });
    box.appendChild(list);
    var hint = document.createElement("p");
    hint.textContent = "Bitte beheben und speichern; die Seite lädt dann neu. Solange ein Problem bleibt, schlägt die Prüfung fehl.";
    box.appendChild(hint);
    document.body.insertBefore(box, document.body.firstChild);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show);
  else show();
})();
"""


def _notice(app: Sphinx) -> bool:
    """Whether this build shows the problems in its pages (make livehtml)."""
    return app.config.kb_problem_notice and app.builder.format == "html"


def add_notice_script(app: Sphinx) -> None:
    if _notice(app):
        app.add_js_file("kb-problems.js")


def write_notice(app: Sphinx, problems: list[dict], relative) -> None:
    """The notice script with the problems of this build (only with kb_problem_notice)."""
    if not _notice(app):
        return
    lines = [f"{relative(app, p['path'])}:{p['line']}: {p['message']}" if p["path"] else p["message"] for p in problems]
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "kb-problems.js").write_text(NOTICE_JS % json.dumps(lines, ensure_ascii=False), encoding="utf-8")


def setup_live_notice(app: Sphinx) -> None:
    app.add_config_value("kb_problem_notice", False, "html", types=[bool])
    app.connect("builder-inited", add_notice_script)
