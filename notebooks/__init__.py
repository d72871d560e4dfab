"""The tutorial notebooks, their builder (``build.py``), runner (``execute.py``) and the
``offline.replay`` helper their cells call to play recorded traffic from ``cassettes/``."""
