"""Tests of the config stage (cvbuild.config)."""
