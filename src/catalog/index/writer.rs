//! Builds a new index generation and swaps it in.
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tantivy::{doc, Index, TantivyDocument};

use super::schema::{self, exact_key, Fields};
use super::settings::IndexSettings;
use crate::catalog::error::CatalogError;
use crate::catalog::product::Document;

pub const CURRENT: &str = "CURRENT";
const LOCK: &str = ".swap.lock";
/// A swap lock older than this was left by a writer that died.
const STALE_LOCK: Duration = Duration::from_secs(60);
/// A half-built generation older than this was left by a writer that died.
const STALE_BUILD: Duration = Duration::from_secs(3600);

fn to_tantivy(d: &Document, f: &Fields) -> TantivyDocument {
    let mut td = doc!(
        f.id => d.id,
        f.name => d.name.as_ref(),
        f.name_exact => exact_key(&d.name),
        f.text => d.text.as_ref(),
        f.in_stock => d.in_stock(),
    );
    let skus = d.sku.iter().chain(d.variations.iter().filter_map(|v| v.sku.as_ref()));
    for sku in skus {
        td.add_text(f.sku, exact_key(sku));
    }
    for c in &d.categories {
        td.add_text(f.categories, c);
        td.add_text(f.category_exact, exact_key(c));
    }
    for t in &d.tags {
        td.add_text(f.tags, t);
    }
    for (name, values) in &d.attributes {
        td.add_text(f.attributes, name);
        for v in values {
            td.add_text(f.attributes, v);
        }
    }
    for v in &d.variations {
        for value in v.attributes.values() {
            td.add_text(f.attributes, value);
        }
    }
    if let Some(p) = &d.price {
        if let Ok(n) = p.parse::<f64>() {
            td.add_f64(f.price, n);
        }
        td.add_text(f.price_text, p);
    }
    if let Some(u) = &d.url {
        td.add_text(f.url, u);
    }
    if let Some(i) = &d.image {
        td.add_text(f.image, i);
    }
    td
}

fn build(
    path: &Path,
    docs: impl Iterator<Item = Result<Document<'static>, CatalogError>>,
    settings: &IndexSettings,
) -> Result<(), CatalogError> {
    let (schema, fields) = schema::build();
    let index = Index::create_in_dir(path, schema)?;
    schema::register(&index, settings);
    // Two threads at most: the machine serving the shop is busy with other work.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    let mut writer = index.writer_with_num_threads::<TantivyDocument>(threads, 96_000_000)?;
    for d in docs {
        writer.add_document(to_tantivy(&d?, &fields))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    settings.save(path)
}

fn unique_suffix() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{nanos:020}-{}", std::process::id())
}

/// A directory used as a cross-process mutex (creating it is atomic).
struct SwapLock(PathBuf);

impl SwapLock {
    fn acquire(dir: &Path) -> Result<Self, CatalogError> {
        let path = dir.join(LOCK);
        for _ in 0..3000 {
            match fs::create_dir(&path) {
                Ok(()) => return Ok(Self(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let stale = fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE_LOCK));
                    if stale {
                        let _ = fs::remove_dir(&path);
                    } else {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(CatalogError::Io(format!("timed out waiting for {}", path.display())))
    }
}

impl Drop for SwapLock {
    fn drop(&mut self) {
        let _ = fs::remove_dir(&self.0);
    }
}

pub fn read_current(dir: &Path) -> std::io::Result<String> {
    let name = fs::read_to_string(dir.join(CURRENT))?;
    let name = name.trim();
    if !name.starts_with("gen-") || name.contains(['/', '\\']) {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "CURRENT does not name a generation"));
    }
    Ok(name.to_owned())
}

/// Writes `docs` as a new generation of the index in `dir` and makes it current.
pub fn write(
    dir: &Path,
    docs: impl Iterator<Item = Result<Document<'static>, CatalogError>>,
    settings: &IndexSettings,
) -> Result<(), CatalogError> {
    fs::create_dir_all(dir).map_err(|e| CatalogError::Io(format!("cannot create {}: {e}", dir.display())))?;
    let generation = format!("gen-{}", unique_suffix());
    let tmp = dir.join(format!(".tmp-{generation}"));
    fs::create_dir(&tmp).map_err(|e| CatalogError::Io(format!("cannot write in {}: {e}", dir.display())))?;
    if let Err(e) = build(&tmp, docs, settings) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let _lock = SwapLock::acquire(dir)?;
    fs::rename(&tmp, dir.join(&generation))?;
    let previous = read_current(dir).ok();
    let pointer = dir.join(format!(".{CURRENT}-{}", unique_suffix()));
    fs::write(&pointer, generation.as_bytes())?;
    fs::File::open(&pointer)?.sync_all()?;
    fs::rename(&pointer, dir.join(CURRENT))?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    cleanup(dir, &generation, previous.as_deref());
    Ok(())
}

/// Keeps the new and the previous generation (a reader may have just read the
/// old `CURRENT`); processes that already opened an older one keep reading it
/// (the files stay alive while mapped).
fn cleanup(dir: &Path, current: &str, previous: Option<&str>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let old = || {
            entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|a| a > STALE_BUILD))
        };
        let remove = if name.starts_with("gen-") {
            name != current && Some(name.as_str()) != previous
        } else {
            name.starts_with(".tmp-gen-") && old()
        };
        if remove {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}
