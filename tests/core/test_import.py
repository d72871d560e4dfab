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
