//! Several short recordings transcribed in one whisper window.
//!
//! Whisper's encoder always encodes a whole 30 s window, however short the recording: a 5 s
//! message wastes five sixths of it. Recordings packed one after another (with a stretch of
//! quiet between them) share the window, so the encoder runs once for all of them; the decoder
//! writes their words in order, timed by the alignment, and each word goes back to the
//! recording it was said in, its times made the recording's own.
//!
//! The decoder reads a pack as one text, so what it writes for one recording can lean on its
//! neighbours: measured on real callers' zip codes packed ten to a window, digits ran from one
//! recording into the next ("801-2765301") and the transcript's digits were right for 70 of
//! 107 strings against 82 of 107 alone. So a recording is transcribed again alone when its
//! pack's words for it hold a digit (a callback number is always heard as the recording alone
//! hears it), when a word ran across from or into a neighbour or its words begin with the
//! piece of a word, or when it got no words (the decoder stopped after a neighbour) or words
//! the decoder itself doubts.

use crate::lexicon;
use crate::report::Transcript;

use super::tokens::RawToken;
use super::window::{samples_in, seconds, WINDOW_S};

/// The longest recording packed with others, seconds. A longer one is voicemail-length and
/// nearly always says a number, so it would be transcribed again alone after its pack: packing
/// it only adds a decode (on real callers' zip codes in 11-18 s voicemails, 53.0 s packed
/// against 49.2 s alone for 20 of them). Prompts and short calls are shorter (all of wuw-dev's
/// 154 calls, at most 10.4 s).
pub const PACK_MAX_S: f64 = 11.0;

/// Quiet between two packed recordings, seconds: long enough that whisper ends one phrase and
/// starts the next (it marks phrases at pauses of a few hundred milliseconds), and that each
/// word's alignment time falls plainly on one side.
pub(super) const PACK_GAP_S: f64 = 1.0;

/// The most audio in one pack, seconds: whisper's window less a second, so that the decoder
/// reaches the end of the last recording inside the window.
const PACK_BUDGET_S: f64 = WINDOW_S - 1.0;

/// The level of the quiet between packed recordings, RMS full scale (-60 dBFS): a quiet line's
/// hiss rather than digital zeros, which whisper only ever saw after the end of the audio.
const GAP_LEVEL: f32 = 1e-3;

/// Whether recordings of these lengths (seconds, in order) fit in one pack: each at most
/// [`PACK_MAX_S`], and all of them with the quiet between them within the window.
pub fn fit_in_one_window(lengths_s: &[f64]) -> bool {
    let gaps = lengths_s.len().saturating_sub(1) as f64 * PACK_GAP_S;
    lengths_s.iter().all(|&s| s <= PACK_MAX_S)
        && lengths_s.iter().sum::<f64>() + gaps <= PACK_BUDGET_S
}

/// Where each recording of a pack lies in it.
pub(super) struct Pack {
    /// The packed audio.
    pub(super) samples: Vec<f32>,
    /// Each recording's start and length in the pack, seconds.
    places: Vec<(f64, f64)>,
}

/// A quiet line's hiss: white noise at [`GAP_LEVEL`] from a fixed seed, so that a pack is the
/// same audio every time.
fn hiss(n: usize, seed: &mut u32) -> impl Iterator<Item = f32> + '_ {
    (0..n).map(move |_| {
        // xorshift32: uniform on [-1, 1), scaled to the RMS wanted (a uniform's RMS is 1/sqrt 3).
        *seed ^= *seed << 13;
        *seed ^= *seed >> 17;
        *seed ^= *seed << 5;
        let u = (*seed as f32 / u32::MAX as f32) * 2.0 - 1.0;
        u * GAP_LEVEL * 3f32.sqrt()
    })
}

impl Pack {
    pub(super) fn new(clips: &[&[f32]]) -> Pack {
        let gap = samples_in(PACK_GAP_S);
        let total = clips.iter().map(|c| c.len() + gap).sum();
        let mut samples = Vec::with_capacity(total);
        let mut places = Vec::with_capacity(clips.len());
        let mut seed = 0x9e37_79b9;
        for (i, clip) in clips.iter().enumerate() {
            if i > 0 {
                samples.extend(hiss(gap, &mut seed));
            }
            places.push((seconds(samples.len()), seconds(clip.len())));
            samples.extend_from_slice(clip);
        }
        Pack { samples, places }
    }

    /// The recording a time of the pack belongs to: the one it falls in, or across the quiet
    /// between two, the nearer one.
    fn owner(&self, t: f64) -> usize {
        let half_gap = PACK_GAP_S / 2.0;
        self.places
            .iter()
            .position(|&(start, len)| t < start + len + half_gap)
            .unwrap_or(self.places.len() - 1)
    }

