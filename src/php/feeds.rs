//! `Aisle\Catalog::writeProductFeed` and `Aisle\ProductFeed`: PHP arrays ↔ `crate::feeds`.
use std::path::Path;

use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::array::Iter;
use ext_php_rs::types::{ZendHashTable, Zval};

use crate::catalog::{Catalog, CatalogError, FrozenLines};
use crate::feeds::{self, Extra, FeedOptions, FeedReport, Files};

fn invalid(msg: impl Into<String>) -> PhpException {
    CatalogError::InvalidArgument(msg.into()).into()
}

fn text(key: &str, v: &Zval) -> PhpResult<String> {
    v.dereference().str().map(str::to_owned).ok_or_else(|| invalid(format!("option '{key}' must be a string")))
}

fn optional(key: &str, v: &Zval) -> PhpResult<Option<String>> {
    if v.dereference().is_null() {
        return Ok(None);
    }
    Ok(Some(text(key, v)?).filter(|s| !s.is_empty()))
}

fn country(key: &str, s: &str) -> PhpResult<String> {
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(s.to_ascii_uppercase())
    } else {
        Err(invalid(format!("option '{key}' must hold ISO 3166-1 alpha-2 country codes, got '{s}'")))
    }
}

fn list(key: &str, v: &Zval) -> PhpResult<Vec<Zval>> {
    let ht = v.dereference().array().ok_or_else(|| invalid(format!("option '{key}' must be a list")))?;
    Ok(ht.values().map(Zval::shallow_clone).collect())
}

fn id(v: &Zval) -> Option<i64> {
    let v = v.dereference();
    v.long().or_else(|| v.str().and_then(|s| s.parse().ok()))
}

fn extra(v: &Zval) -> PhpResult<Vec<(i64, Extra)>> {
    let ht = v.dereference().array().ok_or_else(|| invalid("option 'extra' must map product ids to arrays"))?;
    let mut out = Vec::with_capacity(ht.len());
    let mut iter = Iter::new(ht);
    while let Some((k, val)) = iter.next_zval() {
        let pid = id(&k).ok_or_else(|| invalid("option 'extra' keys must be product ids"))?;
        let row = val.dereference().array().ok_or_else(|| invalid(format!("option 'extra' for product {pid} must be an array")))?;
        let field = |name: &str| -> PhpResult<Option<String>> { row.get(name).map_or(Ok(None), |z| optional(name, z)) };
        out.push((pid, Extra { gtin: field("gtin")?, mpn: field("mpn")?, brand: field("brand")? }));
    }
    Ok(out)
}

/// A value as an error message names it.
fn shown(v: &Zval) -> String {
    let v = v.dereference();
    if let Some(s) = v.str() {
        format!("'{s}'")
    } else if let Some(n) = v.long() {
        format!("the integer {n}")
    } else if v.is_null() {
        "null".into()
    } else if v.is_bool() {
        format!("{}", v.bool().unwrap_or_default())
    } else if v.is_double() {
        "a float".into()
    } else if v.is_array() {
        "an array".into()
    } else {
        "a value that is not a string".into()
    }
}

fn files(v: &Zval) -> PhpResult<Files> {
    let known = "'openai', 'acp' or 'ucp'";
    let mut out = Files::NONE;
    for name in list("files", v)? {
        let ok = name.dereference().str().is_some_and(|s| out.insert(s));
        if !ok {
            return Err(invalid(format!("option 'files' must list {known}, got {}", shown(&name))));
        }
    }
    Ok(out)
}

fn feed_options(ht: &ZendHashTable) -> PhpResult<FeedOptions> {
    let mut o = FeedOptions::default();
    let mut iter = Iter::new(ht);
    while let Some((key, val)) = iter.next_zval() {
        let key = key.str().map(str::to_owned).unwrap_or_default();
        match key.as_str() {
            "seller_name" => o.seller_name = text(&key, val)?,
            "seller_url" => o.seller_url = optional(&key, val)?,
            "return_policy" => o.return_policy = optional(&key, val)?,
            "store_country" => o.store_country = country(&key, &text(&key, val)?)?,
            "target_countries" => {
                o.target_countries = list(&key, val)?.iter().map(|c| country(&key, &text(&key, c)?)).collect::<PhpResult<_>>()?;
            }
            "brand" => o.brand = text(&key, val)?,
            "brand_attribute" => o.brand_attribute = optional(&key, val)?,
            "exclude_ids" => {
                o.exclude = list(&key, val)?.iter().map(|z| id(z).ok_or_else(|| invalid("option 'exclude_ids' must list product ids"))).collect::<PhpResult<_>>()?;
            }
            "extra" => o.extra = extra(val)?.into_iter().collect(),
            "files" => o.files = files(val)?,
            "utm_source" => {
                let s = text(&key, val)?;
                if s.is_empty() || s.len() > 40 || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                    return Err(invalid("option 'utm_source' must be 1-40 letters, digits, '-' or '_'"));
                }
                o.utm_source = s;
            }
            other => {
                return Err(invalid(format!(
                    "unknown option '{other}' (known: seller_name, seller_url, return_policy, store_country, target_countries, brand, brand_attribute, exclude_ids, extra, utm_source, files)"
                )))
            }
        }
    }
    if o.seller_name.trim().is_empty() {
        return Err(invalid("option 'seller_name' is required"));
    }
    if o.store_country.is_empty() || o.target_countries.is_empty() {
        return Err(invalid("options 'store_country' and 'target_countries' are required"));
    }
    if o.brand.trim().is_empty() {
        o.brand.clone_from(&o.seller_name);
    }
    Ok(o)
}

