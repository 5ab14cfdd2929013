#!/usr/bin/env python3
"""A stand-in OAuth provider for the fault drills, with one set of endpoints per provider name:

  GET  /<name>/authorize   redirects straight back to redirect_uri with a fresh code and the state (no login)
  POST /<name>/token       issues an access token (and a refresh token) living LIFETIME_<name> seconds (default 3600)
  POST /<name>/revoke      answers 200
  POST /control/<name>?mode=ok|500|hang[&hang=SECONDS]
                           ok: answer normally; 500: answer HTTP 500; hang: hold each token request SECONDS (60)
                           before answering 500
  GET  /stats              token requests per provider and mode, as JSON

Usage: stub_provider.py PORT [name=lifetime ...]
"""
import json
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

LOCK = threading.Lock()
MODES = {}
HANG = {}
LIFETIMES = {}
STATS = {}


def count(name, what):
    with LOCK:
        STATS.setdefault(name, {}).setdefault(what, 0)
        STATS[name][what] += 1


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body=b"", content_type="application/json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        try:
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the broker gave up waiting (its read timeout), as it should

    def do_GET(self):
        url = urlparse(self.path)
        parts = url.path.strip("/").split("/")
        if url.path == "/stats":
            with LOCK:
                body = json.dumps(STATS).encode()
            return self.send(200, body)
        if len(parts) == 2 and parts[1] == "authorize":
            query = parse_qs(url.query)
            target = query["redirect_uri"][0] + "?" + urlencode(
                {"code": secrets.token_urlsafe(16), "state": query["state"][0]})
            return self.send(302, headers={"Location": target})
        self.send(404)

    def do_POST(self):
        url = urlparse(self.path)
        parts = url.path.strip("/").split("/")
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if len(parts) == 2 and parts[0] == "control":
            query = parse_qs(url.query)
            with LOCK:
                MODES[parts[1]] = query.get("mode", ["ok"])[0]
                HANG[parts[1]] = float(query.get("hang", ["60"])[0])
            return self.send(200, b"{}")
        if len(parts) != 2:
            return self.send(404)
        name, endpoint = parts
        if endpoint == "revoke":
            return self.send(200, b"{}")
        if endpoint != "token":
            return self.send(404)
        with LOCK:
            mode = MODES.get(name, "ok")
            hang = HANG.get(name, 60.0)
        count(name, mode)
        if mode == "hang":
            time.sleep(hang)
        if mode in ("500", "hang"):
            return self.send(500, b'{"error":"server_error"}')
        body = json.dumps({"access_token": "at-" + secrets.token_urlsafe(24),
                           "refresh_token": "rt-" + secrets.token_urlsafe(24),
                           "expires_in": LIFETIMES.get(name, 3600), "token_type": "Bearer"}).encode()
        self.send(200, body)


def main():
    port = int(sys.argv[1])
    for spec in sys.argv[2:]:
        name, lifetime = spec.split("=")
        LIFETIMES[name] = int(lifetime)
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
