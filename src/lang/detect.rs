//! Which language a shopper writes in. whatlang (trigrams) is reliable on a
//! sentence but not on the three or four words of a chat message, and among
//! all its 69 languages "habt ihr Mützen?" comes out Danish. So:
//!
//! 1. The text is narrowed to its letters; fewer than three → unsure ('').
//! 2. A script used by one language in the allowed set decides alone (Arabic
//!    letters → `ar`, Hangul → `ko`, kana → `ja`, Han → `zh`, …).
//! 3. Otherwise whatlang chooses among the allowed languages only, and a list of
//!    short function words ("avez", "vous", "habt", "ihr", "tienen", "vocês")
//!    and letters (ß, ñ, ã) that mark each language weighs in. Function words
//!    decide when they point one way; whatlang alone must be confident and have
//!    a dozen letters to go on.
use std::collections::HashMap;
use std::sync::OnceLock;

use whatlang::{Detector, Lang, Script};

use super::Lexicon;

/// ISO 639-1 code ↔ whatlang language, for every whatlang language that has one.
const CODES: &[(&str, Lang)] = &[
    ("en", Lang::Eng), ("ar", Lang::Ara), ("fr", Lang::Fra), ("es", Lang::Spa), ("de", Lang::Deu),
    ("pt", Lang::Por), ("it", Lang::Ita), ("nl", Lang::Nld), ("ru", Lang::Rus), ("uk", Lang::Ukr),
    ("tr", Lang::Tur), ("pl", Lang::Pol), ("zh", Lang::Cmn), ("ja", Lang::Jpn), ("ko", Lang::Kor),
    ("he", Lang::Heb), ("el", Lang::Ell), ("hi", Lang::Hin), ("fa", Lang::Pes), ("ur", Lang::Urd),
    ("th", Lang::Tha), ("vi", Lang::Vie), ("id", Lang::Ind), ("sv", Lang::Swe), ("da", Lang::Dan),
    ("nb", Lang::Nob), ("fi", Lang::Fin), ("hu", Lang::Hun), ("cs", Lang::Ces), ("sk", Lang::Slk),
    ("sl", Lang::Slv), ("hr", Lang::Hrv), ("sr", Lang::Srp), ("bg", Lang::Bul), ("mk", Lang::Mkd),
    ("be", Lang::Bel), ("ro", Lang::Ron), ("lt", Lang::Lit), ("lv", Lang::Lav), ("et", Lang::Est),
    ("ca", Lang::Cat), ("la", Lang::Lat), ("eo", Lang::Epo), ("af", Lang::Afr), ("cy", Lang::Cym),
    ("tl", Lang::Tgl), ("hy", Lang::Hye), ("ka", Lang::Kat), ("az", Lang::Aze), ("uz", Lang::Uzb),
    ("tk", Lang::Tuk), ("yi", Lang::Yid), ("am", Lang::Amh), ("jv", Lang::Jav), ("mr", Lang::Mar),
    ("kn", Lang::Kan), ("ta", Lang::Tam), ("te", Lang::Tel), ("ml", Lang::Mal), ("gu", Lang::Guj),
    ("pa", Lang::Pan), ("or", Lang::Ori), ("bn", Lang::Ben), ("my", Lang::Mya), ("ne", Lang::Nep),
    ("si", Lang::Sin), ("km", Lang::Khm), ("ak", Lang::Aka), ("zu", Lang::Zul), ("sn", Lang::Sna),
];

/// The languages considered when the caller names none: the seven the
/// assistant speaks, and languages written in a script of their own.
pub const DEFAULT_LANGUAGES: &[&str] =
    &["en", "ar", "fr", "es", "de", "pt", "it", "ru", "uk", "zh", "ja", "ko", "he", "el", "hi", "th"];

