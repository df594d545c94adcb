"""Voicemail sets with known callback numbers, for scripts/eval-numbers and scripts/eval-models.

Two sets, each a list of (wav path, truth dict), assembled into a working folder:

* fsdd: the number said by a real person the project was not built on: recorded digits of the
  Free Spoken Digit Dataset (../shared/data/fsdd-dev: george, jackson, lucas; CC BY-SA 4.0; never
  copied into the repository), trimmed of silence gently (10 ms frames 45 dB under the loudest or 8 dB over the noise
  floor; the 1 % trim used for the studio prompts would cut the soft /s/ and /f/ of "six",
  "seven", "five"), joined with set gaps, so that every digit's
  onset is known. The rest of the message (greeting, name, reason, the lead-in to
  the number and the close) is synthesised by espeak-ng or festival, with a different voice and
  rate per message. North American numbers are said 3-3-4, UK numbers ("oh two oh, ...") 3-4-4;
  some messages say the number twice; in some the zeros are said "oh" (FSDD has no "oh", so the
  message's synthetic voice says it). Pacing "slow": digits at their recorded pace with
  0.12-0.3 s between digits and 0.45-0.8 s between groups; "rushed": digits sped up 1.35-1.6x
  (sox tempo, pitch kept) with 0-0.04 s between digits and 0.02-0.1 s between groups.
  Takes 0-29 of each digit build the "tune" split, takes 30-49 the "check" split; each split has
  every speaker and pacing. Half of the files are stored as G.711 mu-law, like a voicemail system.
* asterisk: the 40 numbers of the earlier evaluation (asterisk-core-sounds-en's recorded digits,
  the voice the number reader was first tuned on), said alone with random gaps.

Truth per file: the digits of each mention, each digit's start and end, the groups, digits per
second over each mention and the gaps between its groups, the number.pace verdict those truths
give under the default rulebook, the speaker and the pacing.
"""

import hashlib
import json
import math
import os
import random
import subprocess
import wave

import numpy as np

