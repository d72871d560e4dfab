"""What importing each package pulls in, each checked in a fresh interpreter."""

import subprocess
import sys
import textwrap


def _run(code: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_imports_no_framework():
    _run(
        """
        import sys

        import mimo_client
        import mimo_client.integration
        import mimo_client.testing

        frameworks = ("langchain_core", "llama_index", "openai", "pydantic", "pytest")
        bad = [m for m in sys.modules if m.split(".")[0] in frameworks]
        assert not bad, bad
        """
    )


def test_adapters_pull_in_neither_openai_nor_the_other_framework():
    _run(
        """
        import sys

        from langchain_mimo import ChatMiMo, MiMoAPIError

        bad = [m for m in sys.modules if m.split(".")[0] in ("openai", "llama_index")]
        assert not bad, bad
        """
    )
    _run(
        """
        import sys

        from llama_index_mimo import MiMo

        bad = [m for m in sys.modules if m.split(".")[0] in ("openai", "langchain_core")]
        assert not bad, bad
        """
    )


def test_every_public_name_resolves_and_adapter_plumbing_is_in_integration():
    _run(
        """
        import langchain_mimo
        import llama_index_mimo
        import mimo_client
        import mimo_client.integration

        for package in (mimo_client, mimo_client.integration, langchain_mimo, llama_index_mimo):
            namespace = {}
            exec(f"from {package.__name__} import *", namespace)
            assert set(package.__all__) <= set(namespace), set(package.__all__) - set(namespace)
        assert "ClientPool" not in mimo_client.__all__
        assert issubclass(langchain_mimo.MiMoRateLimitError, mimo_client.RateLimitError)
        """
    )
