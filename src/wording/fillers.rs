//! Fillers: hesitation sounds and words said as fillers, in the transcript and in the sound.
//!
//! - **Vocal fillers** in the transcript ("um", "uh", "er", "hmm") always count.
//! - **Lexical fillers** ("you know", "I mean", "basically", "like", "sort of") count only where
//!   they are used as fillers: set off by a comma or a pause, and not where the words around
//!   them make them part of the sentence ("I'd like to", "do you know", "what kind of plan").
//!   "basically" and "literally" count wherever they are said, as speech coaches count them.
//! - **Filled pauses heard in the sound**: whisper leaves most "um"s and "uh"s out of its
//!   transcript. A stretch of sound set off by pauses of at least [`FILLED_PAUSE_GAP_S`], 0.1 to
//!   0.8 s long, mostly voiced at a steady pitch, at most one syllable, that no transcribed word
//!   accounts for and that is not part of a number, is a filled pause.

use crate::lexicon::{normalize, numbers_said};
use crate::report::{Filler, FillerKind, HeardIn, Span, Word};

/// A pause between two words at least this long sets off the words around it, seconds.
const SET_OFF_PAUSE_S: f64 = 0.15;

/// Words before "you know" that make it part of a sentence ("do you know", "as you know").
const BEFORE_YOU_KNOW: &[&str] = &[
    "do", "did", "does", "if", "as", "don't", "didn't", "would", "will", "you'll", "what",
    "whether", "let", "to", "might", "may", "i", "we", "they",
];
/// Words after "you know" that make it part of a sentence ("you know what I mean").
const AFTER_YOU_KNOW: &[&str] = &[
    "what", "that", "how", "who", "where", "when", "why", "if", "about", "whether", "him", "her",
    "them", "it", "this", "me", "us", "anyone", "someone",
];
/// Words around "I mean" that make it part of a sentence ("what I mean", "I mean to").
const BEFORE_I_MEAN: &[&str] = &["what", "do", "did", "if", "that"];
const AFTER_I_MEAN: &[&str] = &["to", "it", "that", "when", "by"];
/// Words before "kind of" / "sort of" that make it a noun phrase ("what kind of plan").
const DETERMINERS: &[&str] = &[
    "what",
    "which",
    "this",
    "that",
    "a",
    "the",
    "some",
    "any",
    "every",
    "one",
    "all",
    "no",
    "these",
    "those",
    "same",
    "another",
    "each",
    "right",
    "different",
    "many",
    "what's",
];
/// Words before "like" that make it a verb or a preposition ("I'd like", "looks like").
const BEFORE_LIKE: &[&str] = &[
    "would",
    "i'd",
    "we'd",
    "you'd",
    "they'd",
    "i",
    "we",
    "you",
    "they",
    "feel",
    "feels",
    "felt",
    "look",
    "looks",
    "looked",
    "sound",
    "sounds",
    "seem",
    "seems",
    "just",
    "more",
    "much",
    "something",
    "anything",
    "nothing",
    "things",
    "thing",
    "people",
    "companies",
    "ones",
    "businesses",
    "teams",
    "lot",
    "not",
    "don't",
    "didn't",
    "really",
    "also",
    "kind",
    "sort",
    "exactly",
    "be",
    "is",
    "was",
    "are",
    "were",
    "it's",
    "that's",
    "i'm",
    "you're",
    "we're",
    "might",
    "may",
    "will",
    "should",
    "he",
    "she",
    "it",
    "love",
];
/// Lexical fillers that count wherever they are said.
const ALWAYS: &[&str] = &["basically", "literally"];
/// Discourse markers that count only followed by a comma ("So, ...", "Well, ...").
const MARKERS: &[&str] = &["so", "well", "okay", "right", "anyway", "anyways", "now"];

/// Words followed by a pause mark: a clause's end, or a dash.
fn ends_with_pause_mark(text: &str) -> bool {
    let text = text.trim_end_matches(['"', '\'']);
    super::ends_clause(text) || text.ends_with('-')
}

/// A silence in the sound this close to a word's edge sets the word off, seconds: the
/// transcriber's word times stray by about this much.
const SILENCE_NEAR_S: f64 = 0.12;

