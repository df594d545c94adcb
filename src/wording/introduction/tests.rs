//! Tests of `wording::introduction`.

use super::*;

fn words(text: &str) -> Vec<Word> {
    Word::evenly(text, 0.4, 0.3, 0.9)
}

/// Each of `cases` (text, name, cue) introduces that name after that cue; each of `none`
/// introduces nobody.
fn assert_introductions(cases: &[(&str, &str, &str)], none: &[&str]) {
    for &(text, name, cue) in cases {
        let intro = find_introduction(&words(text), None).expect(text);
        assert_eq!(
            (intro.name.as_str(), intro.cue.as_str()),
            (name, cue),
            "{text}"
        );
    }
    for text in none {
        assert_eq!(find_introduction(&words(text), None), None, "{text}");
    }
}

#[test]
fn introductions_are_found() {
    let cases = [
        (
            "John, this is Steve Clark. As soon as you get a minute",
            "Steve Clark",
            "this is",
        ),
        (
            "Hello, Peter. It's Matthew Muse, the telephone man",
            "Matthew Muse",
            "it's",
        ),
        (
            "Hi Jane, my name is Colleen Francis from Engage.",
            "Colleen Francis",
            "my name is",
        ),
        (
            "Hello Mr. Prospect, this is John Smith with Technology",
            "John Smith",
            "this is",
        ),
        ("Hi, I'm Dana.", "Dana", "i'm"),
        (
            "Hi Tara, the name's Sean Kelly.",
            "Sean Kelly",
            "the name's",
        ),
        (
            "Rachel, Dan Foster here. I read your post",
            "Dan Foster",
            "here",
        ),
        ("Hello Omar, Paul Grant calling.", "Paul Grant", "calling"),
        ("Hi Jane, Tom Mecka from Ridgeway.", "Tom Mecka", "from"),
        (
            "Hello Helen, nine of Brooks calling.",
            "nine of Brooks",
            "calling",
        ),
        ("Hey Helen, it's nine in the Brooks.", "nine", "it's"),
        (
            "Hello friends, and in Welsh calling, our platform",
            "and in Welsh",
            "calling",
        ),
        (
            "Hello, Ian, pretty shock-calling. I have",
            "pretty shock",
            "calling",
        ),
        (
            "John is Steve Clark, as soon as you get",
            "Steve Clark",
            "is",
        ),
        (
            "Hello, this is the three-shot calling, about the report.",
            "three-shot",
            "this is",
        ),
        (
            "Hi Ann, this is the Acme team here.",
            "Acme team",
            "this is",
        ),
    ];
    let none = [
        "Hi, this is a reminder about your appointment.",
        "It's about the contract.",
        "Call me back, this is important.",
        "Hello Peter, I just wanted to say the report is Good news.",
        "Hi Jane, it's about your renewal.",
        "Hey Victor, it's me.",
        "Hi Jane, Ben Ortiz asked me to call you.",
        "Hi Jane, this is the third time I'm calling.",
        "Hi Jane, this is the best time for calling.",
    ];
    assert_introductions(&cases, &none);
}

#[test]
fn introductions_are_found_through_a_misheard_greeting() {
    let cases = [
        // The greeting heard as other words before "<name> here from <company>".
        (
            "I have gone my Lopez here from Keystone, just wanted",
            "Lopez",
            "here",
        ),
        (
            "I tear a Beth Moore here from North Star Systems.",
            "Beth Moore",
            "here",
        ),
        (
            "More in America, this is my Lopez, whenever you get",
            "Lopez",
            "this is",
        ),
        (
            "Hey Monica, Carl Young, we offer a free energy audit.",
            "Carl Young",
            "name",
        ),
        // "<name> speaking", also with the name heard as common words.
        (
            "Good day Stuart, Clara Stone speaking. It's about",
            "Clara Stone",
            "speaking",
        ),
        (
            "Don't make organ, test a fourth speaking, I enjoyed",
            "test a fourth",
            "speaking",
        ),
    ];
    let none = [
        "Hi Jane, I'm here from the county office.",
        "Hi Jane, we're here with an update on your order.",
        "Hi Jane, this is my Thursday reminder.",
        "Hi Jane, this is my third call.",
        "Hey Monica, Happy Monday, we offer a free audit.",
        "Hey Monica, Good News, we offer a free audit.",
        "Hi Jane, generally speaking, rates are up.",
        "Hi Sarah Jones, I have a question about your renewal.",
        "John, quick question, are you free on Friday?",
        "Thanks again Bob, we shipped your order.",
        "We shipped the order from our warehouse here.",
        "Hi Jane, Happy Monday, Good news, we offer a free audit.",
    ];
    assert_introductions(&cases, &none);
}

