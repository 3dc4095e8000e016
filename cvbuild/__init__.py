"""cvbuild: one cv.yaml and your BibTeX file in, a polished CV out."""

__version__ = "0.1.0"
