//! `Aisle\CatalogIndex`: PHP arrays ↔ `crate::catalog::SearchIndex`.
use std::path::Path;
use std::sync::Arc;

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::array::Iter;
use ext_php_rs::types::{ZendHashTable, Zval};

use crate::catalog::{CatalogError, Filters, IndexSettings, SearchIndex};

fn invalid(msg: String) -> PhpException {
    CatalogError::InvalidArgument(msg).into()
}

fn number(key: &str, v: &Zval) -> PhpResult<Option<f64>> {
    let v = v.dereference();
    if v.is_null() {
        return Ok(None);
    }
    #[allow(clippy::cast_precision_loss)]
    let n = v.long().map(|i| i as f64).or_else(|| v.double()).or_else(|| v.str().and_then(|s| s.trim().parse().ok()));
    match n {
        Some(n) if n.is_finite() => Ok(Some(n)),
        _ => Err(invalid(format!("filter '{key}' must be a number"))),
    }
}

fn filters(ht: Option<&ZendHashTable>) -> PhpResult<Filters> {
    let mut f = Filters::default();
    let Some(ht) = ht else { return Ok(f) };
    let mut iter = Iter::new(ht);
    while let Some((key, val)) = iter.next_zval() {
        let key = key.str().map(str::to_owned).unwrap_or_default();
        match key.as_str() {
            "in_stock" => {
                f.in_stock = if val.dereference().is_null() {
                    None
                } else {
                    Some(val.bool().ok_or_else(|| invalid("filter 'in_stock' must be a bool".into()))?)
                };
            }
            "price_min" => f.price_min = number(&key, val)?,
            "price_max" => f.price_max = number(&key, val)?,
            "category" => {
                f.category = if val.dereference().is_null() {
                    None
                } else {
                    Some(val.str().ok_or_else(|| invalid("filter 'category' must be a string".into()))?.to_owned())
                };
            }
            "category_boost" => f.category_boost = strings(val, "filter 'category_boost' must be a string or a list of strings")?,
            _ => {
                return Err(invalid(
                    "unknown filter (known: in_stock, price_min, price_max, category, category_boost)".into(),
                ))
            }
        }
    }
    Ok(f)
}

/// A string, a list of strings, or null (= none).
fn strings(v: &Zval, message: &str) -> PhpResult<Vec<String>> {
    let v = v.dereference();
    if v.is_null() {
        return Ok(Vec::new());
    }
    if let Some(s) = v.str() {
        return Ok(vec![s.to_owned()]);
    }
    let Some(list) = v.array() else { return Err(invalid(message.to_owned())) };
    list.values().map(|item| item.dereference().str().map(str::to_owned).ok_or_else(|| invalid(message.to_owned()))).collect()
}

/// `Catalog::writeIndex()` options → what the index is built with.
pub fn index_settings(ht: Option<&ZendHashTable>) -> PhpResult<IndexSettings> {
    let mut settings = IndexSettings::default();
    let Some(ht) = ht else { return Ok(settings) };
    let mut iter = Iter::new(ht);
    while let Some((key, val)) = iter.next_zval() {
        let key = key.str().map(str::to_owned).unwrap_or_default();
        match key.as_str() {
            "language" => {
                let language = val.dereference().str().ok_or_else(|| invalid("option 'language' must be a string".into()))?;
                settings = settings.with_language(language)?;
            }
            "synonyms" => {
                const SHAPE: &str = "option 'synonyms' must be a list of groups, each a list of strings or one comma-separated string";
                let groups = val.dereference().array().ok_or_else(|| invalid(SHAPE.into()))?;
                let mut parsed = Vec::new();
                for group in groups.values() {
                    let group = group.dereference();
                    let words = match group.str() {
                        Some(line) => line.split(',').map(str::to_owned).collect(),
                        None => strings(group, SHAPE)?,
                    };
                    parsed.push(words);
                }
                settings = settings.with_synonyms(parsed)?;
            }
            // Read by Catalog::writeIndex itself.
            "background" => {}
            _ => return Err(invalid("unknown option (known: language, synonyms, background)".into())),
        }
    }
    Ok(settings)
}

fn opt_str(v: Option<String>) -> Zval {
    let mut z = Zval::new();
    match v {
        Some(s) => {
            let _ = z.set_string(&s, false);
        }
        None => z.set_null(),
    }
    z
}

#[php_class]
#[php(name = "Aisle\\CatalogIndex")]
#[php(flags = ClassFlags::Final)]
pub struct PhpCatalogIndex {
    inner: Arc<SearchIndex>,
}

#[php_impl]
impl PhpCatalogIndex {
    /// Cached per process; reopened when a writer swapped in a new index.
    pub fn open(dir: &str) -> PhpResult<Self> {
        Ok(Self { inner: SearchIndex::open(Path::new(dir))? })
    }

    #[php(defaults(limit = 5))]
    #[php(optional = limit)]
    pub fn search(&self, query: BinarySlice<u8>, limit: i64, filters: Option<&ZendHashTable>) -> PhpResult<ZBox<ZendHashTable>> {
        let filters = self::filters(filters)?;
        // Any bytes are a query; invalid UTF-8 just finds less, it is not an error.
        let query = String::from_utf8_lossy(&query);
        let limit = usize::try_from(limit).unwrap_or(0);
        let mut list = ZendHashTable::new();
        for hit in self.inner.search(&query, limit, &filters)? {
            let mut row = ZendHashTable::new();
            row.insert("id", hit.id)?;
            row.insert("score", f64::from(hit.score))?;
            row.insert("name", hit.name)?;
            row.insert("price", opt_str(hit.price))?;
            row.insert("url", opt_str(hit.url))?;
            row.insert("in_stock", hit.in_stock)?;
            row.insert("image", opt_str(hit.image))?;
            list.push(row)?;
        }
        Ok(list)
    }

    /// Number of products in the open index.
    pub fn count(&self) -> i64 {
        i64::try_from(self.inner.len()).unwrap_or(i64::MAX)
    }

    /// Name of the on-disk generation this object reads.
    pub fn generation(&self) -> String {
        self.inner.generation().to_owned()
    }

    /// The catalog language the index was built with ('' for an index written before languages).
    pub fn language(&self) -> String {
        self.inner.settings().language.clone()
    }
}
