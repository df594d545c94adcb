//! The default phrase lists of the rules on words, each from the articles it cites.

/// The default list of stock phrases (`content.cliches`).
pub(crate) fn default_cliches() -> Vec<String> {
    [
        "at your earliest convenience",
        "have a great day",
        "have a nice day",
        "just touching base",
        "touching base",
        "exciting opportunity",
        "just checking in",
        "just following up",
        "don't hesitate to",
        "look forward to hearing from you",
        "looking forward to hearing from you",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The default list of early-pitch phrases (`content.pitch`).
pub(crate) fn default_pitch_phrases() -> Vec<String> {
    [
        "national provider",
        "leading provider",
        "exciting programs",
        "exciting program",
        "exciting offer",
        "special offer",
        "calling today to tell you about",
        "calling to tell you about",
        "i'd like to tell you about",
        "we are a",
        "we're a",
        "we provide",
        "we offer",
        "we specialize",
        "our company",
        "our products",
        "our services",
        "solutions that",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The default list of referral phrases (`content.referral`).
pub(crate) fn default_referral_phrases() -> Vec<String> {
    [
        "asked that i call",
        "asked me to call",
        "asked me to give you a call",
        "suggested i call",
        "suggested that i call",
        "suggested i give you a call",
        "recommended i call",
        "recommended that i call",
        "referred me",
        "told me to call",
        "gave me your name",
        "gave me your number",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The default list of callback-promise phrases (`content.callback_promise`).
pub(crate) fn default_promise_phrases() -> Vec<String> {
    [
        "i'll try you again",
        "i will try you again",
        "i'll try to reach you again",
        "i will try to reach you again",
        "i'll call you again",
        "i'll call you back",
        "i will call you",
        "i'll call you",
        "i'll try you",
        "i'll give you a call",
        "i'll follow up",
        "i'll reach out again",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The default list of fillers (`content.fillers`).
pub(crate) fn default_fillers() -> Vec<String> {
    ["um", "uh", "er", "erm", "ah", "uhm", "hmm", "mm"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}
