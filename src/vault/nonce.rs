//! Nonces for AES-GCM: OS randomness, fetched in blocks.
//!
//! One getrandom(2) call per encryption was the largest cost of `encrypt`, so
//! bytes are taken from the OS RNG 1 KiB at a time. A GCM nonce must never
//! repeat under one key, and PHP-FPM forks workers: a child must never use
//! bytes its parent may also use. The buffer is therefore discarded whenever a
//! fork happened since it was filled (a pthread_atfork child handler bumps a
//! generation counter) or the pid changed.
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Once;

use rand::rngs::OsRng;
use rand::RngCore;

pub const NONCE_LEN: usize = 12;
const BLOCK: usize = 1024;

static FORKS: AtomicU64 = AtomicU64::new(0);
static REGISTER: Once = Once::new();

extern "C" fn after_fork_in_child() {
    FORKS.fetch_add(1, Ordering::SeqCst);
}

struct Pool {
    bytes: [u8; BLOCK],
    used: usize,
    forks: u64,
    pid: u32,
}

thread_local! {
    static POOL: RefCell<Pool> = const { RefCell::new(Pool { bytes: [0; BLOCK], used: BLOCK, forks: 0, pid: 0 }) };
}

pub fn fresh() -> [u8; NONCE_LEN] {
    REGISTER.call_once(|| {
        // SAFETY: registers a handler that only does an atomic increment,
        // which is async-signal-safe as a fork child handler must be.
        unsafe {
            libc::pthread_atfork(None, None, Some(after_fork_in_child));
        }
    });
    POOL.with(|cell| {
        let mut pool = cell.borrow_mut();
        let forks = FORKS.load(Ordering::SeqCst);
        let pid = std::process::id();
        if pool.used + NONCE_LEN > BLOCK || pool.forks != forks || pool.pid != pid {
            OsRng.fill_bytes(&mut pool.bytes);
            pool.used = 0;
            pool.forks = forks;
            pool.pid = pid;
        }
        let mut nonce = [0u8; NONCE_LEN];
        let start = pool.used;
        nonce.copy_from_slice(&pool.bytes[start..start + NONCE_LEN]);
        // Each byte is handed out once.
        pool.bytes[start..start + NONCE_LEN].fill(0);
        pool.used += NONCE_LEN;
        nonce
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_do_not_repeat_across_blocks() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..(BLOCK / NONCE_LEN) * 5 {
            assert!(seen.insert(fresh()));
        }
    }
}