    /// The pack's tokens dealt out to the recordings, their times made each recording's own,
    /// and for each whether a word of it ran across into another recording. A token that
    /// continues a word (no leading space) goes with the word.
    pub(super) fn split(&self, tokens: Vec<RawToken>) -> (Vec<Vec<RawToken>>, Vec<bool>) {
        let mut out: Vec<Vec<RawToken>> = self.places.iter().map(|_| Vec::new()).collect();
        let mut crossed = vec![false; self.places.len()];
        let mut current = 0;
        for mut tok in tokens {
            let owner = self.owner(tok.dtw.unwrap_or(tok.t0));
            let starts_word = tok.piece.starts_with(' ') || tok.piece.trim().is_empty();
            if starts_word || out[current].is_empty() {
                // A recording whose words begin with the piece of a word: the word began in
                // another, or the decoder lost its way there (whisper starts a text with a space).
                crossed[owner] |= !starts_word;
                current = owner;
            } else if owner != current && tok.piece.chars().any(char::is_alphanumeric) {
                // (Punctuation has no sound of its own; its alignment time is no guide.)
                crossed[current] = true;
                crossed[owner] = true;
            }
            let (start, len) = self.places[current];
            let local = |t: f64| (t - start).clamp(0.0, len);
            tok.t0 = local(tok.t0);
            tok.t1 = local(tok.t1);
            tok.dtw = tok.dtw.map(local);
            out[current].push(tok);
        }
        (out, crossed)
    }
}

/// The least mean word probability of a recording's words in a pack for them to stand: below
/// it the decoder itself says they are almost surely not what was said. A real caller's zip
/// code came out of a greedy pack as "h--" at 0.0008; the lowest kept on the wuw-dev calls is
/// 0.13, on the asterisk prompts 0.71.
const MIN_PACKED_PROBABILITY: f64 = 0.1;

/// Whether a recording's packed words cannot stand: none, or the decoder unsure of them.
fn unsure(transcript: &Transcript) -> bool {
    let words = &transcript.words;
    let mean = words.iter().map(|w| w.probability).sum::<f64>() / words.len().max(1) as f64;
    words.is_empty() || mean < MIN_PACKED_PROBABILITY
}

/// Whether a transcript holds a spoken number: a numeral, a digit word or "oh", also inside a
/// word ("One-out-three,"), as the number finder counts them, or any figure at all ("6iled").
fn says_digits(transcript: &Transcript) -> bool {
    transcript
        .words
        .iter()
        .any(|w| lexicon::numbers_said(&w.text) > 0 || w.text.bytes().any(|b| b.is_ascii_digit()))
}

/// Whether a recording's words in its pack cannot stand, so that it is transcribed again
/// alone: a word ran across into a neighbour (`crossed`), the decoder is unsure of them, or
/// they hold a number.
pub(super) fn heard_alone_instead(transcript: &Transcript, crossed: bool) -> bool {
    crossed || unsure(transcript) || says_digits(transcript)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(piece: &str, t: f64) -> RawToken {
        RawToken {
            piece: piece.to_string(),
            t0: t,
            t1: t,
            dtw: Some(t),
            p: 1.0,
        }
    }

    #[test]
    fn lengths_fit_while_the_window_holds_them() {
        assert!(fit_in_one_window(&[5.0, 5.0, 5.0]));
        assert!(fit_in_one_window(&[9.0, 9.5, 8.5]));
        assert!(
            !fit_in_one_window(&[9.5, 9.5, 9.0]),
            "28 s and two gaps is over 29 s"
        );
        assert!(
            !fit_in_one_window(&[14.0, 8.0]),
            "a voicemail-length recording goes alone"
        );
        assert!(!fit_in_one_window(&[PACK_MAX_S + 0.1]));
        assert!(fit_in_one_window(&[]));
    }

    #[test]
    fn words_go_back_to_their_own_recording_and_time() {
        let a = vec![0.0; samples_in(2.0)];
        let b = vec![0.0; samples_in(3.0)];
        let pack = Pack::new(&[&a, &b]);
        assert_eq!(
            pack.samples.len(),
            samples_in(2.0) + samples_in(PACK_GAP_S) + b.len()
        );
        let b_start = 2.0 + PACK_GAP_S;
        assert!((pack.places[1].0 - b_start).abs() < 1e-9);
        let tokens = vec![
            tok(" Hi", 0.5),
            tok(" there", 1.9),
            tok(" Call", 2.4), // in the gap, nearer the first
            tok(" me", b_start + 0.2),
            tok("ssage", 1.0), // a word's piece goes with its word, though aligned in the first
            tok(" bye", b_start + 9.0),
        ];
        let (split, crossed) = pack.split(tokens);
        assert_eq!(crossed, [true, true], "a word ran across the two");
        let words = |v: &Vec<RawToken>| v.iter().map(|t| t.piece.clone()).collect::<String>();
        assert_eq!(words(&split[0]), " Hi there Call");
        assert_eq!(words(&split[1]), " message bye");
        assert!((split[1][0].dtw.expect("timed") - 0.2).abs() < 1e-9);
        assert!(
            (split[1][1].t0 - 0.0).abs() < 1e-9,
            "clamped to the recording"
        );
        assert!((split[1][2].t0 - 3.0).abs() < 1e-9, "clamped to its end");
    }

    #[test]
    fn the_quiet_between_is_faint_and_the_same_each_time() {
        let (mut s1, mut s2) = (1, 1);
        let a: Vec<f32> = hiss(16_000, &mut s1).collect();
        let b: Vec<f32> = hiss(16_000, &mut s2).collect();
        assert_eq!(a, b);
        let rms = (a.iter().map(|x| x * x).sum::<f32>() / a.len() as f32).sqrt();
        assert!((rms / GAP_LEVEL - 1.0).abs() < 0.05, "rms {rms}");
    }
}
