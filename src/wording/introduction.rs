//! Finding the caller's self-introduction: after a cue ("this is", "my name is"), or where a
//! known name is said, even misheard.

use super::{ends_clause, WEEKDAYS};
use crate::lexicon::normalize;
use crate::report::{Introduction, Word};

/// Cues that introduce the caller's name, as normalised word sequences.
const CUES: &[&[&str]] = &[
    &["my", "name", "is"],
    &["my", "name's"],
    &["the", "name's"],
    &["the", "name", "is"],
    &["name's"],
    &["this", "is"],
    &["it's"],
    &["it", "is"],
    &["i'm"],
    &["i", "am"],
    // Whisper often drops "this" after a greeting: "John, is Steve Clark" (first words only).
    &["is"],
];

/// The cue "is" alone introduces a name only this early (word index).
const BARE_IS_WITHIN: usize = 2;

/// A cue among the message's first words (word index, after a greeting and the prospect's name)
/// introduces the caller even when the transcriber heard the name as common words.
const OPENING_WORDS: usize = 5;

impl Introduction {
    /// The introduction whose name is `words[first..first + n]` (`n` at least 1), said after
    /// `cue`; trailing punctuation is dropped from the name, and a cue glued to its end by a
    /// hyphen ("shock-calling").
    fn from_words(cue: String, words: &[Word], first: usize, n: usize) -> Self {
        let ws = &words[first..first + n];
        let mut name = ws
            .iter()
            .map(|w| match TITLES.contains(&normalize(&w.text).as_str()) {
                true => w.text.as_str(),
                false => w.text.trim_end_matches(['.', ',', '?', '!', ';', ':']),
            })
            .collect::<Vec<_>>()
            .join(" ");
        if glued_cue(&name).is_some() {
            if let Some(at) = name.rfind('-') {
                name.truncate(at);
            }
        }
        Introduction {
            cue,
            name,
            start_s: ws[0].start_s,
            end_s: ws[n - 1].end_s,
            first_word: first,
            words: n,
            heard_as_given: None,
        }
    }
}

/// Titles said before a name ("Mr. Harris", "Dr. Lee"): part of the name, their period no end
/// of a clause.
pub(super) const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "dr"];

/// Words that end a name.
const NAME_STOPS: &[&str] = &[
    "from", "with", "at", "of", "calling", "and", "here", "the", "in", "over", "i",
];

/// Words after a cue that show it does not introduce a name ("this is a reminder", "it's about").
const NOT_NAMES: &[&str] = &[
    "a",
    "an",
    "the",
    "about",
    "just",
    "regarding",
    "calling",
    "to",
    "so",
    "not",
    "your",
    "my",
    "our",
    "in",
    "on",
    "for",
    "that",
    "what",
    "very",
    "really",
    "going",
    "sorry",
    "glad",
    "me",
    "here",
];

/// Finds the caller's self-introduction: a cue ("this is", "my name is", "it's", "I'm")
/// followed by one to three words that read as a name (capitalised by the transcriber, not a
/// common function word), the first such in the message. When the caller's name is known
/// (`known`), it is looked for instead, word by word with a tolerance for misheard spellings.
pub(crate) fn find_introduction(words: &[Word], known: Option<&str>) -> Option<Introduction> {
    let norm: Vec<String> = words.iter().map(|w| normalize(&w.text)).collect();
    if let Some(name) = known {
        if let Some(intro) = find_known_name(words, &norm, name) {
            return Some(Introduction {
                heard_as_given: Some(true),
                ..intro
            });
        }
    }
    let found = after_a_cue(words, &norm)
        .or_else(|| before_a_cue(words, &norm))
        .or_else(|| before_here_from(words, &norm))
        .or_else(|| named_alone(words, &norm))
        .or_else(|| before_company_cue(words, &norm))
        .or_else(|| name_in_opening(words, &norm))?;
    Some(Introduction {
        heard_as_given: known.map(|_| false),
        ..found
    })
}

/// Words that follow a name said at the start of a clause: "Dan Foster here", "Paul Grant
/// calling", "Clara Stone speaking", "Mark Evans from Northwind", "Laura Chen with Bluefield",
/// "Tom Becker over at".
const TRAILING_CUES: &[&str] = &["here", "calling", "speaking", "from", "with", "over"];

