//! Opening an index, cached per process and reopened when `CURRENT` changes.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::{Index, ReloadPolicy, Searcher};

use super::expand::Expander;
use super::query::{self, Analyzers, Filters, Hit};
use super::schema::{self, Fields};
use super::settings::IndexSettings;
use super::writer::read_current;
use crate::catalog::error::CatalogError;

pub struct SearchIndex {
    generation: String,
    searcher: Searcher,
    fields: Fields,
    analyzers: Analyzers,
    settings: IndexSettings,
}

/// Opened indexes by directory. PHP is single-threaded per process; the mutex
/// only makes the static sound. Nothing is created before a worker forks: the
/// first `open()` in a process fills it.
static CACHE: Mutex<Option<HashMap<PathBuf, Arc<SearchIndex>>>> = Mutex::new(None);

impl SearchIndex {
    /// The index in `dir`, from the cache unless a writer swapped in a new generation.
    pub fn open(dir: &Path) -> Result<Arc<Self>, CatalogError> {
        let key = dir.canonicalize().map_err(|e| CatalogError::Io(format!("no index at {}: {e}", dir.display())))?;
        let mut last_err = None;
        // A writer may remove the generation between reading CURRENT and opening it.
        for _ in 0..5 {
            let generation = read_current(&key)
                .map_err(|e| CatalogError::Io(format!("no index at {}: {e}", dir.display())))?;
            if let Some(hit) = Self::cached(&key, &generation) {
                return Ok(hit);
            }
            match Self::load(&key, generation) {
                Ok(opened) => {
                    let opened = Arc::new(opened);
                    if let Ok(mut cache) = CACHE.lock() {
                        let cache = cache.get_or_insert_with(HashMap::new);
                        // Folders removed since (older generations a writer replaced): dropping
                        // their entries unmaps their files, so a long-lived worker neither grows
                        // nor keeps deleted files' disk space.
                        cache.retain(|dir, _| dir.exists());
                        cache.insert(key, Arc::clone(&opened));
                    }
                    return Ok(opened);
                }
                Err(e) => last_err = Some(e),
            }
        }
        Err(last_err.unwrap_or_else(|| CatalogError::Index("could not open the index".into())))
    }

    /// The directories the cache holds (tests).
    #[cfg(test)]
    pub(super) fn cached_dirs() -> Vec<PathBuf> {
        CACHE.lock().map(|c| c.as_ref().map(|m| m.keys().cloned().collect()).unwrap_or_default()).unwrap_or_default()
    }

    fn cached(key: &Path, generation: &str) -> Option<Arc<Self>> {
        let cache = CACHE.lock().ok()?;
        cache.as_ref()?.get(key).filter(|i| i.generation == generation).cloned()
    }

    fn load(dir: &Path, generation: String) -> Result<Self, CatalogError> {
        let path = dir.join(&generation);
        let settings = IndexSettings::load(&path)?;
        let index = Index::open_in_dir(&path)?;
        schema::register(&index, &settings);
        let fields = schema::fields_of(&index.schema())?;
        let stock_ranking = index.schema().get_field_entry(fields.in_stock).is_fast();
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let words = schema::words_analyzer(&settings);
        let plain = schema::plain_analyzer();
        let expander = Expander::new(&settings, &words, &plain);
        Ok(Self {
            generation,
            searcher: reader.searcher(),
            fields,
            analyzers: Analyzers { words, exact: schema::exact_analyzer(), plain, expander, stock_ranking },
            settings,
        })
    }

    /// What the index was built with (language, merchant synonyms).
    pub fn settings(&self) -> &IndexSettings {
        &self.settings
    }

    pub fn generation(&self) -> &str {
        &self.generation
    }

    pub fn len(&self) -> u64 {
        self.searcher.num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn search(&self, query: &str, limit: usize, filters: &Filters) -> Result<Vec<Hit>, CatalogError> {
        query::search(&self.searcher, &self.fields, &self.analyzers, query, limit, filters)
    }
}
