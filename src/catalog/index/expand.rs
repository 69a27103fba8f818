//! Query expansion from the shop lexicon (`crate::lang::Lexicon`) and the
//! merchant's synonyms. A word or phrase of the query found in any language
//! adds the concept's words in the catalog's language (and English, and the
//! merchant's groups) as extra, lower-weighted query terms; related concepts
//! are added lower still. The index is never changed: only queries grow.
use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use super::settings::IndexSettings;
use crate::lang::{Concept, Lexicon};

/// Weight of a concept's words next to the shopper's own (1.0).
pub const DIRECT_WEIGHT: f32 = 0.6;
/// Weight of a concept the query names with a phrase of several words ("rain
/// jacket" = raincoat, "sac à dos" = backpack): nearly the shopper's own words.
pub const PHRASE_WEIGHT: f32 = 0.9;
/// Weight of a related concept's words ("hats" → caps, beanies).
pub const RELATED_WEIGHT: f32 = 0.3;
/// At most this many expansions per query (each is a handful of term lookups).
pub const MAX_EXPANSIONS: usize = 24;

/// The extra clauses one concept adds: any one of its phrases (the best
/// match counts, not the sum, so a concept with many words does not outweigh
/// the shopper's own), each phrase's words all required.
#[derive(Debug, Clone, PartialEq)]
pub struct Expansion {
    pub phrases: Vec<Vec<String>>,
    pub weight: f32,
}

pub struct Expander {
    /// A phrase as plain tokens → the concepts it names.
    phrases: HashMap<Vec<String>, Vec<usize>>,
    longest: usize,
    /// Per concept: its phrases in the catalog's language (and English, and
    /// the merchant's), analyzed as the index is.
    terms: Vec<Vec<Vec<String>>>,
    /// Per concept: its first phrase in each of those languages.
    heads: Vec<Vec<Vec<String>>>,
    related: Vec<Vec<usize>>,
}

fn analyze(analyzer: &TextAnalyzer, text: &str) -> Vec<String> {
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        if !out.contains(&token.text) {
            out.push(token.text.clone());
        }
    }
    out
}

fn add_unique(list: &mut Vec<usize>, items: &[usize]) {
    for &i in items {
        if !list.contains(&i) {
            list.push(i);
        }
    }
}

/// Shortest parts a compound is split into ("leder" + "jacke").
const COMPOUND_PART_CHARS: usize = 3;

impl Expander {
    pub fn new(settings: &IndexSettings, words: &TextAnalyzer, plain: &TextAnalyzer) -> Self {
        let merchant = Lexicon::from_groups(&settings.synonyms);
        let concepts: Vec<&Concept> = Lexicon::builtin().concepts.iter().chain(merchant.concepts.iter()).collect();
        let ids: HashMap<&str, usize> = concepts.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
        let mut phrases: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
        let mut longest = 1;
        let mut terms = Vec::with_capacity(concepts.len());
        let mut heads = Vec::with_capacity(concepts.len());
        let mut related = Vec::with_capacity(concepts.len());
        // English phrases are added for any catalog: many catalogs in other
        // languages name their products in English ("Hoodie", "T-Shirt").
        let wanted = |lang: &str| lang == "*" || lang == "en" || lang == settings.language;
        for (i, concept) in concepts.iter().enumerate() {
            let mut own: Vec<Vec<String>> = Vec::new();
            let mut head: Vec<Vec<String>> = Vec::new();
            let mut head_langs: Vec<&str> = Vec::new();
            for (lang, phrase) in &concept.phrases {
                let key = analyze(plain, phrase);
                if key.is_empty() {
                    continue;
                }
                longest = longest.max(key.len());
                add_unique(phrases.entry(key).or_default(), &[i]);
                if wanted(lang) {
                    let analyzed = analyze(words, phrase);
                    if analyzed.is_empty() {
                        continue;
                    }
                    if !head_langs.contains(&lang.as_str()) {
                        head_langs.push(lang);
                        if !head.contains(&analyzed) {
                            head.push(analyzed.clone());
                        }
                    }
                    if !own.contains(&analyzed) {
                        own.push(analyzed);
                    }
                }
            }
            terms.push(own);
            heads.push(head);
            related.push(concept.related.iter().filter_map(|r| ids.get(r.as_str()).copied()).collect());
        }
        Self { phrases, longest, terms, heads, related }
    }