/// The trailing cues that say a name was said before them whatever the transcriber made of it
/// ("nine of Brooks calling").
const NAMING_CUES: &[&str] = &["here", "calling", "speaking"];

/// Greetings, never a name.
pub(super) const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "good",
    "morning",
    "afternoon",
    "evening",
    "day",
    "dear",
];

/// The name said before a trailing cue ("Rachel, Dan Foster here") at the start of a clause
/// among the message's first words.
fn before_a_cue(words: &[Word], norm: &[String]) -> Option<Introduction> {
    const WITHIN: usize = 8;
    // Capitalised, or (`any_case`) in the opening before "here" / "calling" ("nine of Brooks
    // calling").
    let is_name = |k: usize, any_case: bool| may_be_name(words, norm, k, any_case);
    for i in 0..words.len().min(WITHIN) {
        if i > 0 && !ends_clause(&words[i - 1].text) || !is_name(i, true) {
            continue;
        }
        // A misheard name may hold any words ("and in Welsh" for Erin Walsh) after its first.
        for last in i..(i + 3).min(words.len()) {
            if last > i && ends_clause(&words[last - 1].text) {
                break;
            }
            // "pretty shock-calling.": the cue joined to the name by a hyphen.
            if let (true, Some(cue)) = (i > 0, glued_cue(&words[last].text)) {
                return Some(Introduction::from_words(cue.into(), words, i, last + 1 - i));
            }
            let Some(cue) = norm.get(last + 1) else {
                break;
            };
            let capitalised = (i..=last).all(|k| is_name(k, false));
            // Lower-case words only after a greeting or the prospect's name.
            // "generally speaking": an adverb before "speaking" is no name.
            let adverb = cue == "speaking" && norm[last].ends_with("ly");
            let loose = i > 0 && NAMING_CUES.contains(&cue.as_str()) && !adverb;
            if !ends_clause(&words[last].text)
                && TRAILING_CUES.contains(&cue.as_str())
                && (capitalised || loose)
            {
                return Some(Introduction::from_words(
                    cue.clone(),
                    words,
                    i,
                    last + 1 - i,
                ));
            }
        }
    }
    None
}

/// The cue a word ends in after a hyphen ("shock-calling." ends in "calling").
fn glued_cue(text: &str) -> Option<&'static str> {
    let (_, tail) = text.rsplit_once('-')?;
    let tail = normalize(tail);
    NAMING_CUES.iter().copied().find(|c| *c == tail)
}

/// Whether word `i` starts the message's first clause of its own: among its first
/// [`OPENING_WORDS`], after nothing but greetings and names ("Hey Helen, it's ...").
fn in_opening(words: &[Word], norm: &[String], i: usize) -> bool {
    i <= OPENING_WORDS
        && (0..i).all(|k| {
            GREETINGS.contains(&norm[k].as_str())
                || words[k].text.chars().next().is_some_and(char::is_uppercase)
        })
}

/// The name said after a cue ("this is", "my name is", "it's", "I'm"), the first such.
fn after_a_cue(words: &[Word], norm: &[String]) -> Option<Introduction> {
    for i in 0..norm.len() {
        for cue in CUES {
            let end = i + cue.len();
            if end >= norm.len() || cue.iter().zip(&norm[i..end]).any(|(c, w)| c != w) {
                continue;
            }
            if cue.len() == 1 && cue[0] == "is" && i > BARE_IS_WITHIN {
                continue;
            }
            // The cue must not end its clause ("…, this is." is no introduction).
            if ends_clause(&words[end - 1].text) {
                continue;
            }
            let first = &words[end];
            let first_norm = &norm[end];
            let capitalised = first.text.chars().next().is_some_and(char::is_uppercase);
            // In the opening words a cue introduces the caller whatever the transcriber made
            // of the name ("it's nine of Brooks" for Nina Brooks).
            let opening = in_opening(words, norm, i);
            if opening && first_norm == "the" {
                // "this is the Acme team calling", or a name heard as "the three-shot":
                // in the opening, a trailing cue close after says the caller is introduced.
                if let Some(intro) = named_before_trailing_cue(words, norm, cue, end + 1) {
                    return Some(intro);
                }
            }
            if first_norm == "my" && cue.len() > 1 {
                // "this is my Lopez": a name starting "Maya", "Myra", "Mike" heard as "my".
                if let Some(intro) = misheard_my(words, norm, cue, end + 1) {
                    return Some(intro);
                }
            }
            if !capitalised && !opening
                || NOT_NAMES.contains(&first_norm.as_str())
                || first_norm.chars().any(|c| c.is_ascii_digit())
                || cue_at(norm, end)
            {
                // "I'm this is Mark Evans": the later cue introduces the name.
                continue;
            }
            let title = TITLES.contains(&first_norm.as_str());
            let mut n = 1;
            while n < 3
                && end + n < words.len()
                && (n == 1 && title || !ends_clause(&words[end + n - 1].text))
            {
                let w = &words[end + n];
                let nw = &norm[end + n];
                if NAME_STOPS.contains(&nw.as_str())
                    || !opening && !w.text.chars().next().is_some_and(char::is_uppercase)
                {
                    break;
                }
                n += 1;
            }
            if greeting_heard_as_im(norm, cue, i, end + n) {
                continue;
            }
            return Some(Introduction::from_words(cue.join(" "), words, end, n));
        }
    }
    None
}

