//! Turns a shopper's words into a tantivy query and hits back into results.
use std::ops::Bound;

use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocId, Score, Searcher, SegmentReader, TantivyDocument, Term};

use super::expand::Expander;
use crate::lang::normalize_digits;
use super::schema::{exact_key, unique_terms as terms, Fields};
use crate::catalog::error::CatalogError;

/// Longer queries are not a shopper typing: answered with no results.
pub const MAX_QUERY_BYTES: usize = 1000;
/// Words beyond this are ignored (each adds several term lookups).
pub const MAX_WORDS: usize = 16;
pub const MAX_LIMIT: usize = 100;
/// Typos are forgiven in words at least this long.
const FUZZY_MIN_CHARS: usize = 5;
/// Out-of-stock products score this fraction of their relevance, so they come
/// after in-stock products that match about as well (an exact SKU or name
/// still comes first), unless the filters ask for out-of-stock products.
pub const OUT_OF_STOCK_FACTOR: f32 = 0.5;
/// Score added to a product in a `category_boost` category (a name word scores
/// about 3 to 15).
pub const CATEGORY_BOOST: f32 = 4.0;
/// Two adjacent query words are also looked up joined ("t shirt" → "tshirt")
/// when together at most this long.
const JOIN_MAX_CHARS: usize = 16;
pub const MAX_CATEGORY_BOOSTS: usize = 20;
/// Words of a query that are looked up as SKUs on their own.
const MAX_SKU_CHUNKS: usize = 4;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Filters {
    pub in_stock: Option<bool>,
    pub price_min: Option<f64>,
    pub price_max: Option<f64>,
    /// Only products in this category (exact name, case-insensitive).
    pub category: Option<String>,
    /// Products in these categories rank higher; the others still match.
    pub category_boost: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub score: f32,
    pub name: String,
    pub price: Option<String>,
    pub url: Option<String>,
    pub in_stock: bool,
    pub image: Option<String>,
}

fn boosted(q: Box<dyn Query>, boost: f32) -> (Occur, Box<dyn Query>) {
    (Occur::Should, Box::new(BoostQuery::new(q, boost)))
}

/// Field weights: the name says most about a product, the description least.
fn weighted(f: &Fields) -> [(tantivy::schema::Field, f32); 5] {
    [(f.name, 3.0), (f.categories, 1.5), (f.tags, 1.5), (f.attributes, 1.2), (f.text, 1.0)]
}

pub struct Analyzers {
    pub words: TextAnalyzer,
    pub exact: TextAnalyzer,
    pub plain: TextAnalyzer,
    pub expander: Expander,
    /// The index has `in_stock` as a fast field (written with settings).
    pub stock_ranking: bool,
}

fn word_clauses(f: &Fields, word: &str, scale: f32, should: &mut Vec<(Occur, Box<dyn Query>)>) {
    for (field, weight) in weighted(f) {
        let term = Term::from_field_text(field, word);
        should.push(boosted(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)), weight * scale));
    }
}

fn word_query(f: &Fields, word: &str) -> Box<dyn Query> {
    let mut any = Vec::new();
    word_clauses(f, word, 1.0, &mut any);
    Box::new(BooleanQuery::new(any))
}

