//! The default phrase lists of the rules on words, each from the articles it cites and from
//! sales writing at large. Phrases use the syntax of [`super`]: words matched by their stems,
//! `a|b` alternatives, `=word` a word as said (not its stem), `*` any one word, `...` up to four
//! words.

fn list(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The default catalogue of stock phrases (`content.cliches`): the phrases of the "typical
/// message" that Steve Clark takes apart ("at your earliest convenience", "have a great day"),
/// and the openers, follow-ups and sign-offs that sales writing names again and again as what
/// makes a message "sound like every other salesperson" (Kelley Robertson): checking in,
/// touching base, circling back, hoping the message finds you well, reaching out, feeling free
/// to call, looking forward to hearing back.
pub(crate) fn default_cliches() -> Vec<String> {
    [CLARK_TYPICAL, FOLLOW_UPS, OPENERS, SIGN_OFFS, JARGON]
        .concat()
        .into_iter()
        .map(String::from)
        .collect()
}

/// Stock phrases of Clark's typical message.
const CLARK_TYPICAL: &[&str] = &[
    "at your earliest convenience",
    // "at the earliest convenience", and the convenience misheard around it.
    "at|to ... =convenience",
    // "have a great day", also with "have" misheard or a filler before "great".
    "have a great|nice|good|wonderful day|week|weekend|one",
    "a great|nice|wonderful|fantastic|lovely day|week|weekend",
    "exciting opportunity|opportunities",
];

/// Stock follow-ups that say nothing new.
const FOLLOW_UPS: &[&str] = &[
    "just check|checking in",
    "touch|touching base",
    "just follow|following up",
    "follow|following up on my last",
    "circle|circling back",
    "loop|looping back",
    "per|following my last email|message|voicemail|call",
    "as promised",
    "just bump|bumping this",
    "any update|updates on",
    "just want|wanted to reach out",
    "want|wanted to reach out and",
    "i'm reaching out",
    "=reaching out to",
    "just want|wanted to connect",
    "just want|wanted to introduce myself",
    "just want|wanted to touch",
    "just a quick call",
    "quick call to",
    // Trying again and again, and saying so.
    "called|tried|left|rang|phoned ... few|several|couple|number ... times|messages|voicemails",
    "been trying to reach|catch|get|contact",
    "reach|reaching back out",
    "did|have you get|had a chance to",
    "had a chance to look|review|read|think|consider",
    "just want|wanted to see|ask|know if|whether",
    "as i mentioned|said in|on my",
    "keep|keeping you posted",
    "out of pocket",
    "courtesy call",
];

/// Stock openers.
const OPENERS: &[&str] = &[
    "hope|hoping this message|email|voicemail|call finds you well",
    "hope|hoping you're doing well",
    "hope|hoping you are doing well",
    "hope|hoping you're having a great|good|wonderful day|week",
    "hope|hoping you are having a great|good|wonderful day|week",
    "hope all is well",
    "sorry to bother you",
    "know|sure you're busy",
    "know|sure you are busy",
    "the reason for|of my call is",
    "the reason i'm calling",
    "i'll|will keep this|it brief|short|quick",
    "this will only take",
    "only take a minute|moment|second",
    "a few minutes of your time",
    "a moment|minute|second of your time",
    "take up ... your time",
    "minutes on|in your calendar",
    "grab|steal|borrow ... minutes",
    "how are you today|doing",
    "how's your day|week",
    "to be honest|frank|candid",
    "hope|hoping you're|you are well",
    "are you the right person",
    "hope|hoping everything's|all's okay|ok|good|well|fine|alright",
    "hope|hoping everything is okay|ok|good|well|fine|alright",
    "hope|hoping you had a good|great|nice|wonderful|lovely weekend|holiday|holidays|break|trip",
    "trust you're|you are well",
    "trust this finds you",
    "hope|hoping your day|week|weekend|morning|afternoon is|was|'s going",
    "you may|might be wondering",
    "you don't|probably know me",
    "not expecting my call",
    "quick question",
    "don't|not want to waste your time",
    "won't|not take|keep ... your time",
    "your time is valuable|precious|important",
    "value your time",
    "not trying to sell",
    "not a sales call",
    "level with you",
    "tell you the truth",
    "be honest|straight|upfront with you",
    "sorry to bug|disturb|interrupt|trouble",
    "get a lot|lots|many|ton of these|calls",
];

/// Stock sign-offs.
const SIGN_OFFS: &[&str] = &[
    "don't hesitate",
    "do not hesitate",
    "feel free to",
    "free to reach|call|contact out|me",
    "look|looking forward to hearing from|back",
    "look|looking forward to speaking|talking|connecting|chatting",
    "look|looking forward to ... you|back",
    "hope|hoping to hear from|back",
    "hear from you soon",
    "let me know what works",
    "what works best for you",
    "let me know your thoughts",
    "hop|jump on a quick|short call",
    "give me a shout",
    "won't|don't want to miss",
    "don't miss out",
    "act now",
    "no obligation",
    "limited time only",
    "let me know if you have any questions",
    "if you have any questions",
    "thank you for your time",
    "thanks for your time",
    "thank you in advance",
    "thanks in advance",
    "at your convenience",
    "whenever you get a chance",
    "let me know if ... interested|interest",
    "if you're|you are interested",
    "if this is something",
    "something of interest",
    "i'll|i will let you go",
    "no pressure",
    "as soon as possible",
    "at your earliest opportunity",
    "kind enough to",
    "when|whenever it's convenient",
    "when|whenever it is convenient",
    "talk|speak to you soon",
];

/// Sales jargon.
const JARGON: &[&str] = &[
    "pick your brain",
    "win-win",
    "win win",
    "game changer|changing",
    "best in class",
    "world class",
    "cutting edge",
    "value proposition",
    "low hanging fruit",
    "move the needle",
    "synergy|synergies",
    "next level",
    "moving|going forward",
    "close|closing the loop",
    "opportunity to explore|discuss|connect|chat|speak|talk",
    "explore how we",
    "outside the box",
    "at the end of the day",
    "get the ball rolling",
    "touch bases",
    "on your radar",
    "paradigm shift",
    "best of breed",
    "one stop shop",
    "turnkey solution",
    "value add|added",
    "deep dive",
    "bandwidth",
    "ping me|you",
    "ballpark",
    "on the same page",
    "no brainer",
    "no-brainer",
    "skin in the game",
    "hit the ground running",
    "quick win|wins",
    "heads up",
    "take this|it offline",
    "best practice|practices",
    "state of the art",
    "bottom line",
    "seamless|seamlessly",
    "mission critical",
    "tailored|tailor-made solution|solutions",
];

/// The default constructions of company, product, offer or benefit talk (`content.pitch`):
/// Clark's "too much information" ("We are a national provider of internet services and I am
/// calling today to tell you about some exciting programs") and Robertson's "we provide
/// solutions that help call centers improve their productivity": who the company is, what it
/// sells or offers, and what it saves or gains the listener.
pub(crate) fn default_pitch_phrases() -> Vec<String> {
    list(&[
        // Who the company is.
        "we are a|an|the",
        "we're a|an|the",
        "our company|firm|agency|team|organization|business",
        "national|leading|premier|largest|top|trusted|preferred provider|supplier|vendor|partner|company",
        "provider|supplier|vendor of",
        // What it sells or offers.
        "our platform|software|solution|solutions|product|products|service|services|tool|tools|app|system|technology|program|programs|offering|offerings|package|packages|plan|plans|team",
        "we help|provide|offer|specialize|sell|deliver|serve|build|supply|install|automate|manage|partner|handle|place|train|insure|ship|design|develop|run",
        "take ... headache|hassle|pain|stress|guesswork out",
        "our clients|customers include|are",
    "clients|customers|companies|brands such as",
    "use|using our service|services|product|products|platform|software|solution|solutions",
    "national|leading|premier|largest|top|trusted|preferred ... provider|supplier|vendor|partner",
        "our ... difference|differentiator|advantage|specialty",
        "we've helped|worked|built|partnered|developed|launched|put|created|designed",
        "we have helped|worked|built|partnered|developed|launched|put|created|designed",
        "we work with",
        "we can help|save|offer|provide",
        "calling ... to introduce|present|offer|share|tell|show|pitch",
        "i'd|i like|love to introduce|present|offer|share",
        "i'd|i like|love to tell|show you",
        "want|wanted to tell|introduce|show|offer you",
        "special|exclusive|limited|introductory offer|package|promotion|deal|pricing|discount|rate",
        "free trial|demo|consultation|quote|assessment|audit|estimate",
        "exciting program|programs|offer|news|product|products",
        // What it gains the listener.
        "save|saves|saving|cut|cuts|reduce|reduces|lower|lowers|boost|boosts|increase|increases|improve|improves|grow ... cost|costs|time|money|revenue|sales|downtime|spend|spending|bill|bills|percent|efficiency|productivity|turnover|roi",
        "companies|businesses|firms|teams|practices|clients|customers like you|yours",
        "companies|businesses|firms|teams your size",
    // Claims in figures and superlatives: "twenty percent", "the biggest and the best".
    "percent",
    "the biggest|largest|cheapest|fastest|leading",
    "no money|cash|cost down|upfront",
    "at no cost|charge",
    "free of charge",
    "earn|make ... commission|commissions|income",
    // What the product is: "our signs are made locally".
    "our ... are|is made|built|designed|delivered|installed|guaranteed|certified",
        // What it is for: "backup service for accounting firms", "programs for small business
        // owners".
        "service|services|software|platform|solution|solutions|product|products|program|programs|tool|tools|package|packages|app|system|systems for",
        "for ... =companies|=businesses|=firms|=practices|=owners|=clinics|=manufacturers|=retailers|=agencies",
    ])
}

/// The default constructions of a referral mention (`content.referral`): Colleen Francis's
/// "X asked that I call you", and the other ways a caller says who sent them.
pub(crate) fn default_referral_phrases() -> Vec<String> {
    list(&[
        "asked|told that|me|i to|i",
        "suggest|recommend|advise ... i|me|we|us should|could|call|give|reach|contact|speak|talk|get|connect",
        "=suggested|=recommended|=advised that|i|me|we",
        "=referred me|us|to|by",
        "was|were =referred",
        "gave|passed|past me|along|on your name|number|details|contact|information|info",
        "thought|felt|figured|believed ... should|could|might talk|speak|connect|meet|call|chat|compare|help",
        "thought|felt|figured ... conversation|chat|call",
        "got|have|received your name|number|details from",
        "your name came up",
        "two of us should|could|might|ought",
        "=recommended|=suggested|=referred",
        "refer|referred to you",
        "=mentioned you|your",
        "put me|us in touch",
        "were|was put ... in touch",
        "in touch through|via",
        "at the suggestion|recommendation|request",
        "said|says|mentioned ... you might|may|would|should want|like|be",
        "introduced us|me",
        "suggestion|recommendation of",
    ])
}

/// The default constructions of a callback promise (`content.callback_promise`): a call the
/// caller says they will make (Colleen Francis: promise the date and time you will call again).
pub(crate) fn default_promise_phrases() -> Vec<String> {
    list(&[
        "i'll|we'll call|try|reach|ring|phone|contact|follow|circle|check|buzz",
        "i|we will call|try|reach|ring|phone|contact|follow|circle|check|buzz",
        "i'll|we'll give you a call|ring|buzz|shout|try",
        "i|we will give you a call|ring|buzz|shout|try",
        "i'll|we'll be in touch",
        "i|we will be in touch",
        "i'll|we'll ... you again|back",
        "i|we will ... you again|back",
        "i'm|am going to call|try|reach|ring|follow|give",
        "i plan to call|try|reach",
        "get back to you",
        "call|try|ring|reach you back|again",
        "expect my|a call",
    ])
}

/// The default vocal fillers (`content.fillers`): hesitation sounds, counted wherever they are
/// said.
pub(crate) fn default_fillers() -> Vec<String> {
    list(&[
        "um", "uh", "er", "erm", "ah", "uhm", "umm", "uhh", "hmm", "hm", "mm", "mhm",
    ])
}

/// The default lexical fillers (`content.fillers`): the words and phrases speech coaches count
/// when they are used as fillers, not as part of a sentence.
pub(crate) fn default_lexical_fillers() -> Vec<String> {
    list(&[
        "you know",
        "i mean",
        "you see",
        "basically",
        "literally",
        "actually",
        "honestly",
        "like",
        "kind of",
        "sort of",
        "so",
        "well",
        "okay",
        "right",
        "anyway",
    ])
}
