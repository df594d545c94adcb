"""The Python package against the binary and against itself: the seed fixtures' reports equal
the binary's JSON, NumPy input equals file input, each exception class, the GIL released while
Rust works, a batch resumed after an interruption, campaigns, rulebooks and pitch tracks.

Run by scripts/test (after scripts/setup has installed the package into .venv). Tests that
transcribe need the default model (scripts/fetch-model) and skip without it."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import threading
import time
import wave
from typing import Any, Dict, List

import numpy as np
import pytest

import voicemail_coach as vc

ROOT = pathlib.Path(__file__).resolve().parents[2]
VOICEMAILS = sorted((ROOT / "fixtures" / "voicemail").glob("*.wav"))
BAD = ROOT / "fixtures" / "bad"
SPEECH = ROOT / "fixtures" / "speech"


def model_present() -> bool:
    env = os.environ.get("VOICEMAIL_COACH_MODEL")
    if env:
        return pathlib.Path(env).is_file()
    return (pathlib.Path.home() / ".cache" / "voicemail-coach" / "ggml-tiny.en.bin").is_file()


needs_model = pytest.mark.skipif(
    not model_present(), reason="no whisper model: run scripts/fetch-model to test transcription"
)


def binary() -> pathlib.Path:
    """The example binary, built fresh (cargo is quick when it is up to date)."""
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--example", "analyze"], cwd=ROOT, check=True
    )
    return ROOT / "target" / "release" / "examples" / "analyze"


def without_timings(r: Dict[str, Any]) -> Dict[str, Any]:
    r = dict(r)
    r.pop("timings_ms", None)
    return r


def read_pcm16(path: pathlib.Path) -> "tuple[np.ndarray[Any, Any], int]":
    with wave.open(str(path)) as w:
        assert w.getsampwidth() == 2
        frames = w.readframes(w.getnframes())
        data = np.frombuffer(frames, dtype="<i2").reshape(-1, w.getnchannels())
        return data[:, 0].copy(), w.getframerate()


@needs_model
def test_seed_fixtures_equal_the_binarys_json() -> None:
    out = subprocess.run(
        [str(binary()), "--json", "--quiet", "--jobs", "1"] + [str(p) for p in VOICEMAILS],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    by_binary = {json.loads(line)["file"]: json.loads(line) for line in out.splitlines()}
    assert len(by_binary) == len(VOICEMAILS) == 8
    by_python = {}
    for path in VOICEMAILS:
        ours = by_python[path.name] = vc.analyze(str(path))
        theirs = by_binary[str(path)]
        assert ours["phone_numbers"] == theirs["phone_numbers"], path.name
        assert [(a["rule"], a["verdict"]) for a in ours["advice"]] == [
            (a["rule"], a["verdict"]) for a in theirs["advice"]
        ], path.name
        assert without_timings(ours) == without_timings(theirs), path.name
    slow = by_python["clark-slow.wav"]
    assert slow["phone_numbers"][0]["digits"] == "8509367028"
    suggested = slow["suggested_message"]
    assert suggested is not None and suggested["text"] == (
        "John, this is Steve Clark. As soon as you get a minute, please give me a call at 850-936-7028."
    )
    # The module function takes the facts Analyzer.analyze takes.
    meant = vc.analyze(
        str(ROOT / "fixtures" / "voicemail" / "clark-slow.wav"),
        caller_name="Steve Clark",
        expect_number="850-936-7029",
    )
    assert meant["introduction"]["heard_as_given"] is True
    matches = next(a for a in meant["advice"] if a["rule"] == "number.matches")
    assert matches["verdict"] == "fail"


def test_numpy_input_equals_file_input() -> None:
    path = VOICEMAILS[0]
    samples, rate = read_pcm16(path)
    analyzer = vc.Analyzer(transcribe=False)
    from_file = analyzer.analyze(path)
    sections = ["speech", "level", "rate", "pitch", "advice", "status"]
    for array in (
        samples,
        samples.astype(np.float32) / 32768.0,
        samples.astype(np.float64) / 32768.0,
        np.stack([samples, samples], axis=1),
    ):
        from_array = analyzer.analyze_samples(array, rate, name="array")
        assert from_array["file"] == "array"
        for s in sections:
            assert from_array[s] == from_file[s], (array.dtype, array.shape, s)
    assert from_file["status"] == "no_transcript"


@needs_model
def test_numpy_input_equals_file_input_with_words() -> None:
    path = ROOT / "fixtures" / "voicemail" / "clark-slow.wav"
    samples, rate = read_pcm16(path)
    from_array = vc.analyze_samples(samples, rate)
    from_file = vc.analyze(path)
    for s in ["transcript", "phone_numbers", "introduction", "pacing", "advice", "rate"]:
        assert from_array[s] == from_file[s], s


def test_each_error_is_its_class_naming_the_file() -> None:
    a = vc.Analyzer(transcribe=False)
    cases = [
        (BAD / "not_wav.wav", vc.UnsupportedFormat, "unknown_format"),
        (BAD / "rate_96000.wav", vc.UnsupportedFormat, "unsupported_sample_rate"),
        (BAD / "truncated_header.wav", vc.DamagedRecording, "truncated"),
        (BAD / "zero_channels.wav", vc.DamagedRecording, "invalid_header"),
        (ROOT / "no-such-file.wav", vc.VoicemailCoachError, "io"),
    ]
    for path, cls, kind in cases:
        with pytest.raises(cls) as e:
            a.analyze(path)
        assert isinstance(e.value, vc.VoicemailCoachError)
        assert e.value.kind == kind, path.name
        assert e.value.file == str(path)
        assert path.name in str(e.value)
    with pytest.raises(vc.ModelError) as e:
        vc.Analyzer(model="/nonexistent/ggml-model.bin")
    assert "/nonexistent/ggml-model.bin" in str(e.value)
    with pytest.raises(vc.ModelError, match="not a model name"):
        vc.Analyzer(model="medium.fr")
    with pytest.raises(vc.InvalidOptions) as e:
        a.analyze(VOICEMAILS[0], expect_number="12")
    assert "12" in str(e.value)
    with pytest.raises(vc.InvalidOptions):
        vc.rulebook(ROOT / "Cargo.toml")


def test_bad_arguments_name_themselves() -> None:
    a = vc.Analyzer(transcribe=False)
    with pytest.raises(TypeError, match="path"):
        a.analyze(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="samples"):
        a.analyze_samples([0.0, 0.1], 8000)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="samples"):
        a.analyze_samples(np.zeros(800, dtype=np.int32), 8000)
    # A rate the library does not read is its own error, as from a file.
    with pytest.raises(vc.UnsupportedFormat) as e:
        a.analyze_samples(np.zeros(800, dtype=np.float32), 1000)
    assert e.value.kind == "unsupported_sample_rate"
    with pytest.raises(ValueError, match="samples"):
        a.analyze_samples(np.zeros((2, 2, 2), dtype=np.float32), 8000)
    # 16-bit samples given as floats without scaling: refused, as the library refuses them.
    loud = (np.sin(np.arange(8000) / 5.0) * 9000.0).astype(np.float32)
    with pytest.raises(vc.InvalidOptions, match="samples") as e:
        a.analyze_samples(loud, 8000)
    assert e.value.kind == "invalid_options"
    with pytest.raises(TypeError, match="min_digits"):
        a.analyze(VOICEMAILS[0], min_digits="5")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="caller"):
        a.analyze(VOICEMAILS[0], caller="Steve")  # type: ignore[call-arg]
    with pytest.raises(vc.InvalidOptions, match="min_digits"):
        vc.analyze(VOICEMAILS[0], transcribe=False, min_digits=2)
    with pytest.raises(vc.InvalidOptions, match="pitch_baseline_hz"):
        a.analyze_samples(np.zeros(8000, dtype=np.float32), 8000, pitch_baseline_hz=5.0)
    with pytest.raises(ValueError, match="threads"):
        vc.Analyzer(transcribe=False, threads=0)


def write_pcm16(path: pathlib.Path, samples: "np.ndarray[Any, Any]", rate: int) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())


def test_two_threads_take_about_the_time_of_one_file(tmp_path: pathlib.Path) -> None:
    """The GIL is released while Rust works: two 3-minute files on two threads against one
    alone. The times are printed (the machines are shared and noisy), the reports asserted."""
    files = []
    for i, source in enumerate(VOICEMAILS[:2]):
        samples, rate = read_pcm16(source)
        long = np.tile(samples, int(np.ceil(180 * rate / len(samples))))[: 180 * rate]
        files.append(tmp_path / f"long-{i}.wav")
        write_pcm16(files[-1], long, rate)
    a = vc.Analyzer(transcribe=False)
    alone_report = a.analyze(files[0])
    t0 = time.perf_counter()
    a.analyze(files[0])
    alone = time.perf_counter() - t0
    results: Dict[int, Dict[str, Any]] = {}

    def work(i: int) -> None:
        results[i] = a.analyze(files[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    both = time.perf_counter() - t0
    cores = os.cpu_count() or 1
    print(
        f"\nGIL: one 3-minute file alone {alone:.3f} s; two on two threads {both:.3f} s "
        f"({both / alone:.2f}x, {cores} cores)"
    )
    assert without_timings(results[0]) == without_timings(alone_report)
    assert results[1]["file"] == str(files[1])
    assert results[1]["speech"] != results[0]["speech"]


@needs_model
def test_transcribing_threads_share_the_cores_as_the_batch_does() -> None:
    cores = os.cpu_count() or 1
    assert 1 <= vc.Analyzer(threads=64).threads <= cores
    assert vc.Analyzer(transcribe=False).threads == 0
    assert vc.Analyzer(threads=1).threads == 1


def test_a_batch_resumed_after_an_interruption_gives_one_row_per_file(tmp_path: pathlib.Path) -> None:
    files = [str(p) for p in VOICEMAILS[:4]]
    ledger = tmp_path / "ledger.jsonl"
    first: List[Dict[str, Any]] = []
    run = vc.analyze_batch(files, jobs=1, out=ledger, transcribe=False, progress=False)
    for report in run:
        first.append(report)
        if len(first) == 2:
            break
    run.close()  # interrupted: the run stops after the file under way
    written = ledger.read_text().splitlines()
    assert 2 <= len(written) < len(files)
    with pytest.raises(vc.VoicemailCoachError) as e:
        list(vc.analyze_batch(files, jobs=1, out=ledger, transcribe=False, progress=False))
    assert e.value.kind == "ledger_exists"
    rest = list(
        vc.analyze_batch(files, jobs=2, out=ledger, resume=True, transcribe=False, progress=False)
    )
    assert len(rest) == len(files) - len(written)
    lines = [json.loads(line) for line in ledger.read_text().splitlines()]
    rows = vc.to_rows(lines)
    assert sorted(r["file"] for r in rows) == sorted(files)
    assert len(rows) == len(files)
    assert all(r["status"] == "no_transcript" for r in rows)


def test_shards_split_the_inputs_without_overlap() -> None:
    folder = str(ROOT / "fixtures" / "voicemail")
    halves = [
        {r["file"] for r in vc.analyze_batch([folder], shard=f"{k}/2", transcribe=False, progress=False)}
        for k in range(2)
    ]
    assert not halves[0] & halves[1]
    assert len(halves[0] | halves[1]) == len(VOICEMAILS)
    with pytest.raises(ValueError, match="shard"):
        list(vc.analyze_batch([folder], shard="2 of 3", transcribe=False, progress=False))


def test_rows_are_the_binarys_csv(tmp_path: pathlib.Path) -> None:
    files = [str(p) for p in VOICEMAILS[:2]] + [str(BAD / "not_wav.wav")]
    reports = list(vc.analyze_batch(files, jobs=1, transcribe=False, progress=False))
    assert "error" in [r for r in reports if r["file"].endswith("not_wav.wav")][0]
    csv_path = tmp_path / "table.csv"
    done = subprocess.run(
        [str(binary()), "--no-transcribe", "--quiet", "--jobs", "1", "--csv", str(csv_path), "--json"]
        + files,
        cwd=ROOT,
        capture_output=True,
    )
    assert done.returncode == 1  # one input failed, as the binary says
    import csv

    with open(csv_path, newline="") as f:
        theirs = {row["file"]: row for row in csv.DictReader(f)}
    ours = {row["file"]: row for row in vc.to_rows(reports)}
    assert ours.keys() == theirs.keys()

    def cell(v: object) -> str:
        if v is None:
            return ""
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    for file, row in ours.items():
        assert list(row) == list(theirs[file]), file
        assert {k: cell(v) for k, v in row.items()} == theirs[file], file
        # Typed: numbers are numbers (a data frame gets numeric columns).
        assert isinstance(row["duration_s"], float) and isinstance(row["fail"], int)
        assert row["median_pitch_hz"] is None or isinstance(row["median_pitch_hz"], float)


def test_rows_make_a_numeric_data_frame() -> None:
    pd = pytest.importorskip("pandas")
    reports = [vc.analyze(p, transcribe=False) for p in VOICEMAILS[:2]]
    table = pd.DataFrame(vc.to_rows(reports))
    assert list(table.columns)[:3] == ["file", "duration_s", "speech_s"]
    for column in ("duration_s", "speech_rate_sps", "fail", "pass"):
        assert pd.api.types.is_numeric_dtype(table[column]), column
    assert vc.__version__.count(".") == 2


def test_campaign_and_pitch_track() -> None:
    a = vc.Analyzer(transcribe=False)
    reports = [a.analyze(p) for p in VOICEMAILS[:3]]
    c = vc.campaign(reports)
    assert c["campaign"]["variation"]["rule"] == "campaign.variation"
    assert len(c["campaign"]["pairs"]) == 2
    assert len(c["reports"]) == 3
    assert c["campaign"]["pitch_baseline_hz"] is not None
    times, f0, voiced = vc.pitch_track(VOICEMAILS[0])
    assert times.shape == f0.shape == voiced.shape
    assert voiced.dtype == np.bool_ and voiced.any()
    assert np.isnan(f0[~voiced]).all()
    assert (f0[voiced] > 60).all() and (f0[voiced] < 500).all()
    # The very track the report holds (rounded there to 4 decimals).
    in_report = np.array(reports[0]["pitch"]["f0_hz"], dtype=np.float64)
    assert in_report.shape == f0.shape
    assert np.array_equal(in_report > 0, voiced)
    assert np.allclose(in_report[voiced], f0[voiced], atol=1e-3)
    assert abs(times[1] - times[0] - reports[0]["pitch"]["hop_s"]) < 1e-9


def test_the_rulebook_is_the_one_the_binary_prints() -> None:
    tomllib = pytest.importorskip("tomllib")
    printed = subprocess.run(
        [str(binary()), "--print-rulebook"], check=True, capture_output=True, text=True
    ).stdout
    assert vc.rulebook() == tomllib.loads(printed)


def test_help_is_useful() -> None:
    for name in vc.__all__:
        doc = getattr(vc, name).__doc__
        assert doc and len(doc) > 30, name
    assert "Facts" in (vc.Analyzer.analyze.__doc__ or "")
    assert "expect_number" in (vc.Facts.__doc__ or "")


def test_the_stubs_pass_mypy_strict(tmp_path: pathlib.Path) -> None:
    mypy = pytest.importorskip("mypy.api")
    example = tmp_path / "example.py"
    example.write_text(
        "import numpy as np\n"
        "import voicemail_coach as vc\n"
        "a = vc.Analyzer(transcribe=False)\n"
        "r = a.analyze('x.wav', expect_number='555 1212')\n"
        "digits: str = r['phone_numbers'][0]['digits']\n"
        "verdicts: list[str] = [advice['verdict'] for advice in r['advice']]\n"
        "rows = vc.to_rows([a.analyze_samples(np.zeros(8000, dtype=np.float32), 8000)])\n"
        "t, f0, voiced = vc.pitch_track('x.wav')\n"
        "n: int = a.threads\n"
        "for report in vc.analyze_batch(['x.wav'], jobs=1, progress=False):\n"
        "    print(report['file'], rows[0]['status'], f0.mean(), t[-1], voiced.sum(), n)\n"
        "try:\n"
        "    vc.analyze('x.wav')\n"
        "except vc.UnsupportedFormat as e:\n"
        "    print(e.kind, e.file)\n"
    )
    out, err, status = mypy.run(["--strict", str(example)])
    assert status == 0, out + err
    # The report is typed field by field: a misspelt field is an error.
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        "import voicemail_coach as vc\n"
        "r = vc.Analyzer(transcribe=False).analyze('x.wav')\n"
        "print(r['phone_number'])\n"
    )
    out, err, status = mypy.run(["--strict", str(wrong)])
    assert status == 1 and "phone_number" in out, out + err


def test_the_report_types_are_the_schemas() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "python-types"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
