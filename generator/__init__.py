"""Antiphon: publish conversation transcripts as a static archive site.

The pipeline is read -> model -> render -> write:
``readers`` turn files into :mod:`generator.model` objects, ``render`` turns
message text into HTML, ``site`` lays out the pages and ``output`` writes them.
"""

__version__ = "0.1.0"
