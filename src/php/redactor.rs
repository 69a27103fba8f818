//! `Aisle\Redactor`: zval <-> Rust only; the logic is in `crate::redact`.
use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;

use super::errors::{exception, AisleException, GENERAL_REASONS};
use crate::redact::{self, Kind, Kinds, RedactError};

#[php_class]
#[php(name = "Aisle\\Redactor")]
#[php(flags = ClassFlags::Final)]
pub struct PhpRedactor;

#[php_impl]
impl PhpRedactor {
    /// Replaces phones, emails and card numbers with "[phone]", "[email]", "[card]".
    #[php(defaults(kinds = vec![String::from("phone"), String::from("email"), String::from("card")]))]
    pub fn redact(text: BinarySlice<u8>, kinds: Vec<String>) -> PhpResult<ZBox<ZendHashTable>> {
        let mut wanted = Kinds::default();
        for name in &kinds {
            wanted = wanted.with(Kind::parse(name).map_err(to_php)?);
        }
        let result = redact::redact_bytes(&text, wanted);
        let mut found = ZendHashTable::new();
        for f in result.found {
            let mut entry = ZendHashTable::new();
            entry.insert("kind", f.kind.name())?;
            entry.insert("value", f.value)?;
            found.push(entry)?;
        }
        let mut out = ZendHashTable::new();
        out.insert("text", result.text)?;
        out.insert("found", found)?;
        Ok(out)
    }
}

fn to_php(err: RedactError) -> PhpException {
    exception::<AisleException>(GENERAL_REASONS, err.reason(), err.to_string())
}
