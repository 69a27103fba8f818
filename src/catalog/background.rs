//! Writing the search index on a thread of its own, so the caller can do other
//! work (the feeds, the hash table) on the second core meanwhile.
//!
//! The thread reads the catalog's lines where they are: no copy of a catalog
//! that may be hundreds of MB. That is sound only while the catalog is neither
//! changed nor dropped, so the owner waits for the job first (`Catalog` methods
//! taking `&mut self`, and its drop); `IndexJob` joins on drop too.
use std::path::PathBuf;
use std::thread::JoinHandle;

use super::error::CatalogError;
use super::index::{self, IndexSettings};
use super::product::Document;

/// Raw parts of one of the catalog's byte buffers.
#[derive(Clone, Copy)]
struct Bytes {
    ptr: *const u8,
    len: usize,
}

impl Bytes {
    fn of(bytes: &[u8]) -> Self {
        Self { ptr: bytes.as_ptr(), len: bytes.len() }
    }

    /// # Safety
    /// The buffer `of` was taken from is alive and unchanged.
    unsafe fn get(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: the caller guarantees the buffer is still alive and unchanged.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

/// Where each accepted product's line is: (id, in the frozen buffer, offset, length).
pub(super) type Span = (i64, bool, usize, usize);

/// The catalog's lines as a thread may read them.
pub(super) struct LinesView {
    lines: Bytes,
    frozen: Bytes,
    spans: Vec<Span>,
}

// SAFETY: the view only reads; `Catalog::index_in_background`'s contract keeps the
// buffers alive and unchanged until the job that owns the view has finished.
unsafe impl Send for LinesView {}

impl LinesView {
    pub(super) fn new(lines: &[u8], frozen: &[u8], spans: Vec<Span>) -> Self {
        Self { lines: Bytes::of(lines), frozen: Bytes::of(frozen), spans }
    }

    fn documents(&self) -> impl Iterator<Item = Result<Document<'static>, CatalogError>> + '_ {
        // SAFETY: see the type's Send impl: the buffers outlive the job.
        let (lines, frozen) = unsafe { (self.lines.get(), self.frozen.get()) };
        self.spans.iter().map(move |&(id, in_frozen, at, len)| {
            let bytes = if in_frozen { frozen } else { lines };
            let line = bytes.get(at..at + len).unwrap_or_default();
            serde_json::from_slice(line).map_err(|err| CatalogError::Index(format!("product {id}: {err}")))
        })
    }
}

/// An index being written on its own thread.
pub struct IndexJob(Option<JoinHandle<Result<(), CatalogError>>>);

impl IndexJob {
    pub(super) fn spawn(view: LinesView, dir: PathBuf, settings: IndexSettings) -> Result<Self, CatalogError> {
        let handle = std::thread::Builder::new()
            .name("aisle-index".into())
            .spawn(move || index::write(&dir, view.documents(), &settings))
            .map_err(|e| CatalogError::Io(format!("cannot start the index thread: {e}")))?;
        Ok(Self(Some(handle)))
    }

    /// Blocks until the index is written (and swapped in); its error, if any.
    pub fn wait(mut self) -> Result<(), CatalogError> {
        self.join()
    }

    fn join(&mut self) -> Result<(), CatalogError> {
        match self.0.take() {
            None => Ok(()),
            Some(handle) => handle.join().unwrap_or_else(|_| Err(CatalogError::Index("the index thread failed".into()))),
        }
    }
}

impl Drop for IndexJob {
    fn drop(&mut self) {
        let _ = self.join();
    }
}
