//! Named character references that occur in real product HTML. A short table
//! on purpose: the pure-PHP reference carries the same one, and an unknown
//! name stays as written rather than guessed.
const TABLE: &[(&str, &str)] = &[
    ("AElig", "Æ"), ("Aacute", "Á"), ("Agrave", "À"), ("Auml", "Ä"), ("Ccedil", "Ç"), ("Eacute", "É"),
    ("Ntilde", "Ñ"), ("Ouml", "Ö"), ("Uuml", "Ü"), ("aacute", "á"), ("acirc", "â"), ("aelig", "æ"),
    ("agrave", "à"), ("amp", "&"), ("apos", "'"), ("aring", "å"), ("auml", "ä"), ("bull", "•"),
    ("ccedil", "ç"), ("cent", "¢"), ("copy", "©"), ("deg", "°"), ("divide", "÷"), ("eacute", "é"),
    ("ecirc", "ê"), ("egrave", "è"), ("euml", "ë"), ("euro", "€"), ("frac12", "½"), ("frac14", "¼"),
    ("frac34", "¾"), ("gt", ">"), ("hellip", "…"), ("iacute", "í"), ("icirc", "î"), ("iuml", "ï"),
    ("laquo", "«"), ("ldquo", "“"), ("lsquo", "‘"), ("lt", "<"), ("mdash", "—"), ("micro", "µ"),
    ("middot", "·"), ("nbsp", "\u{A0}"), ("ndash", "–"), ("ntilde", "ñ"), ("oacute", "ó"),
    ("ocirc", "ô"), ("oslash", "ø"), ("ouml", "ö"), ("para", "¶"), ("plusmn", "±"), ("pound", "£"),
    ("quot", "\""), ("raquo", "»"), ("rdquo", "”"), ("reg", "®"), ("rsquo", "’"), ("sect", "§"),
    ("shy", "\u{AD}"), ("szlig", "ß"), ("times", "×"), ("trade", "™"), ("uacute", "ú"), ("ucirc", "û"),
    ("uuml", "ü"), ("yen", "¥"),
];

/// A name of at most eight bytes as a number that sorts like the name
/// (big-endian, zero-padded; names hold no zero byte), so a lookup compares
/// integers instead of strings.
const fn key(name: &[u8]) -> Option<u64> {
    if name.len() > 8 {
        return None;
    }
    let (mut k, mut i) = (0u64, 0);
    while i < 8 {
        k <<= 8;
        if i < name.len() {
            k |= name[i] as u64;
        }
        i += 1;
    }
    Some(k)
}

/// `TABLE`'s names as keys, in the same (sorted) order.
const KEYS: [u64; TABLE.len()] = {
    let mut keys = [0; TABLE.len()];
    let mut i = 0;
    while i < TABLE.len() {
        keys[i] = match key(TABLE[i].0.as_bytes()) {
            Some(k) => k,
            None => panic!("entity names are at most eight bytes"),
        };
        i += 1;
    }
    keys
};

/// The text an entity name stands for (case-sensitive, as in HTML).
pub fn lookup(name: &[u8]) -> Option<&'static str> {
    KEYS.binary_search(&key(name)?).ok().map(|i| TABLE[i].1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_is_sorted_so_every_name_is_found() {
        assert!(super::TABLE.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(super::KEYS.windows(2).all(|w| w[0] < w[1]));
        for (name, value) in super::TABLE {
            assert_eq!(super::lookup(name.as_bytes()), Some(*value));
        }
        for bogus in ["bogus", "am", "ampx", "AMP", "", "hellipsis"] {
            assert_eq!(super::lookup(bogus.as_bytes()), None, "{bogus}");
        }
    }
}
