//! Large buffers straight from the kernel: the catalog's NDJSON is hundreds
//! of MB, and at that size page faults, zeroing and copies cost as much as
//! the serialization itself.
use std::alloc::{handle_alloc_error, Layout};
use std::ptr::NonNull;

const PAGE: usize = 4096;

/// `MADV_POPULATE_WRITE` (Linux 5.14), not in every libc binding yet.
const MADV_POPULATE_WRITE: libc::c_int = 23;

/// Faults in the pages of a large buffer that is about to be written in
/// full, in one system call instead of one page fault per 4 KiB. Only
/// advice: an older kernel refuses it and the pages fault in as usual.
/// (Transparent huge pages were faster on average but stalled for up to half
/// a second in compaction now and then.)
pub fn prefault_for_writing(ptr: *mut u8, len: usize) {
    let start = (ptr as usize).next_multiple_of(PAGE);
    let end = (ptr as usize).saturating_add(len) / PAGE * PAGE;
    if end > start {
        // SAFETY: the range lies inside the caller's live, writable
        // allocation; populating it changes neither its contents nor its
        // validity.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, MADV_POPULATE_WRITE);
        }
    }
}

/// A growable byte buffer in its own anonymous mapping, laid out so it can be
/// handed to another allocation without copying: its bytes start `lead`
/// bytes into the first page, as the payload of the allocation it is meant
/// for does (see `move_into`). Growing moves page tables, never bytes.
pub struct Region {
    /// Start of the mapping (`None` until the first byte is pushed).
    base: Option<NonNull<u8>>,
    mapped: usize,
    lead: usize,
    len: usize,
    /// Bytes of the mapping already given back by `discard_before`.
    discarded: usize,
}

// SAFETY: a Region owns its mapping outright; `&Region` only reads it.
unsafe impl Send for Region {}
// SAFETY: as above: shared references give read-only access.
unsafe impl Sync for Region {}

/// Mappings grow at least this much at a time.
const MIN_MAPPING: usize = 1 << 20;

impl Region {
    /// An empty buffer whose bytes will start `lead % 4096` bytes into a page.
    pub fn new(lead: usize) -> Self {
        Self { base: None, mapped: 0, lead: lead % PAGE, len: 0, discarded: 0 }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self.base {
            // SAFETY: bytes `lead..lead + len` of the mapping were written by `push`.
            Some(base) => unsafe { std::slice::from_raw_parts(base.as_ptr().add(self.lead), self.len) },
            None => &[],
        }
    }

