"""A real HTTP server on 127.0.0.1 that serves a folder as the data's remote, as a user's
downloads would see it: byte ranges answered (resumed downloads), and a transfer that can be cut
off part-way, as a dropped connection cuts it."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Remote:
    """The served folder, its address, the paths to cut off after so many bytes (once each), and
    every request's path and ``Range`` header, in order."""

    root: Path
    url: str = ""
    cut: dict[str, int] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)


def _handler(remote: Remote) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked = self.headers.get("Range", "")
            remote.requests.append((self.path, asked))
            path = remote.root / self.path.lstrip("/")
            if ".." in self.path or not path.is_file():
                self.send_error(404)
                return
            data = path.read_bytes()
            start = int(m[1]) if (m := re.fullmatch(r"bytes=(\d+)-", asked)) else 0
            if start >= len(data) > 0:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206 if start else 200)
            if start:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            body = data[start:]
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            limit = remote.cut.pop(self.path, None)
            self.wfile.write(body if limit is None else body[:limit])
            self.close_connection = limit is not None

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serving(root: Path) -> Iterator[Remote]:
    """Serve ``root`` on a free port of 127.0.0.1 for the block."""
    remote = Remote(root)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(remote))
    remote.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield remote
    finally:
        httpd.shutdown()
        httpd.server_close()
