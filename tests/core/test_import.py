import subprocess
import sys


def test_core_imports_no_framework():
    code = (
        "import sys, mimo_client, mimo_client.testing;"
        "bad=[m for m in sys.modules if m.split('.')[0] in ('langchain_core','llama_index','openai','pydantic','pytest')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_the_adapters_defers_httpx_to_the_first_client():
    code = (
        "import sys, langchain_mimo, llama_index_mimo;"
        "assert 'httpx' not in sys.modules, 'httpx imported at import time';"
        "from mimo_client import MiMoClient;"
        "assert 'httpx' in sys.modules"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
