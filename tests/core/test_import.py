import subprocess
import sys


def test_core_imports_no_framework():
    code = (
        "import sys, mimo_client, mimo_client.testing;"
        "bad=[m for m in sys.modules if m.split('.')[0] in"
        " ('langchain_core','llama_index','openai','pydantic','pytest')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_the_adapters_defers_httpx_to_the_first_client():
    code = (
        "import sys;"
        "from langchain_mimo import ChatMiMo; from llama_index_mimo import MiMo;"
        "assert 'httpx' not in sys.modules, 'httpx imported at import time';"
        "from mimo_client import MiMoClient;"
        "assert 'httpx' in sys.modules"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _run(code: str) -> None:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_langchain_mimo_loads_its_names_on_first_access():
    # Like langchain_core.language_models: the package import is cheap, the class loads
    # BaseChatModel; every public name resolves, an unknown one is an AttributeError.
    _run(
        "import sys, langchain_mimo;"
        "base = 'langchain_core.language_models.chat_models';"
        "assert base not in sys.modules, 'BaseChatModel loaded by the package import';"
        "from langchain_mimo import ChatMiMo;"
        "assert base in sys.modules;"
        "from langchain_core.language_models import BaseChatModel;"
        "assert issubclass(ChatMiMo, BaseChatModel);"
        "ns = {}; exec('from langchain_mimo import *', ns);"
        "assert set(langchain_mimo.__all__) <= set(ns), set(langchain_mimo.__all__) - set(ns);"
        "assert set(langchain_mimo.__all__) | {'chat_models'} <= set(dir(langchain_mimo));"
        "import mimo_client;"
        "assert issubclass(langchain_mimo.MiMoRateLimitError, mimo_client.RateLimitError);"
        "\ntry:\n    langchain_mimo.ChatMiMoo\n"
        "except AttributeError as e:\n    assert 'ChatMiMoo' in str(e), e\n"
        "else:\n    raise SystemExit('no AttributeError')"
    )


def test_the_chat_models_submodule_resolves_after_a_bare_package_import():
    # ChatMiMo.get_lc_namespace() names langchain_mimo.chat_models: it must be reachable as
    # an attribute in a fresh process whatever was imported before.
    _run(
        "import langchain_mimo;"
        "assert langchain_mimo.chat_models.ChatMiMo is langchain_mimo.ChatMiMo;"
        "import mimo_client; assert mimo_client.MiMoClient.__name__ == 'MiMoClient'"
    )


def test_type_checkers_still_report_misspelled_names(tmp_path):
    # The lazy __getattr__ exists only at run time: mypy must still flag unknown names.
    user = tmp_path / "user.py"
    user.write_text(
        "from langchain_mimo import ChatMiMo, ChatMiMoo\n"
        "import mimo_client\n"
        "client: mimo_client.MiMoClient\n"
        "x: int = mimo_client.NotAThing\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 2, result.stdout + result.stderr
    assert '"ChatMiMoo"' in errors[0] and "NotAThing" in errors[1]


def test_adapters_pull_in_neither_openai_nor_the_other_framework():
    _run(
        "import sys; from langchain_mimo import ChatMiMo, MiMoAPIError;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('openai', 'llama_index')];"
        "assert not bad, bad"
    )
    _run(
        "import sys; from llama_index_mimo import MiMo;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('openai', 'langchain_core')];"
        "assert not bad, bad"
    )
