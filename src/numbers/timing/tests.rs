//! Tests of `numbers::timing`.

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

/// A digit group of `d` from `a` to `b` seconds.
fn group(d: &str, a: f64, b: f64) -> DigitGroup {
    DigitGroup {
        digits: d.to_string(),
        start_s: a,
        end_s: b,
    }
}

/// A number's groups as (digits, start, end).
fn gs(n: &HeardNumber) -> Vec<(String, f64, f64)> {
    n.groups
        .iter()
        .map(|g| (g.digits.clone(), g.start_s, g.end_s))
        .collect()
}

#[test]
fn pauses_regroup_digits_as_the_syllable_nuclei_say() {
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
}

#[test]
fn a_split_that_fits_the_nuclei_only_moves_to_the_pause() {
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
