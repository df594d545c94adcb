//! Digit times from the sound: whisper's token timestamps stray by a few hundred milliseconds,
//! so spoken digits are moved onto the sounding runs and acoustic onsets they belong to.

use crate::report::Word;

/// The open interval a word's start may move in: after the previous word's start, before the
/// next word's start.
fn start_bounds(words: &[Word], k: usize) -> (f64, f64) {
    let lo = if k > 0 {
        words[k - 1].start_s
    } else {
        f64::NEG_INFINITY
    };
    let hi = words.get(k + 1).map_or(f64::INFINITY, |w| w.start_s);
    (lo, hi)
}

/// Times spoken digits from the sound rather than from the transcriber, whose token timestamps
/// stray by a few hundred milliseconds. First, a run of consecutive digit words whose stretch
/// (from `reach_s` before its first start to `reach_s` after its last end) holds exactly as many
/// sounding-run starts (`run_starts`, sorted seconds) as it has digits, each digit said on its own,
/// takes those starts in order. Then [`snap_digit_starts`] moves the others onto acoustic `onsets`.
/// Returns how many words moved.
pub(crate) fn time_digits(
    words: &mut [Word],
    run_starts: &[f64],
    onsets: &[f64],
    reach_s: f64,
) -> usize {
    let mut moved = 0;
    let mut settled = vec![false; words.len()];
    let mut i = 0;
    while i < words.len() {
        if !words[i].is_digit() {
            i += 1;
            continue;
        }
        let j = (i..words.len())
            .find(|&k| !words[k].is_digit())
            .unwrap_or(words.len());
        let (from, to) = (words[i].start_s - reach_s, words[j - 1].end_s + reach_s);
        let starts: Vec<f64> = run_starts
            .iter()
            .copied()
            .filter(|&t| t >= from && t <= to)
            .collect();
        // The digits keep their order among the words around them.
        let before = if i > 0 {
            words[i - 1].start_s
        } else {
            f64::NEG_INFINITY
        };
        let after = words.get(j).map_or(f64::INFINITY, |w| w.start_s);
        let fits = starts.first().is_some_and(|&t| t > before)
            && starts.last().is_some_and(|&t| t < after);
        if starts.len() == j - i && fits {
            for (w, &t) in words[i..j].iter_mut().zip(&starts) {
                if (w.start_s - t).abs() > 1e-9 {
                    moved += 1;
                }
                w.start_s = t;
            }
            // Each digit ends where the next begins, at the latest.
            for k in i..j {
                let next = if k + 1 < j {
                    words[k + 1].start_s
                } else {
                    f64::INFINITY
                };
                let w = &mut words[k];
                w.end_s = w.end_s.min(next).max(w.start_s);
            }
            settled[i..j].iter_mut().for_each(|s| *s = true);
        }
        i = j;
    }
    let mut rest: Vec<Word> = Vec::new();
    let mut index = Vec::new();
    for (k, w) in words.iter().enumerate() {
        if !settled[k] {
            rest.push(w.clone());
            index.push(k);
        }
    }
    moved += snap_digit_starts(&mut rest, onsets, reach_s);
    for (w, k) in rest.into_iter().zip(index) {
        words[k] = w;
    }
    moved
}

