//! The thin FFI layer: one file per PHP class, conversions and error mapping only.
// PHP parameter names are part of the API (named arguments), and PHP spells them in camelCase.
#![allow(non_snake_case)]
mod ai_client;
mod catalog;
mod catalog_index;
mod channels;
mod errors;
mod feeds;
mod ini;
mod knowledge;
mod language;
mod license;
mod redactor;
mod vault;

use ext_php_rs::prelude::*;
use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

use crate::build_info;
use crate::vault::KeySource;

extern "C" fn module_info(_module: *mut ModuleEntry) {
    let env = std::env::var("AISLE_MASTER_KEY").ok();
    let source = KeySource::detect(env.as_deref(), ini::key_file().as_deref());
    info_table_start!();
    info_table_row!("aisle support", "enabled");
    info_table_row!("version", build_info::VERSION);
    info_table_row!("git revision", build_info::GIT_REVISION);
    info_table_row!("build profile", build_info::PROFILE);
    info_table_row!("features", build_info::FEATURES.join(", "));
    info_table_row!("vault key source", source.describe());
    info_table_row!(
        "license public key",
        format!("{} ({})", crate::license::VENDOR_PUBLIC_KEY_B64, crate::license::VENDOR_KEY_SOURCE)
    );
    info_table_end!();
}

fn startup(_ty: i32, module_number: i32) -> i32 {
    ini::register(module_number);
    0
}

#[php_module]
#[php(startup = "startup")]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    let module = errors::register(module);
    module
        .class::<vault::PhpVault>()
        .class::<license::PhpLicense>()
        .class::<redactor::PhpRedactor>()
        .class::<ai_client::PhpAiClient>()
        .class::<catalog::PhpCatalog>()
        .class::<catalog_index::PhpCatalogIndex>()
        .class::<feeds::PhpProductFeed>()
        .class::<language::PhpLanguage>()
        .class::<knowledge::PhpKnowledge>()
        .class::<knowledge::PhpKnowledgeIndex>()
        .class::<channels::PhpSignature>()
        .class::<channels::PhpGraphClient>()
        .info_function(module_info)
}
