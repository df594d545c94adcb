"""Measures a recorded sales voicemail against sales trainers' advice on getting it returned.

The analysis is the Rust crate ``voicemail-coach``: decoding whatever phone systems deliver,
transcription with whisper.cpp, pitch, speaking rate, the callback number and its pacing, and
verdicts from a rulebook citing the articles the advice comes from. Reports are dicts, exactly
the objects the example binary prints with ``--json`` (see ``docs/report.md``).

>>> import voicemail_coach as vc
>>> report = vc.analyze("fixtures/voicemail/clark-slow.wav")          # doctest: +SKIP
>>> report["phone_numbers"][0]["digits"]                             # doctest: +SKIP
'8509367028'

Transcription needs a whisper model (``scripts/fetch-model`` puts the default one in place, or
give ``model=``); ``transcribe=False`` analyses the sound alone. An :class:`Analyzer` loads the
model once and can be shared between threads: it releases the GIL while it works.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import queue
import sys
import threading
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    TypedDict,
    Union,
    cast,
)

import numpy as np

from . import _native
from ._native import (
    DamagedRecording,
    InvalidOptions,
    ModelError,
    UnsupportedFormat,
    VoicemailCoachError,
)

__all__ = [
    "Analyzer",
    "Report",
    "Facts",
    "analyze",
    "analyze_samples",
    "analyze_batch",
    "to_rows",
    "Row",
    "campaign",
    "rulebook",
    "textgrid",
    "webvtt",
    "pitch_track",
    "VoicemailCoachError",
    "UnsupportedFormat",
    "DamagedRecording",
    "ModelError",
    "InvalidOptions",
]

from ._report import Report as _ReportFields

if TYPE_CHECKING:
    from typing_extensions import NotRequired, Unpack

__version__: str = _native.__version__

PathArg = Union[str, "os.PathLike[str]"]
# A report or an error record as the batch yields them (an error record has ``"error"``).
Entry = Dict[str, Any]


class Stamp(TypedDict):
    """The input file when it was analysed: its size and modification time (``--resume``)."""

    size_bytes: int
    modified_ns: int


class Report(_ReportFields):
    """A report as the binary's ``--json`` prints it: every field typed (generated from
    ``docs/report.schema.json``; the parts are in ``voicemail_coach._report``), and the input
    file's stamp."""

    input: NotRequired[Stamp]


Row = TypedDict(
    "Row",
    {
        "file": str,
        "duration_s": float,
        "speech_s": Optional[float],
        "words_per_minute": Optional[float],
        "speech_rate_sps": Optional[float],
        "articulation_rate_sps": Optional[float],
        "median_pitch_hz": Optional[float],
        "number": Optional[str],
        "digits_per_second": Optional[float],
        "fail": int,
        "warn": int,
        "pass": int,
        "not_applicable": int,
        "status": str,
    },
)
Row.__doc__ = """One row of :func:`to_rows`: the binary's CSV columns (``--csv``), typed."""


class Facts(TypedDict, total=False):
    """What the analysis should know about a recording beyond its audio, as keyword arguments
    of every ``analyze`` function (each optional; the library checks each and raises
    :class:`InvalidOptions` naming it, or ``TypeError`` for a value of the wrong type).

    ``expect_number``: the callback number the caller meant to leave, any usual notation
    (judged by ``number.matches``). ``caller_name``: their name, to find where it is said.
    ``min_digits``: report runs of at least this many digits as numbers (3 to 7; default 7).
    ``pitch_baseline_hz``: the caller's usual median pitch (judged by ``pitch.baseline``).
    """

    expect_number: str
    caller_name: str
    min_digits: int
    pitch_baseline_hz: float


def _path(value: Any, name: str) -> str:
    """`value` as a path string, or a TypeError naming the argument."""
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value)
    raise TypeError(f"{name}: expected a str or os.PathLike, not {type(value).__name__}")


