//! Fields of the index and the analyzers they use.
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED,
};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, TextAnalyzer};
use tantivy::Index;

use super::settings::IndexSettings;
use super::tokenizer::{ArabicNormalizer, CachedStemmer, WordTokenizer};

/// Words, lower-cased and folded to ASCII where a folding exists (é → e).
pub const WORDS: &str = "aisle_words";
/// The whole value as one lower-cased term: SKUs, exact names, category filter.
pub const EXACT: &str = "aisle_exact";

#[derive(Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub name: Field,
    pub name_exact: Field,
    pub sku: Field,
    pub categories: Field,
    pub category_exact: Field,
    pub tags: Field,
    pub attributes: Field,
    pub text: Field,
    pub price: Field,
    pub price_text: Field,
    pub in_stock: Field,
    pub url: Field,
    pub image: Field,
}

fn text(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record))
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = text(WORDS, IndexRecordOption::WithFreqs);
    let exact = text(EXACT, IndexRecordOption::Basic);
    let fields = Fields {
        id: b.add_i64_field("id", NumericOptions::default() | INDEXED | STORED | FAST),
        name: b.add_text_field("name", words.clone() | STORED),
        name_exact: b.add_text_field("name_exact", exact.clone()),
        sku: b.add_text_field("sku", exact.clone()),
        categories: b.add_text_field("categories", words.clone()),
        category_exact: b.add_text_field("category_exact", exact),
        tags: b.add_text_field("tags", words.clone()),
        attributes: b.add_text_field("attributes", words.clone()),
        text: b.add_text_field("text", words),
        price: b.add_f64_field("price", NumericOptions::default() | INDEXED | FAST),
        price_text: b.add_text_field("price_text", STORED),
        // FAST: ranking puts out-of-stock products after in-stock ones.
        in_stock: b.add_bool_field("in_stock", NumericOptions::default() | INDEXED | STORED | FAST),
        url: b.add_text_field("url", STORED),
        image: b.add_text_field("image", STORED),
    };
    (b.build(), fields)
}

/// Looks the fields up in an opened index (the schema travels with it).
pub fn fields_of(schema: &Schema) -> tantivy::Result<Fields> {
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        id: f("id")?,
        name: f("name")?,
        name_exact: f("name_exact")?,
        sku: f("sku")?,
        categories: f("categories")?,
        category_exact: f("category_exact")?,
        tags: f("tags")?,
        attributes: f("attributes")?,
        text: f("text")?,
        price: f("price")?,
        price_text: f("price_text")?,
        in_stock: f("in_stock")?,
        url: f("url")?,
        image: f("image")?,
    })
}

/// Index and query words: hyphen compounds, lower case, ASCII folding, Arabic
/// normalization, then the catalog language's Snowball stemmer ("hoodies" →
/// "hoodi" = "hoodie"). An index written before settings existed gets the
/// analyzer it was built with (no compounds, no Arabic filter, no stemmer).
pub fn words_analyzer(settings: &IndexSettings) -> TextAnalyzer {
    if settings.is_legacy() {
        return TextAnalyzer::builder(WordTokenizer { compounds: false })
            .filter(RemoveLongFilter::limit(64))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build();
    }
    let base = TextAnalyzer::builder(WordTokenizer { compounds: true })
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(ArabicNormalizer);
    match settings.stemmer() {
        Some(algorithm) => base.filter(CachedStemmer(algorithm)).build(),
        None => base.build(),
    }
}

/// Query words as typed, folded but neither stemmed nor compounded: what the
/// shop lexicon is matched against.
pub fn plain_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer { compounds: false })
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(ArabicNormalizer)
        .build()
}

pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default()).filter(RemoveLongFilter::limit(256)).filter(LowerCaser).build()
}

pub fn register(index: &Index, settings: &IndexSettings) {
    index.tokenizers().register(WORDS, words_analyzer(settings));
    index.tokenizers().register(EXACT, exact_analyzer());
}

/// Text the exact fields index, and queries are compared with: trimmed,
/// whitespace runs collapsed (the analyzer lower-cases).
pub fn exact_key(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The distinct terms `analyzer` makes of `text`, in first-seen order: what a query searches for
/// (the product index and the knowledge index analyse queries alike).
pub(crate) fn unique_terms(analyzer: &TextAnalyzer, text: &str) -> Vec<String> {
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(text);
    let mut out: Vec<String> = Vec::new();
    while let Some(token) = stream.next() {
        if !out.contains(&token.text) {
            out.push(token.text.clone());
        }
    }
    out
}