/// Whether a cue other than a bare "is" starts at word `i`.
pub(super) fn cue_at(norm: &[String], i: usize) -> bool {
    CUES.iter()
        .any(|cue| *cue != ["is"] && norm.get(i..i + cue.len()).is_some_and(|ws| ws == *cue))
}

/// Whether "I'm <name>" opening the message is a greeting heard wrong ("Hi Maria" as "I'm
/// Maria"): another cue follows the name at once ("I'm Maria. This is Tom Becker").
fn greeting_heard_as_im(norm: &[String], cue: &[&str], i: usize, after: usize) -> bool {
    matches!(cue, ["i'm"] | ["i", "am"]) && i <= 1 && cue_at(norm, after)
}

/// The words from `first` up to a trailing cue ("calling", "here", also glued by a hyphen; or
/// `from|with <Company>`) within two words of the same clause, as the name introduced by `cue`.
fn named_before_trailing_cue(
    words: &[Word],
    norm: &[String],
    cue: &[&str],
    first: usize,
) -> Option<Introduction> {
    for last in first..(first + 2).min(words.len()) {
        let glued = glued_cue(&words[last].text).is_some();
        // "calling", "here", or a company after "from" or "with" ("the moment from Red Way").
        let company = |k: usize| {
            matches!(norm[k].as_str(), "from" | "with")
                && words
                    .get(k + 1)
                    .is_some_and(|w| w.text.starts_with(char::is_uppercase))
        };
        let next_is_cue = norm
            .get(last + 1)
            .is_some_and(|w| NAMING_CUES.contains(&w.as_str()))
            || last + 1 < words.len() && company(last + 1);
        if glued || next_is_cue && !ends_clause(&words[last].text) {
            let n = last + 1 - first;
            return Some(Introduction::from_words(cue.join(" "), words, first, n));
        }
        if ends_clause(&words[last].text) {
            break;
        }
    }
    None
}

/// Capitalised words that are no name beside the [`WEEKDAYS`]: the months, said after "this is
/// my".
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether word `k` may be (part of) a name: capitalised by the transcriber (or `any_case`),
/// no common word, greeting, pronoun, day or month, no digit.
pub(super) fn may_be_name(words: &[Word], norm: &[String], k: usize, any_case: bool) -> bool {
    let n = norm[k].as_str();
    (any_case || words[k].text.chars().next().is_some_and(char::is_uppercase))
        && ![NOT_NAMES, GREETINGS, PRONOUNS, WEEKDAYS, MONTHS]
            .iter()
            .any(|list| list.contains(&n))
        && !n.chars().any(|c| c.is_ascii_digit())
}

/// Whether word `k` reads as (part of) a name: [`may_be_name`], capitalised.
fn reads_as_name(words: &[Word], norm: &[String], k: usize) -> bool {
    may_be_name(words, norm, k, false)
}

