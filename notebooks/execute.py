"""Execute a notebook with nbclient in this interpreter's environment."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import nbformat
from ipykernel.kernelspec import get_kernel_dict
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from notebooks.normalize import normalize

NOTEBOOK_DIR = Path(__file__).resolve().parent
TIMEOUT = 300


class ThisPythonKernelManager(KernelManager):
    """Starts the ``python3`` kernel with this interpreter, whatever kernelspecs are installed.

    A ``python3`` kernelspec in the user's Jupyter folder (pointing at another Python) would
    otherwise win over this virtual environment's own.
    """

    @property
    def kernel_spec(self) -> KernelSpec:
        """ipykernel's spec for ``sys.executable``."""
        if self._kernel_spec is None:
            spec = get_kernel_dict()
            self._kernel_spec = KernelSpec(
                resource_dir="",
                name="python3",
                argv=spec["argv"],
                display_name=spec["display_name"],
                language=spec["language"],
                metadata=spec["metadata"],
            )
        return self._kernel_spec


def execute_notebook(
    path: Path,
    *,
    env: Mapping[str, str],
    save: bool = False,
    before: str | None = None,
    after: str | None = None,
    timeout: int = TIMEOUT,
) -> nbformat.NotebookNode:
    """Run every cell of ``path`` (cwd: ``notebooks/``) and return the executed notebook.

    The kernel is ``python3`` run by ``sys.executable`` (:class:`ThisPythonKernelManager`),
    so it uses this virtual environment. ``env`` is the kernel's whole environment. Raises
    ``nbclient.exceptions.CellExecutionError`` on the first failing cell (``timeout`` seconds
    per cell). ``before`` / ``after``: code the harness runs in the kernel before the first
    cell and after the last (replay, recording); those cells are removed from the result and
    never saved. ``save`` writes the outputs back into the file, normalized
    (:func:`notebooks.normalize.normalize`).
    """
    notebook = nbformat.read(path, as_version=4)
    injected = []
    if before is not None:
        notebook.cells.insert(0, nbformat.v4.new_code_cell(before))
        injected.append(notebook.cells[0])
    if after is not None:
        notebook.cells.append(nbformat.v4.new_code_cell(after))
        injected.append(notebook.cells[-1])
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        kernel_manager_class=ThisPythonKernelManager,
        record_timing=False,  # timings would make every recording a diff
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute(env=dict(env))
    notebook.cells = [cell for cell in notebook.cells if cell not in injected]
    normalize(notebook)
    if save:
        nbformat.write(notebook, path)
    return notebook
