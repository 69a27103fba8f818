//! `Aisle\Catalog`: zvals → `Value` trees in, PHP arrays out; the logic is in `crate::catalog`.
use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::exception::PhpException;
use ext_php_rs::flags::DataType;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::array::Iter;
use ext_php_rs::types::{ZendHashTable, ZendStr, Zval};

use super::errors::{exception, CatalogException, CATALOG_REASONS};
use crate::catalog::{
    input_error, Catalog, IndexJob, CatalogError, FrozenLines, InputError, Key, Options, ProductError, ProductId, Value, MAX_DEPTH,
    MAX_STRING_BYTES,
};
use crate::memory::Region;
use bumpalo::Bump;
use std::mem::MaybeUninit;

impl From<CatalogError> for PhpException {
    fn from(err: CatalogError) -> Self {
        exception::<CatalogException>(CATALOG_REASONS, err.reason(), err.to_string())
    }
}

fn invalid(msg: impl Into<String>) -> PhpException {
    CatalogError::InvalidArgument(msg.into()).into()
}

/// Array key as bytes: PHP turns numeric string keys into integers.
fn key_bytes(key: &Zval) -> Vec<u8> {
    match (key.long(), key.zend_str()) {
        (Some(i), _) => i.to_string().into_bytes(),
        (None, Some(s)) => s.as_bytes().to_vec(),
        _ => Vec::new(),
    }
}

/// Builds the input tree, borrowing PHP's string bytes, its arrays in `arena`;
/// `depth` is the nesting level of `z` (a product array is level 1). Reads
/// memory only, never calls into the engine: `addMany` runs it on worker
/// threads.
pub fn to_value<'a>(z: &'a Zval, depth: usize, arena: &'a Bump) -> Result<Value<'a>, InputError> {
    use ext_php_rs::ffi::{IS_ARRAY, IS_DOUBLE, IS_FALSE, IS_LONG, IS_NULL, IS_STRING, IS_TRUE};
    let z = z.dereference();
    // SAFETY: every zval's `u1.type_info` is initialized and its low byte is
    // the type (Z_TYPE); the matching `value` member is read only for that
    // type. Reading it directly skips ext-php-rs' general type decoding, which
    // ran several times per value (~5% of addMany).
    let ty = unsafe { z.u1.type_info } & 0xff;
    match ty {
        IS_NULL => Ok(Value::Null),
        IS_FALSE => Ok(Value::Bool(false)),
        IS_TRUE => Ok(Value::Bool(true)),
        // SAFETY: see above (IS_LONG → lval, IS_DOUBLE → dval).
        IS_LONG => Ok(Value::Int(unsafe { z.value.lval })),
        IS_DOUBLE => Ok(Value::Float(unsafe { z.value.dval })),
        IS_STRING => {
            let bytes = z.zend_str().map_or(&[][..], |s| s.as_bytes());
            if bytes.len() > MAX_STRING_BYTES {
                return Err(InputError::StringTooLong(bytes.len()));
            }
            Ok(Value::Str(bytes))
        }
        IS_ARRAY => match z.array() {
            Some(_) if depth > MAX_DEPTH => Err(InputError::TooDeep),
            Some(ht) => array_value(ht, depth, arena),
            None => Err(InputError::Unsupported("array")),
        },
        _ => Err(InputError::Unsupported(if z.is_object() { "object" } else { "resource" })),
    }
}

/// `HASH_FLAG_PACKED` of zend_hash.h: the array is a plain zval vector
/// (PHP 8.2+, whose bindings are the only ones with `arPacked`).
const HASH_FLAG_PACKED: u32 = 1 << 2;

/// A deleted slot of a hash table (Z_TYPE == IS_UNDEF).
fn is_undef(z: &Zval) -> bool {
    // SAFETY: `u1.type_info` of a hash table slot is always initialized.
    (unsafe { z.u1.type_info } & 0xff) == ext_php_rs::ffi::IS_UNDEF
}