def _optional_path(value: Any, name: str) -> Optional[str]:
    return None if value is None else _path(value, name)


def _optional(value: Any, kind: type, name: str) -> Any:
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool) and kind is int):
        raise TypeError(f"{name}: expected {kind.__name__} or None, not {type(value).__name__}")
    return value


class Analyzer:
    """Analyses recordings with one set of options; the model is loaded once.

    ``transcribe``: transcribe with whisper (else every report says ``no_transcript``).
    ``model``: a whisper model by name (``"tiny.en"``, ``"base"``, ``"small.en"``,
    ``"large-v3-turbo-q5_0"``: ``ggml-<name>.bin`` in the model cache) or a ggml file's path
    (default: the one ``scripts/fetch-model`` puts in place, or ``$VOICEMAIL_COACH_MODEL``); a
    model not there raises :class:`ModelError` naming it, where it looked and how to get it.
    ``rulebook``: a rulebook file (TOML or JSON) instead of the default rules.
    ``threads``: whisper threads per analysis (default: every core; never more than the cores).
    ``read_numbers_twice``: read callback numbers a second time with the decoder allowed only
    digits (the default, as the binary does).

    An analyzer is safe to share between threads, and releases the GIL while it works: two
    threads analysing two files take about the time of one on two cores.
    """

    def __init__(
        self,
        *,
        transcribe: bool = True,
        model: Optional[PathArg] = None,
        rulebook: Optional[PathArg] = None,
        threads: Optional[int] = None,
        read_numbers_twice: bool = True,
    ) -> None:
        self._native = _native.Analyzer(
            transcribe=bool(transcribe),
            model=_optional_path(model, "model"),
            rulebook=_optional_path(rulebook, "rulebook"),
            threads=_optional(threads, int, "threads"),
            read_numbers_twice=bool(read_numbers_twice),
        )

    @property
    def transcribes(self) -> bool:
        """Whether this analyzer transcribes."""
        return bool(self._native.transcribes)

    @property
    def threads(self) -> int:
        """Whisper threads per analysis (never more than the cores); 0 without transcription."""
        return int(self._native.threads)

    def analyze(self, path: PathArg, **facts: "Unpack[Facts]") -> Report:
        """The report of the recording at ``path`` (WAV, MP3, M4A, Ogg/Opus, FLAC, GSM...);
        ``facts`` as :class:`Facts` says.

        Raises :class:`UnsupportedFormat`, :class:`DamagedRecording`, :class:`ModelError`,
        :class:`InvalidOptions` or :class:`VoicemailCoachError`, each naming the file.
        """
        text = self._native.analyze(_path(path, "path"), facts=dict(facts))
        return cast(Report, json.loads(text))

    def analyze_samples(
        self,
        samples: "np.ndarray[Any, Any]",
        rate_hz: int,
        *,
        name: str = "samples",
        **facts: "Unpack[Facts]",
    ) -> Report:
        """The report of samples in memory: a NumPy array of float32 or float64 (full scale at
        ±1.0) or int16, shaped ``(frames,)`` or ``(frames, channels)`` (averaged), at
        ``rate_hz`` (8000 to 48000). ``name`` goes into the report's ``file``; ``facts`` as
        :class:`Facts` says."""
        if isinstance(rate_hz, bool) or not isinstance(rate_hz, (int, np.integer)):
            raise TypeError(f"rate_hz: expected an int, not {type(rate_hz).__name__}")
        if not isinstance(samples, np.ndarray):
            raise TypeError(f"samples: expected a NumPy array, not {type(samples).__name__}")
        text = self._native.analyze_samples(samples, int(rate_hz), name=str(name), facts=dict(facts))
        return cast(Report, json.loads(text))


@functools.lru_cache(maxsize=4)
def _shared(transcribe: bool, model: Optional[str], rulebook: Optional[str]) -> Analyzer:
    """One analyzer per set of options, kept for the module-level functions."""
    return Analyzer(transcribe=transcribe, model=model, rulebook=rulebook)


