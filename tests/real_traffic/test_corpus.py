"""The copy of the real-traffic corpus is the shared one, byte for byte, and the emulator's
constant error bodies are the files' bytes."""

from __future__ import annotations

import re

from mimo_client.testing import _real

from .conftest import DATA, EVERY_FILE, SHARED_CANDIDATES, raw


def test_readme_lists_exactly_the_files_of_the_copy() -> None:
    readme = (DATA / "README.md").read_text()
    listed = sorted(set(re.findall(r"^\| (\d{3}_[^ |]+) \|", readme, flags=re.MULTILINE)))
    assert listed == EVERY_FILE
    assert len(EVERY_FILE) == 15


def test_copy_equals_the_shared_corpus_when_it_is_there() -> None:
    # CI may not have ../shared; where it exists (a developer checkout) it must match.
    for shared in (c for c in SHARED_CANDIDATES if c.is_dir()):
        names = sorted(p.name for p in shared.iterdir())
        assert names == sorted(p.name for p in DATA.iterdir())
        for name in names:
            assert (shared / name).read_bytes() == (DATA / name).read_bytes(), name


def test_emulator_constants_are_the_real_bytes() -> None:
    assert raw("022_401_invalid_key.error.json") == _real.INVALID_KEY_401
    assert raw("023_429_too_many_requests.error.json") == _real.TOO_MANY_REQUESTS_429
    assert raw("020_400_reasoning_passback.error.json") == _real.rejection_body(
        "The reasoning_content in the thinking mode must be passed back to the API."
    )
    assert raw("024_400_not_supported_model.error.json") == _real.rejection_body(
        "Not supported model MiMo-V2.5-Pro"
    )
    assert raw("026_400_text_is_not_set.error.json") == _real.rejection_body("`text` is not set")