/// Reads the array's storage directly instead of through the engine's
/// iterator API: four engine calls and a refcounted key copy per element were
/// ~10% of `addMany`, and string keys can be borrowed like string values.
fn array_value<'a>(ht: &'a ZendHashTable, depth: usize, arena: &'a Bump) -> Result<Value<'a>, InputError> {
    let capacity = ht.nNumOfElements as usize;
    let used = ht.nNumUsed as usize;
    // SAFETY: `ht` is a live array borrowed for the whole call, and nothing
    // modifies it meanwhile (the PHP thread waits in `addMany`). `nNumUsed` is
    // the number of initialized slots of its storage: zvals for a packed
    // array, Buckets otherwise; deleted slots are IS_UNDEF and skipped. Bucket
    // keys are either null (integer key in `h`) or a zend_string owned by the
    // array, so borrowing its bytes for the lifetime of `ht` is sound.
    unsafe {
        if ht.u.flags & HASH_FLAG_PACKED != 0 {
            let base = ht.__bindgen_anon_1.arPacked;
            let mut items = bumpalo::collections::Vec::with_capacity_in(capacity, arena);
            let mut sequential = true;
            for i in 0..used {
                let z: &Zval = &*base.add(i);
                if !is_undef(z) {
                    sequential &= i == items.len();
                    items.push(to_value(z, depth + 1, arena)?);
                }
            }
            if sequential {
                return Ok(Value::List(items.into_bump_slice()));
            }
            // A packed array with holes: keep the keys it has.
            let mut entries = bumpalo::collections::Vec::with_capacity_in(items.len(), arena);
            let mut values = items.into_iter();
            for i in 0..used {
                if !is_undef(&*base.add(i)) {
                    entries.extend(values.next().map(|v| (Key::Int(i as i64), v)));
                }
            }
            return Ok(Value::Map(entries.into_bump_slice()));
        }
        let base = ht.__bindgen_anon_1.arData;
        let mut entries = bumpalo::collections::Vec::with_capacity_in(capacity, arena);
        let mut sequential = true;
        for i in 0..used {
            let bucket = &*base.add(i);
            let z: &Zval = &bucket.val;
            if is_undef(z) {
                continue;
            }
            let key = match bucket.key.as_ref() {
                Some(k) => Key::Str(k.as_bytes()),
                None => Key::Int(bucket.h as i64),
            };
            sequential &= key == Key::Int(entries.len() as i64);
            entries.push((key, to_value(z, depth + 1, arena)?));
        }
        if sequential {
            let items = bumpalo::collections::Vec::from_iter_in(entries.iter().map(|(_, v)| *v), arena);
            return Ok(Value::List(items.into_bump_slice()));
        }
        Ok(Value::Map(entries.into_bump_slice()))
    }
}

/// One element of the array given to `addMany`.
struct Product<'a>(&'a Zval);

// SAFETY: worker threads only read the product arrays through `to_value`,
// which touches plain memory and never the engine; the arrays cannot change
// while the PHP thread waits in `addMany` for the workers to finish.
unsafe impl Sync for Product<'_> {}

fn read_product<'a>(product: &'a Zval, arena: &'a Bump) -> Result<Value<'a>, ProductError> {
    to_value(product, 1, arena).map_err(|e| {
        let id = product.dereference().array().and_then(|ht| find_str_key(ht, b"id")).and_then(|z| to_value(z, 2, arena).ok());
        input_error(id, &e)
    })
}

/// The value under a string key, read from the array's storage like
/// `array_value` does (no engine call: this runs on worker threads too).
fn find_str_key<'a>(ht: &'a ZendHashTable, key: &[u8]) -> Option<&'a Zval> {
    // SAFETY: as in `array_value`: the flags are always initialized, and a
    // non-packed array has `nNumUsed` initialized Buckets whose keys it owns.
    unsafe {
        if ht.u.flags & HASH_FLAG_PACKED != 0 {
            return None;
        }
        let base = ht.__bindgen_anon_1.arData;
        (0..ht.nNumUsed as usize).map(|i| &*base.add(i)).find_map(|bucket| {
            let k = bucket.key.as_ref()?;
            (!is_undef(&bucket.val) && k.as_bytes() == key).then_some(&bucket.val)
        })
    }
}

