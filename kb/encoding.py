"""Sources that are not UTF-8 are read anyway, so Sphinx never stops with "Encoding error".

A file saved as Windows-1252 ("ANSI", Latin-1) is read with its umlauts;
kb.frontmatter names the file and the line of the first byte that is not UTF-8.
"""

from __future__ import annotations

import codecs
import encodings.utf_8_sig

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

CODEC = "kb-utf-8"


def _decode(data: bytes, final: bool, legacy: bool) -> tuple[str, int, bool]:
    """Decode UTF-8; once that fails, the rest as Windows-1252 (what editors save as "ANSI"/Latin-1)."""
    if not legacy:
        try:
            text, used = codecs.utf_8_decode(data, "strict", final)
            return text, used, False
        except UnicodeDecodeError:
            pass
    return bytes(data).decode("cp1252", "replace"), len(data), True


class _Decoder(codecs.BufferedIncrementalDecoder):
    """UTF-8 (a BOM skipped) that never fails: a Latin-1 file still reads with its umlauts.

    kb.frontmatter reports the BOM or the first byte that is not UTF-8 with its line.
    """

    def __init__(self, errors: str = "strict") -> None:
        super().__init__(errors)
        self.first, self.legacy = True, False

    def _buffer_decode(self, data, errors, final):
        skipped = 0
        if self.first:
            if not final and len(data) < 3 and codecs.BOM_UTF8.startswith(bytes(data)):
                return "", 0
            self.first = False
            if bytes(data[:3]) == codecs.BOM_UTF8:
                data, skipped = data[3:], 3
        text, used, self.legacy = _decode(data, final, self.legacy)
        return text, used + skipped

    def reset(self) -> None:
        super().reset()
        self.first, self.legacy = True, False


def _search(name: str) -> codecs.CodecInfo | None:
    if name.replace("_", "-") != CODEC:
        return None
    info = encodings.utf_8_sig.getregentry()
    return codecs.CodecInfo(
        name=CODEC,
        encode=info.encode,
        decode=lambda data, errors="strict": _decode(bytes(data).removeprefix(codecs.BOM_UTF8), True, False)[:2],
        incrementalencoder=info.incrementalencoder,
        incrementaldecoder=_Decoder,
        streamreader=info.streamreader,
        streamwriter=info.streamwriter,
    )


codecs.register(_search)


def use_codec(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Read sources with the forgiving codec (not via source_encoding: Sphinx deprecates other values)."""
    if env.settings.get("input_encoding", "").lower().replace("_", "-") in ("utf-8", "utf-8-sig"):
        env.settings["input_encoding"] = CODEC


def setup_encoding(app: Sphinx) -> None:
    app.connect("env-before-read-docs", use_codec)
