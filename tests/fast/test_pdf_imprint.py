"""The PDF imprint links the website's legal pages, but only where the public address is known."""

from __future__ import annotations

from types import SimpleNamespace

from kb.pdf_document import legal_pages


class _Title:
    def __init__(self, text: str):
        self.text = text

    def astext(self) -> str:
        return self.text


def _builder(base: str) -> SimpleNamespace:
    config = SimpleNamespace(
        html_baseurl=base, html_file_suffix=None, kb_footer_pages=["ueber/impressum", "ueber/fehlt"]
    )
    return SimpleNamespace(config=config, env=SimpleNamespace(titles={"ueber/impressum": _Title("Impressum")}))


def test_imprint_links_legal_pages_at_the_public_address():
    html = legal_pages(_builder("https://wissen.example.org/wissen/"))
    assert '<a href="https://wissen.example.org/wissen/ueber/impressum.html">Impressum</a>' in html
    assert "fehlt" not in html  # a configured page that does not exist is left out (kb.publish warns)


def test_no_links_to_the_placeholder_address():
    assert legal_pages(_builder("https://example.invalid/")) == ""
