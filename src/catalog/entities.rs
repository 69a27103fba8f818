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

/// The table is sorted by name (bytewise; a test keeps it so).
pub fn lookup(name: &str) -> Option<&'static str> {
    TABLE.binary_search_by(|(n, _)| n.cmp(&name)).ok().map(|i| TABLE[i].1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_is_sorted_so_every_name_is_found() {
        assert!(super::TABLE.windows(2).all(|w| w[0].0 < w[1].0));
        for (name, value) in super::TABLE {
            assert_eq!(super::lookup(name), Some(*value));
        }
        assert_eq!(super::lookup("bogus"), None);
    }
}
