//! Catalog normalization, hashing, NDJSON and search. Pure Rust: the PHP layer
//! hands in a [`Value`] tree and gets plain Rust data back.
mod background;
mod batches;
mod entities;
mod error;
mod hash;
pub mod index;
mod intake;
mod json;
mod ledger;
mod ndjson;
mod number;
mod product;
pub mod snapshot;
mod store;
mod swar;
pub mod text;
mod time;
mod value;

pub use background::IndexJob;
pub use error::{CatalogError, ProductError, ProductId};
pub use index::{Filters, Hit, IndexSettings, SearchIndex};
pub use json::{decode as decode_json, DecodeError};
pub use product::{input_error, normalize, Document, Variation};
pub use store::{Catalog, Diff, FrozenLines, Options, Stats};
pub use value::{InputError, Key, Value, MAX_DEPTH, MAX_STRING_BYTES, MAX_VARIATIONS};

#[cfg(test)]
mod tests;
