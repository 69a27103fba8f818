//! Byte tests eight at a time in a `u64` ("SIMD within a register"): each
//! test sets the high bit of every byte that passes, exactly (no false
//! positives from carries between bytes). The text passes use them to skip
//! plain runs of text without a branch per byte: in prose a per-byte loop
//! mispredicts at every word boundary.
const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The eight bytes at `at`, if there are eight.
#[inline]
pub fn load(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at + 8)?.try_into().ok().map(u64::from_le_bytes)
}

/// The bytes at `at`, padded past the end of `b` with `pad`.
#[inline]
pub fn load_padded(b: &[u8], at: usize, pad: u8) -> u64 {
    load(b, at).unwrap_or_else(|| {
        let mut buf = [pad; 8];
        let tail = b.get(at..).unwrap_or_default();
        buf[..tail.len().min(8)].copy_from_slice(&tail[..tail.len().min(8)]);
        u64::from_le_bytes(buf)
    })
}

/// Index of the first byte flagged in a mask these tests returned (not 0).
#[inline]
pub fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// Bytes that are not printable ASCII (outside '!'..='~'): whitespace,
/// controls, DEL and every byte of a multi-byte character.
#[inline]
pub fn not_graphic(x: u64) -> u64 {
    below(x, 0x21) | (!below(x, 0x7F) & HI)
}

/// Bytes equal to `c`.
#[inline]
pub fn eq(x: u64, c: u8) -> u64 {
    let v = x ^ (LO * u64::from(c));
    // low 7 bits + 0x7F carries into the high bit unless they are all zero.
    !((v & !HI).wrapping_add(!HI & (LO * 0x7F)) | v) & HI
}

/// Bytes below `n` (`n` at most 0x80).
#[inline]
pub fn below(x: u64, n: u8) -> u64 {
    debug_assert!(n <= 0x80);
    // low 7 bits + (0x80 - n) reaches the high bit exactly when they are >= n;
    // it never carries out of the byte.
    let low_ge = (x & !HI).wrapping_add(LO * u64::from(0x80 - n)) & HI;
    !(x | low_ge) & HI
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tests_are_exact_for_every_byte_in_every_lane() {
        for v in 0..=255u8 {
            for lane in 0..8 {
                // The byte under test among neighbours that stress carries.
                let mut bytes = [0xFFu8, 0x00, 0x80, 0x7F, 0x20, 0x21, 0x01, 0xFE];
                bytes[lane] = v;
                let x = u64::from_le_bytes(bytes);
                for (i, &b) in bytes.iter().enumerate() {
                    let bit = |m: u64| m >> (i * 8 + 7) & 1 == 1;
                    for c in [0u8, b' ', b'"', b'\\', 0x7F, 0xFF] {
                        assert_eq!(bit(eq(x, c)), b == c, "eq {b:#x} {c:#x}");
                    }
                    for n in [0u8, 1, 0x20, 0x21, 0x7F, 0x80] {
                        assert_eq!(bit(below(x, n)), b < n, "below {b:#x} {n:#x}");
                    }
                    assert_eq!(bit(not_graphic(x)), !(0x21..=0x7E).contains(&b), "not_graphic {b:#x}");
                }
            }
        }
    }

    #[test]
    fn padded_loads_and_first() {
        assert_eq!(load_padded(b"ab", 0, b'z'), u64::from_le_bytes(*b"abzzzzzz"));
        assert_eq!(load_padded(b"abcdefghij", 8, b'z'), u64::from_le_bytes(*b"ijzzzzzz"));
        assert_eq!(load_padded(b"abcdefgh", 0, b'z'), u64::from_le_bytes(*b"abcdefgh"));
        assert_eq!(first(eq(u64::from_le_bytes(*b"abc\"defg"), b'"')), 3);
    }
}
