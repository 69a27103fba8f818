//! The persistent search index (tantivy). Layout of an index directory:
//! `CURRENT` names the live generation `gen-<nanos>-<pid>/`; a writer builds a
//! new generation beside it and swaps `CURRENT` with an atomic rename, so a
//! reader never sees a half-written index and keeps its open one meanwhile.
mod expand;
mod query;
mod reader;
pub(crate) mod schema;
mod settings;
mod tokenizer;
mod writer;

pub use query::{Filters, Hit};
pub use reader::SearchIndex;
pub use settings::IndexSettings;
pub use writer::write;

#[cfg(test)]
mod tests;
