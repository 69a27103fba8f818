//! Snapshot files: the NDJSON of adapter rows a sync stages and keeps, one product a line.
//! Read a line at a time (`Lines`, shared with the feeds written from a snapshot), and
//! added to a catalog in chunks (`Catalog::add_snapshot`), each line decoded as PHP's
//! `json_decode($line, true)` would and normalized as `addMany` does, so a catalog read
//! here is the one PHP would build from the same file, without PHP decoding every line.
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::error::{CatalogError, ProductError, ProductId};
use super::json::{decode, DecodeError};
use super::product::input_error;
use super::store::{Catalog, FrozenLines};
use super::value::Value;

/// Longest line read; a longer one is skipped unread and reported (the longest product the
/// catalog accepts, 1,000 variations of 1 MiB strings aside, is far shorter).
pub const MAX_LINE: usize = 64 << 20;

/// Lines handed to the catalog at a time, at most: enough to spread over its threads, little
/// enough that the chunk is small beside the catalog itself.
const CHUNK_LINES: usize = 1_000;
const CHUNK_BYTES: usize = 8 << 20;

fn io(path: &Path, err: std::io::Error) -> CatalogError {
    CatalogError::Io(format!("{}: {err}", path.display()))
}

/// Reads lines of at most `MAX_LINE` bytes; a longer one is consumed and reported as `None`.
pub struct Lines {
    reader: BufReader<File>,
    pub number: usize,
}

impl Lines {
    /// Opens a regular file: a directory, a device or a pipe is refused (`/dev/zero` has no
    /// end of line and no end).
    pub fn open(path: &Path) -> Result<Self, CatalogError> {
        let file = File::open(path).map_err(|e| io(path, e))?;
        let kind = file.metadata().map_err(|e| io(path, e))?.file_type();
        if kind.is_dir() {
            return Err(CatalogError::InvalidArgument(format!("{} is a directory, not a snapshot file", path.display())));
        }
        if !kind.is_file() {
            return Err(CatalogError::InvalidArgument(format!("{} is not a regular file", path.display())));
        }
        Ok(Self { reader: BufReader::with_capacity(1 << 16, file), number: 0 })
    }

    /// The next line into `buf` (without its "\n"): `Ok(None)` at the end, `Ok(Some(false))`
    /// for a line too long to read.
    pub fn next(&mut self, buf: &mut Vec<u8>, path: &Path) -> Result<Option<bool>, CatalogError> {
        buf.clear();
        self.append(buf, path)
    }

    /// Like `next`, but appends the line to `buf` (nothing of a line too long is kept).
    pub fn append(&mut self, buf: &mut Vec<u8>, path: &Path) -> Result<Option<bool>, CatalogError> {
        let start = buf.len();
        let mut fits = true;
        let mut any = false;
        loop {
            let chunk = self.reader.fill_buf().map_err(|e| io(path, e))?;
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (take, end) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i, true),
                None => (chunk.len(), false),
            };
            if fits && buf.len() - start + take <= MAX_LINE {
                buf.extend_from_slice(&chunk[..take]);
            } else {
                fits = false;
                buf.truncate(start);
            }
            self.reader.consume(take + usize::from(end));
            if end {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.number += 1;
        Ok(Some(fits))
    }
}

/// The id of a line that cannot be decoded whole (cut short, or nested too deep), when it
/// starts the way the sync writes its lines: `{"id":123,`. So the rejection names the
/// product, as addMany's does.
fn leading_id(line: &[u8]) -> Option<i64> {
    let rest = line.strip_prefix(b"{\"id\":")?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    match rest.get(digits) {
        Some(b',' | b'}') if digits > 0 => std::str::from_utf8(&rest[..digits]).ok()?.parse().ok(),
        _ => None,
    }
}

fn blank(line: &[u8]) -> bool {
    line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
}

impl<F: FrozenLines> Catalog<F> {
    /// Adds (or replaces, by id) the products of a snapshot file, in file order; returns how
    /// many were accepted. Blank lines are skipped; a line that is not JSON, too long, or not
    /// a product the catalog accepts is a rejection naming its line.
    pub fn add_snapshot(&mut self, path: &Path) -> Result<usize, CatalogError> {
        let mut lines = Lines::open(path)?;
        let mut buf = Vec::new();
        // (line number, start, end) of each line of the chunk in `buf`.
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        let mut accepted = 0;
        loop {
            let start = buf.len();
            let line = lines.append(&mut buf, path)?;
            match line {
                Some(false) => self.reject(ProductError {
                    id: ProductId::Unknown,
                    error: format!("line {}: longer than {MAX_LINE} bytes", lines.number),
                }),
                Some(true) if blank(&buf[start..]) => buf.truncate(start),
                Some(true) => spans.push((lines.number, start, buf.len())),
                None => {}
            }
            if line.is_none() || spans.len() >= CHUNK_LINES || buf.len() >= CHUNK_BYTES {
                let items: Vec<(usize, &[u8])> = spans.iter().map(|&(number, from, to)| (number, &buf[from..to])).collect();
                accepted += self.add_all(&items, |&(number, text), arena| match decode(text, arena) {
                    Ok(v) => Ok(v),
                    Err(DecodeError::Syntax(what, at)) => Err(ProductError {
                        id: leading_id(text).map_or(ProductId::Unknown, ProductId::Int),
                        error: format!("line {number}: {}", DecodeError::Syntax(what, at)),
                    }),
                    Err(DecodeError::Input(e)) => Err(input_error(leading_id(text).map(Value::Int), &e)),
                });
                drop(items);
                spans.clear();
                buf.clear();
            }
            if line.is_none() {
                return Ok(accepted);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::leading_id;

    #[test]
    fn leading_id_reads_only_the_way_the_sync_starts_a_line() {
        assert_eq!(leading_id(br#"{"id":123,"name":"cut sh"#), Some(123));
        assert_eq!(leading_id(br#"{"id":7}"#), Some(7));
        for line in [&br#"{"id":-1,"#[..], br#"{"id":"7","#, br#"{ "id":7,"#, br#"{"id":,"#, br#"{"id":99999999999999999999,"#, br#"{"id":12"#, b""] {
            assert_eq!(leading_id(line), None, "{}", String::from_utf8_lossy(line));
        }
    }
}
