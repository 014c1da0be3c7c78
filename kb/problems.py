"""Problems that stay reported until they are fixed: in German, with file and line, never a traceback.

One extension, one job per module, each with a ``setup_*`` function:

* ``kb.problem_log`` – every warning recorded with its German explanation, stored, and its page
  read again by the next build until fixed; GitHub annotations;
* ``kb.messages``    – the German explanations of Sphinx's and MyST's messages;
* ``kb.stale_links`` – pages referring to a label, term or page that came, went or moved are
  written again; a removed page's output goes;
* ``kb.safety``      – an exception in a kb handler or directive becomes one warning;
* ``kb.encoding``    – sources that are not UTF-8 are read anyway (kb.frontmatter names the line);
* ``kb.live_notice`` – ``make livehtml`` shows the current problems in every page.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from kb.encoding import setup_encoding
from kb.live_notice import setup_live_notice
from kb.problem_log import setup_problem_log
from kb.safety import setup_safety
from kb.stale_links import setup_stale_links


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    setup_problem_log(app)
    setup_live_notice(app)
    setup_stale_links(app)
    setup_encoding(app)
    setup_safety(app)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
