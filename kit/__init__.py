"""Planning kit for reimagining public safety in one jurisdiction.

All logic lives in this package so that the Voila app, papermill runs and the
command line share one tested code path. Nothing here imports ipywidgets
outside ``kit.ui``.
"""

__version__ = "0.1.0"
