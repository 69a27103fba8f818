//! What an index was built with, kept beside it (`aisle-index.json` in the
//! generation) so that queries are analyzed exactly as the products were.
//! A generation without the file was written before analyzers had a language
//! (version 1: no stemming, no compounds) and is read that way.
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};
use rust_stemmers::Algorithm as Stem;

use crate::catalog::error::CatalogError;

pub const FILE: &str = "aisle-index.json";
pub const VERSION: u32 = 2;
/// Merchant synonyms: at most this many groups of at most this many phrases.
pub const MAX_SYNONYM_GROUPS: usize = 1000;
pub const MAX_SYNONYM_PHRASES: usize = 20;
pub const MAX_SYNONYM_BYTES: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexSettings {
    pub version: u32,
    /// ISO 639-1 code of the catalog's language (selects the stemmer).
    pub language: String,
    /// The merchant's synonym groups, each a list of equivalent words or phrases.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
}

impl Default for IndexSettings {
    fn default() -> Self {
        Self { version: VERSION, language: "en".to_owned(), synonyms: Vec::new() }
    }
}

/// The Snowball stemmer of a language, where one exists.
pub fn stemmer(code: &str) -> Option<Stem> {
    Some(match code {
        "ar" => Stem::Arabic,
        "da" => Stem::Danish,
        "nl" => Stem::Dutch,
        "en" => Stem::English,
        "fi" => Stem::Finnish,
        "fr" => Stem::French,
        "de" => Stem::German,
        "el" => Stem::Greek,
        "hu" => Stem::Hungarian,
        "it" => Stem::Italian,
        "nb" | "no" | "nn" => Stem::Norwegian,
        "pt" => Stem::Portuguese,
        "ro" => Stem::Romanian,
        "ru" => Stem::Russian,
        "es" => Stem::Spanish,
        "sv" => Stem::Swedish,
        "ta" => Stem::Tamil,
        "tr" => Stem::Turkish,
        _ => return None,
    })
}

impl IndexSettings {
    /// The pre-language analyzers (an index written before this file existed).
    pub fn legacy() -> Self {
        Self { version: 1, language: String::new(), synonyms: Vec::new() }
    }

    pub fn is_legacy(&self) -> bool {
        self.version < 2
    }

    /// A language given as "fr", "FR", "fr_FR" or "pt-BR" (a WordPress locale
    /// works as it is). Languages without a stemmer are accepted (no stemming).
    pub fn with_language(mut self, language: &str) -> Result<Self, CatalogError> {
        let code = language.trim().split(['_', '-']).next().unwrap_or("").to_ascii_lowercase();
        let code = match code.as_str() {
            "no" | "nn" => "nb",
            other => other,
        };
        let known = crate::lang::supported(code)
            .ok_or_else(|| CatalogError::InvalidArgument(format!("unknown language '{language}' (an ISO 639-1 code such as 'en', 'fr', 'ar', or a locale such as 'fr_FR')")))?;
        known.clone_into(&mut self.language);
        Ok(self)
    }

    pub fn with_synonyms(mut self, groups: Vec<Vec<String>>) -> Result<Self, CatalogError> {
        if groups.len() > MAX_SYNONYM_GROUPS {
            return Err(CatalogError::InvalidArgument(format!("at most {MAX_SYNONYM_GROUPS} synonym groups")));
        }
        for group in &groups {
            if group.len() > MAX_SYNONYM_PHRASES {
                return Err(CatalogError::InvalidArgument(format!("a synonym group has at most {MAX_SYNONYM_PHRASES} entries")));
            }
            if let Some(long) = group.iter().find(|p| p.len() > MAX_SYNONYM_BYTES) {
                return Err(CatalogError::InvalidArgument(format!("synonym '{}…' is longer than {MAX_SYNONYM_BYTES} bytes", long.chars().take(20).collect::<String>())));
            }
        }
        self.synonyms = groups
            .into_iter()
            .map(|g| g.into_iter().map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect::<Vec<_>>())
            .filter(|g| g.len() >= 2)
            .collect();
        Ok(self)
    }

    pub fn stemmer(&self) -> Option<Stem> {
        if self.is_legacy() {
            None
        } else {
            stemmer(&self.language)
        }
    }

    pub fn save(&self, generation: &Path) -> Result<(), CatalogError> {
        let json = serde_json::to_vec(self).map_err(|e| CatalogError::Index(e.to_string()))?;
        fs::write(generation.join(FILE), json)?;
        Ok(())
    }

    pub fn load(generation: &Path) -> Result<Self, CatalogError> {
        match fs::read(generation.join(FILE)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| CatalogError::Index(format!("{FILE} in {} is unreadable: {e}", generation.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::legacy()),
            Err(e) => Err(e.into()),
        }
    }
}
