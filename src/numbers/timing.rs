//! Digit groups timed on the sound: starts on sounding runs and syllable nuclei, and the groups
//! redrawn at the pauses heard inside a number.

use super::HeardNumber;
use crate::report::{DigitGroup, PhoneNumber, Span};
use crate::vocab::digit_syllables;

/// How far before a group's aligned end its run is looked for, seconds: two intensity frames,
/// so that an end aligned just past the run's own end still finds it.
const END_PROBE_S: f64 = 0.02;

/// How far past the next group's start a run may end and still end this group, seconds: the
/// intensity contour's smoothing blurs a run's end by about this much.
const CEILING_SLACK_S: f64 = 0.05;

/// Moves each digit group's start and end onto the sound: a group starts where sound starts
/// (the nearest sounding-run start within `reach_s` of the transcriber's time, else the nearest
/// acoustic onset) and ends where its sounding run ends when silence follows within `reach_s`.
/// Whisper's token times stray by a few hundred milliseconds and a number's last token often
/// runs on into the silence after it; the sound does not. `runs` are the sounding runs,
/// sorted; `onsets` sorted seconds. Group order is kept: no group starts
/// before the previous one ends.
pub(crate) fn time_groups(number: &mut HeardNumber, runs: &[Span], onsets: &[f64], reach_s: f64) {
    let mut floor = f64::NEG_INFINITY;
    let n = number.groups.len();
    for k in 0..n {
        let (s_w, e_w) = (number.groups[k].start_s, number.groups[k].end_s);
        let ceiling = number
            .groups
            .get(k + 1)
            .map_or(f64::INFINITY, |g| g.start_s.max(e_w));
        let nearest = |times: &mut dyn Iterator<Item = f64>| {
            times
                .filter(|&t| (t - s_w).abs() <= reach_s && t >= floor && t < e_w)
                .min_by(|a, b| (a - s_w).abs().total_cmp(&(b - s_w).abs()))
        };
        let start = nearest(&mut runs.iter().map(|r| r.start_s))
            .or_else(|| nearest(&mut onsets.iter().copied()))
            .unwrap_or(s_w.max(floor));
        // The run the group's end falls in (or the last one before it, when the transcriber's
        // end lies in the silence after).
        let probe = e_w - END_PROBE_S;
        let run = runs
            .iter()
            .rev()
            .find(|r| r.start_s <= probe && r.start_s < ceiling)
            .copied();
        let end = match run {
            Some(Span { end_s: re, .. })
                if re > start && re <= e_w + reach_s && re <= ceiling + CEILING_SLACK_S =>
            {
                re
            }
            _ => e_w,
        };
        let g = &mut number.groups[k];
        g.start_s = start;
        g.end_s = end.max(start);
        floor = g.end_s;
    }
}

/// How far before the transcriber's start of a number its first digit may be found by
/// [`anchor_start`], seconds; the alignment of the word before a number often runs on into it.
pub(super) const ANCHOR_BEFORE_S: f64 = 0.5;

/// The shortest silence before a sounding run that counts as a pause before a number rather
/// than the closure of a stop consonant, seconds.
const MIN_PAUSE_BEFORE_S: f64 = 0.15;

/// Moves the start of a number said without a pause before it onto its first digit's syllable.
/// Whisper's alignment tends to let the word before a number run on into its first digits, and
/// with no silence there the sound gives no run start to snap to. Counting one syllable nucleus
/// per digit back from the number's end (which the sound does mark) finds the first digit's
/// nucleus; the number then starts at the intensity dip before it (the latest of `onsets`
/// before the nucleus). Nothing moves when the count lands further than [`ANCHOR_BEFORE_S`]
/// before, or more than one digit's time after, the transcriber's start, when the number
/// starts on a sounding run (`runs`) after a pause, or when the span holds too few nuclei. Returns
/// whether the start moved.
pub(crate) fn anchor_start(
    number: &mut HeardNumber,
    runs: &[Span],
    nuclei_s: &[f64],
    onsets: &[f64],
) -> bool {
    let (Some(first), Some(last)) = (number.groups.first(), number.groups.last()) else {
        return false;
    };
    let Some(start) = anchor_on_nuclei(
        first.start_s,
        last.end_s,
        number.digits.len(),
        ANCHOR_BEFORE_S,
        runs,
        nuclei_s,
        onsets,
    ) else {
        return false;
    };
    let g = &mut number.groups[0];
    if start >= g.end_s {
        return false;
    }
    g.start_s = start;
    true
}

