//! Languages of shoppers and catalogs. Pure Rust: detection (whatlang, narrowed
//! to the languages a store supports and helped by a list of short function
//! words), digit normalization, Arabic normalization, and the shop vocabulary
//! (synonyms and a cross-language lexicon) the search index expands queries with.
mod arabic;
mod detect;
mod digits;
mod lexicon;

pub use arabic::{is_arabic, normalize_arabic, strip_arabic_prefix};
pub use detect::{all_codes, detect, supported, Detection, DEFAULT_LANGUAGES};
pub use digits::{normalize_digits, normalize_digits_bytes};
pub use lexicon::{Concept, Lexicon};

#[cfg(test)]
mod tests;
