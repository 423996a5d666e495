"""The keep-alive transport against a real local HTTP server."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from learnflow.local._process import free_port
from learnflow.local.runtime.transport import KeepAliveTransport, TransportConnectionError, TransportTimeout


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        if self.path == "/slow":
            time.sleep(0.5)
        payload = b"echo:" + body
        self.send_response(503 if self.path == "/busy" else 200)
        self.send_header("content-length", str(len(payload)))
        self.send_header("Kne-Reason", "because")
        self.end_headers()
        self.wfile.write(payload)
        self.server.connections.add(self.client_address)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.connections = set()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_answers_carry_status_lowercased_headers_and_body_over_one_connection(server):
    transport = KeepAliveTransport()
    url = f"http://127.0.0.1:{server.server_port}/fn"
    answers = [transport.post(url, {"ce-id": str(i)}, b"x%d" % i, 1.0) for i in range(5)]
    transport.close()
    assert [a.body for a in answers] == [b"echo:x%d" % i for i in range(5)]
    assert answers[0].status == 200 and answers[0].headers["kne-reason"] == "because"
    assert len(server.connections) == 1, "the connection is kept alive between requests"


def test_an_error_status_is_an_answer_not_an_exception(server):
    answer = KeepAliveTransport().post(f"http://127.0.0.1:{server.server_port}/busy", {}, b"", 1.0)
    assert answer.status == 503


def test_a_slow_answer_is_a_timeout(server):
    with pytest.raises(TransportTimeout):
        KeepAliveTransport().post(f"http://127.0.0.1:{server.server_port}/slow", {}, b"", 0.1)


def test_nobody_listening_is_a_connection_error():
    with pytest.raises(TransportConnectionError, match="ConnectionRefusedError"):
        KeepAliveTransport().post(f"http://127.0.0.1:{free_port()}/", {}, b"", 1.0)


def test_a_connection_closed_by_the_server_is_reopened(server):
    transport = KeepAliveTransport()
    url = f"http://127.0.0.1:{server.server_port}/fn"
    transport.post(url, {}, b"1", 1.0)
    for conn in transport._all:  # the server side would close an idle connection like this
        conn.sock.shutdown(2)
    assert transport.post(url, {}, b"2", 1.0).body == b"echo:2"
