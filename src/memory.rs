//! Hints to the kernel about large buffers.

/// `MADV_POPULATE_WRITE` (Linux 5.14), not in every libc binding yet.
const MADV_POPULATE_WRITE: libc::c_int = 23;

/// Faults in the pages of a large buffer that is about to be written in
/// full, in one system call instead of one page fault per 4 KiB: the frozen
/// NDJSON is copied into fresh memory, and the faults were half of that copy.
/// Only advice: an older kernel refuses it and the pages fault in as usual.
/// (Transparent huge pages were faster on average but stalled for up to half
/// a second in compaction now and then.)
pub fn prefault_for_writing(ptr: *mut u8, len: usize) {
    const PAGE: usize = 4096;
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
