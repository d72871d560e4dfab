"""The tutorial notebooks (the ``.ipynb`` files are their own source), the runner the recorder
and the tests use (``execute.py``) and the normalizer that keeps their diffs quiet
(``normalize.py``). The notebooks themselves import nothing from here."""