/// A word used by more languages than this casts no vote.
const MAX_OWNERS: usize = 2;
/// Below this many letters a text is not judged at all ("ok", "hi", "42").
const MIN_LETTERS: usize = 3;
/// whatlang alone (no function word) needs this many letters and this confidence.
const ALONE_MIN_LETTERS: usize = 20;
const ALONE_MIN_CONFIDENCE: f64 = 0.5;

#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// ISO 639-1 code, or '' when unsure.
    pub language: &'static str,
    /// 0–1; 0 when unsure.
    pub confidence: f64,
}

impl Detection {
    const UNSURE: Self = Self { language: "", confidence: 0.0 };
}

/// The ISO 639-1 code if detection knows it (lower case), else None.
pub fn supported(code: &str) -> Option<&'static str> {
    CODES.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)).map(|(c, _)| *c)
}

/// Every ISO 639-1 code detection knows.
pub fn all_codes() -> impl Iterator<Item = &'static str> {
    CODES.iter().map(|(c, _)| *c)
}

fn code_of(lang: Lang) -> Option<&'static str> {
    CODES.iter().find(|(_, l)| *l == lang).map(|(c, _)| *c)
}

fn lang_of(code: &str) -> Option<Lang> {
    CODES.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// Word → the languages it marks, with a weight: the function words of
/// `data/hints.txt` (1) and the one-word phrases of the shop lexicon (0.5).
fn hints() -> &'static HashMap<String, Vec<(&'static str, f64)>> {
    static HINTS: OnceLock<HashMap<String, Vec<(&'static str, f64)>>> = OnceLock::new();
    HINTS.get_or_init(|| {
        let mut map: HashMap<String, Vec<(&'static str, f64)>> = HashMap::new();
        let mut add = |word: &str, code: &'static str, weight: f64| {
            let entry = map.entry(word.to_lowercase()).or_default();
            if !entry.iter().any(|(c, _)| *c == code) {
                entry.push((code, weight));
            }
        };
        for line in include_str!("data/hints.txt").lines().filter(|l| !l.trim_start().starts_with('#')) {
            let Some((code, words)) = line.split_once(':') else { continue };
            let Some(code) = supported(code.trim()) else { continue };
            for word in words.split_whitespace() {
                add(word, code, 1.0);
            }
        }
        for concept in &Lexicon::builtin().concepts {
            for (code, phrase) in &concept.phrases {
                if let Some(code) = supported(code) {
                    if !phrase.contains([' ', '-', '\'']) {
                        add(phrase, code, 0.5);
                    }
                }
            }
        }
        map
    })
}

/// Letters that only some of the Latin-script languages use.
fn letter_votes(c: char) -> &'static [&'static str] {
    match c {
        'ß' | 'ä' => &["de"],
        'ö' | 'ü' => &["de", "tr"],
        'ñ' | '¿' | '¡' => &["es"],
        'ã' | 'õ' => &["pt"],
        'ç' => &["fr", "pt"],
        'œ' | 'æ' | 'î' | 'ï' | 'û' | 'ë' | 'ÿ' => &["fr"],
        'è' | 'ù' => &["fr", "it"],
        'ì' | 'ò' => &["it"],
        _ => &[],
    }
}