/// Where a stretch of speech with `count` syllables ending at `end` starts, by counting
/// syllable nuclei back from its end; `None` when the transcriber's `start` should stand (see
/// [`anchor_start`] for the conditions; the count may land at most `max_back_s` before
/// `start`).
pub(crate) fn anchor_on_nuclei(
    start: f64,
    end: f64,
    count: usize,
    max_back_s: f64,
    runs: &[Span],
    nuclei_s: &[f64],
    onsets: &[f64],
) -> Option<f64> {
    // A run start after a real pause (not a stop consonant's closure) is where speech starts.
    let after_pause = runs.iter().enumerate().any(|(k, r)| {
        (r.start_s - start).abs() < 1e-6
            && (k == 0 || r.start_s - runs[k - 1].end_s >= MIN_PAUSE_BEFORE_S)
    });
    if count < 2 || end <= start || after_pause {
        return None;
    }
    let per_syllable = (end - start) / count as f64;
    let before_end: Vec<f64> = nuclei_s.iter().copied().filter(|&t| t < end).collect();
    let k = before_end.len().checked_sub(count)?;
    let nucleus = before_end[k];
    if nucleus < start - max_back_s || nucleus > start + per_syllable {
        return None;
    }
    let previous = k
        .checked_sub(1)
        .map_or(f64::NEG_INFINITY, |j| before_end[j]);
    onsets
        .iter()
        .copied()
        .rfind(|&t| t > previous && t < nucleus)
}

/// The shortest silence inside a number that breaks its digit groups, seconds: the least the
/// rulebook's `number.pace` asks between groups by default. Shorter than the speech pauses the
/// prosody counts (0.3 s), so that a break said briskly is still a break; a shorter silence is
/// as often a consonant too faint for the telephone band ("six" before "oh": 0.21 s in a number
/// said in one breath) as a break.
pub(crate) const GROUP_PAUSE_S: f64 = 0.25;

/// How much longer than the silences between digits the breaks between groups are, when the
/// caller pauses between digits too (geometric means of the two kinds). FSDD speakers saying
/// numbers slowly leave 0.2-0.4 s between digits and 0.5-0.9 s between groups; scripted
/// voicemails read digit by digit, 0.2-0.3 s and 0.55-0.8 s.
const BREAK_OVER_DIGIT_GAP: f64 = 1.4;

/// Where the digit groups of `number` break: the silences between sounding runs (`runs`,
/// sorted) inside its span of at least [`GROUP_PAUSE_S`]. When there are more of them than the
/// number's usual groups have breaks ([`PhoneNumber::usual_groups`]), the caller may pause
/// between digits as well: the silences are parted in two by length (the split of their
/// logarithms with the most variance between the two sides, Otsu's), and when the long ones
/// are [`BREAK_OVER_DIGIT_GAP`] times the short ones, only they break groups.
pub(crate) fn group_pauses(runs: &[Span], number: &HeardNumber) -> Vec<Span> {
    let Some(span) = number.span() else {
        return Vec::new();
    };
    let silences: Vec<Span> = runs
        .windows(2)
        .filter(|p| p[0].end_s > span.start_s && p[1].start_s < span.end_s)
        .filter(|p| p[1].start_s - p[0].end_s >= GROUP_PAUSE_S - 1e-9)
        .map(|p| Span {
            start_s: p[0].end_s,
            end_s: p[1].start_s,
        })
        .collect();
    let digits: String = number.groups.iter().map(|g| g.digits.as_str()).collect();
    if silences.len() < PhoneNumber::usual_groups(&digits).len() {
        return silences;
    }
    let mut logs: Vec<f64> = silences
        .iter()
        .map(|p| (p.end_s - p.start_s).ln())
        .collect();
    logs.sort_by(f64::total_cmp);
    match long_silences(&logs) {
        Some(shortest) => silences
            .into_iter()
            .filter(|p| (p.end_s - p.start_s).ln() >= shortest - 1e-9)
            .collect(),
        None => silences,
    }
}