/// Moves the start of each spoken digit in `words` onto an acoustic onset (`onsets`, sorted
/// seconds): the digits, in order, take distinct onsets so that the total distance to the
/// transcriber's own start times is least; an onset more than `reach_s` away is never taken, and a
/// digit with none in reach keeps its time. Returns how many words moved.
pub(super) fn snap_digit_starts(words: &mut [Word], onsets: &[f64], reach_s: f64) -> usize {
    let digits: Vec<usize> = (0..words.len()).filter(|&i| words[i].is_digit()).collect();
    if digits.is_empty() || onsets.is_empty() {
        return 0;
    }
    // cost[k][j]: best total for the first k digits with digit k-1 on onset j-1 or earlier; a
    // digit may also keep its own time (cost `reach_s`, what an onset at the reach would cost).
    let bounds: Vec<(f64, f64)> = digits.iter().map(|&k| start_bounds(words, k)).collect();
    let (k_n, j_n) = (digits.len(), onsets.len());
    let inf = f64::INFINITY;
    let mut cost = vec![vec![inf; j_n + 1]; k_n + 1];
    let mut choice = vec![vec![0u8; j_n + 1]; k_n + 1]; // 0 skip onset, 1 take it, 2 keep own
    cost[0].iter_mut().for_each(|c| *c = 0.0);
    for k in 1..=k_n {
        let t = words[digits[k - 1]].start_s;
        for j in 0..=j_n {
            // Keep the digit's own time, using no onset.
            let mut best = cost[k - 1][j] + reach_s;
            let mut pick = 2u8;
            if j > 0 {
                if cost[k][j - 1] < best {
                    best = cost[k][j - 1];
                    pick = 0;
                }
                let d = (onsets[j - 1] - t).abs();
                let (lo, hi) = bounds[k - 1];
                let inside = onsets[j - 1] > lo && onsets[j - 1] < hi;
                if inside && d <= reach_s && cost[k - 1][j - 1] + d < best {
                    best = cost[k - 1][j - 1] + d;
                    pick = 1;
                }
            }
            cost[k][j] = best;
            choice[k][j] = pick;
        }
    }
    let (mut k, mut j, mut moved) = (k_n, j_n, 0);
    while k > 0 {
        match choice[k][j] {
            0 => j -= 1,
            1 => {
                let w = &mut words[digits[k - 1]];
                let onset = onsets[j - 1];
                if (w.start_s - onset).abs() > 1e-9 {
                    w.start_s = onset;
                    w.end_s = w.end_s.max(onset);
                    moved += 1;
                }
                k -= 1;
                j -= 1;
            }
            _ => k -= 1,
        }
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str, start_s: f64) -> Word {
        Word {
            text: text.into(),
            start_s,
            end_s: start_s + 0.2,
            probability: 0.9,
            pieces: Vec::new(),
        }
    }

    #[test]
    fn digit_starts_take_distinct_onsets_in_order() {
        let mut words = vec![
            w("call", 0.0),
            w("8", 1.05),
            w("5", 1.35),
            w("0", 1.9),
            w("me", 2.5),
        ];
        // Onsets at the true starts 1.0, 1.5, 2.0, plus a stray one at 0.2.
        let moved = snap_digit_starts(&mut words, &[0.2, 1.0, 1.5, 2.0], 0.3);
        assert_eq!(moved, 3);
        let starts: Vec<f64> = words.iter().map(|w| w.start_s).collect();
        assert_eq!(starts, vec![0.0, 1.0, 1.5, 2.0, 2.5]);
        assert!(words.iter().all(|w| w.end_s >= w.start_s));
    }

    #[test]
    fn digits_said_one_by_one_take_their_sounding_runs() {
        // Whisper placed "0" 0.45 s late; three sounding runs start at 1.0, 1.6 and 2.1.
        let mut words = vec![w("call", 0.0), w("8", 1.05), w("5", 1.5), w("0", 2.55)];
        let moved = time_digits(&mut words, &[0.0, 1.0, 1.6, 2.1], &[], 0.3);
        assert_eq!(moved, 3);
        let starts: Vec<f64> = words.iter().map(|w| w.start_s).collect();
        assert_eq!(starts, vec![0.0, 1.0, 1.6, 2.1]);
        assert!(words.windows(2).skip(1).all(|p| p[0].end_s <= p[1].start_s));
        // With a sounding run too many, the runs are not trusted and the onsets decide.
        let mut words = vec![w("8", 1.05), w("5", 1.5)];
        time_digits(&mut words, &[1.0, 1.3, 1.6], &[1.0, 1.6], 0.3);
        assert_eq!((words[0].start_s, words[1].start_s), (1.0, 1.6));
    }

    #[test]
    fn a_digit_never_moves_before_the_word_before_it() {
        let mut words = vec![w("or", 19.23), w("8", 19.4), w("to", 19.8)];
        snap_digit_starts(&mut words, &[19.205, 19.5], 0.3);
        assert_eq!(words[1].start_s, 19.5);
        let mut words = vec![w("or", 19.23), w("8", 19.4), w("to", 19.8)];
        time_digits(&mut words, &[19.205], &[19.205], 0.3);
        assert_eq!(words[1].start_s, 19.4);
    }

    #[test]
    fn a_digit_without_an_onset_in_reach_keeps_its_time() {
        let mut words = vec![w("4", 1.0), w("2", 3.0)];
        let moved = snap_digit_starts(&mut words, &[1.1], 0.3);
        assert_eq!(moved, 1);
        assert_eq!(words[0].start_s, 1.1);
        assert_eq!(words[1].start_s, 3.0);
        assert_eq!(snap_digit_starts(&mut words, &[], 0.3), 0);
    }
}