/// The allowed languages written in `script`, when it is not Latin.
fn script_languages(script: Script, allowed: &[&'static str]) -> Option<Vec<&'static str>> {
    let candidates: &[&str] = match script {
        Script::Arabic => &["ar", "fa", "ur"],
        Script::Cyrillic => &["ru", "uk", "bg", "be", "sr", "mk"],
        Script::Hangul => &["ko"],
        Script::Hiragana | Script::Katakana => &["ja"],
        Script::Mandarin => &["zh", "ja"],
        Script::Hebrew => &["he", "yi"],
        Script::Greek => &["el"],
        Script::Devanagari => &["hi", "mr", "ne"],
        Script::Thai => &["th"],
        _ => return None,
    };
    Some(allowed.iter().copied().filter(|c| candidates.contains(c)).collect())
}

/// Detects among `allowed` (ISO 639-1 codes; empty = [`DEFAULT_LANGUAGES`]).
pub fn detect(text: &str, allowed: &[&'static str]) -> Detection {
    let allowed: &[&'static str] = if allowed.is_empty() { DEFAULT_LANGUAGES } else { allowed };
    let letters: String = text.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.chars().count() < MIN_LETTERS {
        return Detection::UNSURE;
    }
    let script = whatlang::detect_script(&letters);
    if let Some(candidates) = script.and_then(|s| script_languages(s, allowed)) {
        // The script narrows it down; whatlang picks among its languages.
        return match candidates.as_slice() {
            [] => Detection::UNSURE,
            [one] => Detection { language: one, confidence: 1.0 },
            several => {
                let langs = several.iter().filter_map(|c| lang_of(c)).collect();
                Detector::with_allowlist(langs)
                    .detect(text)
                    .and_then(|i| Some(Detection { language: code_of(i.lang())?, confidence: round2(i.confidence().max(0.5)) }))
                    .unwrap_or(Detection::UNSURE)
            }
        };
    }
    let langs: Vec<Lang> = allowed.iter().filter_map(|c| lang_of(c)).collect();
    let info = if langs.is_empty() { None } else { Detector::with_allowlist(langs).detect(text) };
    let guess = info.as_ref().and_then(|i| code_of(i.lang()).map(|c| (c, i.confidence())));

    // Votes of function words and marked letters, among the allowed languages.
    let lower = text.to_lowercase();
    let mut votes: Vec<(&'static str, f64)> = allowed.iter().map(|c| (*c, 0.0)).collect();
    let mut vote = |code: &str, weight: f64| {
        if let Some(v) = votes.iter_mut().find(|(c, _)| *c == code) {
            v.1 += weight;
        }
    };
    for word in lower.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')).filter(|w| !w.is_empty()) {
        let word = word.trim_matches(|c| c == '-' || c == '\'');
        let parts = std::iter::once(word).chain(word.split(['-', '\'']).filter(|p| *p != word));
        for part in parts {
            let Some(owners) = hints().get(part) else { continue };
            if owners.len() > MAX_OWNERS {
                continue; // "hoodie", "de", "a": no sign of any one language
            }
            for (owner, weight) in owners {
                // A word shared by several languages says less about each.
                #[allow(clippy::cast_precision_loss)]
                vote(owner, weight / owners.len() as f64);
            }
        }
    }
    for c in lower.chars() {
        for owner in letter_votes(c) {
            vote(owner, 0.75);
        }
    }
    votes.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (best, best_votes) = votes.first().copied().unwrap_or(("", 0.0));
    let second_votes = votes.get(1).map_or(0.0, |v| v.1);

    if best_votes > 0.0 && best_votes > second_votes {
        let margin = (best_votes - second_votes) / best_votes;
        let agrees = guess.is_some_and(|(c, _)| c == best);
        let confidence = if agrees { 0.7 + 0.3 * margin.max(guess.map_or(0.0, |g| g.1)) } else { 0.4 + 0.4 * margin };
        return Detection { language: best, confidence: round2(confidence) };
    }
    if best_votes > 0.0 {
        // A tie between languages: whatlang breaks it if it picked one of them.
        if let Some((code, conf)) = guess {
            if votes.iter().any(|(c, v)| *c == code && *v == best_votes) {
                return Detection { language: code, confidence: round2(0.5 + 0.3 * conf) };
            }
        }
    }
    match (guess, info) {
        (Some((code, conf)), Some(info))
            if letters.chars().count() >= ALONE_MIN_LETTERS && (conf >= ALONE_MIN_CONFIDENCE || info.is_reliable()) =>
        {
            Detection { language: code, confidence: round2(conf) }
        }
        _ => Detection::UNSURE,
    }
}

fn round2(x: f64) -> f64 {
    (x.clamp(0.0, 1.0) * 100.0).round() / 100.0
}