/// The shortest silence between sounding runs that sets a word off, seconds.
const SET_OFF_SILENCE_S: f64 = 0.08;

/// The silences between sounding runs that can set a word off.
pub(crate) fn silences(runs: &[Span]) -> Vec<Span> {
    runs.windows(2)
        .map(|w| Span {
            start_s: w[0].end_s,
            end_s: w[1].start_s,
        })
        .filter(|s| s.duration_s() >= SET_OFF_SILENCE_S)
        .collect()
}

/// The words of a transcript as fillers are looked for in them, with the silences heard
/// between them (none without the sound).
struct Heard<'a> {
    words: &'a [Word],
    norm: Vec<String>,
    silences: &'a [Span],
}

impl Heard<'_> {
    /// Whether word `i` is set off from the word before it (a mark, a gap between the words'
    /// times, or a silence in the sound at its start), or starts the text.
    fn set_off_before(&self, i: usize) -> bool {
        let (w, start) = (self.words, self.words[i].start_s);
        i == 0
            || ends_with_pause_mark(&w[i - 1].text)
            || start - w[i - 1].end_s >= SET_OFF_PAUSE_S
            || self
                .silences
                .iter()
                .any(|s| (s.end_s - start).abs() <= SILENCE_NEAR_S)
    }

    /// Whether word `j` is set off from the word after it, or ends the text.
    fn set_off_after(&self, j: usize) -> bool {
        let (w, end) = (self.words, self.words[j].end_s);
        ends_with_pause_mark(&w[j].text)
            || j + 1 >= w.len()
            || w[j + 1].start_s - end >= SET_OFF_PAUSE_S
            || self
                .silences
                .iter()
                .any(|s| (s.start_s - end).abs() <= SILENCE_NEAR_S)
    }

    /// Whether the lexical filler `phrase` (normalised words) said at words `i..i + n` is used
    /// as a filler.
    fn used_as_filler(&self, phrase: &str, i: usize, n: usize) -> bool {
        let (words, norm) = (self.words, &self.norm);
        let j = i + n - 1;
        let before = if i > 0 { norm[i - 1].as_str() } else { "" };
        let after = norm.get(j + 1).map_or("", String::as_str);
        let (left, right) = (self.set_off_before(i), self.set_off_after(j));
        match phrase {
            p if ALWAYS.contains(&p) => true,
            "you know" => {
                if BEFORE_YOU_KNOW.contains(&before) && !left {
                    false
                } else {
                    left || right || !AFTER_YOU_KNOW.contains(&after)
                }
            }
            "i mean" => {
                !BEFORE_I_MEAN.contains(&before) && (right || !AFTER_I_MEAN.contains(&after))
            }
            "kind of" | "sort of" => !DETERMINERS.contains(&before) && (left || right),
            // Commas on both sides make it a filler whatever comes before ("it was, like,
            // great"); pauses alone do not after a verb's subject ("I'd like").
            "like" => {
                let marked = i > 0
                    && ends_with_pause_mark(&words[i - 1].text)
                    && ends_with_pause_mark(&words[j].text);
                marked || left && right && !BEFORE_LIKE.contains(&before)
            }
            p if MARKERS.contains(&p) => left && words[j].text.trim_end().ends_with(','),
            // Any other listed filler ("actually", "honestly", a team's own): set off on one
            // side.
            _ => left || right,
        }
    }
}

