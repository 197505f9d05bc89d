"""Frames between the store's processes: a 4-byte big-endian length, then a pickle.

Only our own processes, on a private Unix socket or pipe, speak this; nothing from the network
is ever unpickled.
"""

from __future__ import annotations

import asyncio
import pickle
import struct
from typing import Any, BinaryIO

_LEN = struct.Struct(">I")


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


async def read_async(reader: asyncio.StreamReader) -> Any:
    """Read one frame from an asyncio stream; ``asyncio.IncompleteReadError`` at the end."""
    head = await reader.readexactly(_LEN.size)
    (size,) = _LEN.unpack(head)
    return pickle.loads(await reader.readexactly(size))
