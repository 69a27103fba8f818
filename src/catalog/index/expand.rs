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
/// Weight of a related concept's words ("hats" → caps, beanies).
pub const RELATED_WEIGHT: f32 = 0.3;
/// At most this many expansions per query (each is a handful of term lookups).
pub const MAX_EXPANSIONS: usize = 24;
/// Phrases of a related concept taken: its first few words only.
const RELATED_PHRASES: usize = 2;

/// One extra query clause: all its terms must match (a multi-word phrase
/// such as "knit hat" is not "knit" or "hat").
#[derive(Debug, Clone, PartialEq)]
pub struct Expansion {
    pub terms: Vec<String>,
    pub weight: f32,
}

pub struct Expander {
    /// A phrase as plain tokens → the concepts it names.
    phrases: HashMap<Vec<String>, Vec<usize>>,
    longest: usize,
    /// Per concept: its phrases in the catalog's language, analyzed as the index is.
    terms: Vec<Vec<Vec<String>>>,
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

impl Expander {
    pub fn new(settings: &IndexSettings, words: &TextAnalyzer, plain: &TextAnalyzer) -> Self {
        let merchant = Lexicon::from_groups(&settings.synonyms);
        let concepts: Vec<&Concept> = Lexicon::builtin().concepts.iter().chain(merchant.concepts.iter()).collect();
        let ids: HashMap<&str, usize> = concepts.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
        let mut phrases: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
        let mut longest = 1;
        let mut terms = Vec::with_capacity(concepts.len());
        let mut related = Vec::with_capacity(concepts.len());
        // English phrases are added for any catalog: many catalogs in other
        // languages name their products in English ("Hoodie", "T-Shirt").
        let wanted = |lang: &str| lang == "*" || lang == "en" || lang == settings.language;
        for (i, concept) in concepts.iter().enumerate() {
            let mut own: Vec<Vec<String>> = Vec::new();
            for (lang, phrase) in &concept.phrases {
                let key = analyze(plain, phrase);
                if key.is_empty() {
                    continue;
                }
                longest = longest.max(key.len());
                let entry = phrases.entry(key).or_default();
                if !entry.contains(&i) {
                    entry.push(i);
                }
                if wanted(lang) {
                    let analyzed = analyze(words, phrase);
                    if !analyzed.is_empty() && !own.contains(&analyzed) {
                        own.push(analyzed);
                    }
                }
            }
            terms.push(own);
            related.push(concept.related.iter().filter_map(|r| ids.get(r.as_str()).copied()).collect());
        }
        Self { phrases, longest, terms, related }
    }

    /// The concepts named in `plain` (the query's plain tokens), longest phrase first.
    fn concepts(&self, plain: &[String]) -> Vec<usize> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < plain.len() {
            let mut matched = 0;
            for len in (1..=self.longest.min(plain.len() - i)).rev() {
                if let Some(cs) = self.phrases.get(&plain[i..i + len]) {
                    found.extend(cs.iter().copied().filter(|c| !found.contains(c)).collect::<Vec<_>>());
                    matched = len;
                    break;
                }
            }
            if matched == 0 {
                // A plural the lexicon does not list: "scarfs", "ceintures".
                if let Some(stem) = plain[i].strip_suffix('s').filter(|s| s.chars().count() >= 3) {
                    if let Some(cs) = self.phrases.get(&[stem.to_owned()][..]) {
                        found.extend(cs.iter().copied().filter(|c| !found.contains(c)).collect::<Vec<_>>());
                    }
                }
                matched = 1;
            }
            i += matched;
        }
        found
    }

    /// Extra clauses for a query whose analyzed words are `own` and plain tokens `plain`.
    pub fn expand(&self, plain: &[String], own: &[String]) -> Vec<Expansion> {
        let concepts = self.concepts(plain);
        let mut out: Vec<Expansion> = Vec::new();
        let mut add = |terms: &Vec<String>, weight: f32| {
            if terms.iter().all(|t| own.contains(t)) {
                return; // the shopper's own words already ask for it
            }
            match out.iter_mut().find(|e| &e.terms == terms) {
                Some(e) => e.weight = e.weight.max(weight),
                None => out.push(Expansion { terms: terms.clone(), weight }),
            }
        };
        for &c in &concepts {
            for terms in self.terms.get(c).into_iter().flatten() {
                add(terms, DIRECT_WEIGHT);
            }
        }
        for &c in &concepts {
            for &r in self.related.get(c).into_iter().flatten() {
                for terms in self.terms.get(r).into_iter().flatten().take(RELATED_PHRASES) {
                    add(terms, RELATED_WEIGHT);
                }
            }
        }
        // Direct expansions first, then related; the cap keeps the query cheap.
        out.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        out.truncate(MAX_EXPANSIONS);
        out
    }
}
