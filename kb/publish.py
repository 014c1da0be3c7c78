"""Publishing: the operator's details for the legal pages, and what a web server needs.

One extension, two jobs, each in its own module with a ``setup_*`` function:

* ``kb.publish_details`` – the operator's details from ``publish.yaml`` (checked against
  its schema), the ``kb-betreiber`` role and directive, the footer's legal pages;
* ``kb.publish_server``  – after a publishing build: ``?v=`` checksums put right, ``.gz``
  copies, the nginx configuration with its Content-Security-Policy; the access log's
  fields for the privacy page (``kb-serverprotokoll``).

This module holds what they share: ``kb_publish``, true in a publishing build
(``KB_PUBLISH=1``, as ``make publish`` sets it, or ``-t publish``), where a missing
detail fails the strict build and the web server's files are written.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from kb.publish_details import setup_details
from kb.publish_server import setup_server


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("sphinx_reredirects")  # `redirects` become 301s
    app.setup_extension("notfound.extension")  # the 404 page becomes nginx's error page
    app.add_config_value("kb_publish", False, "", bool)
    setup_details(app)
    setup_server(app)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