pub(super) fn options(ht: Option<&ZendHashTable>) -> PhpResult<Options> {
    let mut opts = Options::default();
    let Some(ht) = ht else { return Ok(opts) };
    let mut iter = Iter::new(ht);
    while let Some((key, val)) = iter.next_zval() {
        let key = String::from_utf8_lossy(&key_bytes(&key)).into_owned();
        let count = |v: &Zval| {
            v.long().and_then(|n| usize::try_from(n).ok()).ok_or_else(|| invalid(format!("option '{key}' must be a non-negative int")))
        };
        match key.as_str() {
            "max_description_chars" => opts.max_description_chars = count(val)?,
            "price_decimals" => opts.price_decimals = count(val)?,
            "threads" => opts.threads = count(val)?,
            "currency" => {
                opts.currency = val.str().ok_or_else(|| invalid("option 'currency' must be a string"))?.to_owned();
            }
            other => return Err(invalid(format!("unknown option '{other}' (known: max_description_chars, currency, price_decimals, threads)"))),
        }
    }
    Ok(opts)
}

pub(super) fn id_zval(id: &ProductId) -> Zval {
    let mut z = Zval::new();
    match id {
        ProductId::Int(i) => z.set_long(*i),
        ProductId::Text(s) => {
            let _ = z.set_string(s, false);
        }
        ProductId::Unknown => z.set_null(),
    }
    z
}

#[php_class]
#[php(name = "Aisle\\Catalog")]
#[php(flags = ClassFlags::Final)]
pub struct PhpCatalog {
    /// Declared first so that it is dropped (joined) before `inner`, whose storage it reads.
    index_job: Option<IndexJob>,
    /// A background index's error met by a method that had to wait for it: `waitIndex()` throws it.
    index_error: Option<CatalogError>,
    inner: Catalog<EngineLines>,
}

#[php_impl]
impl PhpCatalog {
    #[php(optional = options)]
    pub fn __construct(options: Option<&ZendHashTable>) -> PhpResult<Self> {
        Ok(Self { index_job: None, index_error: None, inner: Catalog::new(self::options(options)?)? })
    }

    /// Adds (or replaces, by id) products; returns how many were accepted.
    pub fn add_many(&mut self, products: &ZendHashTable) -> i64 {
        self.settle();
        let items: Vec<Product<'_>> = products.values().map(Product).collect();
        self.inner.add_all(&items, |p, arena| read_product(p.0, arena)) as i64
    }

    /// Adds (or replaces, by id) the products of a snapshot file (one product a line, as a
    /// sync stages them), decoded and normalized here rather than by PHP; returns how many
    /// were accepted.
    pub fn add_snapshot(&mut self, file: &str) -> PhpResult<i64> {
        if file.is_empty() {
            return Err(invalid("file must not be empty"));
        }
        self.settle();
        Ok(self.inner.add_snapshot(std::path::Path::new(file))? as i64)
    }

    pub fn errors(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut list = ZendHashTable::new();
        for e in self.inner.errors() {
            let mut row = ZendHashTable::new();
            row.insert("id", id_zval(&e.id))?;
            row.insert("error", e.error.as_str())?;
            list.push(row)?;
        }
        Ok(list)
    }

    pub fn count(&self) -> i64 {
        self.inner.len() as i64
    }

    /// Counters: products, rejected, utf8_repairs, truncated.
    pub fn stats(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let s = self.inner.stats();
        let mut ht = ZendHashTable::new();
        ht.insert("products", s.products as i64)?;
        ht.insert("rejected", s.rejected as i64)?;
        ht.insert("utf8_repairs", s.utf8_repairs as i64)?;
        ht.insert("truncated", s.truncated as i64)?;
        Ok(ht)
    }

    pub fn hashes(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut ht = ZendHashTable::with_capacity(u32::try_from(self.inner.len()).unwrap_or(u32::MAX));
        for (id, hash) in self.inner.hashes() {
            ht.insert(id, hash)?;
        }
        Ok(ht)
    }

