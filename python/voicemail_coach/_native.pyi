"""Type stubs of the compiled half of voicemail_coach (PyO3). Use the package's functions; this
module's API follows them and may change with them."""

from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np
import numpy.typing as npt

class VoicemailCoachError(Exception):
    kind: str
    file: Optional[str]

class UnsupportedFormat(VoicemailCoachError): ...
class DamagedRecording(VoicemailCoachError): ...
class ModelError(VoicemailCoachError): ...
class InvalidOptions(VoicemailCoachError): ...

class Analyzer:
    def __init__(
        self,
        *,
        transcribe: bool = True,
        model: Optional[str] = None,
        rulebook: Optional[str] = None,
        threads: Optional[int] = None,
        read_numbers_twice: bool = True,
    ) -> None: ...
    @property
    def transcribes(self) -> bool: ...
    @property
    def threads(self) -> int: ...
    def analyze(self, path: str, *, facts: Optional[Dict[str, Any]] = None) -> str: ...
    def analyze_samples(
        self,
        samples: npt.NDArray[Any],
        rate_hz: int,
        *,
        name: str = "samples",
        facts: Optional[Dict[str, Any]] = None,
    ) -> str: ...

class Stop:
    def __init__(self) -> None: ...
    def stop(self) -> None: ...

def run_batch(
    analyzer: Analyzer,
    paths: List[str],
    *,
    jobs: int,
    out: Optional[str] = None,
    resume: bool = False,
    overwrite: bool = False,
    shard: Optional[str] = None,
    pack: bool = True,
    on_entry: Callable[[str], None],
    cancel: Stop,
) -> str: ...
def rows_of(entries: List[str]) -> str: ...

__version__: str
def timeline_of(report: str, kind: str) -> str: ...

def campaign_of(reports: List[str], *, rulebook: Optional[str] = None) -> str: ...
def rulebook_of(path: Optional[str] = None) -> str: ...
def pitch_track(
    path: str,
) -> Tuple[npt.NDArray[np.float64], npt.NDArray[np.float32], npt.NDArray[np.float32]]: ...
def cores() -> int: ...
