//! Hints to the kernel about large buffers.

/// Size of a transparent huge page on x86-64 and most aarch64 kernels.
const HUGE_PAGE: usize = 2 << 20;

/// Asks for transparent huge pages on the 2 MiB-aligned part of a large
/// buffer that is about to be written front to back: one page fault per 2 MiB
/// instead of one per 4 KiB. Filling the NDJSON buffers spent more time in
/// page faults than in hashing. Only advice: where THP is off, or for buffers
/// smaller than a huge page, nothing changes.
pub fn prefer_huge_pages(ptr: *const u8, len: usize) {
    let start = (ptr as usize).next_multiple_of(HUGE_PAGE);
    let end = (ptr as usize).saturating_add(len) / HUGE_PAGE * HUGE_PAGE;
    if end > start {
        // SAFETY: madvise only changes how the kernel backs [start, end),
        // which lies inside the caller's live allocation; MADV_HUGEPAGE does
        // not change the contents or validity of the memory.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}