RATE = 8000
FSDD = os.environ.get("FSDD_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "fsdd-dev")
ASTERISK_DIGITS = "/usr/share/asterisk/sounds/en/digits"
SPEAKERS = ("george", "jackson", "lucas")
PACINGS = ("slow", "rushed")
SPLITS = {"tune": range(0, 30), "check": range(30, 50)}

# number.pace defaults (src/rules.rs): pass <= 2.5 digits/s, warn <= 3.0, groups >= 0.25 s apart.
PACE_PASS, PACE_WARN, MIN_GROUP_GAP = 2.5, 3.0, 0.25

VOICES = [
    ("espeak", "en-us", 150), ("espeak", "en-us+f3", 165), ("espeak", "en-gb", 140),
    ("espeak", "en-gb-scotland+m3", 155), ("espeak", "en-029+f2", 150),
    ("espeak", "en-us+m5", 175), ("espeak", "en-gb-x-rp+f4", 145),
    ("festival", "kal_diphone", 1.0), ("festival", "ked_diphone", 1.05),
    ("festival", "cmu_us_slt_arctic_hts", 1.0), ("festival", "kal_diphone", 0.9),
]

CALLERS = ["Mark Peters", "Dana Whitfield", "Luis Romero", "Priya Shah", "Tom Becker",
           "Grace Liu", "Sam Oduya", "Helen Brandt", "Victor Hale", "Nora Quinn"]
COMPANIES = ["Northwind", "Bluefield Logistics", "Crestline Software", "Harbor Print",
             "Summit Payroll", "Redwood Insurance", "Keystone Analytics", "Brightpath Energy"]
PROSPECTS = ["Jane", "Peter", "Mr. Alvarez", "Karen", "David", "Ms. Osei", "Robert", "Laura"]
REASONS = [
    "I have a quick question about your shipping schedule for next quarter.",
    "Paul Smith in marketing suggested I give you a call.",
    "I wanted to follow up on the proposal I sent over last week.",
    "I have an idea that could cut your printing costs, and I would like your feedback.",
    "We met briefly at the trade show in Denver.",
    "I am calling about the renewal of your service agreement.",
]
LEADS = ["Please give me a call at", "You can reach me at", "My number is",
         "Call me back when you get a minute at", "The best number to reach me is"]
CLOSES = ["Thanks, and talk to you soon.", "I look forward to hearing from you.",
          "Thanks very much.", "Have a good afternoon."]
AGAIN = ["Again, that's", "Once more, my number is", "That's"]


def run(cmd, **kw):
    if cmd[0] == "sox":  # repeatable dither and noise: the same files every run
        cmd = ["sox", "-R"] + cmd[1:]
    return subprocess.run(cmd, check=True, **kw)


def seconds(path):
    try:
        with wave.open(path) as w:
            return w.getnframes() / w.getframerate()
    except wave.Error:  # not PCM (mu-law): ask sox
        return float(run(["soxi", "-D", path], capture_output=True, text=True).stdout)


def frame_db(path):
    """(rate, samples, 10 ms frame levels in dB) of a 16-bit WAV file."""
    with wave.open(path) as w:
        rate, raw = w.getframerate(), w.readframes(w.getnframes())
    x = np.frombuffer(raw, dtype="<i2").astype(np.float64)
    hop = rate // 100
    n = len(x) // hop
    db = 10 * np.log10(np.mean(x[: n * hop].reshape(n, hop) ** 2, axis=1) + 1e-3) if n else np.zeros(0)
    return rate, x, db


def loud_span(db, over_floor):
    """First and last 10 ms frame of runs of at least three frames louder than both 45 dB under
    the loudest frame and over_floor dB over the quietest tenth (a lone click does not count)."""
    floor = np.percentile(db, 10)
    loud = db > max(db.max() - 45.0, floor + over_floor)
    runs = [k for k in range(len(db) - 2) if loud[k] and loud[k + 1] and loud[k + 2]]
    if not runs:
        return None
    return runs[0], runs[-1] + 2


def gentle_trim(path, keep_s=0.12):
    """Trims path in place around its clearly sounding part (loud_span, 8 dB over the floor),
    keeping keep_s on each side, where a weak /s/ or /f/ may lie under that threshold."""
    rate, x, db = frame_db(path)
    hop = rate // 100
    if len(db) < 3:
        return
    span = loud_span(db, 8.0)
    if span is None:
        return
    keep = int(round(keep_s * 100))
    a, b = max(span[0] - keep, 0) * hop, min(span[1] + 1 + keep, len(db)) * hop
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(x[a:b].astype("<i2").tobytes())


def sounding(path):
    """(start, end) seconds of the part of path that sounds over its noise (loud_span, 5 dB over
    the floor)."""
    _, _, db = frame_db(path)
    if len(db) == 0:
        return 0.0, 0.0
    span = loud_span(db, 5.0)
    if span is None:
        return 0.0, len(db) / 100.0
    return span[0] / 100.0, (span[1] + 1) / 100.0


class Builder:
    """Assembles audio parts in a working folder, remembering what it made."""

    def __init__(self, out):
        self.out = out
        self.tmp = os.path.join(out, "parts")
        self.n = 0
        os.makedirs(self.tmp, exist_ok=True)

    def path(self, stem):
        self.n += 1
        return os.path.join(self.tmp, f"{stem}-{self.n}.wav")

    def silence(self, secs):
        p = os.path.join(self.tmp, f"silence-{secs:.3f}.wav")
        if not os.path.exists(p):
            run(["sox", "-n", "-r", str(RATE), "-b", "16", "-c", "1", p, "trim", "0", f"{secs:.3f}"])
        return p

    def prepared(self, src, tempo=1.0, trim="sox", gain_db=None):
        """src as 8 kHz 16-bit mono at tempo, at gain_db or else brought to about -23 dBFS RMS,
        trimmed of leading and trailing silence: trim "sox" at 1 % of the peak (clean studio
        prompts and synthetic speech), "gentle" where 10 ms frames stay 45 dB under the loudest
        or 8 dB over the noise floor (recordings whose soft /s/ and /f/ a 1 % trim would cut)."""
        key = os.path.basename(src).replace(".wav", "") + f"-{tempo:.3f}-{trim}"
        p = os.path.join(self.tmp, f"part-{key}.wav")
        if os.path.exists(p):
            return p
        cmd = ["sox", src, "-r", str(RATE), "-b", "16", "-c", "1", p]
        if trim == "sox":
            cmd += ["silence", "1", "0.005", "1%", "reverse", "silence", "1", "0.005", "1%", "reverse"]
        if abs(tempo - 1.0) > 1e-6:
            cmd += ["tempo", "-s", f"{tempo:.3f}"]
        run(cmd)
        if trim == "gentle":
            gentle_trim(p)
        if gain_db is None:
            rms = float(run(["sox", p, "-n", "stat"], capture_output=True, text=True)
                        .stderr.split("RMS     amplitude:")[1].split()[0])
            gain_db = -23.0 - 20.0 * math.log10(max(rms, 1e-6))
        if abs(gain_db) > 1e-6:
            run(["sox", "-G", p, p + ".g.wav", "gain", f"{gain_db:.2f}"])
            os.replace(p + ".g.wav", p)
        return p

    def speak(self, text, voice):
        """text said by a synthetic voice, 8 kHz, trimmed, at about -23 dBFS RMS."""
        engine, name, rate = voice
        # Named by what is said and how, so that a kept folder never serves another text.
        key = hashlib.sha1(repr((engine, name, rate, text)).encode()).hexdigest()[:16]
        raw = os.path.join(self.tmp, f"tts-{key}.wav")
        if engine == "espeak":
            run(["espeak-ng", "-v", name, "-s", str(rate), "-w", raw, text])
        else:
            scm = f"(voice_{name})(Parameter.set 'Duration_Stretch {1.0 / rate:.3f})"
            run(["text2wave", "-eval", scm, "-o", raw], input=text, text=True)
        return self.prepared(raw)


def fsdd_take(digit, speaker, take):
    return os.path.join(FSDD, f"{digit}_{speaker}_{take}.wav")


def pace_verdict(dps, gaps):
    v = "pass" if dps <= PACE_PASS else "warn" if dps <= PACE_WARN else "fail"
    if v == "pass" and (not gaps or min(gaps) < MIN_GROUP_GAP):
        v = "warn"
    return v


def say_number(b, rng, digits, groups, speaker, takes, pacing, oh_voice, t, files):
    """Appends one mention of the number; returns (mention truth, new time)."""
    tempo = 1.0 if pacing == "slow" else rng.uniform(1.35, 1.6)
    truth_digits, truth_groups = [], []
    for gi, g in enumerate(groups):
        g_start = None
        for di, d in enumerate(g):
            if d == "o":
                p = oh_voice
                d = "0"
            else:
                p = b.prepared(fsdd_take(d, speaker, rng.choice(takes)), tempo, trim="gentle")
            dur = seconds(p)
            files.append(p)
            on, off = sounding(p)
            truth_digits.append({"digit": d, "start_s": round(t + on, 4), "end_s": round(t + off, 4)})
            g_start = t + on if g_start is None else g_start
            t += dur
            if di < len(g) - 1:
                gap = rng.uniform(0.12, 0.3) if pacing == "slow" else rng.uniform(0.0, 0.04)
            elif gi < len(groups) - 1:
                gap = rng.uniform(0.45, 0.8) if pacing == "slow" else rng.uniform(0.02, 0.1)
            else:
                gap = 0.0
            if gap > 0:
                files.append(b.silence(round(gap, 3)))
                t += round(gap, 3)
        g_end = truth_digits[-1]["end_s"]
        truth_groups.append({"digits": "".join(x.replace("o", "0") for x in g),
                             "start_s": round(g_start, 4), "end_s": g_end})
    span = truth_digits[-1]["end_s"] - truth_digits[0]["start_s"]
    gaps = [round(b2["start_s"] - a["end_s"], 4) for a, b2 in zip(truth_groups, truth_groups[1:])]
    dps = len(truth_digits) / span
    mention = {"digits": "".join(d["digit"] for d in truth_digits), "digit_times": truth_digits,
               "groups": truth_groups, "digits_per_second": round(dps, 4), "group_gaps_s": gaps,
               "pace_verdict": pace_verdict(dps, gaps)}
    return mention, t


def random_number(rng, uk):
    if uk:  # a UK geographic number, 0 + 10 digits: 0AA NNNN NNNN (London 020) or 01xx
        digits = "020" + str(rng.randint(3, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
        return digits, [3, 4, 4]
    area = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(2))
    exch = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(2))
    line = "".join(str(rng.randint(0, 9)) for _ in range(4))
    return area + exch + line, [3, 3, 4]


def fsdd_set(tmp, split="all", per_cell=6, seed=20261124):
    """The FSDD voicemail set: per split, per_cell messages for each speaker and pacing."""
    if not os.path.isdir(FSDD):
        raise SystemExit(f"{FSDD} missing: the FSDD development digits (../shared/data/fsdd-dev)")
    b = Builder(tmp)
    out = []
    splits = list(SPLITS) if split == "all" else [split]
    for sp in splits:
        rng = random.Random(f"{seed}-{sp}")
        takes = list(SPLITS[sp])
        k = 0
        for speaker in SPEAKERS:
            for pacing in PACINGS:
                for _ in range(per_cell):
                    out.append(fsdd_message(b, rng, sp, k, speaker, pacing, takes))
                    k += 1
    return out


def fsdd_message(b, rng, split, k, speaker, pacing, takes):
    voice = rng.choice(VOICES)
    uk = rng.random() < 0.12
    twice = rng.random() < 0.25
    oh = uk or rng.random() < 0.2
    digits, sizes = random_number(rng, uk)
    spoken = [("o" if (oh and c == "0") else c) for c in digits]
    groups, at = [], 0
    for n in sizes:
        groups.append(spoken[at:at + n])
        at += n
    caller, company = rng.choice(CALLERS), rng.choice(COMPANIES)
    opening = f"Hi {rng.choice(PROSPECTS)}, this is {caller} from {company}. {rng.choice(REASONS)}"
    lead = rng.choice(LEADS)
    oh_voice = b.speak("oh", voice) if oh else None
    files, t = [b.silence(0.4)], 0.4
    for text, pause in ((opening, 0.35), (lead, 0.25 if pacing == "slow" else 0.05)):
        p = b.speak(text, voice)
        files.append(p)
        t += seconds(p)
        files.append(b.silence(pause))
        t += pause
    mentions = []
    m, t = say_number(b, rng, digits, groups, speaker, takes, pacing, oh_voice, t, files)
    mentions.append(m)
    files.append(b.silence(0.4))
    t += 0.4
    if twice:
        p = b.speak(rng.choice(AGAIN), voice)
        files += [p, b.silence(0.2)]
        t += seconds(p) + 0.2
        m, t = say_number(b, rng, digits, groups, speaker, takes, pacing, oh_voice, t, files)
        mentions.append(m)
        files.append(b.silence(0.4))
        t += 0.4
    p = b.speak(rng.choice(CLOSES), voice)
    files += [p, b.silence(0.5)]
    name = f"fsdd-{split}-{k:02}-{speaker}-{pacing}"
    joined = os.path.join(b.tmp, name + ".joined.wav")
    run(["sox"] + files + [joined])
    path = os.path.join(b.out, name + ".wav")
    mulaw = k % 2 == 1
    # A faint noise floor, as on a real line, then the storage format.
    noisy = joined + ".n.wav"
    dur = seconds(joined)
    run(["sox", "-n", "-r", str(RATE), "-b", "16", "-c", "1", noisy + ".noise.wav",
         "synth", f"{dur:.4f}", "whitenoise", "vol", "0.002"])
    run(["sox", "-G", "-m", "-v", "1", joined, "-v", "1", noisy + ".noise.wav", noisy])
    run(["sox", "-G", noisy, "-r", str(RATE), "-c", "1"] + (["-e", "mu-law", "-b", "8"] if mulaw else ["-b", "16"]) + [path])
    for f in (joined, noisy, noisy + ".noise.wav"):
        os.remove(f)
    truth = {"set": "fsdd", "split": split, "speaker": speaker, "pacing": pacing,
             "voice": f"{voice[0]}:{voice[1]}", "number": digits, "uk": uk, "oh": oh,
             "said_twice": twice, "encoding": "mulaw" if mulaw else "pcm_s16",
             "mentions": mentions}
    with open(path.replace(".wav", ".truth.json"), "w") as f:
        json.dump(truth, f, indent=1)
    return path, truth


def asterisk_set(tmp, n=40, seed=20261122):
    """The 40 numbers from asterisk's recorded digits (the earlier evaluation, unchanged)."""
    if not os.path.isdir(ASTERISK_DIGITS):
        raise SystemExit(f"{ASTERISK_DIGITS} missing: apt-get install asterisk-core-sounds-en-wav")
    b = Builder(tmp)
    rng = random.Random(seed)
    out = []
    for k in range(n):
        digits = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(9))
        groups = [digits[:3], digits[3:6], digits[6:]]
        files, t = [b.silence(0.3)], 0.3
        times, tg = [], []
        for gi, g in enumerate(groups):
            g_start = t
            for di, d in enumerate(g):
                p = b.prepared(f"{ASTERISK_DIGITS}/{d}.wav", gain_db=0.0)
                files.append(p)
                times.append({"digit": d, "start_s": round(t, 4), "end_s": round(t + seconds(p), 4)})
                t += seconds(p)
                if di < len(g) - 1:
                    gap = round(rng.uniform(0.02, 0.2), 3)
                elif gi < len(groups) - 1:
                    gap = round(rng.uniform(0.02, 0.6), 3)
                else:
                    continue
                files.append(b.silence(gap))
                t += gap
            tg.append({"digits": g, "start_s": round(g_start, 4), "end_s": times[-1]["end_s"]})
        files.append(b.silence(0.4))
        path = os.path.join(b.out, f"asterisk-{k:02}.wav")
        run(["sox"] + files + [path])
        dps = 10.0 / (t - 0.3)
        gaps = [round(y["start_s"] - x["end_s"], 4) for x, y in zip(tg, tg[1:])]
        mention = {"digits": digits, "digit_times": times, "groups": tg,
                   "digits_per_second": round(dps, 4), "group_gaps_s": gaps,
                   "pace_verdict": pace_verdict(dps, gaps)}
        out.append((path, {"set": "asterisk", "split": "asterisk", "speaker": "allison",
                           "pacing": "random", "number": digits, "mentions": [mention]}))
    return out


