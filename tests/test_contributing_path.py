"""CONTRIBUTING's local path ("Weg 2"), followed literally: its commands in the order written.

The repository is a clone of a git repository made from the working tree's tracked files;
`git push` goes to that origin. Each command line of the guide's sh block runs as written in
bash, with three things of this machine around it, never in it: ``.venv`` is a link to the
checkout's virtualenv (make does not install it again: ``-o`` its stamps), the preview listens
on a free port instead of 8000 (``LIVEPORT``; port 8000 may be in use), and git has an identity.
``make livehtml`` is stopped the way the text says, with Strg+C (SIGINT to the terminal's
process group), after the new page was served with the problem box the text promises. ``make
test`` is the suite that runs this test, so it runs as ``make -n test`` (what it would do).
Own xdist group: one serial build of the site (the preview's) runs beside the other tests.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
PREVIEW_TIMEOUT = 240  # seconds for the preview's first (serial) build of the site


def _commands() -> list[str]:
    """The command lines of the sh block in "Weg 2", comments removed."""
    section = GUIDE[GUIDE.index("## Weg 2") :]
    block = re.search(r"```sh\n(.+?)\n```", section, re.S).group(1)
    return [re.sub(r"\s+#\s.*$", "", line).strip() for line in block.splitlines() if line.strip()]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _origin(tmp_path: Path, env: dict) -> Path:
    """A bare repository holding the working tree's tracked files (what a clone would get)."""
    work = tmp_path / "upstream"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode("utf-8").split("\0")):
        source = ROOT / name
        if source.is_file():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / name)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "Stand"]):
        subprocess.run(["git", *args], cwd=work, check=True, env=env)
    origin = tmp_path / "remote" / "wissensbasis.git"  # cloned into the folder "wissensbasis"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(origin)], check=True, env=env)
    return origin


@pytest.mark.xdist_group("contributing-path")
def test_the_local_path_runs_as_written(tmp_path):
    commands = _commands()
    kinds = [next((k for k in ("clone", "livehtml", "make test", "push") if k in c), c) for c in commands]
    assert kinds[0] == "clone" and "livehtml" in kinds and kinds.index("livehtml") < kinds.index("make test")
    assert "beenden mit Strg+C" in GUIDE and "kehrt nicht von selbst zurück" in GUIDE
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "NO_COLOR": "1",
    }
    env.pop("MAKEFLAGS", None)
    env.pop("MAKELEVEL", None)
    origin = _origin(tmp_path, env)
    clone = tmp_path / "wissensbasis"
    port = _free_port()
    prelude = f'make() {{ command make -o .venv/.stamp-docs -o .venv/.stamp-dev LIVEPORT={port} "$@"; }}\nset -e\n'
    timings = {}
    for command in commands:
        started = time.monotonic()
        if "git clone" in command:
            line = command.replace("<Adresse des Repositorys>", str(origin)).replace("<Ordner>", clone.name)
            subprocess.run(["bash", "-c", prelude + line], cwd=tmp_path, env=env, check=True, capture_output=True)
            (clone / ".venv").symlink_to(ROOT / ".venv")  # this machine's virtualenv (not part of the guide)
        elif "livehtml" in command:
            _preview(prelude + command, clone, env, port)
        elif command.startswith("make test"):
            dry = subprocess.run(
                ["bash", "-c", prelude + command.replace("make test", "make -n test", 1)],
                cwd=clone,
                env=env,
                capture_output=True,
                text=True,
            )
            assert dry.returncode == 0, dry.stdout + dry.stderr
            assert "pytest" in dry.stdout
        else:
            done = subprocess.run(["bash", "-c", prelude + command], cwd=clone, env=env, capture_output=True, text=True)
            assert done.returncode == 0, (command, done.stdout + done.stderr)
        timings[command] = time.monotonic() - started
    # The push reached origin: the branch with the new page.
    pushed = subprocess.run(
        ["git", "show", "praxisbeispiel-firma-xy:case-studies/firma-xy.md"],
        cwd=origin,
        env=env,
        capture_output=True,
        text=True,
    )
    assert pushed.returncode == 0 and "Firma XY GmbH" in pushed.stdout, pushed.stderr
    print({command[:40]: f"{seconds:.1f} s" for command, seconds in timings.items()})


def _preview(script: str, clone: Path, env: dict, port: int) -> None:
    """make livehtml: wait for the new page, then Strg+C; it must stop, without a traceback."""
    process = subprocess.Popen(
        ["bash", "-c", script],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    try:
        page, deadline = "", time.monotonic() + PREVIEW_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/case-studies/firma-xy.html", timeout=5) as r:
                    page = r.read().decode("utf-8")
                break
            except OSError:
                time.sleep(1)
        assert process.poll() is None, "make livehtml stopped by itself"
        assert "Firma XY GmbH" in page, "the preview did not serve the new page"
        # The template's placeholders: the box on every page (kb.live_notice) names the file and the line.
        assert "kb-problems.js" in page, "no problem box on the page"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_static/kb-problems.js", timeout=5) as r:
            box = r.read().decode("utf-8")
        assert re.search(r"case-studies/firma-xy\.md:\d+: [^\"]*AUSFÜLLEN", box), box[:2000]
        os.killpg(process.pid, signal.SIGINT)  # Strg+C
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    text = output.decode("utf-8", "replace")
    assert "Traceback" not in text, text[-3000:]
    with socket.socket() as sock:  # nothing listens on the port any more (closed connections may linger)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
