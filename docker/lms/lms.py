"""A small LMS stand-in for docker/compose.yaml (Python standard library only).

POST /confirm      the service's confirmation {"mediaId", "filePath"}: logged, answered 200
POST /store        the handshake store callback (multipart video_id, organization_id, file): the file is counted,
                   answered 200, and a moment later the stand-in confirms it with POST {SERVICE_URL}/video/confirm
GET  /received     what arrived so far, as JSON
"""
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SERVICE_URL = os.environ.get("SERVICE_URL", "http://service:8080")
API_KEY = os.environ.get("API_KEY", "")
received = []


def confirm_later(video_id):
    time.sleep(1)
    body = urllib.parse.urlencode({"video_id": video_id}).encode()
    request = urllib.request.Request(SERVICE_URL + "/video/confirm", data=body, method="POST",
                                     headers={"X-API-Key": API_KEY,
                                              "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            print("confirmed", video_id, answer.status, flush=True)
    except Exception as error:  # the stand-in only reports; the service's TTL sweep handles the rest
        print("confirmation of", video_id, "failed:", error, flush=True)


class Handler(BaseHTTPRequestHandler):
    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def do_POST(self):
        body = self.read_body()
        if self.path == "/confirm":
            received.append({"path": self.path, "json": json.loads(body or b"{}")})
        elif self.path == "/store":
            match = re.search(rb'name="video_id"\r\n\r\n([^\r]*)', body)
            video_id = match.group(1).decode() if match else ""
            received.append({"path": self.path, "video_id": video_id, "bytes": len(body)})
            threading.Thread(target=confirm_later, args=(video_id,), daemon=True).start()
        else:
            self.answer(404, {"error": "Not found"})
            return
        print("received", received[-1], flush=True)
        self.answer(200, {"status": "ok"})

    def do_GET(self):
        if self.path == "/received":
            self.answer(200, received)
        else:
            self.answer(200, {"status": "UP"})

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    # as PID 1 of its container, Python would ignore SIGTERM (no default action for PID 1): stop at once instead
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    ThreadingHTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
