//! Tests of `numbers::parse`.

use super::*;

#[test]
fn spoken_forms_read_as_digits() {
    assert_eq!(
        parse_spoken("eight hundred five fifty-five oh one double two").as_deref(),
        Some("8005550122")
    );
    assert_eq!(parse_spoken("850-936-7028").as_deref(), Some("8509367028"));
    assert_eq!(parse_spoken("thanks"), None);
}

/// Spoken and written forms with the digits they stand for.
const FORMS: &[(&str, &str)] = &[
    // Whisper's numeral output.
    ("850-936-7028", "8509367028"),
    ("850-936-7028.", "8509367028"),
    ("(850) 936-7028", "8509367028"),
    ("850 936 7028", "8509367028"),
    ("850.936.7028", "8509367028"),
    ("8509367028", "8509367028"),
    ("1-800-555-1212", "18005551212"),
    ("+1 850 936 7028", "18509367028"),
    ("+44 20 7946 0958", "442079460958"),
    ("555-1212", "5551212"),
    ("8-5-0-9-3-6-7-0-2-8", "8509367028"),
    // A caller's "oh" written as another word between two digits.
    (
        "five or three, five five five, one two one two",
        "5035551212",
    ),
    ("5 out of 3 555 1212", "5035551212"),
    ("one on one two eight", "10128"),
    ("Five of three five five five one two one two", "5035551212"),
    ("850, 936, 7028.", "8509367028"),
    ("8, 5, 0, 9, 3, 6, 7, 0, 2, 8", "8509367028"),
    ("850-936-70-28", "8509367028"),
    // Digit words.
    (
        "eight five zero nine three six seven zero two eight",
        "8509367028",
    ),
    (
        "eight five oh, nine three six, seven oh two eight",
        "8509367028",
    ),
    (
        "Eight, five, zero. Nine, three, six. Seven, zero, two, eight.",
        "8509367028",
    ),
    (
        "eight-five-zero nine-three-six seven-zero-two-eight",
        "8509367028",
    ),
    ("five five five one two one two", "5551212"),
    ("o one two three", "0123"),
    // Repeats.
    ("double five five one two one two", "5551212"),
    ("triple five one two one two", "5551212"),
    ("five five five, one two double one", "5551211"),
    ("double oh seven", "007"),
    // Numbers said as numbers.
    ("five fifty-five twelve twelve", "5551212"),
    ("five fifty five, twelve twelve", "5551212"),
    ("eight hundred five fifty-five twelve twelve", "8005551212"),
    (
        "one eight hundred five five five one two one two",
        "18005551212",
    ),
    (
        "eight fifty, nine thirty-six, seventy twenty-eight",
        "8509367028",
    ),
    ("nine one nine, two oh two, eleven hundred", "9192021100"),
    ("two hundred and four", "204"),
    ("two hundred four", "204"),
    ("five hundred", "500"),
    ("two thousand", "2000"),
    ("two thousand and five", "2005"),
    ("forty", "40"),
    ("nineteen", "19"),
    // Mixed numerals and words.
    ("850 nine three six 7028", "8509367028"),
    ("eight five oh 936-7028", "8509367028"),
    ("area code 850, 936-7028", "8509367028"),
    ("plus one 850 936 7028", "18509367028"),
    // Not numbers.
    ("oh, hi there", ""),
    ("call me", ""),
    ("Oh well", ""),
    ("two or three days", "23"),
    ("eight or two or four", "80204"),
    ("in 2 or 3 weeks", "23"),
    ("555-1234 or 555-9876", "55512345559876"),
];

#[test]
fn spoken_forms_give_their_digits() {
    assert!(FORMS.len() >= 40);
    for &(text, digits) in FORMS {
        assert_eq!(parse_spoken(text).unwrap_or_default(), digits, "{text:?}");
    }
}
