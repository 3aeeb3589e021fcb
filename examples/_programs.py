"""The five program scripts, loaded by path, for the scripts that show them side by side
(tour.py, validate_programs.py). Not part of the library."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import carecontinuum as cc

HERE = Path(__file__).parent
#: Each program script, with a short name for tables.
PROGRAM_SCRIPTS = {
    "program_1_trinity_iop.py": "1 Trinity",
    "program_2_invigorate_step_down_iop.py": "2 Invigorate",
    "program_3_aacs_structured_iop.py": "3 AACS",
    "program_4_adult_mental_health_iop.py": "4 Adult MH",
    "program_5_windmill_addiction_iop.py": "5 Windmill",
}


def load_script(filename: str) -> ModuleType:
    """Import one of the example scripts by path (the examples directory is not a package)."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))  # the scripts import their sibling `_describe`
    path = HERE / filename
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def programs() -> dict[str, cc.ProgramStructure]:
    """Every program (and variant) the scripts build, keyed by a short name."""
    found: dict[str, cc.ProgramStructure] = {}
    for filename, short in PROGRAM_SCRIPTS.items():
        built: object = load_script(filename).build()
        if isinstance(built, cc.ProgramStructure):
            found[short] = built
        elif isinstance(built, dict):
            for variant, program in built.items():
                if not isinstance(program, cc.ProgramStructure):
                    raise TypeError(f"{filename}: build() returned {program!r}")
                found[f"{short} ({variant})"] = program
        else:
            raise TypeError(f"{filename}: build() returned {built!r}")
    return found
