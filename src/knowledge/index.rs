//! The knowledge index: passages in a tantivy index of their own, beside the
//! catalog's (so `CatalogIndex` keeps its API, schema and speed), analyzed
//! with the catalog's analyzers: the same word tokenizer for any script, the
//! store language's stemmer, Arabic normalization, typo tolerance.
//!
//! Unlike the catalog index, which is rebuilt as a whole generation, the
//! knowledge index is updated in place one source at a time: a passage is
//! keyed by its source and content hash, so re-syncing a source adds only
//! new passages and deletes only vanished ones. tantivy's commit is atomic
//! (readers keep their snapshot until they reload).
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::chunk::Passage;
use super::KnowledgeError;
use crate::catalog::index::schema::{self as catalog_schema, unique_terms as terms, WORDS};
use crate::catalog::IndexSettings;

pub const MAX_QUERY_BYTES: usize = 1000;
const MAX_WORDS: usize = 16;
pub const MAX_LIMIT: usize = 50;
const FUZZY_MIN_CHARS: usize = 5;
/// Separates the two halves of a passage key (source, hash).
const KEY_SEP: char = '\u{1f}';

#[derive(Clone, Copy)]
struct Fields {
    source: Field,
    key: Field,
    title: Field,
    heading: Field,
    text: Field,
    url: Field,
    hash: Field,
    position: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(WORDS).set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        source: b.add_text_field("source", STRING | STORED),
        key: b.add_text_field("key", STRING),
        title: b.add_text_field("title", words.clone() | STORED),
        heading: b.add_text_field("heading", words.clone() | STORED),
        text: b.add_text_field("text", words | STORED),
        url: b.add_text_field("url", STORED),
        hash: b.add_text_field("hash", STORED),
        position: b.add_u64_field("position", NumericOptions::default() | STORED),
    };
    (b.build(), fields)
}

fn fields_of(schema: &Schema) -> Result<Fields, KnowledgeError> {
    let f = |name: &str| schema.get_field(name).map_err(|_| KnowledgeError::Index(format!("not a knowledge index (no field '{name}')")));
    Ok(Fields {
        source: f("source")?,
        key: f("key")?,
        title: f("title")?,
        heading: f("heading")?,
        text: f("text")?,
        url: f("url")?,
        hash: f("hash")?,
        position: f("position")?,
    })
}

/// Heading paths are stored as one string, outermost first.
pub const HEADING_SEP: &str = " › ";

#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeHit {
    pub source: String,
    pub title: String,
    pub url: Option<String>,
    pub heading: String,
    pub text: String,
    pub position: u64,
    pub hash: String,
    pub score: f32,
    /// Share of the query's weight (words weighed by rarity) the passage
    /// contains, 0 to 1: a confidence that does not depend on corpus size.
    pub coverage: f32,
}

/// What a source update did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: usize,
    pub removed: usize,
    pub kept: usize,
}

pub struct KnowledgeIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    words: TextAnalyzer,
    plain: TextAnalyzer,
    settings: IndexSettings,
}

static CACHE: Mutex<Option<HashMap<PathBuf, Arc<KnowledgeIndex>>>> = Mutex::new(None);

impl KnowledgeIndex {
    /// Opens the index in `dir`, creating it (with `settings`, for the store's
    /// language) when there is none. An existing index keeps the settings it
    /// was created with. Cached per process; every open sees the latest commit.
    pub fn open(dir: &Path, settings: Option<IndexSettings>) -> Result<Arc<Self>, KnowledgeError> {
        std::fs::create_dir_all(dir).map_err(|e| KnowledgeError::Io(format!("cannot create {}: {e}", dir.display())))?;
        let key = dir.canonicalize().map_err(|e| KnowledgeError::Io(format!("no index at {}: {e}", dir.display())))?;
        let cached = CACHE.lock().ok().and_then(|c| c.as_ref()?.get(&key).cloned());
        // A cached index whose directory was emptied (uninstall, a test) is opened anew.
        if let Some(hit) = cached.filter(|_| key.join("meta.json").exists()) {
            if hit.reader.reload().is_ok() {
                return Ok(hit);
            }
        }
        let opened = Arc::new(Self::load(&key, settings)?);
        if let Ok(mut cache) = CACHE.lock() {
            cache.get_or_insert_with(HashMap::new).insert(key, Arc::clone(&opened));
        }
        Ok(opened)
    }