CSLU = os.environ.get("CSLU_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "cslu-dev")
DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
               "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
CSLU_LEADS = ["Please give me a call back at", "You can reach me at", "My number is",
              "Call me back when you get a minute at", "The best number to reach me is"]


def cslu_digits(transcript):
    """The digits of a CSLU transcript said digit by digit ("one oh three one four", breaths and
    noise marks aside, "dash" ignored), or None when it holds anything else (teens, tens,
    hundreds, a cut-off word marked '*')."""
    if "*" in transcript:
        return None
    words = [w for w in transcript.replace("<", " <").replace(">", "> ").split()
             if not w.startswith("<")]
    if not words or not all(w in DIGIT_WORDS or w == "dash" for w in words):
        return None
    return "".join(DIGIT_WORDS[w] for w in words if w != "dash")


def cslu_split(caller):
    """tune or check, by caller (a stable hash of the caller id, so every recording of one caller
    lands in one split and the split does not follow the corpus's numbering)."""
    return "tune" if hashlib.sha1(caller.encode()).digest()[0] % 2 == 0 else "check"


def cslu_items(kinds=("zipcode",), min_len=5):
    """(file, caller, kind, digits) of the CSLU development recordings said digit by digit."""
    manifest = os.path.join(CSLU, "manifest.jsonl")
    if not os.path.exists(manifest):
        raise SystemExit(f"{CSLU} missing: the CSLU development numbers (../shared/data/cslu-dev)")
    out = []
    with open(manifest) as f:
        for line in f:
            row = json.loads(line)
            kind = "zipcode" if row["kind"] == "zipcode" else "other"
            digits = cslu_digits(row["transcript"])
            if kind in kinds and digits and len(digits) >= min_len:
                out.append((row["file"], row["file"].split(".")[0], kind, digits))
    return out


def cslu_set(tmp, split="all", embed=False, kinds=("zipcode",), min_len=5, seed=20261204):
    """Digit strings said by real callers over a real phone line (../shared/data/cslu-dev; never
    copied into the repository): each recording alone, as it was cut from the call, or (embed)
    placed after a synthesised voicemail body and lead-in ("... please give me a call back at"),
    brought to the body's level and trimmed of its leading and trailing silence, with a
    synthesised close after it. Split by caller (cslu_split)."""
    b = Builder(tmp)
    out = []
    for file, caller, kind, digits in cslu_items(kinds, min_len):
        sp = cslu_split(caller)
        if split != "all" and sp != split:
            continue
        src = os.path.join(CSLU, file)
        name = file.replace(".wav", "")
        path = os.path.join(b.out, name + (".embedded.wav" if embed else ".wav"))
        truth = {"set": "cslu", "split": sp, "speaker": caller, "kind": kind, "number": digits,
                 "embedded": embed}
        if embed:
            rng = random.Random(f"{seed}-{file}")
            voice = rng.choice(VOICES)
            opening = (f"Hi {rng.choice(PROSPECTS)}, this is {rng.choice(CALLERS)} from "
                       f"{rng.choice(COMPANIES)}. {rng.choice(REASONS)}")
            files = [b.silence(0.4), b.speak(opening, voice), b.silence(0.35),
                     b.speak(rng.choice(CSLU_LEADS), voice), b.silence(round(rng.uniform(0.1, 0.4), 3)),
                     b.prepared(src, trim="gentle"), b.silence(0.4),
                     b.speak(rng.choice(CLOSES), voice), b.silence(0.5)]
            t0 = sum(seconds(f) for f in files[:5])
            truth["number_start_s"] = round(t0, 3)
            truth["number_end_s"] = round(t0 + seconds(files[5]), 3)
            run(["sox"] + files + [path])
        elif not os.path.exists(path):
            run(["sox", src, path])
        out.append((path, truth))
    return out