    /// Where the bytes start, for writing through (null before the first push).
    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        // SAFETY: `lead` is inside the first page of the mapping.
        self.base.map_or(std::ptr::null_mut(), |base| unsafe { base.as_ptr().add(self.lead) })
    }

    /// Appends `bytes`; aborts like `Vec` when the system is out of memory.
    pub fn push(&mut self, bytes: &[u8]) {
        self.make_room(bytes.len());
        // SAFETY: there is room, and the claimed bytes are written at once,
        // through `&mut self`; `bytes` (borrowed) cannot lie in the mapping.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.claim(bytes.len()), bytes.len()) };
    }

    /// Whether `n` more bytes fit without growing the mapping (growing may
    /// move it).
    pub fn has_room(&self, n: usize) -> bool {
        self.base.is_some() && self.lead + self.len + n <= self.mapped
    }

    /// Grows the mapping, if needed, so that `n` more bytes fit; may move it.
    pub fn make_room(&mut self, n: usize) {
        if !self.has_room(n) {
            self.grow(self.lead + self.len + n);
        }
    }

    /// Lengthens the buffer by `n` bytes and returns where they start, for
    /// the caller to write them, possibly later and from another thread:
    /// several threads can fill claimed ranges at once.
    ///
    /// # Safety
    /// `has_room(n)` holds. The caller writes all `n` bytes, and until every
    /// claimed range is written the Region is neither read nor grown.
    pub unsafe fn claim(&mut self, n: usize) -> *mut u8 {
        debug_assert!(self.has_room(n));
        let at = self.as_mut_ptr().wrapping_add(self.len);
        self.len += n;
        at
    }

    fn grow(&mut self, need: usize) {
        let size = need.max(self.mapped.saturating_mul(2)).max(MIN_MAPPING).next_multiple_of(PAGE);
        // SAFETY: mmap of fresh anonymous memory, or mremap of exactly the
        // mapping this Region owns (which may move it: `base` is updated and
        // no reference into it outlives `&mut self`).
        let ptr = unsafe {
            match self.base {
                None => libc::mmap(
                    std::ptr::null_mut(),
                    size,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                    -1,
                    0,
                ),
                Some(base) => libc::mremap(base.as_ptr().cast(), self.mapped, size, libc::MREMAP_MAYMOVE),
            }
        };
        if ptr == libc::MAP_FAILED {
            handle_alloc_error(Layout::from_size_align(size, PAGE).unwrap_or(Layout::new::<u8>()));
        }
        self.base = NonNull::new(ptr.cast());
        self.mapped = size;
    }

    /// Gives the pages holding bytes before `upto` back to the system; they
    /// read as zeros afterwards. For a Region about to be dropped whose front
    /// has been copied out already.
    pub fn discard_before(&mut self, upto: usize) {
        let Some(base) = self.base else { return };
        let end = (self.lead + upto.min(self.len)) / PAGE * PAGE;
        if end > self.discarded {
            // SAFETY: whole pages of the mapping this Region owns; MADV_DONTNEED
            // keeps them mapped (zero-filled on the next read).
            unsafe { libc::madvise(base.as_ptr().add(self.discarded).cast(), end - self.discarded, libc::MADV_DONTNEED) };
            self.discarded = end;
        }
    }

    /// Moves the bytes to `dst`. When `dst` starts at the same offset in its
    /// page as the bytes here, the whole pages in between are moved by the
    /// kernel (`mremap`: no copy, no new page) and only the partial first and
    /// last pages are copied; otherwise everything is copied. Returns how
    /// many bytes were moved without a copy.
    ///
    /// # Safety
    /// `dst` points at `self.len()` writable bytes that belong to one live
    /// allocation of the caller and that nothing else uses meanwhile.
    pub unsafe fn move_into(mut self, dst: *mut u8) -> usize {
        let Some(base) = self.base else { return 0 };
        let src = base.as_ptr();
        let len = self.len;
        // Whole pages of `dst` inside its `len` bytes: they belong to the
        // caller's allocation alone, so they may be replaced.
        let first = (dst as usize).next_multiple_of(PAGE) - dst as usize;
        let pages = (len.saturating_sub(first)) / PAGE * PAGE;
        if (dst as usize) % PAGE != self.lead || pages == 0 {
            // SAFETY: `len` bytes from the mapping to the caller's buffer.
            unsafe { std::ptr::copy_nonoverlapping(src.add(self.lead), dst, len) };
            return 0;
        }
        // SAFETY: the head and tail are copied within both buffers' bounds;
        // the middle `pages` bytes start page-aligned in both (same offset in
        // the page), lie inside this mapping and inside the caller's bytes,
        // and mremap replaces the destination pages with this mapping's.
        unsafe {
            std::ptr::copy_nonoverlapping(src.add(self.lead), dst, first);
            let tail = first + pages;
            std::ptr::copy_nonoverlapping(src.add(self.lead + tail), dst.add(tail), len - tail);
            let moved = libc::mremap(
                src.add(self.lead + first).cast(),
                pages,
                pages,
                libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED,
                dst.add(first).cast::<libc::c_void>(),
            );
            if moved == libc::MAP_FAILED {
                // Refused (e.g. a kernel without the flags): copy instead.
                std::ptr::copy_nonoverlapping(src.add(self.lead + first), dst.add(first), pages);
                return 0;
            }
            // The moved range is a hole in this mapping now, and another
            // thread may already have been given a mapping there: unmap only
            // what is still ours, on either side of the hole.
            let (hole, after) = (self.lead + first, self.lead + first + pages);
            if hole > 0 {
                libc::munmap(src.cast(), hole);
            }
            if self.mapped > after {
                libc::munmap(src.add(after).cast(), self.mapped - after);
            }
        }
        self.base = None;
        pages
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        if let Some(base) = self.base {
            // SAFETY: the mapping this Region owns; nothing borrows it past drop.
            unsafe { libc::munmap(base.as_ptr().cast(), self.mapped) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(lead: usize, len: usize) -> (Region, Vec<u8>) {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        let mut r = Region::new(lead);
        for piece in bytes.chunks(1000) {
            r.push(piece);
        }
        assert_eq!(r.as_bytes(), &bytes[..]);
        (r, bytes)
    }

    #[test]
    fn grows_without_losing_bytes() {
        // Several times MIN_MAPPING: the mapping is remapped (and may move).
        let (r, bytes) = filled(24, 5 << 20);
        assert_eq!(r.len(), bytes.len());
        assert_eq!(Region::new(0).as_bytes(), b"");
    }

    #[test]
    fn moves_into_aligned_and_unaligned_buffers() {
        for (lead, len) in [(24, 3 << 20), (24, 100), (0, 2 << 20), (4000, 9000), (24, 0)] {
            for offset in [lead, lead + 8, 0] {
                let (r, bytes) = filled(lead, len);
                // A page-aligned buffer with the bytes at `offset`, like a
                // string payload after its header.
                let mut dst = Region::new(0);
                dst.push(&vec![0xEE; offset + len + PAGE]);
                let base = dst.as_mut_ptr();
                // SAFETY: `dst` has offset + len + PAGE bytes, unused elsewhere.
                let moved = unsafe { r.move_into(base.add(offset)) };
                // Pages move when the offsets in the page agree and a whole page fits.
                assert_eq!(moved > 0, offset == lead && len >= 2 * PAGE, "lead {lead} len {len} offset {offset}");
                let got = &dst.as_bytes()[offset..offset + len];
                assert!(got == &bytes[..], "lead {lead} len {len} offset {offset}");
                assert!(dst.as_bytes()[offset + len..].iter().all(|&b| b == 0xEE), "wrote past the end");
                assert!(dst.as_bytes()[..offset].iter().all(|&b| b == 0xEE), "wrote before the start");
            }
        }
    }

    #[test]
    fn discarding_the_front_keeps_the_rest() {
        let (mut r, bytes) = filled(24, 3 << 20);
        r.discard_before(1 << 19);
        r.discard_before(1 << 20);
        r.discard_before(1 << 18); // already given back: nothing to do
        assert_eq!(&r.as_bytes()[1 << 20..], &bytes[1 << 20..]);
        assert!(r.as_bytes()[..(1 << 20) - PAGE].iter().all(|&b| b == 0));
    }
}
