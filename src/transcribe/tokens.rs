//! Whisper's decoded tokens as this crate keeps them, and what is done to them before they become
//! words: descriptions of sounds dropped, decoder loops told from people's repeats, and each
//! token's start and end set from the alignment times.

/// One decoded text token with whisper's times.
pub(super) struct RawToken {
    pub(super) piece: String,
    pub(super) t0: f64,
    pub(super) t1: f64,
    /// The DTW alignment time: where the token's sound ends (within a few tens of
    /// milliseconds on speech, where `t0`/`t1` can stray by seconds).
    pub(super) dtw: Option<f64>,
    pub(super) p: f32,
}

/// The longest a token is taken to last per digit or, for words, at least; seconds. When the
/// alignment leaves a longer gap before a token, the gap is a pause and the token starts this
/// long before its end.
pub(super) const MAX_TOKEN_S: f64 = 0.6;

/// The longest `piece` is taken to last: [`MAX_TOKEN_S`] per digit ("70" is two spoken words),
/// and for words [`MAX_LETTER_S`] per letter, at least [`MAX_TOKEN_S`].
pub(super) fn max_token_s(piece: &str) -> f64 {
    let digits = piece.bytes().filter(u8::is_ascii_digit).count();
    let letters = piece.chars().filter(|c| c.is_alphabetic()).count();
    (MAX_TOKEN_S * digits.max(1) as f64).max(MAX_LETTER_S * letters as f64)
}

/// The longest a letter of a word is taken to last, seconds: a long word said slowly
/// ("opportunity", eleven letters, about a second).
const MAX_LETTER_S: f64 = 0.09;

/// Each token's `(start, end)`, seconds. With DTW alignment times (which mark where a token's
/// sound ends) a token runs from the previous token's alignment time to its own, at most
/// [`max_token_s`]. Punctuation has no sound of its own: the alignment often hands it the
/// start of the next word's, so punctuation gets an empty span and the word after it starts
/// where the word before it ended. Without alignment times whisper's `t0`/`t1` are used as
/// they are. Times never go backwards.
pub(super) fn token_spans(tokens: &[RawToken]) -> Vec<(f64, f64)> {
    if tokens.is_empty() || tokens.iter().any(|t| t.dtw.is_none()) {
        return tokens.iter().map(|t| (t.t0, t.t1.max(t.t0))).collect();
    }
    let mut out = Vec::with_capacity(tokens.len());
    let mut prev_end: Option<f64> = None;
    for t in tokens {
        let floor = prev_end.unwrap_or(0.0);
        if !t.piece.chars().any(char::is_alphanumeric) {
            out.push((floor, floor));
            continue;
        }
        let end = t.dtw.unwrap_or(t.t1).max(floor);
        let longest = max_token_s(&t.piece);
        let start = match prev_end {
            Some(p) => p.max(end - longest),
            None if t.t0 < end => t.t0.max(end - longest),
            None => (end - longest).max(0.0),
        };
        out.push((start, end));
        prev_end = Some(end);
    }
    out
}

/// The tokens without whisper's descriptions of sounds that are not speech: words in brackets
/// or parentheses (`[BLANK_AUDIO]`, `(music)`, `[ Silence ]`, `(upbeat music)`), between
/// asterisks (`*sigh*`), and music notes. They are not words the caller said. A bracket holding
/// digits (an area code in parentheses) or one never closed is kept as it was.
pub(super) fn without_annotations(tokens: Vec<RawToken>) -> Vec<RawToken> {
    let mut kept = Vec::with_capacity(tokens.len());
    // Tokens of an open bracket or asterisk span, and what closes it.
    let mut open: Vec<RawToken> = Vec::new();
    let mut closer = ' ';
    for tok in tokens {
        if open.is_empty() {
            if tok.piece.contains(['♪', '♫']) {
                continue;
            }
            let Some(c) = tok.piece.trim_start().chars().next() else {
                kept.push(tok);
                continue;
            };
            closer = match c {
                '[' => ']',
                '(' => ')',
                '*' => '*',
                _ => {
                    kept.push(tok);
                    continue;
                }
            };
            let closes_itself = tok.piece.trim_start()[1..].contains(closer);
            open.push(tok);
            if !closes_itself {
                continue;
            }
        } else {
            let closes = tok.piece.contains(closer);
            open.push(tok);
            if !closes {
                continue;
            }
        }
        // A closed span: dropped unless it holds digits.
        if open
            .iter()
            .any(|t| t.piece.bytes().any(|b| b.is_ascii_digit()))
        {
            kept.append(&mut open);
        }
        open.clear();
    }
    kept.append(&mut open);
    kept
}

