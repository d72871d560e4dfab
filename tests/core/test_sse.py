import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mimo_client._sse import SSEDecoder


def decode_all(pieces):
    decoder = SSEDecoder()
    out = []
    for piece in pieces:
        out.extend(decoder.feed(piece))
    out.extend(decoder.flush())
    return out


def test_events_keepalives_and_comments():
    body = (
        b': keep-alive\n\ndata: {"a": 1}\n\nevent: x\ndata: {"b": 2}\nid: 3\n\n\n\ndata: [DONE]\n\n'
    )
    assert decode_all([body]) == [b'{"a": 1}', b'{"b": 2}', b"[DONE]"]


def test_crlf_and_cr_line_endings():
    body = b"data: 1\r\n\r\ndata: 2\r\rdata: 3\n\n"
    assert decode_all([body]) == [b"1", b"2", b"3"]


def test_crlf_split_across_chunks_is_one_line_end():
    assert decode_all([b"data: 1\r", b"\n\r", b"\ndata: 2\r\n\r\n"]) == [b"1", b"2"]


def test_multiline_data_joined_with_newline():
    assert decode_all([b"data: a\ndata: b\n\n"]) == [b"a\nb"]


def test_final_event_without_blank_line_is_flushed():
    assert decode_all([b"data: last"]) == [b"last"]


def test_data_without_space_after_colon():
    assert decode_all([b'data:{"x":1}\n\n']) == [b'{"x":1}']


payloads = st.lists(
    st.dictionaries(st.text(max_size=5), st.text(max_size=20), max_size=3).map(
        lambda d: json.dumps(d, ensure_ascii=False).encode()
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(
    events=payloads,
    newline=st.sampled_from([b"\n", b"\r\n", b"\r"]),
    comments=st.booleans(),
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=20),
)
def test_same_events_whatever_the_chunk_boundaries(events, newline, comments, cuts):
    parts = []
    for event in events:
        if comments:
            parts.append(b": ping" + newline + newline)
        parts.append(b"data: " + event + newline + newline)
    parts.append(b"data: [DONE]" + newline + newline)
    body = b"".join(parts)
    points = sorted({c % (len(body) + 1) for c in cuts})
    pieces = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]
    assert decode_all(pieces) == [*events, b"[DONE]"]


def test_one_event_per_read_matches_the_whole_body():
    # Servers usually send one event per read: that must decode exactly as the same bytes
    # in one piece.
    events = [
        b'data: {"a": 1}\n\n',
        b"data:  two spaces\n\n",  # only the first space is stripped
        b"data:no-space\n\n",
        b"data: a\ndata: b\n\n",  # two data lines: one event
        b"data: cr\r\n\r\n",
        b": comment\n\n",
        b"data: \n\n",  # empty data is no event
        b"data: [DONE]\n\n",
    ]
    one_per_read = decode_all(events)
    assert one_per_read == decode_all([b"".join(events)])
    assert one_per_read == [b'{"a": 1}', b" two spaces", b"no-space", b"a\nb", b"cr", b"[DONE]"]
    # a partial event pending in the decoder is completed by the next read
    assert decode_all([b"data: x", b"y\n\n", b"data: z\n\n"]) == [b"xy", b"z"]
    assert decode_all([b"data: x\n", b"data: y\n\n"]) == [b"x\ny"]


def test_a_40_mb_event_decodes_in_linear_time_and_memory():
    import time
    import tracemalloc

    line = b"data: " + b"y" * (40 << 20) + b"\n\n"
    decoder = SSEDecoder()
    tracemalloc.start()
    start = time.perf_counter()
    out = []
    for i in range(0, len(line), 65536):
        out += decoder.feed(line[i : i + 65536])
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(out) == 1 and len(out[0]) == 40 << 20
    assert elapsed < 5  # about 0.2 s here; the quadratic decoder took more than 45 s
    assert peak < 4 * len(line)  # the pieces, the joined line and the payload


def test_a_line_without_end_is_capped_with_a_clear_error():
    decoder = SSEDecoder(max_line=1000)
    decoder.feed(b"data: " + b"z" * 900)
    with pytest.raises(ValueError, match="SSE line longer than 1000 bytes"):
        decoder.feed(b"z" * 200)
    # a long line that does end is fine
    assert SSEDecoder(max_line=1000).feed(b"data: " + b"z" * 900 + b"\n\n") == [b"z" * 900]