/// The name after a two-word cue and "my" ("this is my Lopez", a name starting "Maya" or
/// "Mike" heard as "my"): one or two capitalised words from `first`.
fn misheard_my(
    words: &[Word],
    norm: &[String],
    cue: &[&str],
    first: usize,
) -> Option<Introduction> {
    if first >= words.len() || ends_clause(&words[first - 1].text) {
        return None;
    }
    if !reads_as_name(words, norm, first) {
        return None;
    }
    let two = first + 1 < words.len()
        && !ends_clause(&words[first].text)
        && reads_as_name(words, norm, first + 1);
    let n = if two { 2 } else { 1 };
    Some(Introduction::from_words(cue.join(" "), words, first, n))
}

/// Words before "here from" that say it introduces no name ("I'm here from the council").
const PRONOUNS: &[&str] = &[
    "i", "i'm", "we", "we're", "they're", "he's", "she's", "am", "are",
];

/// `<name> here from|with <company>` among the message's first words, whatever came before
/// the name in its clause (a greeting heard as other words: "I have gone my Lopez here from
/// Keystone"): the one or two words before "here", less a leading common word ("my").
fn before_here_from(words: &[Word], norm: &[String]) -> Option<Introduction> {
    const WITHIN: usize = 10;
    let here = (1..words.len().min(WITHIN)).find(|&k| {
        norm[k] == "here"
            && !ends_clause(&words[k].text)
            && norm
                .get(k + 1)
                .is_some_and(|w| matches!(w.as_str(), "from" | "with"))
    })?;
    let mut first = here;
    while first > 0 && here - first < 2 && !ends_clause(&words[first - 1].text) {
        first -= 1;
    }
    if PRONOUNS.contains(&norm[here - 1].as_str()) {
        return None;
    }
    while first < here && NOT_NAMES.contains(&norm[first].as_str()) {
        first += 1;
    }
    (first < here).then(|| Introduction::from_words("here".into(), words, first, here - first))
}

/// The clauses (first word, one past the last) of the message's opening: commas and full stops
/// end a clause.
fn opening_clauses(words: &[Word], within: usize) -> Vec<(usize, usize)> {
    let mut clauses = Vec::new();
    let mut start = 0;
    for (k, w) in words.iter().enumerate().take(within) {
        if ends_clause(&w.text) {
            clauses.push((start, k + 1));
            start = k + 1;
        }
    }
    clauses
}

/// A name said as a clause of its own at the start of the message (Mike Brooks's "three stand"
/// introduction: prospect, caller, company, "Arthur, Kevin Marsh, Summit Print."): two words
/// that read as a name
/// - as the clause after a greeting ("Hey Monica, Carl Young, we offer ..."), or after the
///   prospect's name when a short clause (the company) follows;
/// - closing a first clause of three or four words that opens with no greeting, the prospect's
///   name heard with it ("Arthur Kevin Marsh, Summit Print").
fn named_alone(words: &[Word], norm: &[String]) -> Option<Introduction> {
    let clauses = opening_clauses(words, 12);
    let &(_, first_end) = clauses.first()?;
    let opens_with_greeting = GREETINGS.contains(&norm[0].as_str());
    let is_name = |k: usize| reads_as_name(words, norm, k);
    if let Some(&(start, end)) = clauses.get(1) {
        let prospect_alone = first_end == 1 && is_name(0);
        let company_follows = clauses.get(2).is_some_and(|&(s, e)| e - s <= 3);
        if end - start == 2
            && (start..end).all(is_name)
            && (opens_with_greeting && first_end <= 3 || prospect_alone && company_follows)
        {
            return Some(Introduction::from_words("name".into(), words, start, 2));
        }
    }
    let name = first_end.checked_sub(2)?;
    ((3..=4).contains(&first_end) && !opens_with_greeting && is_name(name) && is_name(name + 1))
        .then(|| Introduction::from_words("name".into(), words, name, 2))
}

