"""The app's screens: one module per step, each a traitlets model and an ipywidgets view.

The shared pattern (model base, view base, the parameters contract of a workbook
and the plain error display) is in :mod:`kit.ui.base`. Nothing outside this
package imports ipywidgets.
"""
