"""kb.publish without a build: publish.yaml, checksums, CSP hashes, compression, nginx snippets."""

from __future__ import annotations

import base64
import gzip
import hashlib
import zlib
from pathlib import Path

from kb import publish_details, publish_server

ROOT = Path(publish_details.__file__).parent.parent


def test_example_file_has_every_field_empty_and_each_required_one_missing(tmp_path):
    details = publish_details.Details(ROOT / "publish.example.yaml", ROOT)
    assert details.problems == []
    assert {path for path in details.fields} == {path for path in details.lines if len(path) == 2}
    missing = dict(details.missing())
    assert set(missing) == {path for path, spec in details.fields.items() if spec["required"]}
    text = (ROOT / "publish.example.yaml").read_text(encoding="utf-8").splitlines()
    for (section, name), line in missing.items():
        assert text[line - 1].startswith(f"  {name}:"), (section, name, line)


def test_wrong_details_are_problems_with_lines(tmp_path):
    path = tmp_path / "publish.yaml"
    path.write_text("operator:\n  name: X\n  email: keine-adresse\n  fax: 1\n", encoding="utf-8")
    details = publish_details.Details(path, ROOT)
    messages = dict(details.problems)
    assert any("operator.fax“" in m for m in messages), messages
    assert any("operator.email" in m for m in messages), messages
    assert details.value(("operator", "name")) == "X"
    assert (("operator", "address"), 1) in details.missing()  # no line of its own: its section's


def test_broken_yaml_is_a_problem_with_a_line(tmp_path):
    path = tmp_path / "publish.yaml"
    path.write_text("operator:\n  name: [\n", encoding="utf-8")
    details = publish_details.Details(path, ROOT)
    assert details.problems and details.problems[0][0].startswith("Die Datei publish.yaml ist kein gültiges YAML")
    assert details.problems[0][1] == 3


def test_stale_checksums_are_put_right(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.css").write_bytes(b"body{}")
    (tmp_path / "sub").mkdir()
    right = f"{zlib.crc32(b'body{}'):08x}"
    (tmp_path / "sub" / "p.html").write_text('<link href="../_static/a.css?v=00000000">', encoding="utf-8")
    (tmp_path / "404.html").write_text(f'<link href="/wissen/_static/a.css?v={right}">', encoding="utf-8")
    assert publish_server.fix_checksums(tmp_path) == 1
    assert (tmp_path / "sub" / "p.html").read_text(encoding="utf-8") == f'<link href="../_static/a.css?v={right}">'


def test_csp_hashes_inline_scripts_and_styles_but_not_data_blocks(tmp_path):
    (tmp_path / "p.html").write_text(
        '<script>go()</script><script src="x.js"></script><script type="application/ld+json">{}</script>'
        '<style>b{}</style><svg style="display: none;"></svg>',
        encoding="utf-8",
    )

    def sha(text):
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    scripts, styles = publish_server.inline_hashes(tmp_path)
    assert scripts == [sha("go()")]
    assert sorted(styles) == sorted([sha("b{}"), sha("display: none;")])
    assert sha("go()") in publish_server.content_security_policy(tmp_path)


def test_text_files_get_gz_copies_that_decompress_to_them(tmp_path):
    (tmp_path / "a.html").write_text("<p>Hallo</p>\n" * 50, encoding="utf-8")
    (tmp_path / "b.png").write_bytes(b"\x89PNG" * 50)
    (tmp_path / "old.html.gz").write_bytes(b"stale")
    count, before, after = publish_server.compress(tmp_path)
    assert count == 1 and after < before
    assert gzip.decompress((tmp_path / "a.html.gz").read_bytes()) == (tmp_path / "a.html").read_bytes()
    assert not (tmp_path / "b.png.gz").exists() and not (tmp_path / "old.html.gz").exists()


def test_nginx_snippets_follow_the_prefix_and_the_redirects():
    http, server = publish_server.nginx_config(
        "/wissen/", "default-src 'none'", {"alt/seite.html": "neu/seite.html"}, "404.html", "/tmp/a.log", "x"
    )
    assert (
        f"log_format {publish_server.LOG_FORMAT} '$time_iso8601 $request_method $uri $status $body_bytes_sent';" in http
    )
    assert "$remote_addr" not in http and "$http_user_agent" not in http
    assert "error_page 404 /wissen/404.html;" in server
    assert "location = /wissen {" in server and "    return 301 /wissen/;" in server
    assert "location = /wissen/alt/seite.html { return 301 /wissen/neu/seite.html; }" in server
    assert "location ^~ /wissen/_static/ {" in server
    assert server.count("add_header Content-Security-Policy \"default-src 'none'\" always;") == 3
    _, root = publish_server.nginx_config("/", "c", {}, "404.html", "/tmp/a.log", "x")
    assert "location = / {" not in root and "location / {" in root