pub fn search(
    searcher: &Searcher,
    f: &Fields,
    analyzers: &Analyzers,
    query: &str,
    limit: usize,
    filters: &Filters,
) -> Result<Vec<Hit>, CatalogError> {
    if limit == 0 || query.len() > MAX_QUERY_BYTES {
        return Ok(Vec::new());
    }
    let mut words = terms(&analyzers.words, query);
    words.truncate(MAX_WORDS);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    // Exact SKU and exact name outrank any combination of word matches.
    if let Some(key) = terms(&analyzers.exact, &exact_key(query)).into_iter().next() {
        should.push(boosted(Box::new(TermQuery::new(Term::from_field_text(f.name_exact, &key), IndexRecordOption::Basic)), 40.0));
    }
    // SKUs are written with ASCII digits; a shopper may type Arabic-Indic ones.
    let ascii_digits = normalize_digits(query);
    if let Some(key) = terms(&analyzers.exact, &exact_key(&ascii_digits)).into_iter().next() {
        should.push(boosted(Box::new(TermQuery::new(Term::from_field_text(f.sku, &key), IndexRecordOption::Basic)), 100.0));
    }
    // A SKU among other words ("sku NOR-SNE-11633", "do you have WAL-2?").
    let chunks: Vec<&str> = ascii_digits.split_whitespace().collect();
    if chunks.len() > 1 {
        let sku_like = |c: &&&str| c.len() >= 3 && c.bytes().any(|b| b.is_ascii_digit());
        for chunk in chunks.iter().filter(sku_like).take(MAX_SKU_CHUNKS) {
            let chunk = chunk.trim_matches(|c: char| matches!(c, '?' | '!' | ',' | '.' | ';' | ':' | '"' | '\'' | '(' | ')' | '؟' | '،' | '¿' | '¡'));
            if let Some(key) = terms(&analyzers.exact, chunk).into_iter().next() {
                should.push(boosted(Box::new(TermQuery::new(Term::from_field_text(f.sku, &key), IndexRecordOption::Basic)), 100.0));
            }
        }
    }
    let mut plain = terms(&analyzers.plain, query);
    plain.truncate(MAX_WORDS);
    for word in &words {
        word_clauses(f, word, 1.0, &mut should);
        // Typos are judged on the word as typed: "hodie" (stem "hodi") still finds "hoodie".
        let typed_long = word.chars().count() + 1 >= FUZZY_MIN_CHARS
            && plain.iter().any(|p| p.chars().count() >= FUZZY_MIN_CHARS && p.starts_with(word.as_str()));
        if word.chars().count() >= FUZZY_MIN_CHARS || typed_long {
            for (field, weight) in [(f.name, 1.5), (f.text, 0.3)] {
                let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, word), 1, true);
                should.push(boosted(Box::new(fuzzy), weight));
            }
        }
    }
    // Adjacent words joined, as the index joins hyphenated ones: "t shirt" → "tshirt".
    for pair in plain.windows(2) {
        if pair[0].chars().count() + pair[1].chars().count() <= JOIN_MAX_CHARS {
            for joined in terms(&analyzers.words, &format!("{}{}", pair[0], pair[1])) {
                if !words.contains(&joined) {
                    for (field, weight) in [(f.name, 3.0), (f.categories, 1.5), (f.tags, 1.5)] {
                        let term = Term::from_field_text(field, &joined);
                        should.push(boosted(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)), weight));
                    }
                }
            }
        }
    }
    // Synonyms and other languages' words for the same things, at a lower weight.
    for expansion in analyzers.expander.expand(&plain, &words) {
        let alternatives: Vec<Box<dyn Query>> = expansion
            .phrases
            .iter()
            .map(|phrase| match phrase.as_slice() {
                [one] => word_query(f, one),
                several => {
                    // Each word of a phrase counts its share: "running shoes" is one thing.
                    #[allow(clippy::cast_precision_loss)]
                    let share = 1.0 / several.len() as f32;
                    let all = several.iter().map(|t| (Occur::Must, word_query(f, t))).collect();
                    Box::new(BoostQuery::new(Box::new(BooleanQuery::new(all)), share)) as Box<dyn Query>
                }
            })
            .collect();
        should.push(boosted(Box::new(DisjunctionMaxQuery::new(alternatives)), expansion.weight));
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(BooleanQuery::new(should)))];
    for category in filters.category_boost.iter().take(MAX_CATEGORY_BOOSTS) {
        if let Some(key) = terms(&analyzers.exact, &exact_key(category)).into_iter().next() {
            let q = TermQuery::new(Term::from_field_text(f.category_exact, &key), IndexRecordOption::Basic);
            clauses.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(q), CATEGORY_BOOST))));
        }
    }
    let mut filter = |q: Box<dyn Query>| clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
    if let Some(in_stock) = filters.in_stock {
        filter(Box::new(TermQuery::new(Term::from_field_bool(f.in_stock, in_stock), IndexRecordOption::Basic)));
    }
    if filters.price_min.is_some() || filters.price_max.is_some() {
        let bound = |v: Option<f64>| v.map_or(Bound::Unbounded, |x| Bound::Included(Term::from_field_f64(f.price, x)));
        filter(Box::new(RangeQuery::new(bound(filters.price_min), bound(filters.price_max))));
    }
    if let Some(category) = &filters.category {
        let Some(key) = terms(&analyzers.exact, &exact_key(category)).into_iter().next() else { return Ok(Vec::new()) };
        filter(Box::new(TermQuery::new(Term::from_field_text(f.category_exact, &key), IndexRecordOption::Basic)));
    }
    let query = BooleanQuery::new(clauses);
    let collector = TopDocs::with_limit(limit.min(MAX_LIMIT));
    let top = if analyzers.stock_ranking && filters.in_stock.is_none() {
        searcher.search(&query, &collector.tweak_score(stock_tweak))?
    } else {
        searcher.search(&query, &collector)?
    };
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let d: TantivyDocument = searcher.doc(address)?;
        let text = |field| d.get_first(field).and_then(|v| v.as_str()).map(str::to_owned);
        hits.push(Hit {
            id: d.get_first(f.id).and_then(|v| v.as_i64()).unwrap_or(0),
            score,
            name: text(f.name).unwrap_or_default(),
            price: text(f.price_text),
            url: text(f.url),
            in_stock: d.get_first(f.in_stock).and_then(|v| v.as_bool()).unwrap_or(false),
            image: text(f.image),
        });
    }
    Ok(hits)
}

/// Scales the score of out-of-stock products by [`OUT_OF_STOCK_FACTOR`].
fn stock_tweak(segment: &SegmentReader) -> impl Fn(DocId, Score) -> Score {
    let in_stock = segment.fast_fields().bool("in_stock").ok().map(|c| c.first_or_default_col(true));
    move |doc: DocId, score: Score| match &in_stock {
        Some(column) if !column.get_val(doc) => score * OUT_OF_STOCK_FACTOR,
        _ => score,
    }
}