/// The body of `Aisle\Catalog::writeProductFeed`.
pub fn write_product_feed<F: FrozenLines>(catalog: &Catalog<F>, dir: &str, options: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
    if dir.is_empty() {
        return Err(invalid("dir must not be empty"));
    }
    let opts = feed_options(options)?;
    let currency = catalog.options().currency.clone();
    let report = feeds::write(catalog.documents(), &opts, &currency, Path::new(dir))?;
    report_array(&report)
}

/// `['rows', 'products', 'skipped' => [reason => n], 'files' => [kind, …]]`.
fn report_array(report: &FeedReport) -> PhpResult<ZBox<ZendHashTable>> {
    let mut skipped = ZendHashTable::new();
    for (reason, n) in &report.skipped {
        skipped.insert(*reason, i64::try_from(*n).unwrap_or(i64::MAX))?;
    }
    let mut out = ZendHashTable::new();
    out.insert("rows", i64::try_from(report.rows).unwrap_or(i64::MAX))?;
    out.insert("products", i64::try_from(report.products).unwrap_or(i64::MAX))?;
    out.insert("skipped", skipped)?;
    let mut files = ZendHashTable::new();
    for kind in &report.files {
        files.push(*kind)?;
    }
    out.insert("files", files)?;
    Ok(out)
}

#[php_class]
#[php(name = "Aisle\\ProductFeed")]
#[php(flags = ClassFlags::Final)]
pub struct PhpProductFeed;

#[php_impl]
impl PhpProductFeed {
    /// UCP products (JSON text) of `ids` from a folder `writeProductFeed` wrote: id => JSON, found ones only.
    pub fn lookup(dir: &str, ids: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        if ids.len() > 1000 {
            return Err(invalid("at most 1000 ids per lookup"));
        }
        let wanted: Vec<i64> = ids.values().map(|z| id(z).ok_or_else(|| invalid("ids must be integers"))).collect::<PhpResult<_>>()?;
        let found = feeds::lookup(Path::new(dir), &wanted)?;
        let mut out = ZendHashTable::new();
        for (pid, json) in wanted.iter().zip(found) {
            if let Some(json) = json {
                out.insert_at_index(*pid, json)?;
            }
        }
        Ok(out)
    }

    /// The feeds written from a snapshot file (NDJSON of adapter rows), a product at a time.
    #[php(optional = catalogOptions)]
    pub fn write_from_snapshot(snapshot: &str, dir: &str, options: &ZendHashTable, catalogOptions: Option<&ZendHashTable>) -> PhpResult<ZBox<ZendHashTable>> {
        if snapshot.is_empty() || dir.is_empty() {
            return Err(invalid("snapshot and dir must not be empty"));
        }
        let opts = feed_options(options)?;
        let catalog = super::catalog::options(catalogOptions)?.validate()?;
        let report = feeds::write_from_snapshot(Path::new(snapshot), &catalog, &opts, Path::new(dir))?;
        let mut out = report_array(&report.feed)?;
        out.insert("lines", i64::try_from(report.lines).unwrap_or(i64::MAX))?;
        out.insert("rejected", i64::try_from(report.rejected).unwrap_or(i64::MAX))?;
        let mut errors = ZendHashTable::new();
        for (line, e) in &report.errors {
            let mut row = ZendHashTable::new();
            row.insert("line", i64::try_from(*line).unwrap_or(i64::MAX))?;
            row.insert("id", super::catalog::id_zval(&e.id))?;
            row.insert("error", e.error.as_str())?;
            errors.push(row)?;
        }
        out.insert("errors", errors)?;
        Ok(out)
    }
}