    pub fn diff(&self, previousHashes: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        let mut previous = Vec::with_capacity(previousHashes.len());
        let mut iter = Iter::new(previousHashes);
        while let Some((key, val)) = iter.next_zval() {
            let id = key.long().ok_or_else(|| invalid("previousHashes must map product ids (int) to hashes"))?;
            let hash = val.str().ok_or_else(|| invalid(format!("previousHashes[{id}] must be a hex string")))?;
            previous.push((id, hash.to_owned()));
        }
        let diff = self.inner.diff(&previous);
        let mut ht = ZendHashTable::new();
        ht.insert("changed", diff.changed)?;
        ht.insert("deleted", diff.deleted)?;
        ht.insert("unchanged", diff.unchanged as i64)?;
        Ok(ht)
    }

    /// The catalog's own storage, shared with the caller (PHP strings are
    /// immutable and refcounted), so the output is never held twice.
    // `toNdjson` is the PHP contract's name; it needs `&mut` to freeze the storage.
    #[allow(clippy::wrong_self_convention)]
    pub fn to_ndjson(&mut self) -> EngineString {
        self.settle();
        self.inner.freeze().share()
    }

    pub fn batches(&mut self, maxBytes: i64) -> PhpResult<Vec<String>> {
        let max = usize::try_from(maxBytes).map_err(|_| invalid("maxBytes must be at least 1"))?;
        self.settle();
        Ok(self.inner.batches(max)?.into_iter().map(ndjson_string).collect())
    }

    /// Options: `language` (the catalog's, selects the stemmer), `synonyms` (the merchant's groups),
    /// `background` (true: return at once and write it on a thread of its own; `waitIndex()` ends it).
    #[php(optional = options)]
    pub fn write_index(&mut self, dir: &str, options: Option<&ZendHashTable>) -> PhpResult<()> {
        if dir.is_empty() {
            return Err(invalid("dir must not be empty"));
        }
        let settings = super::catalog_index::index_settings(options)?;
        let background = match options.and_then(|o| o.get("background")) {
            None => false,
            Some(v) => v.dereference().bool().ok_or_else(|| invalid("option 'background' must be a bool"))?,
        };
        // One index at a time: a job still running is finished (and its error reported) first.
        self.wait_index()?;
        let dir = std::path::Path::new(dir);
        if !background {
            return Ok(self.inner.write_index(dir, &settings)?);
        }
        // SAFETY: the job is kept in `self.index_job`; every `&mut self` method waits
        // for it first (`settle`, `wait_index`) and it is dropped (joined) before `inner`.
        self.index_job = Some(unsafe { self.inner.index_in_background(dir, settings)? });
        Ok(())
    }

    /// Waits for the index a `writeIndex(…, ['background' => true])` is writing; throws its error.
    /// Returns at once when none is being written.
    pub fn wait_index(&mut self) -> PhpResult<()> {
        self.settle();
        match self.index_error.take() {
            Some(err) => Err(err.into()),
            None => Ok(()),
        }
    }

    /// Agent feeds (OpenAI flat feed, UCP products) into `dir`: `['rows', 'products', 'skipped' => [reason => n]]`.
    pub fn write_product_feed(&self, dir: &str, options: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        super::feeds::write_product_feed(&self.inner, dir, options)
    }
}

impl PhpCatalog {
    /// Before the catalog changes, the background index must have finished reading it;
    /// its error is kept for `waitIndex()`.
    fn settle(&mut self) {
        if let Some(job) = self.index_job.take() {
            if let Err(err) = job.wait() {
                self.index_error = Some(err);
            }
        }
    }
}

/// The NDJSON writer only writes UTF-8 (it copies valid `str`s); the fallback keeps this free of panics.
fn ndjson_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A PHP string handed to the engine (refcount already taken).
pub struct EngineString(ZBox<ZendStr>);

impl IntoZval for EngineString {
    const TYPE: DataType = DataType::String;
    const NULLABLE: bool = false;

    fn set_zval(self, zv: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        zv.set_zend_string(self.0);
        Ok(())
    }
}

/// `GC_STRING` of zend_types.h: IS_STRING | GC_NOT_COLLECTABLE << GC_FLAGS_SHIFT.
const GC_STRING: u32 = 6 | (1 << 4);