/// The log-length of the shortest long silence when sorted log-lengths `logs` part into short
/// and long ones at least [`BREAK_OVER_DIGIT_GAP`] apart (Otsu's split); `None` otherwise.
fn long_silences(logs: &[f64]) -> Option<f64> {
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let (split, _) = (1..logs.len())
        .map(|i| {
            let (lo, hi) = logs.split_at(i);
            let w = lo.len() as f64 * hi.len() as f64;
            (i, w * (mean(hi) - mean(lo)).powi(2))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    let (lo, hi) = logs.split_at(split);
    (mean(hi) - mean(lo) >= BREAK_OVER_DIGIT_GAP.ln()).then(|| hi[0])
}

/// What a group split that the transcript does not show costs, in syllable nuclei: the nuclei
/// must fit a split the transcript does not show better by more than this to win over the
/// transcript's own groups (a stretch's nuclei are often one off: a missed "oh", a "seven"
/// heard as one).
const UNSHOWN_SPLIT_COST: f64 = 1.5;

/// Regroups a number's digits at the pauses heard inside it: where the speaker paused is where
/// the groups break. The transcript's dashes are a guess (whisper writes "020-794-609-5-8" for
/// "oh two oh, seven nine four six, oh nine five eight") and its times stray, so each pause's
/// place among the digits is chosen by the sound: the stretch of speech between two pauses
/// should hold about one syllable nucleus per digit (or per syllable, "seven" and "zero" having
/// two), and of the splits that fit the nuclei (`nuclei_s`) best, one the transcript shows wins.
/// The groups then run from pause to pause. A number with no pause inside is one group: the
/// transcript's dashes and spaces are not pauses ("8 509-367028" for a number said in one
/// breath). Returns whether the groups changed.
pub(crate) fn regroup_at_pauses(
    number: &mut HeardNumber,
    pauses: &[Span],
    nuclei_s: &[f64],
) -> bool {
    let Some(span) = number.span() else {
        return false;
    };
    let inside: Vec<Span> = pauses
        .iter()
        .filter(|p| p.start_s > span.start_s && p.end_s < span.end_s && p.end_s > p.start_s)
        .copied()
        .collect();
    let digits: Vec<char> = number
        .groups
        .iter()
        .flat_map(|g| g.digits.chars())
        .collect();
    let n = digits.len();
    let m = inside.len() + 1; // stretches of speech
    if inside.is_empty() {
        return set_groups(
            number,
            vec![DigitGroup {
                digits: digits.iter().collect(),
                start_s: span.start_s,
                end_s: span.end_s,
            }],
        );
    }
    if n < m {
        return false;
    }
    let mut shown = vec![false; n + 1];
    let mut at = 0;
    for g in &number.groups {
        at += g.digits.chars().count();
        shown[at.min(n)] = true;
    }
    // Stretch i runs from the end of pause i-1 to the start of pause i.
    let bounds: Vec<(f64, f64)> = (0..m)
        .map(|i| {
            let a = if i == 0 {
                span.start_s
            } else {
                inside[i - 1].end_s
            };
            let b = if i + 1 == m {
                span.end_s
            } else {
                inside[i].start_s
            };
            (a, b)
        })
        .collect();
    let heard: Vec<f64> = bounds
        .iter()
        .map(|&(a, b)| nuclei_s.iter().filter(|&&t| t >= a && t < b).count() as f64)
        .collect();
    // How far stretch i's nuclei are from digits[from..to] said there.
    let fit = |i: usize, from: usize, to: usize| -> f64 {
        let said = &digits[from..to];
        let count = said.len() as f64;
        let syllables: f64 = said
            .iter()
            .map(|&c| {
                let (fewest, most) = digit_syllables(c);
                0.5 * f64::from(fewest + most)
            })
            .sum();
        (heard[i] - count).abs().min((heard[i] - syllables).abs())
    };
    let cost = |i: usize, from: usize, to: usize| -> f64 {
        let split = if to < n && !shown[to] {
            UNSHOWN_SPLIT_COST
        } else {
            0.0
        };
        fit(i, from, to) + split
    };
    let Some(best) = cheapest_cuts(m, n, &cost) else {
        return false;
    };
    let cuts = usual_cuts(&digits, &best, &fit, &cost).unwrap_or(best);
    let groups: Vec<DigitGroup> = (0..m)
        .map(|i| DigitGroup {
            digits: digits[cuts[i]..cuts[i + 1]].iter().collect(),
            start_s: bounds[i].0,
            end_s: bounds[i].1,
        })
        .collect();
    set_groups(number, groups)
}

/// How much better, in syllable nuclei, another split must fit the sound to win over the groups
/// a number of its length is usually said in ([`PhoneNumber::usual_groups`]): callers say
/// numbers in those groups, and the nuclei of a stretch of digits said briskly are often one or
/// two short ("five five five" heard as two).
const USUAL_SPLIT_MARGIN: f64 = 2.0;

/// The cuts of the usual groups, or of some of them run together when the number has fewer
/// stretches (`best.len() - 1`) than they have groups ("206, 5550198": 3 and 7 of 3-3-4): the
/// choice of usual breaks that fits the nuclei best (at `fit`, needing no transcript to show
/// them), unless the cheapest split (`best`, at `cost`) fits them better by
/// [`USUAL_SPLIT_MARGIN`]; `None` when the usual groups are fewer than the stretches.
fn usual_cuts(
    digits: &[char],
    best: &[usize],
    fit: &impl Fn(usize, usize, usize) -> f64,
    cost: &impl Fn(usize, usize, usize) -> f64,
) -> Option<Vec<usize>> {
    let m = best.len() - 1;
    let n = digits.len();
    let said: String = digits.iter().collect();
    let mut breaks = Vec::new(); // the usual groups' inner boundaries
    for s in PhoneNumber::usual_groups(&said) {
        breaks.push(breaks.last().copied().unwrap_or(0) + s);
    }
    breaks.pop();
    if breaks.len() + 1 < m {
        return None;
    }
    let total = |cuts: &[usize], f: &dyn Fn(usize, usize, usize) -> f64| -> f64 {
        (0..m).map(|i| f(i, cuts[i], cuts[i + 1])).sum()
    };
    // Every choice of m - 1 of the usual breaks (at most three of them: a few choices).
    let usual = (0u32..1 << breaks.len())
        .filter(|mask| mask.count_ones() as usize + 1 == m)
        .map(|mask| {
            let mut cuts = vec![0];
            cuts.extend(
                (0..breaks.len())
                    .filter(|k| mask >> k & 1 == 1)
                    .map(|k| breaks[k]),
            );
            cuts.push(n);
            cuts
        })
        .map(|cuts| (total(&cuts, fit), cuts))
        .min_by(|a, b| a.0.total_cmp(&b.0))?;
    (usual.0 <= total(best, cost) + USUAL_SPLIT_MARGIN).then_some(usual.1)
}

/// Gives `number` these groups; whether they differ from the ones it had.
fn set_groups(number: &mut HeardNumber, groups: Vec<DigitGroup>) -> bool {
    let changed = number.groups != groups;
    number.groups = groups;
    changed
}

/// Where `n` digits said over `m` stretches of speech break (`m + 1` cut positions from 0 to
/// `n`, each stretch holding at least one digit) at the least total `cost(stretch, from, to)`;
/// `None` when no split has a finite cost. Dynamic programming over (stretch, digits said).
fn cheapest_cuts(
    m: usize,
    n: usize,
    cost: &impl Fn(usize, usize, usize) -> f64,
) -> Option<Vec<usize>> {
    // best[i][k]: the least cost of saying the first k digits in the first i stretches.
    let mut best = vec![vec![f64::INFINITY; n + 1]; m + 1];
    let mut from = vec![vec![0usize; n + 1]; m + 1];
    best[0][0] = 0.0;
    for i in 1..=m {
        for k in i..=n {
            if i == m && k != n {
                continue;
            }
            for j in (i - 1)..k {
                let c = best[i - 1][j] + cost(i - 1, j, k);
                if best[i - 1][j].is_finite() && c < best[i][k] {
                    best[i][k] = c;
                    from[i][k] = j;
                }
            }
        }
    }
    if !best[m][n].is_finite() {
        return None;
    }
    let mut cuts = vec![n; m + 1];
    cuts[0] = 0;
    for i in (1..m).rev() {
        cuts[i] = from[i + 1][cuts[i + 1]];
    }
    Some(cuts)
}

/// The silences between successive groups, seconds (never negative).
pub(crate) fn group_gaps(groups: &[DigitGroup]) -> Vec<f64> {
    groups
        .windows(2)
        .map(|p| (p[1].start_s - p[0].end_s).max(0.0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A number heard as one group of `digits` from `a` to `b` seconds.
    fn one_group(digits: &str, a: f64, b: f64) -> HeardNumber {
        HeardNumber {
            digits: digits.into(),
            text: digits.into(),
            groups: vec![DigitGroup {
                digits: digits.into(),
                start_s: a,
                end_s: b,
            }],
            ..HeardNumber::default()
        }
    }

    #[test]
    fn pauses_regroup_digits_as_the_syllable_nuclei_say() {
        let group = |d: &str, a: f64, b: f64| DigitGroup {
            digits: d.to_string(),
            start_s: a,
            end_s: b,
        };
        let gs = |n: &HeardNumber| -> Vec<(String, f64, f64)> {
            n.groups
                .iter()
                .map(|g| (g.digits.clone(), g.start_s, g.end_s))
                .collect()
        };
        // "oh two oh, seven nine four six, oh nine five eight", transcribed 020-794-609-5-8 with
        // the "six" timed across the pause after it.
        let mut n = HeardNumber {
            digits: "02079460958".into(),
            text: "020-794-609-5-8".into(),
            plus: false,
            extension: None,
            groups: vec![
                group("020", 15.35, 16.12),
                group("794", 16.88, 18.02),
                group("6", 18.6, 19.2),
                group("095", 19.46, 20.0),
                group("8", 20.17, 20.46),
            ],
            ..HeardNumber::default()
        };
        let pauses = [
            Span {
                start_s: 16.12,
                end_s: 16.88,
            },
            Span {
                start_s: 18.36,
                end_s: 19.18,
            },
        ];
        // Nuclei heard: two in the first stretch, five in the second, four in the third.
        let nuclei = [
            15.5, 15.9, 17.0, 17.2, 17.5, 17.8, 18.1, 19.3, 19.6, 19.9, 20.3,
        ];
        assert!(regroup_at_pauses(&mut n, &pauses, &nuclei));
        assert_eq!(
            gs(&n),
            vec![
                ("020".to_string(), 15.35, 16.12),
                ("7946".to_string(), 16.88, 18.36),
                ("0958".to_string(), 19.18, 20.46)
            ]
        );
        // No pause inside: one group, whatever the transcript's dashes say.
        let mut once = n.clone();
        assert!(regroup_at_pauses(
            &mut once,
            &[Span {
                start_s: 1.0,
                end_s: 2.0
            }],
            &nuclei
        ));
        assert_eq!(gs(&once), vec![("02079460958".to_string(), 15.35, 20.46)]);
        // The transcript's split fits the nuclei: only the times move to the pause.
        let mut n = HeardNumber {
            digits: "5551212".into(),
            text: "555-1212".into(),
            plus: false,
            extension: None,
            groups: vec![group("555", 16.96, 17.98), group("1212", 18.32, 20.41)],
            ..HeardNumber::default()
        };
        let nuclei = [17.1, 17.5, 17.9, 19.2, 19.5, 19.9, 20.2];
        assert!(regroup_at_pauses(
            &mut n,
            &[Span {
                start_s: 18.3,
                end_s: 19.01
            }],
            &nuclei
        ));
        assert_eq!(
            gs(&n),
            vec![
                ("555".to_string(), 16.96, 18.3),
                ("1212".to_string(), 19.01, 20.41)
            ]
        );
    }

    #[test]
    fn a_number_said_in_the_usual_groups_keeps_them_when_the_nuclei_are_one_short() {
        // "five five five, oh one nine eight" transcribed as one run, the first stretch's
        // nuclei one short (two) and the second's one over (five): the nuclei alone would cut
        // 55-50198.
        let mut n = one_group("5550198", 4.58, 6.72);
        let pause = Span {
            start_s: 5.165,
            end_s: 5.425,
        };
        let nuclei = [4.7, 5.0, 5.5, 5.8, 6.0, 6.3, 6.6];
        assert!(regroup_at_pauses(&mut n, &[pause], &nuclei));
        let digits: Vec<&str> = n.groups.iter().map(|g| g.digits.as_str()).collect();
        assert_eq!(digits, ["555", "0198"]);
        // Five digits (a zip code) have no usual break: the nuclei decide.
        let mut odd = one_group("55501", 4.58, 6.72);
        let nuclei = [4.7, 5.0, 5.5, 5.8, 6.0];
        assert!(regroup_at_pauses(&mut odd, &[pause], &nuclei));
        assert_eq!(odd.groups[0].digits, "55");
        // Ten digits said in two stretches ("two oh six, five five five oh one nine eight"),
        // the first stretch's nuclei one short: the usual break after the area code.
        let mut ten = one_group("2065550198", 4.45, 7.56);
        let pause = Span {
            start_s: 4.93,
            end_s: 5.45,
        };
        let nuclei = [4.6, 4.8, 5.6, 5.8, 6.0, 6.3, 6.6, 6.9, 7.1, 7.4];
        assert!(regroup_at_pauses(&mut ten, &[pause], &nuclei));
        assert_eq!(ten.groups[0].digits, "206");
    }

    #[test]
    fn group_breaks_are_silences_longer_than_the_gaps_between_digits() {
        let run = |a: f64, b: f64| Span {
            start_s: a,
            end_s: b,
        };
        let number = one_group;
        // Groups said run together: a stop's closure (0.1 s), a faint consonant (0.21 s), a
        // short break (0.26 s) and a pause (0.5 s); the silence before the number is not
        // inside it.
        let runs = [
            run(0.0, 0.5),
            run(1.0, 2.0),
            run(2.1, 2.5),
            run(2.71, 3.0),
            run(3.26, 4.0),
            run(4.5, 5.0),
        ];
        let breaks = group_pauses(&runs, &number("8509367028", 1.0, 5.0));
        assert_eq!(breaks, vec![run(3.0, 3.26), run(4.0, 4.5)]);
        // Every digit said apart (0.3 s between them), the groups 0.7 s apart: only those.
        let mut runs = Vec::new();
        let mut t = 0.0;
        for gap in [0.3, 0.3, 0.7, 0.3, 0.3, 0.7, 0.3, 0.3, 0.3, 0.0] {
            runs.push(run(t, t + 0.3));
            t += 0.3 + gap;
        }
        let breaks = group_pauses(&runs, &number("8509367028", 0.0, t));
        assert_eq!(breaks.len(), 2, "{breaks:?}");
        assert!((breaks[0].start_s - 1.5).abs() < 1e-9, "{breaks:?}");
        // Silences between digits that grow gradually (a real speaker, 0.26-0.39 s) and breaks
        // of 0.54-0.71 s: the breaks.
        let gaps = [0.26, 0.26, 0.67, 0.31, 0.39, 0.54, 0.71, 0.35, 0.27, 0.27];
        let (mut runs, mut t) = (Vec::new(), 0.0);
        for gap in gaps.iter().chain([0.0].iter()) {
            runs.push(run(t, t + 0.3));
            t += 0.3 + gap;
        }
        let long: Vec<f64> = group_pauses(&runs, &number("02030626313", 0.0, t))
            .iter()
            .map(|p| (100.0 * (p.end_s - p.start_s)).round() / 100.0)
            .collect();
        assert_eq!(long, [0.67, 0.54, 0.71]);
        // Evenly spaced digits: every silence stays a break.
        let even = [
            run(0.0, 0.3),
            run(0.6, 0.9),
            run(1.22, 1.5),
            run(1.8, 2.1),
            run(2.45, 2.7),
        ];
        assert_eq!(group_pauses(&even, &number("5551212", 0.0, 2.7)).len(), 4);
    }
}
