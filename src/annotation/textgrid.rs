//! The Praat TextGrid (long text format) of a report.

use std::fmt::Write;

use super::{tiers, Interval, Tier};
use crate::report::Report;

/// The report's [`tiers`](super::tiers) as a Praat TextGrid in the long text format, spanning
/// the recording (0 to its duration, or to the last time a tier holds): Praat opens it beside
/// the audio (Open > Read from file) with every time as the report has it. Interval tiers are
/// filled out with empty intervals between and around the report's, as Praat requires.
pub fn textgrid(report: &Report) -> String {
    let tiers = tiers(report);
    let end = tiers
        .iter()
        .flat_map(|t| match t {
            Tier::Intervals { intervals, .. } => intervals.iter().map(|i| i.end_s).collect(),
            Tier::Points { times, .. } => times.clone(),
        })
        .fold(report.audio.duration_s.max(0.0), f64::max);
    let end = if end > 0.0 {
        (end * 1e6).round() / 1e6
    } else {
        1.0
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\nxmin = 0\nxmax = {}\n\
         tiers? <exists>\nsize = {}\nitem []:\n",
        time(end),
        tiers.len()
    );
    for (k, tier) in tiers.iter().enumerate() {
        let _ = writeln!(out, "    item [{}]:", k + 1);
        match tier {
            Tier::Intervals { name, intervals } => interval_tier(&mut out, name, intervals, end),
            Tier::Points { name, times } => point_tier(&mut out, name, times, end),
        }
    }
    out
}

fn interval_tier(out: &mut String, name: &str, intervals: &[Interval], end: f64) {
    let filled = filled(intervals, end);
    header(out, "IntervalTier", name, end, "intervals", filled.len());
    for (k, i) in filled.iter().enumerate() {
        let _ = write!(
            out,
            "        intervals [{}]:\n            xmin = {}\n            xmax = {}\n            \
             text = {}\n",
            k + 1,
            time(i.start_s),
            time(i.end_s),
            quoted(&i.label)
        );
    }
}

fn point_tier(out: &mut String, name: &str, times: &[f64], end: f64) {
    let times: Vec<f64> = times
        .iter()
        .copied()
        .filter(|t| (0.0..=end).contains(t))
        .collect();
    header(out, "TextTier", name, end, "points", times.len());
    for (k, t) in times.iter().enumerate() {
        let _ = write!(
            out,
            "        points [{}]:\n            number = {}\n            mark = \"\"\n",
            k + 1,
            time(*t)
        );
    }
}

/// A tier's header: its class, name and extent, and how many `items` (intervals, points) follow.
fn header(out: &mut String, class: &str, name: &str, end: f64, items: &str, n: usize) {
    let _ = write!(
        out,
        "        class = \"{class}\"\n        name = {}\n        xmin = 0\n        \
         xmax = {}\n        {items}: size = {n}\n",
        quoted(name),
        time(end)
    );
}

/// The intervals with empty ones in the gaps, from 0 to `end`, each inside the grid.
fn filled(intervals: &[Interval], end: f64) -> Vec<Interval> {
    let mut out = Vec::with_capacity(2 * intervals.len() + 1);
    let mut at = 0.0;
    for i in intervals {
        let (start, stop) = (i.start_s.max(at), i.end_s.min(end));
        if stop <= start {
            continue;
        }
        if start > at {
            out.push(gap(at, start));
        }
        out.push(Interval {
            start_s: start,
            end_s: stop,
            label: i.label.clone(),
        });
        at = stop;
    }
    if at < end {
        out.push(gap(at, end));
    }
    out
}

fn gap(start_s: f64, end_s: f64) -> Interval {
    Interval {
        start_s,
        end_s,
        label: String::new(),
    }
}

/// A time to the microsecond, as short as it goes (`0.47`, not `0.47000000000000003`).
fn time(t: f64) -> String {
    format!("{}", (t * 1e6).round() / 1e6)
}

/// A TextGrid string: in double quotes, a double quote inside doubled.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_filled_and_quotes_doubled() {
        let items = [
            Interval {
                start_s: 0.5,
                end_s: 1.0,
                label: "a".into(),
            },
            Interval {
                start_s: 1.0,
                end_s: 1.5,
                label: "say \"hi\"".into(),
            },
        ];
        let f = filled(&items, 2.0);
        let bounds: Vec<(f64, f64)> = f.iter().map(|i| (i.start_s, i.end_s)).collect();
        assert_eq!(bounds, [(0.0, 0.5), (0.5, 1.0), (1.0, 1.5), (1.5, 2.0)]);
        assert_eq!(quoted(&f[2].label), "\"say \"\"hi\"\"\"");
    }
}