/// The catalog's frozen NDJSON, kept in an engine string so `toNdjson()` can
/// return it by reference. A full catalog's NDJSON is hundreds of MB: a
/// separate Rust copy would double the peak memory. It is never zeroed first:
/// `adopt` moves the lines' pages into it, and a copy touches each page only
/// as lines are written to it.
pub struct EngineLines {
    /// Holds the reference: released (and freed when PHP holds none) on drop.
    _owner: ZBox<ZendStr>,
    /// The allocation as `_emalloc` returned it: writes go through this
    /// pointer, not through a shared reference from `s`.
    raw: *mut ZendStr,
    filled: usize,
}

impl EngineLines {
    fn payload(&self) -> *mut u8 {
        // SAFETY: `raw` points at the live string owned by `s`; this only
        // computes the address of its payload.
        unsafe { std::ptr::addr_of_mut!((*self.raw).val).cast::<u8>() }
    }

    /// A new reference to the string for PHP.
    fn share(&self) -> EngineString {
        // SAFETY: reading the length field of the live string.
        let len = unsafe { (*self.raw).len };
        if self.filled < len {
            // SAFETY: the payload has `len` bytes; the unwritten tail (only if
            // the catalog pushed less than it announced) is zeroed so PHP never
            // sees uninitialized memory.
            unsafe { std::ptr::write_bytes(self.payload().add(self.filled), 0, len - self.filled) };
        }
        let ptr = self.raw;
        // SAFETY: `ptr` is a live, non-interned engine string owned by `self._owner`;
        // taking one more reference (GC_ADDREF) before wrapping it in a second
        // ZBox keeps the count equal to the number of owners, each of which
        // releases once. The bytes are never written again after sharing:
        // `freeze` builds a new buffer rather than changing this one.
        unsafe {
            (*ptr).gc.refcount += 1;
            EngineString(ZBox::from_raw(ptr))
        }
    }
}

impl FrozenLines for EngineLines {
    /// A large engine string is a page-aligned block of its own with the
    /// payload after the header.
    const LEAD: usize = std::mem::offset_of!(ZendStr, val);

    fn with_len(len: usize) -> Self {
        let size = std::mem::offset_of!(ZendStr, val) + len + 1;
        // SAFETY: _emalloc returns `size` writable bytes (or bails out of the
        // request on memory_limit, before the catalog has changed anything).
        // The header is initialized as zend_string_alloc() does for a
        // non-persistent string and the NUL terminator is written; payload
        // bytes are only read once written (`as_bytes` covers `filled`), and
        // ZBox takes the only reference (refcount 1).
        unsafe {
            let ptr = ext_php_rs::ffi::_emalloc(size).cast::<ZendStr>();
            (*ptr).gc.refcount = 1;
            (*ptr).gc.u.type_info = GC_STRING;
            (*ptr).h = 0;
            (*ptr).len = len;
            *(*ptr).val.as_mut_ptr().cast::<u8>().add(len) = 0;
            Self { _owner: ZBox::from_raw(ptr), raw: ptr, filled: 0 }
        }
    }

    fn room(&mut self) -> &mut [MaybeUninit<u8>] {
        // SAFETY: reading the length field of the live string.
        let len = unsafe { (*self.raw).len };
        // SAFETY: the payload has `len` bytes, owned by this string, which is
        // not shared yet (sharing happens after `freeze` wrote it); as
        // `MaybeUninit` they may be written before they were initialized.
        unsafe { std::slice::from_raw_parts_mut(self.payload().cast::<MaybeUninit<u8>>(), len) }
    }

    unsafe fn set_written(&mut self, len: usize) {
        // SAFETY: reading the length field of the live string.
        self.filled = len.min(unsafe { (*self.raw).len });
    }

    fn adopt(lines: Region) -> Self {
        let len = lines.len();
        let mut s = Self::with_len(len);
        // SAFETY: the payload has `len` writable bytes, owned by this string
        // alone (not shared yet); `move_into` writes all of them.
        unsafe { lines.move_into(s.payload()) };
        s.filled = len;
        s
    }

    fn as_bytes(&self) -> &[u8] {
        // SAFETY: the first `filled` bytes of the payload were written by `push`.
        unsafe { std::slice::from_raw_parts(self.payload(), self.filled) }
    }
}
