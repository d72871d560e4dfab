"""Execute a notebook with nbclient in this interpreter's environment."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK_DIR = Path(__file__).resolve().parent
TIMEOUT = 300


def execute_notebook(
    path: Path, *, env: Mapping[str, str], save: bool = False
) -> nbformat.NotebookNode:
    """Run every cell of ``path`` (cwd: ``notebooks/``) and return the executed notebook.

    The kernel is ``python3``: jupyter_client starts it with ``sys.executable``, so it uses
    this virtual environment. ``env`` is the kernel's whole environment. Raises
    ``nbclient.exceptions.CellExecutionError`` on the first failing cell. ``save`` writes
    the outputs back into the file.
    """
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT,
        kernel_name="python3",
        record_timing=False,  # timings would make every recording a diff
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute(env=dict(env))
    if save:
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        notebook.metadata["language_info"] = {"name": "python", "version": sys.version.split()[0]}
        nbformat.write(notebook, path)
    return notebook
