"""Keep the committed notebooks free of diff noise: ``python -m notebooks.normalize [PATH...]``.

The ``.ipynb`` files are the tutorials' only source (edit them in Jupyter). This rewrites
what changes from run to run without meaning anything: cell ids become ``cell-<n>``,
execution counts run 1, 2, 3... over the code cells, cell metadata loses execution timings
and collapsed/scrolled view state, and the notebook metadata keeps the kernelspec and the
language name only. ``python -m cassettes.record`` runs it on every notebook it saves;
``tests/notebooks`` checks that the committed notebooks are normalized.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

NOTEBOOK_DIR = Path(__file__).resolve().parent
_KEPT_CELL_METADATA = ("tags",)


def normalize(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Normalize ``notebook`` in place (and return it)."""
    count = 0
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index}"
        kept = {k: v for k, v in cell.metadata.items() if k in _KEPT_CELL_METADATA}
        cell.metadata = nbformat.NotebookNode(kept)
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count if cell.execution_count is not None else None
        for output in cell.outputs:
            if "execution_count" in output:
                output.execution_count = cell.execution_count
    notebook.metadata = nbformat.NotebookNode(
        kernelspec={"name": "python3", "display_name": "Python 3", "language": "python"},
        language_info={"name": "python"},
    )
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    nbformat.validate(notebook)
    return notebook


def main(paths: list[str]) -> None:
    """Normalize the given notebooks (default: every tutorial) in place."""
    for path in [Path(p) for p in paths] or sorted(NOTEBOOK_DIR.glob("*.ipynb")):
        notebook = normalize(nbformat.read(path, as_version=4))
        nbformat.write(notebook, path)


if __name__ == "__main__":
    main(sys.argv[1:])