/// The name said before `from|with <Company> calling|here` in a clause of the message's first
/// words, whatever the transcriber made of it ("Good morning, Derek. I will show Grant from
/// Summit Print calling.", "hello with Harlow Logistics here"): the one or two words before
/// "from" or "with".
fn before_company_cue(words: &[Word], norm: &[String]) -> Option<Introduction> {
    const WITHIN: usize = 12;
    for k in 1..words.len().min(WITHIN) {
        if !matches!(norm[k].as_str(), "from" | "with") || ends_clause(&words[k - 1].text) {
            continue;
        }
        // The company: one to three words, the first capitalised, then "calling" or "here"
        // closing the clause.
        if !words
            .get(k + 1)
            .is_some_and(|w| w.text.starts_with(char::is_uppercase))
        {
            continue;
        }
        let cue = (k + 2..=(k + 4).min(words.len() - 1)).find(|&e| {
            matches!(norm[e].as_str(), "calling" | "here")
                && !words[k..e].iter().any(|w| ends_clause(&w.text))
                && (e + 1 == words.len() || ends_clause(&words[e].text))
        });
        if cue.is_none() || PRONOUNS.contains(&norm[k - 1].as_str()) {
            continue;
        }
        let first = if k >= 2 && !ends_clause(&words[k - 2].text) {
            k - 2
        } else {
            k - 1
        };
        return Some(Introduction::from_words(
            norm[cue?].clone(),
            words,
            first,
            k - first,
        ));
    }
    None
}

/// Words after a name that say it is someone else's: the one who sent the caller ("Ben Ortiz
/// asked me to call you").
const REFERRING: &[&str] = &[
    "asked",
    "said",
    "told",
    "suggested",
    "recommended",
    "mentioned",
    "gave",
    "passed",
    "thought",
    "felt",
    "referred",
    "introduced",
    "sent",
    "pointed",
    "and",
];

/// The first two capitalised words that read as a name among the message's first words, in any
/// construction ("Hi Lorraine, Simon Pike at Keystone", "Good afternoon. Lucy Tran, Keystone
/// Payroll"): the transcriber capitalises the names it hears. Not the prospect's full name
/// first or after a greeting ("Hi Sarah Jones"), nor a name followed by what someone else did ("Ben
/// Ortiz asked me to call").
fn name_in_opening(words: &[Word], norm: &[String]) -> Option<Introduction> {
    const WITHIN: usize = 12;
    // Not the message's first words: a name there is the prospect's ("John Smith, ...").
    (1..words.len().min(WITHIN).saturating_sub(1)).find_map(|i| {
        let after_greeting =
            i > 0 && GREETINGS.contains(&norm[i - 1].as_str()) && !ends_clause(&words[i - 1].text);
        let referring = norm
            .get(i + 2)
            .is_some_and(|w| REFERRING.contains(&w.as_str()) && !ends_clause(&words[i + 1].text));
        (reads_as_name(words, norm, i)
            && reads_as_name(words, norm, i + 1)
            && !ends_clause(&words[i].text)
            && !after_greeting
            && !referring)
            .then(|| Introduction::from_words("name".into(), words, i, 2))
    })
}

/// Levenshtein distance between two short strings.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut diag = row[0];
        row[0] = i;
        for j in 1..=b.len() {
            let up = row[j];
            row[j] = (diag + usize::from(a[i - 1] != b[j - 1]))
                .min(row[j] + 1)
                .min(row[j - 1] + 1);
            diag = up;
        }
    }
    row[b.len()]
}

/// Whether a transcribed word may be the name's word (at most a third of its letters off:
/// "Muse" for "Mewse", "Glark" for "Clark").
fn sounds_like(heard: &str, name: &str) -> bool {
    let d = distance(heard, name);
    d * 3 <= name.chars().count().max(3)
}

fn find_known_name(words: &[Word], norm: &[String], name: &str) -> Option<Introduction> {
    let pat: Vec<String> = name.split_whitespace().map(normalize).collect();
    if pat.is_empty() || pat.len() > words.len() {
        return None;
    }
    // The first place where most of the name's words are heard.
    let need = pat.len().div_ceil(2).max(1);
    (0..=words.len() - pat.len()).find_map(|i| {
        let hits = pat
            .iter()
            .zip(&norm[i..])
            .filter(|(p, w)| sounds_like(w, p))
            .count();
        let first_ok = sounds_like(&norm[i], &pat[0]) || pat.len() > 1;
        (hits >= need && first_ok && sounds_like(&norm[i + pat.len() - 1], &pat[pat.len() - 1])
            || hits == pat.len())
        .then(|| Introduction::from_words("name".to_string(), words, i, pat.len()))
    })
}

#[cfg(test)]
mod tests;
