//! Arabic spelling normalization, the usual light form for search: alef forms
//! (أ إ آ ٱ) → ا, hamza on waw/ya (ؤ ئ) → و ي, ta marbuta ة → ه, alef maqsura
//! ى → ي, diacritics (tashkeel, superscript alef, Quranic marks) and tatweel
//! removed. Then the definite article and one-letter prefixes are stripped
//! when a word of at least three letters remains.

pub fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// Letter forms unified and marks removed; other characters are kept as they are.
pub fn normalize_arabic(word: &str) -> String {
    word.chars()
        .filter(|c| !is_mark(*c))
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ؤ' => 'و',
            'ئ' => 'ي',
            'ة' => 'ه',
            'ى' => 'ي',
            _ => c,
        })
        .collect()
}

/// Strips the article with its attached particles ("وال" "بال" "كال" "فال"
/// "لل" "ال"), else one of the prefixes و ب ل, only when at least three
/// letters remain (so "بلد" stays whole). Index and queries strip alike, so a
/// word that merely starts with one of these letters still matches itself.
/// Expects a normalized word.
pub fn strip_arabic_prefix(word: &str) -> &str {
    let letters = |s: &str| s.chars().count();
    for article in ["وال", "بال", "كال", "فال", "لل", "ال"] {
        if let Some(rest) = word.strip_prefix(article) {
            if letters(rest) >= 3 {
                return rest;
            }
        }
    }
    for prefix in ['و', 'ب', 'ل'] {
        if let Some(rest) = word.strip_prefix(prefix) {
            if letters(rest) >= 3 {
                return rest;
            }
        }
    }
    word
}
