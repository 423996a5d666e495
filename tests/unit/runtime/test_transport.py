"""The dispatcher's HTTP transport against a real local HTTP server."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from learnflow.events import LearnflowError
from learnflow.local._process import free_port
from learnflow.local.runtime.transport import KeepAliveTransport, TransportConnectionError, TransportError, TransportTimeout


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def do_POST(self):
        self.server.connections.add(self.client_address)
        body = self.rfile.read(int(self.headers["content-length"]))
        if self.path == "/slow":
            time.sleep(0.5)
        payload = b"echo:" + body
        self.send_response(503 if self.path == "/busy" else 200)
        self.send_header("content-length", str(len(payload)))
        self.send_header("Kne-Reason", "because")
        self.end_headers()
        self.wfile.write(payload)
        if self.path == "/hang-up":
            # Closed without saying so, as a server drops a connection it finds idle too long.
            self.close_connection = True

    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = set()
        self.hung_up = threading.Event()  # set once the server closed a connection

    def shutdown_request(self, request):
        super().shutdown_request(request)
        self.hung_up.set()

    def handle_error(self, request, client_address):
        pass  # the client that timed out has gone: answering it fails, as expected


@pytest.fixture
def server():
    httpd = _Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def transport():
    transport = KeepAliveTransport()
    yield transport
    transport.close()


def _url(server, path="/fn"):
    return f"http://127.0.0.1:{server.server_port}{path}"


def test_answers_carry_status_lowercased_headers_and_body_over_one_connection(server, transport):
    answers = [transport.post(_url(server), {"ce-id": str(i)}, b"x%d" % i, 1.0) for i in range(5)]
    assert [a.body for a in answers] == [b"echo:x%d" % i for i in range(5)]
    assert answers[0].status == 200 and answers[0].headers["kne-reason"] == "because"
    assert len(server.connections) == 1, "the connection is kept alive between requests"


def test_each_thread_has_its_own_connection(server, transport):
    threads = [threading.Thread(target=transport.post, args=(_url(server), {}, b"", 1.0)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(server.connections) == 3


def test_an_error_status_is_an_answer_not_an_exception(server, transport):
    assert transport.post(_url(server, "/busy"), {}, b"", 1.0).status == 503


def test_a_slow_answer_is_a_timeout(server, transport):
    with pytest.raises(TransportTimeout):
        transport.post(_url(server, "/slow"), {}, b"", 0.1)


def test_nobody_listening_is_a_connection_error(transport):
    with pytest.raises(TransportConnectionError, match="ConnectionRefusedError"):
        transport.post(f"http://127.0.0.1:{free_port()}/", {}, b"", 1.0)


def test_a_connection_the_server_closed_is_replaced(server, transport):
    transport.post(_url(server, "/hang-up"), {}, b"1", 1.0)
    assert server.hung_up.wait(5)
    assert transport.post(_url(server), {}, b"2", 1.0).body == b"echo:2"
    assert len(server.connections) == 2


def test_after_close_a_transport_opens_new_connections(server, transport):
    transport.post(_url(server), {}, b"1", 1.0)
    transport.close()
    assert transport.post(_url(server), {}, b"2", 1.0).body == b"echo:2"


def test_transport_errors_are_the_librarys_errors():
    assert issubclass(TransportTimeout, TransportError) and issubclass(TransportConnectionError, TransportError)
    assert issubclass(TransportError, LearnflowError)