/// The fewest words a back-to-back repeat must cover to be taken for a decoder loop: one word
/// six times running, two words three times, three words three times, four or more twice.
/// People repeat too, but less: "row, row, row, row your boat", "call me back, call me back",
/// a number said twice running.
pub(super) const LOOP_MIN_WORDS: usize = 6;

/// Whether the decoded text repeats itself back to back over [`LOOP_MIN_WORDS`] words or more
/// (a phrase of under four words three times at least): the way whisper fails when it goes
/// round a loop.
pub(super) fn repeats_itself(tokens: &[RawToken]) -> bool {
    let text: String = tokens.iter().map(|t| t.piece.as_str()).collect();
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    (1..=words.len() / 2).any(|n| {
        (0..=words.len() - 2 * n).any(|i| {
            let gram = &words[i..i + n];
            let times = words[i..]
                .chunks_exact(n)
                .take_while(|chunk| *chunk == gram)
                .count();
            let fewest = if n < 4 { 3 } else { 2 };
            times >= fewest && n * times >= LOOP_MIN_WORDS
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(piece: &str, t0: f64, t1: f64, dtw: Option<f64>) -> RawToken {
        RawToken {
            piece: piece.to_string(),
            t0,
            t1,
            dtw,
            p: 1.0,
        }
    }

    #[test]
    fn loops_are_told_from_repeats_people_make() {
        let says = |text: &str| {
            let tokens: Vec<RawToken> = text
                .split_inclusive(' ')
                .map(|w| tok(w, 0.0, 0.1, None))
                .collect();
            repeats_itself(&tokens)
        };
        assert!(says("Row, row, row, row, row, row, row. Think engine."));
        assert!(says(
            "Wait, operator, operator, operator, operator, operator, operator"
        ));
        assert!(says(
            "Please do not overemphasize it. Please do not overemphasize it."
        ));
        assert!(says("thank you bye thank you bye thank you bye"));
        assert!(!says("thank you bye thank you bye"));
        assert!(!says("Row, row, row, row your boat."));
        assert!(!says("Call me back, call me back at 850 936 7028."));
        assert!(!says("It's 850 936 7028, 850 936 7028."));
        assert!(!says(""));
    }

    #[test]
    fn descriptions_of_sounds_are_not_words() {
        let pieces = [
            " Hi", " [", "BL", "ANK", "_", "AUDIO", "]", " it", "'s", " (", "music", ")", " Sam",
            " *", "sigh", "*", " ♪", " at", " (", "850", ")", " 936", " bye", " (", "oh",
        ];
        let tokens = pieces.iter().map(|p| tok(p, 0.0, 0.1, None)).collect();
        let kept: String = without_annotations(tokens)
            .iter()
            .map(|t| t.piece.as_str())
            .collect();
        assert_eq!(kept, " Hi it's Sam at (850) 936 bye (oh");
    }

    #[test]
    fn alignment_times_end_tokens_and_start_the_next() {
        let toks = [
            tok(" call", 5.99, 5.99, Some(4.26)),
            tok(" at", 6.04, 6.04, Some(4.52)),
            tok(" 8", 6.06, 6.11, Some(4.94)),
            tok(" 50", 6.11, 6.26, Some(6.16)),
            tok("-", 6.3, 6.3, Some(7.0)),
            tok("36", 6.3, 6.4, Some(7.1)),
        ];
        let spans = token_spans(&toks);
        assert!((spans[1].0 - 4.26).abs() < 1e-9 && (spans[1].1 - 4.52).abs() < 1e-9);
        assert!((spans[2].0 - 4.52).abs() < 1e-9 && (spans[2].1 - 4.94).abs() < 1e-9);
        // A gap longer than a token is a pause: the token starts at most MAX_TOKEN_S per digit
        // before its end.
        assert!((spans[3].0 - (6.16 - 2.0 * MAX_TOKEN_S)).abs() < 1e-9);
        // Punctuation is empty and the next token starts where the last word ended.
        assert_eq!(spans[4], (6.16, 6.16));
        assert!((spans[5].0 - 6.16).abs() < 1e-9 && (spans[5].1 - 7.1).abs() < 1e-9);
        // The first token starts MAX_TOKEN_S before its end when whisper's t0 is no help.
        assert!((spans[0].0 - (4.26 - MAX_TOKEN_S)).abs() < 1e-9);
        let first = token_spans(&[tok(" John", 0.49, 3.06, Some(0.72))]);
        assert_eq!(first, vec![(0.49, 0.72)]);
    }

    #[test]
    fn without_alignment_times_whisper_times_are_kept() {
        let toks = [tok(" a", 1.0, 1.2, None), tok(" b", 1.2, 1.1, Some(2.0))];
        assert_eq!(token_spans(&toks), vec![(1.0, 1.2), (1.2, 1.2)]);
        assert!(token_spans(&[]).is_empty());
    }
}
