"""agitprop's additions to Label Studio, loaded *inside* the Label Studio process.

This folder is put on the server's PYTHONPATH by ``agitprop studio start`` (and by
``agitprop studio users``); it is not part of the ``builders`` package and imports nothing from
it, because it runs in Label Studio's own virtual environment.
"""
