"""The cassette configuration end to end: record from the emulator, replay anywhere, fail loudly."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import yaml
from vcr.errors import CannotOverwriteExistingCassetteException

from cassettes import PLACEHOLDER_KEY, REPLAY_BASE_URL, make_vcr
from mimo_client import AssistantTurn, MiMoClient, build_request
from mimo_client.testing import MiMoEmulator, Reply

MESSAGES = [{"role": "user", "content": "hi"}]


def _stream_turn(api_key: str, base_url: str) -> AssistantTurn:
    request = build_request(MESSAGES, model="mimo-v2.6-pro", stream=True)
    with MiMoClient(api_key=api_key, base_url=base_url, max_retries=0) as client:
        with client.stream(request) as stream:
            for _ in stream:
                pass
        return stream.turn


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Path, AssistantTurn, str]:
    path = tmp_path / "stream.yaml"
    with MiMoEmulator() as emulator:
        emulator.script(Reply.text("Hello there.", reasoning="Greet back."))
        with make_vcr("all", secrets=[emulator.api_key]).use_cassette(str(path)):
            turn = _stream_turn(emulator.api_key, emulator.base_url)
        return path, turn, emulator.api_key


def test_recording_keeps_the_key_out_and_content_type_in(recorded) -> None:
    path, _, key = recorded
    text = path.read_text()
    assert key not in text
    (interaction,) = yaml.safe_load(text)["interactions"]
    assert interaction["request"]["headers"]["authorization"] == [f"Bearer {PLACEHOLDER_KEY}"]
    assert set(interaction["request"]["headers"]) <= {"authorization", "content-type", "accept"}
    (content_type,) = interaction["response"]["headers"].pop("content-type")
    assert content_type.startswith("text/event-stream")
    assert interaction["response"]["headers"] == {}


def test_replay_ignores_host_and_port(recorded) -> None:
    path, turn, _ = recorded  # the emulator is stopped by now
    with make_vcr("none").use_cassette(str(path)) as cassette:
        replayed = _stream_turn(PLACEHOLDER_KEY, REPLAY_BASE_URL)
    assert cassette.all_played
    assert (replayed.content, replayed.reasoning_content) == ("Hello there.", "Greet back.")
    assert replayed.usage == turn.usage


def test_replay_matches_json_bodies_regardless_of_key_order(recorded) -> None:
    path, _, _ = recorded
    body = build_request(MESSAGES, model="mimo-v2.6-pro", stream=True)
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2)
    with make_vcr("none").use_cassette(str(path)):
        response = httpx.post(f"{REPLAY_BASE_URL}/chat/completions", content=reordered)
    assert response.headers["content-type"].startswith("text/event-stream")
    assert "Hello there." in "".join(
        json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
        for line in response.text.splitlines()
        if line.startswith("data: {") and '"choices":[{' in line
    )


def test_a_changed_body_fails_loudly_instead_of_reaching_the_network(recorded) -> None:
    path, _, _ = recorded
    changed = build_request(
        [{"role": "user", "content": "bye"}], model="mimo-v2.6-pro", stream=True
    )
    with (
        make_vcr("none").use_cassette(str(path)),
        httpx.Client() as client,
        pytest.raises(CannotOverwriteExistingCassetteException),
    ):
        client.post(f"{REPLAY_BASE_URL}/chat/completions", json=changed)


def test_a_missing_cassette_fails_loudly(tmp_path: Path) -> None:
    with (
        make_vcr("none").use_cassette(str(tmp_path / "absent.yaml")),
        pytest.raises(CannotOverwriteExistingCassetteException),
    ):
        httpx.post(f"{REPLAY_BASE_URL}/chat/completions", json={"model": "m"})
