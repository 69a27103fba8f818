//! `Aisle\Language`: zval <-> Rust only; the logic is in `crate::lang`.
use ext_php_rs::binary::Binary;
use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;

use super::errors::{exception, AisleException, GENERAL_REASONS};
use crate::lang;

/// Longer texts are cut (at a character boundary) before detection: the first
/// few kilobytes say which language it is, and detection stays cheap.
const MAX_DETECT_BYTES: usize = 4096;

fn allowed(languages: Option<Vec<String>>) -> PhpResult<Vec<&'static str>> {
    let Some(languages) = languages else { return Ok(Vec::new()) };
    languages
        .iter()
        .map(|code| {
            lang::supported(code.trim()).ok_or_else(|| {
                exception::<AisleException>(GENERAL_REASONS, "invalid_argument", format!("unknown language code '{code}' (ISO 639-1, e.g. 'en', 'fr', 'ar')"))
            })
        })
        .collect()
}

fn detect(text: &[u8], languages: Option<Vec<String>>) -> PhpResult<lang::Detection> {
    let allowed = allowed(languages)?;
    let mut end = text.len().min(MAX_DETECT_BYTES);
    // Back up to a character boundary (UTF-8 continuation bytes are 10xxxxxx).
    while end > 0 && end < text.len() && text[end] & 0xC0 == 0x80 {
        end -= 1;
    }
    let text = String::from_utf8_lossy(&text[..end]);
    Ok(lang::detect(&text, &allowed))
}

#[php_class]
#[php(name = "Aisle\\Language")]
#[php(flags = ClassFlags::Final)]
pub struct PhpLanguage;

#[php_impl]
impl PhpLanguage {
    /// ISO 639-1 code of the text's language, or '' when it is too short or unsure.
    pub fn detect(text: BinarySlice<u8>, languages: Option<Vec<String>>) -> PhpResult<String> {
        Ok(detect(&text, languages)?.language.to_owned())
    }

    /// ['language' => 'fr', 'confidence' => 0.93]; ['language' => '', 'confidence' => 0.0] when unsure.
    pub fn detect_with_confidence(text: BinarySlice<u8>, languages: Option<Vec<String>>) -> PhpResult<ZBox<ZendHashTable>> {
        let d = detect(&text, languages)?;
        let mut out = ZendHashTable::new();
        out.insert("language", d.language)?;
        out.insert("confidence", d.confidence)?;
        Ok(out)
    }

    /// Arabic-Indic (٠-٩) and Persian (۰-۹) digits → 0-9; other bytes unchanged.
    pub fn normalize_digits(text: BinarySlice<u8>) -> Binary<u8> {
        Binary::new(lang::normalize_digits_bytes(&text))
    }

    /// Every ISO 639-1 code `detect()` accepts in `$languages`.
    pub fn supported() -> Vec<String> {
        lang::all_codes().map(str::to_owned).collect()
    }
}