/// The fillers in the transcript: every vocal filler of `vocal`, and the lexical fillers of
/// `lexical` where they are used as fillers (set off by a mark, or by `silences` heard in the
/// sound); in time order, none overlapping.
pub(crate) fn transcript_fillers(
    words: &[Word],
    vocal: &[String],
    lexical: &[String],
    silences: &[Span],
) -> Vec<Filler> {
    let heard = Heard {
        words,
        norm: words.iter().map(|w| normalize(&w.text)).collect(),
        silences,
    };
    let norm = &heard.norm;
    let split = |list: &[String]| -> Vec<Vec<String>> {
        list.iter()
            .map(|p| p.split_whitespace().map(normalize).collect::<Vec<_>>())
            .filter(|p| !p.is_empty())
            .collect()
    };
    let (vocal, lexical) = (split(vocal), split(lexical));
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let at = |p: &Vec<String>| i + p.len() <= norm.len() && norm[i..i + p.len()] == p[..];
        let found = if let Some(p) = vocal.iter().find(|p| at(p)) {
            Some((p.len(), p.join(" "), FillerKind::Vocal))
        } else {
            lexical
                .iter()
                .filter(|p| at(p))
                .map(|p| (p.len(), p.join(" ")))
                .find(|(n, p)| heard.used_as_filler(p, i, *n))
                .map(|(n, p)| (n, p, FillerKind::Lexical))
        };
        match found {
            Some((n, text, kind)) => {
                out.push(Filler {
                    text,
                    kind,
                    heard_in: HeardIn::Transcript,
                    start_s: words[i].start_s,
                    end_s: words[i + n - 1].end_s,
                });
                i += n;
            }
            None => i += 1,
        }
    }
    out
}

/// What the sound says of the voice, for finding filled pauses.
pub(crate) struct Voice<'a> {
    /// F0 per frame, 0 where unvoiced.
    pub(crate) f0_hz: &'a [f32],
    /// Seconds between pitch frames.
    pub(crate) hop_s: f64,
    /// Stretches of sound between silences, in order.
    pub(crate) runs: &'a [Span],
    /// Syllable nuclei, seconds.
    pub(crate) nuclei_s: &'a [f64],
    /// Where callback numbers are said: never a filler.
    pub(crate) numbers: &'a [Span],
}

/// The least silence on both sides of a filled pause, seconds: shorter gaps are the stops and
/// breaks inside running speech (at 0.15 s the seed voicemails gave 1 false filler a minute
/// where they hold none; at 0.2 s, none).
pub(crate) const FILLED_PAUSE_GAP_S: f64 = 0.2;
/// Shortest and longest filled pause, seconds.
const FILLED_PAUSE_S: (f64, f64) = (0.1, 0.8);
/// The least share of a filled pause's frames that are voiced.
const FILLED_PAUSE_VOICED: f64 = 0.4;
/// The widest spread of pitch inside a filled pause, semitones: a held vowel.
const FILLED_PAUSE_STDEV_ST: f64 = 2.0;

/// Stretches of sound set off by pauses of at least [`FILLED_PAUSE_GAP_S`].
fn islands(runs: &[Span]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for r in runs {
        match out.last_mut() {
            Some(last) if r.start_s - last.end_s < FILLED_PAUSE_GAP_S => last.end_s = r.end_s,
            _ => out.push(*r),
        }
    }
    out
}

/// Filled pauses heard in the sound where no transcribed word accounts for them, inside the
/// message (after the first word, before the last).
pub(crate) fn filled_pauses(v: &Voice, words: &[Word]) -> Vec<Filler> {
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return Vec::new();
    };
    let overlap = |s: &Span, a: f64, b: f64| s.end_s.min(b) - s.start_s.max(a);
    let numbers: Vec<Span> = words
        .iter()
        .filter(|w| numbers_said(&w.text) > 0 || w.text.chars().any(|c| c.is_ascii_digit()))
        .map(|w| Span {
            start_s: w.start_s,
            end_s: w.end_s,
        })
        .chain(v.numbers.iter().copied())
        .collect();
    islands(v.runs)
        .into_iter()
        .filter(|s| {
            let d = s.duration_s();
            (FILLED_PAUSE_S.0..=FILLED_PAUSE_S.1).contains(&d)
                && s.start_s >= first.end_s
                && s.end_s <= last.start_s
                && numbers.iter().all(|n| overlap(s, n.start_s, n.end_s) <= 0.0)
                // A word that lies mostly inside the stretch accounts for it.
                && words.iter().all(|w| {
                    overlap(s, w.start_s, w.end_s) <= 0.5 * (w.end_s - w.start_s).max(0.05)
                })
                && held_vowel(v, s)
        })
        .map(|s| Filler {
            text: "um".into(),
            kind: FillerKind::Vocal,
            heard_in: HeardIn::Sound,
            start_s: s.start_s,
            end_s: s.end_s,
        })
        .collect()
}

