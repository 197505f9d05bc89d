"""Frames between the store's processes: a 4-byte big-endian length, then a pickle.

Only our own processes, on a private Unix socket or pipe, speak this; nothing from the network
is ever unpickled.
"""

from __future__ import annotations

import asyncio
import operator
import pickle
import struct
from dataclasses import fields
from typing import Any, BinaryIO

from kg.execute import QueryRequest
from kg.sparqltext import Request

_LEN = struct.Struct(">I")

# A query crosses to a worker as plain tuples of its two dataclasses' fields, in field order:
# they pickle and unpickle several times faster than the dataclasses (a point lookup's frame:
# 2.4 us to pack instead of 8.9, 4.8 us to read instead of 10.1), and every query pays that.
_REQUEST_FIELDS = operator.attrgetter(*(f.name for f in fields(QueryRequest)))
_INFO_FIELDS = operator.attrgetter(*(f.name for f in fields(Request)))


def query_message(request: QueryRequest, info: Request | None = None) -> tuple[Any, ...]:
    """The request a worker reads with :func:`read_query`."""
    if info is None:
        return ("query", _REQUEST_FIELDS(request))
    return ("query", _REQUEST_FIELDS(request), _INFO_FIELDS(info))


def read_query(message: tuple[Any, ...]) -> tuple[QueryRequest, Request | None]:
    """The query and its tokenizer's findings from a :func:`query_message`."""
    info = Request(*message[2]) if len(message) > 2 else None
    return QueryRequest(*message[1]), info


def pack(message: Any) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _LEN.pack(len(payload)) + payload


def read_blocking(stream: BinaryIO) -> Any:
    """Read one frame from a blocking binary stream; ``EOFError`` at the end."""
    head = _read_exact(stream, _LEN.size)
    (size,) = _LEN.unpack(head)
    return pickle.loads(_read_exact(stream, size))


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


class FrameBuffer:
    """Frames from a byte stream that arrives in pieces (an asyncio protocol's data)."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[Any]:
        """The messages completed by ``data``, in order."""
        buf = self._buf
        if not buf and len(data) >= _LEN.size:  # most often: exactly one whole frame
            (size,) = _LEN.unpack_from(data)
            if len(data) == _LEN.size + size:
                return [pickle.loads(memoryview(data)[_LEN.size :])]
        buf += data
        out = []
        while len(buf) >= _LEN.size:
            (size,) = _LEN.unpack_from(buf)
            end = _LEN.size + size
            if len(buf) < end:
                break
            out.append(pickle.loads(bytes(buf[_LEN.size : end])))
            del buf[:end]
        return out


async def read_async(reader: asyncio.StreamReader) -> Any:
    """Read one frame from an asyncio stream; ``asyncio.IncompleteReadError`` at the end."""
    head = await reader.readexactly(_LEN.size)
    (size,) = _LEN.unpack(head)
    return pickle.loads(await reader.readexactly(size))
