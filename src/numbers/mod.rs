//! Callback numbers in a transcript: spoken forms to digits, digit groups and their timing.
//!
//! Whisper writes a phone number in many ways: numerals (`"850-936-7028"`, `"(850) 936 7028"`),
//! digit words (`"eight five oh"`), or numbers (`"five fifty-five"`, `"eight hundred"`,
//! `"double five"`). [`parse_spoken`](parse::parse_spoken) turns text into digits; [`find_numbers`] finds every
//! callback number in timed words, splits it into the groups it was said in (dashes, commas and
//! acoustic pauses are breaks), times each group, and notes extensions, a leading `+` and a number
//! said twice.
//! For example, `"eight hundred five fifty-five oh one double two"` reads as `8005550122`.
//!
//! One file a concept: `parse` (spoken and written forms to digits), `find` (numbers in the
//! transcript's timed words), `timing` and `digit_times` (groups and digits timed on the sound),
//! `second_reading` (the number heard again with digits only, and weighed with the first
//! reading: policy, decoder and weighing in one folder), `compare` (the report's numbers and the
//! number the caller meant), `align` (two digit strings lined up, for both).

// The second reading of numbers (`second_reading`, `HeardNumber::adopt`) runs only with a
// transcriber; without the `transcribe` feature its policy and weighing are compiled for their
// tests alone.
#![cfg_attr(not(feature = "transcribe"), allow(dead_code, unused_imports))]

mod align;
mod compare;
mod digit_times;
mod find;
mod parse;
pub(crate) mod second_reading;
mod timing;
pub(crate) use align::{align, Edit};
pub(crate) use compare::{may_be, normalize_expected, to_report};
pub(crate) use digit_times::time_digits;
pub(crate) use find::{find_numbers, loose_runs, nuclei_in, HeardNumber};
#[cfg(feature = "transcribe")]
pub(crate) use second_reading::DigitReader;
pub(crate) use second_reading::{read_again, Found};
pub(crate) use timing::{
    anchor_on_nuclei, anchor_start, group_gaps, group_pauses, regroup_at_pauses, time_groups,
};

/// Timed words for tests: `(text, start_s, end_s)`, each heard with probability 0.9.
#[cfg(test)]
fn test_words(spec: &[(&str, f64, f64)]) -> Vec<crate::report::Word> {
    spec.iter()
        .map(|&(t, a, b)| crate::report::Word {
            text: t.into(),
            start_s: a,
            end_s: b,
            probability: 0.9,
            pieces: Vec::new(),
        })
        .collect()
}
