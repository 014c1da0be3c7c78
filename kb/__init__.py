"""Sphinx extensions and shared helpers of the Wissensbasis Zukunftszentren.

One extension per feature, each switched on by name in ``conf.py``:

* ``kb.metadata``   – the front matter of every page (``kb.schema``, ``kb.listings``, ``kb.paging``, ``kb.steckbrief``,
  ``kb.titles``: the ``#`` title within ``schemas/title.schema.yaml``)
* ``kb.graph``      – actors, tags (Schlagworte), "Erwähnt in" backlinks (``kb.actors``, ``kb.tags``, ``kb.backlinks``)
* ``kb.checks``     – content checks (alt text, unsafe HTML, placeholders, unrendered directives)
* ``kb.jsonld``     – schema.org JSON-LD from the front matter
* ``kb.discovery``  – robots.txt, og:description, sitemap.xml in a fixed order
* ``kb.assets``     – per-page CSS/JS (page weight)
* ``kb.print``      – print support and the PDF download link
* ``kb.pdf``        – the PDF (``kb.pdf_book``, ``kb.pdf_document``, ``kb.pdf_weasyprint``)
* ``kb.publish``    – operator details and what a web server needs (``kb.publish_details``, ``kb.publish_server``)
* ``kb.navigation`` – the sidebar computed once per build, short on large sites
* ``kb.parallel``   – ``-j`` where it pays: serial when few pages are read, a writer per ``-j`` process
* ``kb.memory``     – the garbage collector leaves what lives for the whole build alone
* ``kb.design``     – sphinx-design's HTML steps only on pages that have their components
* ``kb.smartquotes`` – Sphinx's smart quotes, skipping text that has nothing to change
* ``kb.german_ui``  – the search's German strings (``_static/translations.js``)
* ``kb.markup``     – valid, accessible markup (cards, captions, link lists, tab labels)
* ``kb.search``     – search entries: glossary terms, actors, key facts
* ``kb.search_index`` – the search page's index (MiniSearch) and script: recall, ranking, snippets
* ``kb.previews``   – a term's or actor's first sentence on hover and keyboard focus
* ``kb.problems``   – problems stay reported until fixed, German hints, no tracebacks
  (``kb.problem_log``, ``kb.messages``, ``kb.stale_links``, ``kb.safety``, ``kb.encoding``, ``kb.live_notice``)
* ``kb.authoring``  – gender star, unclosed fences, card links, unbuilt Markdown, A–Z bar (``kb.source_checks``,
  ``kb.redirects``, ``kb.images``, ``kb.published_labels``: a published label that vanished)
* ``kb.spelling``   – ``make spelling``: front matter at its line, German compounds

Shared modules beside them: ``kb.frontmatter`` (reading front matter),
``kb.german`` (slug, sort key, dates), ``kb.cards`` (listing cards as nodes, filled in when a page is written),
``kb.state`` (per-document domain tables), ``kb.wording`` (the German wording of message kinds
raised in several places), ``kb.upstream`` (whether a patch of another package's internals
applies to the installed versions); the commands ``kb.newpage`` (``make new-case-study`` and the other new-page targets) and ``kb.labels``
(``make labels``, ``make labels-update``). README.md, "The package kb/: a map", says what each module reads and writes. Code
that only tests, tools and benchmarks use lives in ``tests/support/``.
"""
