//! Packs NDJSON lines into payloads of at most `max_bytes`, never splitting a line.

/// Returns the batches and the indexes of lines that fit in no batch.
pub fn pack<'a>(lines: impl Iterator<Item = &'a [u8]>, max_bytes: usize) -> (Vec<Vec<u8>>, Vec<(usize, usize)>) {
    let mut batches = Vec::new();
    let mut oversized = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    for (i, line) in lines.enumerate() {
        if line.len() > max_bytes {
            oversized.push((i, line.len()));
            continue;
        }
        if current.len() + line.len() > max_bytes {
            batches.push(std::mem::take(&mut current));
        }
        current.extend_from_slice(line);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    (batches, oversized)
}

#[cfg(test)]
mod tests {
    #[test]
    fn packs_greedily_without_splitting() {
        let lines: Vec<&[u8]> = vec![b"aaa\n", b"bb\n", b"cccccccc\n", b"d\n"];
        let (batches, oversized) = super::pack(lines.into_iter(), 7);
        assert_eq!(batches, vec![b"aaa\nbb\n".to_vec(), b"d\n".to_vec()]);
        assert_eq!(oversized, vec![(2, 9)]);
    }
}