    fn load(dir: &Path, settings: Option<IndexSettings>) -> Result<Self, KnowledgeError> {
        let index = if dir.join("meta.json").exists() {
            Index::open_in_dir(dir)?
        } else {
            let settings = settings.unwrap_or_default();
            settings.save(dir)?;
            match Index::create_in_dir(dir, schema().0) {
                Ok(i) => i,
                // Another process created it meanwhile.
                Err(tantivy::TantivyError::IndexAlreadyExists) => Index::open_in_dir(dir)?,
                Err(e) => return Err(e.into()),
            }
        };
        let settings = IndexSettings::load(dir)?;
        let settings = if settings.is_legacy() { IndexSettings::default() } else { settings };
        let words = catalog_schema::words_analyzer(&settings);
        index.tokenizers().register(WORDS, words.clone());
        let fields = fields_of(&index.schema())?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self { index, reader, fields, words, plain: catalog_schema::plain_analyzer(), settings })
    }

    pub fn settings(&self) -> &IndexSettings {
        &self.settings
    }

    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn writer(&self) -> Result<IndexWriter<TantivyDocument>, KnowledgeError> {
        // Another process may be writing: wait for its lock a few seconds.
        for _ in 0..100 {
            match self.index.writer_with_num_threads(1, 32_000_000) {
                Ok(w) => return Ok(w),
                Err(tantivy::TantivyError::LockFailure(..)) => std::thread::sleep(Duration::from_millis(50)),
                Err(e) => return Err(e.into()),
            }
        }
        Err(KnowledgeError::Index("the knowledge index is locked by another writer".into()))
    }

    fn key(source: &str, hash: &str) -> String {
        format!("{source}{KEY_SEP}{hash}")
    }

    /// Hashes of the passages of `source` now in the index.
    pub fn hashes(&self, source: &str) -> Result<HashSet<String>, KnowledgeError> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(Term::from_field_text(self.fields.source, source), IndexRecordOption::Basic);
        let mut out = HashSet::new();
        for address in searcher.search(&q, &DocSetCollector)? {
            let d: TantivyDocument = searcher.doc(address)?;
            if let Some(h) = d.get_first(self.fields.hash).and_then(|v| v.as_str()) {
                out.insert(h.to_owned());
            }
        }
        Ok(out)
    }

    /// Makes the passages of `source` exactly `passages` (all must carry
    /// that source id), touching only passages whose hash changed.
    pub fn replace_source(&self, source: &str, passages: &[Passage]) -> Result<Changes, KnowledgeError> {
        if source.is_empty() {
            return Err(KnowledgeError::InvalidArgument("the source id is empty".into()));
        }
        if let Some(p) = passages.iter().find(|p| p.source != source) {
            return Err(KnowledgeError::InvalidArgument(format!("a passage of source '{}' given for source '{source}'", p.source)));
        }
        let existing = self.hashes(source)?;
        let wanted: HashSet<&str> = passages.iter().map(|p| p.hash.as_str()).collect();
        let gone: Vec<&String> = existing.iter().filter(|h| !wanted.contains(String::as_str(h))).collect();
        let mut seen = HashSet::new();
        let new: Vec<&Passage> =
            passages.iter().filter(|p| !existing.contains(&p.hash) && seen.insert(p.hash.as_str())).collect();
        let changes = Changes { added: new.len(), removed: gone.len(), kept: wanted.len() - new.len() };
        if new.is_empty() && gone.is_empty() {
            return Ok(changes);
        }
        let mut writer = self.writer()?;
        let f = self.fields;
        for h in gone {
            writer.delete_term(Term::from_field_text(f.key, &Self::key(source, h)));
        }
        for p in new {
            let mut d = doc!(
                f.source => p.source.as_str(),
                f.key => Self::key(source, &p.hash),
                f.title => p.title.as_str(),
                f.heading => p.heading.join(HEADING_SEP),
                f.text => p.text.as_str(),
                f.hash => p.hash.as_str(),
                f.position => p.position as u64,
            );
            if let Some(u) = &p.url {
                d.add_text(f.url, u);
            }
            writer.add_document(d)?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(changes)
    }

    /// Removes every passage of `source`; how many there were.
    pub fn remove_source(&self, source: &str) -> Result<usize, KnowledgeError> {
        let n = self.hashes(source)?.len();
        if n > 0 {
            let mut writer = self.writer()?;
            writer.delete_term(Term::from_field_text(self.fields.source, source));
            writer.commit()?;
            writer.wait_merging_threads()?;
            self.reader.reload()?;
        }
        Ok(n)
    }

    /// Passages per source id.
    pub fn sources(&self) -> Result<HashMap<String, usize>, KnowledgeError> {
        let searcher = self.reader.searcher();
        let mut out: HashMap<String, usize> = HashMap::new();
        for address in searcher.search(&tantivy::query::AllQuery, &DocSetCollector)? {
            let d: TantivyDocument = searcher.doc(address)?;
            if let Some(s) = d.get_first(self.fields.source).and_then(|v| v.as_str()) {
                *out.entry(s.to_owned()).or_default() += 1;
            }
        }
        Ok(out)
    }

    /// The passages that best answer `query`, optionally only of `sources`.
    pub fn search(&self, query: &str, limit: usize, sources: &[String]) -> Result<Vec<KnowledgeHit>, KnowledgeError> {
        if limit == 0 || query.len() > MAX_QUERY_BYTES {
            return Ok(Vec::new());
        }
        let f = self.fields;
        let mut words = terms(&self.words, query);
        words.truncate(MAX_WORDS);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let plain = terms(&self.plain, query);
        let searcher = self.reader.searcher();
        #[allow(clippy::cast_precision_loss)]
        let n = searcher.num_docs().max(1) as f32;
        let mut weights = Vec::with_capacity(words.len());
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &words {
            let df = searcher.doc_freq(&Term::from_field_text(f.text, word))?
                + searcher.doc_freq(&Term::from_field_text(f.heading, word))?;
            #[allow(clippy::cast_precision_loss)]
            let df = (df as f32).min(n);
            // Function words ("how", "to", "my", "هل") say nothing about the answer, nor does a
            // short word no passage has ("your", "many" in a small knowledge base).
            // Judged on the word as typed: the stem of "days" is "day".
            let chars = plain.iter().filter(|p| p.starts_with(word.as_str())).map(|p| p.chars().count()).max().unwrap_or_else(|| word.chars().count());
            let cjk = word.chars().any(|c| c as u32 >= 0x2E80);
            let absent_function_word = !cjk && (chars <= 3 || df == 0.0 && chars <= 4);
            weights.push(if absent_function_word { 0.0 } else { (1.0 + (n - df + 0.5) / (df + 0.5)).ln() });
            for (field, weight) in [(f.heading, 2.0), (f.title, 1.5), (f.text, 1.0)] {
                let q = TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs);
                should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), weight))));
            }
            let typed_long = plain.iter().any(|p| p.chars().count() >= FUZZY_MIN_CHARS && p.starts_with(word.as_str()));
            if word.chars().count() >= FUZZY_MIN_CHARS || typed_long {
                for (field, weight) in [(f.heading, 0.6), (f.text, 0.3)] {
                    let q = FuzzyTermQuery::new(Term::from_field_text(field, word), 1, true);
                    should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), weight))));
                }
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(BooleanQuery::new(should)))];
        if !sources.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = sources
                .iter()
                .map(|s| {
                    let q = TermQuery::new(Term::from_field_text(f.source, s), IndexRecordOption::Basic);
                    (Occur::Should, Box::new(q) as Box<dyn Query>)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(tantivy::query::ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0))));
        }
        let query = BooleanQuery::new(clauses);
        let top = searcher.search(&query, &TopDocs::with_limit(limit.min(MAX_LIMIT)))?;
        let total: f32 = weights.iter().sum::<f32>().max(f32::EPSILON);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let d: TantivyDocument = searcher.doc(address)?;
            let text = |field| d.get_first(field).and_then(|v| v.as_str()).map(str::to_owned);
            let heading = text(f.heading).unwrap_or_default();
            let body = text(f.text).unwrap_or_default();
            let title = text(f.title).unwrap_or_default();
            let have: HashSet<String> = terms(&self.words, &format!("{title} {heading} {body}")).into_iter().collect();
            let matched: f32 = words.iter().zip(&weights).filter(|(w, _)| have.contains(*w)).map(|(_, x)| *x).sum();
            hits.push(KnowledgeHit {
                source: text(f.source).unwrap_or_default(),
                title,
                url: text(f.url),
                heading,
                text: body,
                position: d.get_first(f.position).and_then(|v| v.as_u64()).unwrap_or(0),
                hash: text(f.hash).unwrap_or_default(),
                score,
                coverage: (matched / total).clamp(0.0, 1.0),
            });
        }
        Ok(hits)
    }
}