def analyze(
    path: PathArg,
    *,
    transcribe: bool = True,
    model: Optional[PathArg] = None,
    rulebook: Optional[PathArg] = None,
    **facts: "Unpack[Facts]",
) -> Report:
    """The report of the recording at ``path``, as the binary's ``--json`` prints it.

    The analyzer for these options is built once and kept (see :class:`Analyzer` for the
    options and the exceptions, :class:`Facts` for ``facts``).
    """
    return _shared_for(transcribe, model, rulebook).analyze(path, **facts)


def analyze_samples(
    samples: "np.ndarray[Any, Any]",
    rate_hz: int,
    *,
    name: str = "samples",
    transcribe: bool = True,
    model: Optional[PathArg] = None,
    rulebook: Optional[PathArg] = None,
    **facts: "Unpack[Facts]",
) -> Report:
    """The report of samples in memory (see :meth:`Analyzer.analyze_samples`)."""
    shared = _shared_for(transcribe, model, rulebook)
    return shared.analyze_samples(samples, rate_hz, name=name, **facts)


def _shared_for(transcribe: bool, model: Optional[PathArg], rulebook: Optional[PathArg]) -> Analyzer:
    """The kept analyzer for these options."""
    return _shared(bool(transcribe), _optional_path(model, "model"), _optional_path(rulebook, "rulebook"))


