"""Funder CV presets (ERC, DFG, SciENcv, R4RI) as data files, their loader and checks."""

from cvbuild.config.presets.loader import load_preset, preset_from_text, shipped
from cvbuild.config.presets.model import Preset, PresetSection

__all__ = ["Preset", "PresetSection", "load_preset", "preset_from_text", "shipped"]
