"""The benchmark's HTTP client on real loopback sockets: it keeps its connection, reads every
framing of a body, and sends a request again when the server had closed the kept connection."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from bench.harness import Client

Reply = Callable[[socket.socket], bool]  # writes one response; False: close the connection


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return b""
        data += chunk
    return data


@pytest.fixture
def server() -> Iterator[tuple[int, list[Reply], list[int]]]:
    """A loopback server answering requests with the replies queued, in order; it records how
    many connections it accepted."""
    replies: list[Reply] = []
    accepted = [0]
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen()
    lsock.settimeout(0.05)  # so that the thread sees ``stop``
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = lsock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(5)
            accepted[0] += 1
            with conn:
                while replies and _read_request(conn):
                    if not replies.pop(0)(conn):
                        break

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield lsock.getsockname()[1], replies, accepted
    stop.set()
    lsock.close()
    t.join(5)


def sized(body: bytes, status: str = "200 OK") -> Reply:
    def reply(conn: socket.socket) -> bool:
        conn.sendall(f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        return True

    return reply


def chunked(*parts: bytes) -> Reply:
    def reply(conn: socket.socket) -> bool:
        out = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        for p in parts:
            out += f"{len(p):x}\r\n".encode() + p + b"\r\n"
        conn.sendall(out + b"0\r\n\r\n")
        return True

    return reply


def until_close(body: bytes) -> Reply:
    def reply(conn: socket.socket) -> bool:
        conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body)
        return False

    return reply


def hang_up(conn: socket.socket) -> bool:
    return False  # closes the kept connection without a byte of answer


def test_one_connection_serves_every_request(server) -> None:
    port, replies, accepted = server
    replies += [sized(b"x" * 10), chunked(b"ab", b"cde"), sized(b"y" * 70_000)]
    c = Client(port, "/q", timeout=5)
    assert [c.query("ASK {}", "ASK") for _ in range(3)] == [10, 5, 70_000]
    assert c.connections == 1 == accepted[0]
    assert c.cpu_s > 0
    c.close()


def test_a_body_the_end_of_the_connection_ends_then_a_new_connection(server) -> None:
    port, replies, accepted = server
    replies += [until_close(b"hello"), sized(b"abc")]
    c = Client(port, "/q", timeout=5)
    assert c.query("ASK {}", "ASK") == 5
    assert c.sock is None  # the server said close
    assert c.query("ASK {}", "ASK") == 3
    assert c.connections == 2 == accepted[0]
    c.close()


def test_a_kept_connection_the_server_closed_is_retried_once(server) -> None:
    port, replies, accepted = server
    replies += [sized(b"one"), hang_up, sized(b"two!")]
    c = Client(port, "/q", timeout=5)
    assert c.query("ASK {}", "ASK") == 3
    assert c.query("ASK {}", "ASK") == 4  # the hang-up is not an error of the query
    assert c.connections == 2 == accepted[0]
    c.close()


def test_a_fresh_connection_closed_mid_answer_is_an_error(server) -> None:
    port, replies, _ = server
    replies += [hang_up]
    c = Client(port, "/q", timeout=5)
    with pytest.raises(ConnectionError):
        c.query("ASK {}", "ASK")
    assert c.connections == 1 and c.sock is None


def test_an_error_status_raises_with_the_start_of_its_body(server) -> None:
    port, replies, _ = server
    replies += [sized(b"bad query text", "400 Bad Request"), sized(b"fine")]
    c = Client(port, "/q", timeout=5)
    with pytest.raises(RuntimeError, match="HTTP 400: b'bad query text'"):
        c.query("SELECT", "SELECT")
    assert c.query("ASK {}", "ASK") == 4  # the connection stayed in step
    assert c.connections == 1
    c.close()