def analyze_batch(
    paths: Union[PathArg, Sequence[PathArg]],
    *,
    jobs: Optional[int] = None,
    out: Optional[PathArg] = None,
    resume: bool = False,
    overwrite: bool = False,
    shard: Optional[str] = None,
    pack: bool = True,
    progress: bool = True,
    transcribe: bool = True,
    model: Optional[PathArg] = None,
    rulebook: Optional[PathArg] = None,
) -> Iterator[Entry]:
    """Analyses files and folders (recordings found in them) as the binary's batch does, and
    yields each report (or error record: a dict with ``"error"``) as it finishes.

    ``jobs``: files at once (default: the cores); whisper's threads are shared out so that
    jobs × threads never exceeds the cores. ``out``: a ledger (JSON lines) the results are
    appended to; with ``resume`` the files it already holds are skipped (not yielded), and
    ``overwrite`` starts it afresh (a ledger holding results is never emptied unasked).
    ``shard``: ``"K/N"``, only the inputs of shard K of N (0-based; machines sharing a folder
    each take one, as the binary's ``--shard``).
    ``pack``: short recordings (up to 11 s) share whisper windows, several times faster; each
    report's ``transcript.packed_with`` says when it did. ``False`` transcribes each alone, as
    the binary's ``--no-pack``.
    ``progress``: a line per file on standard error. Closing the generator early stops the run
    after the files under way.
    """
    inputs = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    files = [_path(p, f"paths[{i}]") for i, p in enumerate(inputs)]
    cores = int(_native.cores())
    jobs = max(1, int(_optional(jobs, int, "jobs") or cores))
    analyzer = Analyzer(
        transcribe=transcribe,
        model=model,
        rulebook=rulebook,
        threads=max(1, cores // jobs),
    )
    stop = _native.Stop()
    closing = threading.Event()
    results: "queue.Queue[Tuple[str, Any, threading.Event]]" = queue.Queue()
    done = [0]

    def on_entry(line: str) -> None:
        # Hand the entry over and wait until it is taken: the run goes no further ahead of the
        # consumer than the files under way, so closing the generator stops it there.
        taken = threading.Event()
        done[0] += 1
        if progress:
            entry = json.loads(line)
            state = "error" if "error" in entry else entry.get("status", "ok")
            print(f"[{done[0]}] {entry.get('file')}: {state}", file=sys.stderr)
        results.put(("entry", line, taken))
        while not taken.wait(0.05) and not closing.is_set():
            pass

    def run() -> None:
        try:
            _native.run_batch(
                analyzer._native,
                files,
                jobs=jobs,
                out=_optional_path(out, "out"),
                resume=bool(resume),
                overwrite=bool(overwrite),
                shard=_optional(shard, str, "shard"),
                pack=bool(pack),
                on_entry=on_entry,
                cancel=stop,
            )
            results.put(("end", None, threading.Event()))
        except BaseException as e:  # handed to the consumer's thread
            results.put(("raise", e, threading.Event()))

    worker = threading.Thread(target=run, name="voicemail-coach-batch", daemon=True)
    worker.start()
    try:
        while True:
            kind, value, taken = results.get()
            if kind == "raise":
                raise value
            if kind == "end":
                return
            went_on = False
            try:
                yield dict(json.loads(value))
                went_on = True
            finally:
                if not went_on:
                    stop.stop()
                taken.set()
    finally:
        stop.stop()
        closing.set()
        worker.join()


def _report_lines(reports: Iterable[Mapping[str, Any]]) -> List[str]:
    """Report dicts as the JSON text the native half reads, or a TypeError naming the item."""
    lines = []
    for i, r in enumerate(reports):
        if not isinstance(r, dict):
            raise TypeError(f"reports[{i}]: expected a report dict, not {type(r).__name__}")
        lines.append(json.dumps(r))
    return lines


def to_rows(reports: Iterable[Mapping[str, Any]]) -> List[Row]:
    """The rows of the binary's CSV (``--csv``), one per analysed report (error records are
    left out), as dicts with typed values: numbers, ``None`` for an empty cell, the number's
    digits as text. ``pandas.DataFrame(vc.to_rows(reports))`` is the table, with numeric
    columns (``pip install "./python[pandas]"``)."""
    return list(json.loads(_native.rows_of(_report_lines(reports))))


def campaign(reports: Sequence[Mapping[str, Any]], *, rulebook: Optional[PathArg] = None) -> Dict[str, Any]:
    """Judges messages to one prospect, oldest first: ``{"campaign": ..., "reports": [...]}``,
    the campaign's verdict (``campaign.variation``, the pitch baseline) and the reports
    re-judged against one another, as the binary's ``--campaign`` does."""
    lines = _report_lines(reports)
    return dict(json.loads(_native.campaign_of(lines, rulebook=_optional_path(rulebook, "rulebook"))))


def textgrid(report: Mapping[str, Any]) -> str:
    """The report's timeline as a Praat TextGrid (long text format): interval tiers for the
    words, phrases, pauses, the number's digit groups, the caller's name, fillers and each
    failing or warning rule's evidence, and the point tier ``nuclei``, every time as the report
    has it. Write it beside the recording and open both in Praat."""
    return str(_native.timeline_of(_report_lines([report])[0], "textgrid"))


def webvtt(report: Mapping[str, Any]) -> str:
    """The report's phrases as WebVTT captions, a cue per phrase, the caller's name marked
    ``<c.name>`` and the number ``<c.number>``: a ``<track>`` for a web player."""
    return str(_native.timeline_of(_report_lines([report])[0], "webvtt"))


def rulebook(path: Optional[PathArg] = None) -> Dict[str, Any]:
    """The rules in force as a dict: the defaults, or the rulebook file at ``path``."""
    return dict(json.loads(_native.rulebook_of(_optional_path(path, "path"))))


def pitch_track(path: PathArg) -> Tuple["np.ndarray[Any, Any]", "np.ndarray[Any, Any]", "np.ndarray[Any, Any]"]:
    """The pitch of the recording at ``path`` as the analyzer tracks it: ``(times, f0,
    voiced)``, seconds, Hz (NaN where unvoiced, so plots leave gaps) and a boolean array."""
    times, f0, _periodicity = _native.pitch_track(_path(path, "path"))
    voiced = f0 > 0
    hz = np.where(voiced, f0.astype(np.float64), np.nan)
    return times, hz, voiced