    /// Concepts of one word, also as a plural the lexicon does not list ("scarfs").
    fn single(&self, word: &str) -> Option<&Vec<usize>> {
        let key = [word.to_owned()];
        self.phrases.get(&key[..]).or_else(|| {
            let stem = word.strip_suffix('s').filter(|s| s.chars().count() >= COMPOUND_PART_CHARS)?;
            self.phrases.get(&[stem.to_owned()][..])
        })
    }

    /// A compound of two lexicon words, as German writes them ("Lederjacke",
    /// "Wollschal" = "Wolle" + "Schal", "Regenjacke"), split at the first place
    /// where both halves are known (a linking "s" or a dropped "e" allowed).
    fn compound(&self, word: &str) -> Option<Vec<usize>> {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if chars.len() < 2 * COMPOUND_PART_CHARS {
            return None;
        }
        for &(at, _) in &chars[COMPOUND_PART_CHARS..=chars.len() - COMPOUND_PART_CHARS] {
            let (left, right) = word.split_at(at);
            let Some(right) = self.single(right) else { continue };
            let left = self
                .single(left)
                .or_else(|| self.single(&format!("{left}e")))
                .or_else(|| left.strip_suffix('s').and_then(|l| self.single(l)));
            if let Some(left) = left {
                let mut both = left.clone();
                add_unique(&mut both, right);
                return Some(both);
            }
        }
        None
    }

    /// The concepts named in `plain` (the query's plain tokens), longest phrase
    /// first, and those of them named by a phrase of several words.
    fn concepts(&self, plain: &[String]) -> (Vec<usize>, Vec<usize>) {
        let mut found = Vec::new();
        let mut by_phrase = Vec::new();
        let mut i = 0;
        while i < plain.len() {
            let mut matched = 0;
            for len in (2..=self.longest.min(plain.len() - i)).rev() {
                if let Some(cs) = self.phrases.get(&plain[i..i + len]) {
                    add_unique(&mut found, cs);
                    add_unique(&mut by_phrase, cs);
                    matched = len;
                    break;
                }
            }
            if matched == 0 {
                if let Some(cs) = self.single(&plain[i]) {
                    add_unique(&mut found, cs);
                } else if let Some(cs) = self.compound(&plain[i]) {
                    add_unique(&mut found, &cs);
                }
                matched = 1;
            }
            i += matched;
        }
        (found, by_phrase)
    }

    /// Extra clauses for a query whose analyzed words are `own` and plain tokens `plain`.
    pub fn expand(&self, plain: &[String], own: &[String]) -> Vec<Expansion> {
        let (concepts, by_phrase) = self.concepts(plain);
        let mut out: Vec<Expansion> = Vec::new();
        let mut budget = MAX_EXPANSIONS;
        let mut group = |phrases: &[Vec<String>], weight: f32, out: &mut Vec<Expansion>| {
            // A phrase made only of the shopper's own words adds nothing.
            let phrases: Vec<Vec<String>> = phrases
                .iter()
                .filter(|p| !p.iter().all(|t| own.contains(t)))
                .take(budget)
                .cloned()
                .collect();
            budget -= phrases.len();
            if !phrases.is_empty() {
                out.push(Expansion { phrases, weight });
            }
        };
        for &c in &concepts {
            let weight = if by_phrase.contains(&c) { PHRASE_WEIGHT } else { DIRECT_WEIGHT };
            group(self.terms.get(c).map_or(&[][..], Vec::as_slice), weight, &mut out);
        }
        for &c in &concepts {
            for &r in self.related.get(c).into_iter().flatten() {
                if !concepts.contains(&r) {
                    group(self.heads.get(r).map_or(&[][..], Vec::as_slice), RELATED_WEIGHT, &mut out);
                }
            }
        }
        out
    }
}
