"""The project's vcrpy cassettes and the code that records and replays them.

The YAML files below ``cassettes/notebooks/`` and ``cassettes/tests/`` are recorded HTTP
exchanges with a MiMo endpoint (the live service, or the loopback emulator when no key was
given: ``cassettes/README.md`` says which, per cassette). ``python -m cassettes.record``
re-records all of them; :mod:`cassettes.config` holds the one vcrpy configuration that the
recorder, the replay tests and the notebooks share.
"""

from cassettes.config import (
    CASSETTE_DIR,
    PLACEHOLDER_KEY,
    REPLAY_BASE_URL,
    json_body_matcher,
    make_vcr,
    vcr_config,
)

__all__ = [
    "CASSETTE_DIR",
    "PLACEHOLDER_KEY",
    "REPLAY_BASE_URL",
    "json_body_matcher",
    "make_vcr",
    "vcr_config",
]
