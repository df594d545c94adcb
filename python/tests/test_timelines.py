"""The report's timeline as other tools read it: every fixture's TextGrid opened by Praat
(parselmouth, a test tool only) holds the report's tiers with the report's times (within 1 ms),
and the WebVTT captions parse in a WebVTT parser (webvtt-py) with a cue per phrase heard.

The recordings with words (the seed voicemails, the speech prompts, the numbers) are transcribed;
the format, encoding and damaged-file fixtures are analysed for their sound alone (the formats
hold the same message as the seed voicemails).
"""
from __future__ import annotations

import io
import pathlib
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import voicemail_coach as vc

parselmouth = pytest.importorskip("parselmouth")
webvtt = pytest.importorskip("webvtt")
call = parselmouth.praat.call

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
WITH_WORDS = ["voicemail", "speech", "numbers"]
SOUND_ONLY = ["formats", "encodings", "bad"]
TOLERANCE_S = 0.001

Span = Tuple[float, float, str]


def reports() -> Iterator[Dict[str, Any]]:
    from test_voicemail_coach import model_present

    batches = [(WITH_WORDS, model_present()), (SOUND_ONLY, False)]
    for folders, transcribe in batches:
        paths = [str(FIXTURES / f) for f in folders]
        for entry in vc.analyze_batch(paths, progress=False, transcribe=transcribe):
            if "error" not in entry:
                yield dict(entry)


def merged(spans: List[Span]) -> List[Span]:
    """Spans as one tier holds them: sorted, empty ones dropped, overlapping ones merged (their
    labels joined by " / ")."""
    out: List[Span] = []
    for start, end, label in sorted((s for s in spans if s[1] > s[0]), key=lambda s: s[0]):
        if out and start < out[-1][1]:
            joined = out[-1][2] if label in ("", out[-1][2]) else f"{out[-1][2]} / {label}"
            out[-1] = (out[-1][0], max(out[-1][1], end), joined)
        else:
            out.append((start, end, label))
    return out


def expected_tiers(r: Dict[str, Any]) -> Dict[str, List[Span]]:
    """What each interval tier must hold, read from the JSON report alone."""
    words = (r.get("transcript") or {}).get("words", [])
    content = r.get("content") or {}
    intro = r.get("introduction")
    tiers = {
        "words": [(w["start_s"], w["end_s"], w["text"].strip()) for w in words],
        "phrases": [(p["start_s"], p["end_s"], "") for p in r["pitch"]["phrases"]],
        "pauses": [(p["start_s"], p["end_s"], "pause") for p in r["speech"]["pauses"]],
        "number": [(g["start_s"], g["end_s"], g["digits"])
                   for n in r["phone_numbers"] for g in n["groups"]],
        "name": [(intro["start_s"], intro["end_s"], intro["name"])] if intro else [],
        "fillers": [(f["start_s"], f["end_s"], f["text"]) for f in content.get("fillers", [])],
    }
    for a in r["advice"]:
        if a["verdict"] in ("fail", "warn"):
            tiers[a["rule"]] = [(s["start_s"], s["end_s"], "") for s in a["evidence"]]
    return {name: merged(spans) for name, spans in tiers.items()}


def read_grid(grid: Any) -> Dict[str, Any]:
    """Praat's view of a TextGrid: tier name -> labelled intervals, or point times."""
    out: Dict[str, Any] = {}
    for t in range(1, int(call(grid, "Get number of tiers")) + 1):
        name = call(grid, "Get tier name...", t)
        if call(grid, "Is interval tier...", t):
            n = int(call(grid, "Get number of intervals...", t))
            intervals = [(call(grid, "Get start time of interval...", t, k),
                          call(grid, "Get end time of interval...", t, k),
                          call(grid, "Get label of interval...", t, k)) for k in range(1, n + 1)]
            out[name] = [i for i in intervals if i[2] != ""]
        else:
            n = int(call(grid, "Get number of points...", t))
            out[name] = [call(grid, "Get time of point...", t, k) for k in range(1, n + 1)]
    return out


def same_times(heard: List[Span], want: List[Span], where: str) -> None:
    assert len(heard) == len(want), f"{where}: {len(heard)} intervals, the report has {len(want)}"
    for (a0, a1, label), (b0, b1, text) in zip(heard, want):
        assert abs(a0 - b0) <= TOLERANCE_S and abs(a1 - b1) <= TOLERANCE_S, f"{where}: {a0}-{a1} against {b0}-{b1}"
        if text:
            assert label == text, f"{where}: {label!r} against {text!r}"


def test_every_fixtures_textgrid_opens_in_praat_with_the_reports_tiers_and_times(tmp_path: pathlib.Path) -> None:
    seen = 0
    for r in reports():
        name = pathlib.Path(r["file"]).stem
        path = tmp_path / f"{name}-{seen}.TextGrid"
        path.write_text(vc.textgrid(r), encoding="utf-8")
        grid = read_grid(parselmouth.read(str(path)))
        want = expected_tiers(r)
        assert list(grid)[: len(want)] == list(want), name
        for tier, spans in want.items():
            same_times(grid[tier], spans, f"{name} {tier}")
        nuclei = sorted(set(r["rate"]["nuclei_s"]))
        assert len(grid["nuclei"]) == len(nuclei), name
        assert all(abs(a - b) <= TOLERANCE_S for a, b in zip(grid["nuclei"], nuclei)), name
        seen += 1
    assert seen >= 60, f"only {seen} fixtures analysed"


def test_webvtt_has_a_cue_per_phrase_heard_with_the_name_and_number_marked() -> None:
    path = str(FIXTURES / "voicemail" / "clark-slow.wav")
    r = vc.analyze(path)
    text = vc.webvtt(r)
    cues = webvtt.from_buffer(io.StringIO(text)).captions
    assert len(cues) >= 3
    phrases = [(p["start_s"], p["end_s"]) for p in r["pitch"]["phrases"]]
    for cue in cues:
        start, end = _seconds(cue.start), _seconds(cue.end)
        assert any(abs(start - a) <= TOLERANCE_S and abs(end - b) <= TOLERANCE_S
                   for a, b in phrases), cue
    raw = "\n".join(c.raw_text for c in cues)
    assert "<c.name>Steve Clark" in raw and "<c.number>850-936-7028" in raw, raw
    # A report without words has no cues.
    quiet = vc.analyze(str(FIXTURES / "bad" / "silence.wav"), transcribe=False)
    assert vc.webvtt(quiet).strip() == "WEBVTT"


def _seconds(stamp: str) -> float:
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)