/// Whether a stretch sounds like a held vowel: mostly voiced, at a steady pitch, one syllable
/// at most.
fn held_vowel(v: &Voice, s: &Span) -> bool {
    let a = (s.start_s / v.hop_s).floor().max(0.0) as usize;
    let b = ((s.end_s / v.hop_s).ceil() as usize + 1).min(v.f0_hz.len());
    if a >= b {
        return false;
    }
    let frames = &v.f0_hz[a..b];
    let st: Vec<f64> = frames
        .iter()
        .filter(|&&f| f > 0.0)
        .map(|&f| 12.0 * (f64::from(f) / 100.0).log2())
        .collect();
    if st.len() < 3 || (st.len() as f64) < FILLED_PAUSE_VOICED * frames.len() as f64 {
        return false;
    }
    let mean = st.iter().sum::<f64>() / st.len() as f64;
    let sd = (st.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / st.len() as f64).sqrt();
    let syllables = v
        .nuclei_s
        .iter()
        .filter(|&&t| t >= s.start_s && t <= s.end_s)
        .count();
    sd <= FILLED_PAUSE_STDEV_ST && syllables <= 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wording::{default_fillers, default_lexical_fillers};

    fn fillers(text: &str) -> Vec<String> {
        let w = Word::evenly(text, 0.4, 0.3, 0.9);
        transcript_fillers(&w, &default_fillers(), &default_lexical_fillers(), &[])
            .into_iter()
            .map(|f| f.text)
            .collect()
    }

    #[test]
    fn lexical_fillers_count_only_as_fillers() {
        assert_eq!(
            fillers("I saw your note about, you know, the move."),
            ["you know"]
        );
        assert_eq!(fillers("It was, like, a great call."), ["like"]);
        assert_eq!(fillers("Ben asked, basically, me to call."), ["basically"]);
        assert_eq!(
            fillers("So, um, I mean, it is about the plan."),
            ["so", "um", "i mean"]
        );
        for said in [
            "I'd like to ask you.",
            "I like it.",
            "What kind of plan do you have?",
            "Do you know the answer?",
            "As you know, we met.",
            "I mean to call you.",
            "It is well made.",
        ] {
            assert!(fillers(said).is_empty(), "{said}: {:?}", fillers(said));
        }
    }

    fn word(text: &str, start_s: f64, end_s: f64) -> Word {
        let mut w = Word::evenly(text, 1.0, 1.0, 0.9).remove(0);
        w.start_s = start_s;
        w.end_s = end_s;
        w
    }

    #[test]
    fn a_held_vowel_between_words_is_a_filled_pause() {
        let hop = 0.01;
        // Voiced at a steady 120 Hz from 1.0 to 1.3 s, and through the words.
        let f0: Vec<f32> = (0..300).map(|_| 120.0).collect();
        let span = |a: f64, b: f64| Span {
            start_s: a,
            end_s: b,
        };
        let runs = [span(0.0, 0.7), span(1.0, 1.3), span(1.6, 2.5)];
        let words = [word("Hello", 0.0, 0.7), word("there.", 1.6, 2.5)];
        let voice = Voice {
            f0_hz: &f0,
            hop_s: hop,
            runs: &runs,
            nuclei_s: &[0.3, 1.15, 2.0],
            numbers: &[],
        };
        let found = filled_pauses(&voice, &words);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].heard_in, HeardIn::Sound);
        // A word over it accounts for it; so does a number.
        let words = [
            word("Hello", 0.0, 0.8),
            word("um", 1.0, 1.3),
            word("there.", 1.6, 2.5),
        ];
        assert!(filled_pauses(&voice, &words).is_empty());
        let numbers = [span(0.9, 1.4)];
        let voice = Voice {
            numbers: &numbers,
            ..voice
        };
        assert!(
            filled_pauses(&voice, &[word("Hello", 0.0, 0.8), word("there.", 1.6, 2.5)]).is_empty()
        );
    }
}