#[test]
fn a_known_name_is_found_even_misheard() {
    let w = words("John Isis, Steve Glark, as soon as you get a minute");
    // Unknown, the name is the capitalised pair after the prospect's.
    let intro = find_introduction(&w, None).expect("found");
    assert_eq!(
        (intro.name.as_str(), intro.heard_as_given),
        ("Steve Glark", None)
    );
    let intro = find_introduction(&w, Some("Steve Clark")).expect("found");
    assert_eq!(intro.name, "Steve Glark");
    assert_eq!(intro.heard_as_given, Some(true));
    let other = find_introduction(&words("Hi Jane, this is Tom Mecka."), Some("Ann Lee"));
    assert_eq!(
        other.map(|i| (i.name, i.heard_as_given)),
        Some(("Tom Mecka".into(), Some(false)))
    );
    assert_eq!(intro.first_word, 2);
    let w = words("Hello, teacher. It's Matthew Muse, calling");
    assert_eq!(
        find_introduction(&w, Some("Matthew Mewse")).map(|i| i.name),
        Some("Matthew Muse".to_string())
    );
    assert_eq!(
        find_introduction(&words("nothing here at all"), Some("Steve Clark")),
        None
    );
}

#[test]
fn introductions_are_found_in_any_construction() {
    let cases = [
        // A title belongs to the name; a greeting heard as "I'm" is no introduction; a cue
        // heard twice introduces the name after the second.
        (
            "Hi, I'm Mrs. Laura Ken from Bluefield.",
            "Mrs. Laura Ken",
            "i'm",
        ),
        (
            "I'm Maria. This is Tom Becker from Ridgeway.",
            "Tom Becker",
            "this is",
        ),
        ("Hi, I'm this is Mark Evans.", "Mark Evans", "this is"),
        // "this is <words> from <Company>": a name heard as other words.
        (
            "Hi, Vanessa. This is the moment from Red Way Energy.",
            "moment",
            "this is",
        ),
        // The "three stand" introduction: prospect, caller, company as clauses of their own.
        (
            "Arthur Kevin Marsh, Summit Print, I'll be away",
            "Kevin Marsh",
            "name",
        ),
        (
            "Monique, Marcus Webb, Harlow Logistics. I have a question",
            "Marcus Webb",
            "name",
        ),
        (
            "My old Pedro Alvarez, clear view signs, I noticed",
            "Pedro Alvarez",
            "name",
        ),
        // "<name> from|with <Company> calling|here", the name heard as common words.
        (
            "Good morning, Derek. I will show Grant from Summit Print Calling. It's about",
            "show Grant",
            "calling",
        ),
        (
            "Hello Jerome, hello with Harlow Logistics here. To level",
            "hello",
            "here",
        ),
        // Any construction: two capitalised words that read as a name, early.
        (
            "Hi Lorraine, Simon Pike at Keystone payroll. I'd like",
            "Simon Pike",
            "name",
        ),
        (
            "No one good afternoon. Lucie Tran, Keystone payroll. I'd like",
            "Lucie Tran",
            "name",
        ),
        (
            "Veterans, Rosa Delgado again from Keystone payroll.",
            "Rosa Delgado",
            "name",
        ),
    ];
    let none = [
        "Hi Jane, Dana Whitfield gave me your number.",
        "Hi Jane, Paul Okafor and I were talking last week.",
        "Hi Sarah Jones, I read your post.",
    ];
    assert_introductions(&cases, &none);
}
