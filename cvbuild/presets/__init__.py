"""Funder CV presets (ERC, DFG, SciENcv, R4RI) as data files, their loader and checks."""

from cvbuild.presets.loader import load_preset, preset_from_text, shipped
from cvbuild.presets.model import Preset, PresetSection

__all__ = ["Preset", "PresetSection", "load_preset", "preset_from_text", "shipped"]
