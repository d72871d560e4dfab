"""Bytes -> SSE ``data:`` payloads, whatever the chunk boundaries (LF, CRLF or CR line ends)."""

from __future__ import annotations

__all__ = ["DONE", "MAX_LINE", "SSEDecoder"]

#: The data payload of the stream's closing ``data: [DONE]`` event, as :meth:`SSEDecoder.feed`
#: returns it (the decoder does not treat it specially; the caller compares against this).
DONE = b"[DONE]"

#: The longest SSE line accepted, in bytes. Generous: a speech reply arrives as one event
#: (a minute of WAV is about 4 MB of base64); a server that never ends its line is stopped.
MAX_LINE = 64 * 1024 * 1024


class SSEDecoder:
    r"""Incremental Server-Sent-Events decoder that yields the ``data`` of each event.

    Only ``data`` fields matter to chat completions; ``event``/``id``/``retry`` fields and
    ``:`` comments (keep-alives) are ignored. Multi-line data is joined with ``\\n`` as the
    SSE spec says. Time and memory are linear in the input: each chunk is split once, and
    the pieces of an unfinished line are kept in a list and joined once, when it ends.

    A line longer than ``max_line`` bytes raises :class:`ValueError` (the stream turns it
    into a :class:`~mimo_client.StreamInterruptedError`).

    One deliberate departure from the spec: an event whose data is empty (``data:`` alone,
    which the spec dispatches with ``data == ""``) is skipped. A chat-completion event with no
    data carries nothing, so skipping it loses nothing, where passing it on would fail the
    whole stream as "not JSON" (a server sending ``data:`` as a keep-alive).
    """

    __slots__ = ("_data", "_max_line", "_pending_cr", "_tail", "_tail_size")

    def __init__(self, max_line: int = MAX_LINE) -> None:
        self._tail: list[bytes] = []  # the pieces of the line not ended yet
        self._tail_size = 0
        self._data: list[bytes] = []  # the data lines of the event not dispatched yet
        self._pending_cr = False  # the last chunk ended with CR: a LF next is the same line end
        self._max_line = max_line

    def feed(self, chunk: bytes) -> list[bytes]:
        """Consume ``chunk`` and return the data payloads of every event it completed."""
        if self._pending_cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]
        self._pending_cr = chunk.endswith(b"\r")
        if b"\r" in chunk:
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = chunk.split(b"\n")
        tail = lines.pop()  # after the last line end: the start of an unfinished line
        out: list[bytes] = []
        if lines:
            if self._tail:
                lines[0] = b"".join([*self._tail, lines[0]])
                self._tail = []
                self._tail_size = 0
            for line in lines:
                self._line(line, out)
        if tail:
            self._tail.append(tail)
            self._tail_size += len(tail)
            if self._tail_size > self._max_line:
                raise ValueError(
                    f"an SSE line longer than {self._max_line} bytes without a line end; "
                    "the server is not sending an event stream (or raise max_line)"
                )
        return out

    def _line(self, line: bytes, out: list[bytes]) -> None:
        data = self._data
        if not line:  # a blank line ends the event
            if data:
                payload = data[0] if len(data) == 1 else b"\n".join(data)
                if payload:  # empty data: skipped (see the class docstring)
                    out.append(payload)
                data.clear()
        elif line.startswith(b"data:"):
            value = line[5:]
            data.append(value[1:] if value.startswith(b" ") else value)
        # other fields and ':' comments are ignored

    def flush(self) -> list[bytes]:
        """End of stream: return a final event that was not followed by a blank line."""
        out: list[bytes] = []
        if self._tail:
            self._line(b"".join(self._tail), out)
            self._tail = []
            self._tail_size = 0
        if self._data:
            payload = b"\n".join(self._data)
            if payload:
                out.append(payload)
            self._data.clear()
        return out
