"""Bytes -> SSE ``data:`` payloads, whatever the chunk boundaries (LF, CRLF or CR line ends)."""

from __future__ import annotations

__all__ = ["DONE", "SSEDecoder"]

#: Returned by :meth:`SSEDecoder.feed` in place of the ``[DONE]`` sentinel event.
DONE = "[DONE]"


class SSEDecoder:
    r"""Incremental Server-Sent-Events decoder that yields the ``data`` of each event.

    Only ``data`` fields matter to chat completions; ``event``/``id``/``retry`` fields and
    ``:`` comments (keep-alives) are ignored. Multi-line data is joined with ``\\n`` as the
    SSE spec says. Each byte is scanned once: the buffer keeps only the unfinished tail.

    One deliberate departure from the spec: an event whose data is empty (``data:`` alone,
    which the spec dispatches with ``data == ""``) is skipped. A chat-completion event with no
    data carries nothing, so skipping it loses nothing, where passing it on would fail the
    whole stream as "not JSON" (a server sending ``data:`` as a keep-alive).
    """

    __slots__ = ("_buffer", "_data", "_pending_cr")

    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[bytes] = []
        self._pending_cr = False

    def feed(self, chunk: bytes) -> list[bytes]:
        """Consume ``chunk`` and return the data payloads of every event it completed."""
        if (
            not self._buffer
            and not self._data
            and not self._pending_cr
            and chunk.startswith(b"data: ")
            and chunk.find(b"\n") == len(chunk) - 2
            and chunk.endswith(b"\n\n")
            and b"\r" not in chunk
        ):
            payload = chunk[6:-2]  # the usual case: exactly one one-line event per read
            return [payload] if payload else []
        if self._pending_cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]  # the LF of a CRLF split across chunks
        self._pending_cr = False
        buffer = self._buffer + chunk if self._buffer else chunk
        if b"\r" in buffer:
            if buffer.endswith(b"\r"):
                self._pending_cr = True
            buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = buffer.split(b"\n")
        self._buffer = lines.pop()
        out: list[bytes] = []
        data = self._data
        for line in lines:
            if not line:
                if data:
                    payload = data[0] if len(data) == 1 else b"\n".join(data)
                    if payload:  # empty data: skipped (see the class docstring)
                        out.append(payload)
                    data.clear()
            elif line.startswith(b"data:"):
                value = line[5:]
                data.append(value[1:] if value.startswith(b" ") else value)
            # other fields and ':' comments are ignored
        return out

    def flush(self) -> list[bytes]:
        """End of stream: return a final event that was not followed by a blank line."""
        out: list[bytes] = []
        if self._buffer:
            self.feed(b"\n")
        if self._data:
            payload = b"\n".join(self._data)
            if payload:
                out.append(payload)
            self._data.clear()
        return out
