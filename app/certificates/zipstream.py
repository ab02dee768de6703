"""A ZIP writer whose memory does not grow with the number of entries.

zipfile.ZipFile keeps a ZipInfo per entry until it writes the central directory at the end (about half a
kilobyte each); this writer spools the central directory records to a temporary file instead, so an export
of 100,000 certificates needs the same memory as one of ten.
"""

from __future__ import annotations

import shutil
import struct
import tempfile
import zlib
from datetime import datetime
from typing import IO

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_UTF8_FLAG = 0x800
_LIMIT = 0xFFFFFFFF
MAX_ENTRIES = 0xFFFF


class ZipTooLarge(ValueError):
    """The archive needs ZIP64 (over 65,535 entries or 4 GiB), which this writer does not write."""


def _dos_time(moment: datetime) -> tuple[int, int]:
    year = max(moment.year, 1980)
    return ((moment.hour << 11) | (moment.minute << 5) | (moment.second // 2),
            ((year - 1980) << 9) | (moment.month << 5) | moment.day)


class SpooledZipWriter:
    """Write entries one at a time to `out`; call close() (or use `with`) to finish the archive."""

    def __init__(self, out: IO[bytes], *, modified: datetime | None = None, level: int = 6):
        self._out = out
        self._offset = 0
        self._central = tempfile.TemporaryFile()
        self._central_size = 0
        self.count = 0
        self._level = level
        self._time, self._date = _dos_time(modified or datetime(1980, 1, 1))

    def write(self, name: str, data: bytes) -> None:
        if self.count >= MAX_ENTRIES:
            raise ZipTooLarge("More than 65,535 files do not fit in a ZIP without ZIP64.")
        encoded_name = name.encode("utf-8")
        crc = zlib.crc32(data)
        compressor = zlib.compressobj(self._level, zlib.DEFLATED, -15)
        body = compressor.compress(data) + compressor.flush()
        method = 8
        if len(body) >= len(data):  # already compressed (PDF streams mostly are): store it
            body, method = data, 0
        if self._offset + len(body) + 30 + len(encoded_name) > _LIMIT:
            raise ZipTooLarge("The archive would exceed 4 GiB, which needs ZIP64.")
        header = _LOCAL.pack(b"PK\x03\x04", 20, _UTF8_FLAG, method, self._time, self._date, crc, len(body),
                             len(data), len(encoded_name), 0)
        self._out.write(header)
        self._out.write(encoded_name)
        self._out.write(body)
        record = _CENTRAL.pack(b"PK\x01\x02", 20, 20, _UTF8_FLAG, method, self._time, self._date, crc, len(body),
                               len(data), len(encoded_name), 0, 0, 0, 0, 0o644 << 16, self._offset)
        self._central.write(record)
        self._central.write(encoded_name)
        self._central_size += len(record) + len(encoded_name)
        self._offset += len(header) + len(encoded_name) + len(body)
        self.count += 1

    def close(self) -> None:
        if self._central is None:
            return
        self._central.seek(0)
        shutil.copyfileobj(self._central, self._out, 64 * 1024)
        self._central.close()
        self._central = None
        self._out.write(_END.pack(b"PK\x05\x06", 0, 0, self.count, self.count, self._central_size, self._offset, 0))
        self._out.flush()

    def __enter__(self) -> SpooledZipWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        elif self._central is not None:
            self._central.close()
            self._central = None
