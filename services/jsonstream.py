"""A JSON document read a piece at a time: a top-level object member by member, a long list item by item.

``json.loads`` turns a whole file into Python objects at once: an export of 1,000,000 payments
became 2 GB of dictionaries before the first row was checked. ``JsonReader`` keeps about one
megabyte of the text in memory and hands each member of the top-level object to the caller as
it comes; a member named in ``streamed`` whose value is a list comes as an iterator over its
items, each parsed by the standard library's decoder (``JSONDecoder.raw_decode``) when the
caller asks for it.

What it accepts and refuses is what ``json.loads`` accepts and refuses (the same decoder parses
every value; the encoding is detected the same way), and a problem raises the same
``JSONDecodeError``, ``UnicodeDecodeError`` or ``RecursionError``, with its line and column
in the whole document. Two differences: a member named twice at the top level is reported to
the caller (``json.loads`` keeps the last silently), and what follows a malformed value is not read.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Container, Iterator
from typing import IO, Any

CHUNK = 1 << 20  # bytes read at a time
LOOKAHEAD = 64  # characters the decoder may read past where it reports a problem ("\\uXXXX", "true")
_WS = re.compile(r"[ \t\n\r]*")
_AFTER_VALUE = re.compile(r"[ \t\n\r,\]}:]")  # what may follow a whole value (a number stops short of it)


class Streamed:
    """The items of a list member, parsed one at a time as they are iterated (once)."""

    def __init__(self, reader: JsonReader) -> None:
        self._reader = reader
        self.done = False

    def __iter__(self) -> Iterator[Any]:
        reader = self._reader
        if self.done:
            return
        reader.skip_ws()
        if reader.peek() == "]":
            reader.pos += 1
            self.done = True
            return
        while True:
            yield reader.value()
            reader.skip_ws()
            char = reader.peek()
            reader.pos += 1
            if char == "]":
                self.done = True
                return
            if char != ",":
                reader.fail("Expecting ',' delimiter", reader.pos - 1)
            reader.skip_ws()

    def finish(self) -> None:
        """Read past the items the caller did not take."""
        for _item in self:
            pass


class JsonReader:
    """One JSON document from a binary file, read as the caller asks for its parts."""

    def __init__(
        self,
        fh: IO[bytes],
        decoder: json.JSONDecoder,
        progress: Callable[[int], None] | None = None,
        chunk: int = CHUNK,
    ) -> None:
        self._fh = fh
        self._scan = decoder.raw_decode
        self._progress = progress
        self._chunk = chunk
        self.bytes_read = 0
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._lines = 0  # newlines in the text already dropped from the buffer
        self._column = 0  # characters after the last of them
        first = self._read(max(chunk, 4))
        # As json.loads detects it: UTF-8 (with or without a BOM), UTF-16 or UTF-32.
        encoding = json.detect_encoding(first)
        self._decode = codecs.getincrementaldecoder(encoding)("surrogatepass").decode
        self._add(first)

    # --- the buffer ------------------------------------------------------------------------

    def _read(self, size: int) -> bytes:
        data = self._fh.read(size)
        self.bytes_read += len(data)
        if self._progress is not None:
            self._progress(self.bytes_read)
        return data

    def _add(self, data: bytes) -> None:
        text = self._decode(data, final=not data)
        if not data:
            self.eof = True
        dropped = self.buf[: self.pos]
        newlines = dropped.count("\n")
        if newlines:
            self._lines += newlines
            self._column = len(dropped) - dropped.rfind("\n") - 1
        else:
            self._column += len(dropped)
        self.buf = self.buf[self.pos :] + text
        self.pos = 0

    def more(self, size: int = 0) -> bool:
        """Read the next piece of the file (``size`` bytes or more) into the buffer; False at its end."""
        if self.eof:
            return False
        self._add(self._read(max(size, self._chunk)))
        return True

    def skip_ws(self) -> None:
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or not self.more():
                return

    def peek(self) -> str:
        """The next character ("" at the end of the document)."""
        if self.pos >= len(self.buf):
            self.more()
        return self.buf[self.pos : self.pos + 1]

    def fail(self, message: str, at: int) -> None:
        """Raise ``JSONDecodeError`` for position ``at`` of the buffer, placed in the whole document."""
        error = json.JSONDecodeError(message, self.buf, at)
        error.lineno = self._lines + self.buf.count("\n", 0, at) + 1
        if "\n" not in self.buf[:at]:
            error.colno = self._column + at + 1
        error.pos = at  # of the buffer; lineno and colno place it in the document
        raise error

    # --- values ------------------------------------------------------------------------

    def value(self) -> Any:
        """The next value, whole. A value not followed in the buffer by what may follow a value is
        read again with more of the file (a number may go on). A failure near the end of the buffer
        (or a string that does not end in it) is read again with more of the file, until it is
        further in (a real error) or the file ends (a truncated one)."""
        self.skip_ws()
        while True:
            try:
                obj, end = self._scan(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                near_end = exc.pos + LOOKAHEAD >= len(self.buf) or exc.msg.startswith("Unterminated string")
                # Each retry reads as much again as the value has so far: a long value costs a few reads.
                if near_end and self.more(len(self.buf) - self.pos):
                    continue
                self.fail(exc.msg, exc.pos)
            # "2." or "1e" at the end of the buffer may be the start of a longer number.
            if (
                not self.eof
                and not _AFTER_VALUE.search(self.buf, end)
                and self.more(len(self.buf) - self.pos)
            ):
                continue
            self.pos = end
            return obj

    def members(self, streamed: Container[str] = ()) -> Iterator[tuple[str, Any]]:
        """The members of the top-level object in the file's order. A member named in ``streamed``
        whose value is a list comes as a ``Streamed`` (the rest of its items are read past when the
        caller moves on). Call when the document starts with "{" (``peek``); the end of the
        document is checked after the last member."""
        self.skip_ws()
        if self.peek() != "{":
            self.fail("Expecting value", self.pos)
        self.pos += 1
        self.skip_ws()
        if self.peek() == "}":
            self.pos += 1
            self.end()
            return
        while True:
            self.skip_ws()
            if self.peek() != '"':
                self.fail("Expecting property name enclosed in double quotes", self.pos)
            key = self.value()
            self.skip_ws()
            if self.peek() != ":":
                self.fail("Expecting ':' delimiter", self.pos)
            self.pos += 1
            self.skip_ws()
            if key in streamed and self.peek() == "[":
                self.pos += 1
                items = Streamed(self)
                yield key, items
                items.finish()
            else:
                yield key, self.value()
            self.skip_ws()
            char = self.peek()
            self.pos += 1
            if char == "}":
                self.end()
                return
            if char != ",":
                self.fail("Expecting ',' delimiter", self.pos - 1)

    def whole(self) -> Any:
        """The document as one value (one that is not an object, or small)."""
        obj = self.value()
        self.end()
        return obj

    def end(self) -> None:
        """Only white space may follow the document."""
        self.skip_ws()
        if self.pos < len(self.buf):
            self.fail("Extra data", self.pos)
