import pytest

from mimo_client import audio_mime_type, media_part


def test_urls_pass_through_and_base64_becomes_a_data_url():
    assert media_part("image", "https://x.test/a.png") == {
        "type": "image_url",
        "image_url": {"url": "https://x.test/a.png"},
    }
    assert media_part("image", "QUJD")["image_url"]["url"] == "data:image/png;base64,QUJD"
    assert media_part("image", "QUJD", mime_type="image/jpeg")["image_url"]["url"].startswith(
        "data:image/jpeg;"
    )
    assert media_part("audio", "QUJD", mime_type=audio_mime_type("mp3")) == {
        "type": "input_audio",
        "input_audio": {"data": "data:audio/mpeg;base64,QUJD"},
    }


def test_video_options_sit_beside_video_url_and_are_checked():
    part = media_part("video", "https://x.test/v.mp4", fps=2, media_resolution="max")
    assert part == {
        "type": "video_url",
        "video_url": {"url": "https://x.test/v.mp4"},
        "fps": 2,
        "media_resolution": "max",
    }
    with pytest.raises(ValueError, match=r"between 0\.1 and 10"):
        media_part("video", "https://x.test/v.mp4", fps=30)
    with pytest.raises(ValueError, match="'default' or 'max'"):
        media_part("video", "https://x.test/v.mp4", media_resolution="high")


def test_local_urls_are_refused_with_the_fix():
    with pytest.raises(ValueError, match="base64"):
        media_part("image", "file:///tmp/a.png")
    with pytest.raises(ValueError, match="URL or base64"):
        media_part("audio", "")


def test_audio_mime_types():
    assert audio_mime_type(None) == "audio/wav"
    assert audio_mime_type("MP3") == "audio/mpeg"
    assert audio_mime_type("ogg") == "audio/ogg"
