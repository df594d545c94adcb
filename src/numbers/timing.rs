//! Digit groups timed on the sound: starts on sounding runs and syllable nuclei, and the groups
//! redrawn at the pauses heard inside a number.

use super::HeardNumber;
use crate::lexicon::digit_syllables;
use crate::report::{DigitGroup, PhoneNumber, Span};

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
    let shown = shown_cuts(&number.groups, n);
    let bounds = stretches(span, &inside);
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

/// Which cuts between `n` digits the groups already make: `shown[k]` when a group ends after
/// digit `k`.
fn shown_cuts(groups: &[DigitGroup], n: usize) -> Vec<bool> {
    let mut shown = vec![false; n + 1];
    let mut at = 0;
    for g in groups {
        at += g.digits.chars().count();
        shown[at.min(n)] = true;
    }
    shown
}

/// The stretches of speech in `span` between the pauses `inside` it: stretch i runs from the
/// end of pause i-1 to the start of pause i.
fn stretches(span: Span, inside: &[Span]) -> Vec<(f64, f64)> {
    let m = inside.len() + 1;
    (0..m)
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
        .collect()
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
mod tests;
