//! Analyzers, expansion and ranking on small catalogs, per language.
use tantivy::tokenizer::TextAnalyzer;

use super::schema::{plain_analyzer, words_analyzer};
use super::settings::IndexSettings;
use crate::catalog::{Catalog, Filters, Key, Options, SearchIndex, Value};

fn leak<T>(v: Vec<T>) -> &'static [T] {
    Box::leak(v.into_boxed_slice())
}

/// (id, name, categories, in stock)
fn product(id: i64, name: &'static str, categories: &[&'static str], in_stock: bool) -> Value<'static> {
    let cats = leak(categories.iter().map(|c| Value::Str(c.as_bytes())).collect());
    let mut entries = vec![
        (Key::Str(b"id"), Value::Int(id)),
        (Key::Str(b"name"), Value::Str(name.as_bytes())),
        (Key::Str(b"price"), Value::Int(10 + id)),
        (Key::Str(b"categories"), Value::List(cats)),
    ];
    if !in_stock {
        entries.push((Key::Str(b"stock_status"), Value::Str(b"outofstock")));
    }
    Value::Map(leak(entries))
}

fn index(products: &[Value<'static>], settings: &IndexSettings) -> (tempfile::TempDir, std::sync::Arc<SearchIndex>) {
    let dir = tempfile::tempdir().unwrap();
    let mut cat: Catalog = Catalog::new(Options::default()).unwrap();
    for p in products {
        assert!(cat.add(Ok(*p)));
    }
    cat.write_index(dir.path(), settings).unwrap();
    let idx = SearchIndex::open(dir.path()).unwrap();
    (dir, idx)
}

fn ids(idx: &SearchIndex, q: &str) -> Vec<i64> {
    idx.search(q, 10, &Filters::default()).unwrap().into_iter().map(|h| h.id).collect()
}

fn first(idx: &SearchIndex, q: &str) -> Option<i64> {
    ids(idx, q).first().copied()
}

fn tokens(a: &TextAnalyzer, text: &str) -> Vec<String> {
    let mut a = a.clone();
    let mut s = a.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = s.next() {
        out.push(t.text.clone());
    }
    out
}

fn settings(language: &str) -> IndexSettings {
    IndexSettings::default().with_language(language).unwrap()
}

#[test]
fn stemmers_per_language() {
    let en = words_analyzer(&settings("en"));
    assert_eq!(tokens(&en, "Hoodies hoodie caps hats"), ["hoodi", "hoodi", "cap", "hat"]);
    assert_eq!(tokens(&en, "T-Shirts"), ["t", "shirt", "tshirt"]);
    let fr = words_analyzer(&settings("fr_FR"));
    assert_eq!(tokens(&fr, "bonnets"), tokens(&fr, "bonnet"));
    assert_eq!(tokens(&fr, "chapeaux"), tokens(&fr, "chapeau"));
    let de = words_analyzer(&settings("de"));
    assert_eq!(tokens(&de, "Mützen"), tokens(&de, "Mütze"));
    let es = words_analyzer(&settings("es"));
    assert_eq!(tokens(&es, "gorras"), tokens(&es, "gorra"));
    let pt = words_analyzer(&settings("pt-BR"));
    assert_eq!(tokens(&pt, "camisetas"), tokens(&pt, "camiseta"));
    let it = words_analyzer(&settings("it"));
    assert_eq!(tokens(&it, "cappelli"), tokens(&it, "cappello"));
    let ar = words_analyzer(&settings("ar"));
    assert_eq!(tokens(&ar, "القبعات"), tokens(&ar, "قبعات"));
    assert_eq!(tokens(&ar, "قبعة"), tokens(&ar, "قبعه"));
    assert_eq!(tokens(&ar, "أحمر"), tokens(&ar, "احمر"));
    assert_eq!(tokens(&en, "مقاس ٤٢"), tokens(&en, "مقاس 42"));
    // Legacy indexes keep their analyzer.
    let legacy = words_analyzer(&IndexSettings::legacy());
    assert_eq!(tokens(&legacy, "T-Shirts"), ["t", "shirts"]);
}

#[test]
fn arabic_filter() {
    let plain = plain_analyzer();
    assert_eq!(tokens(&plain, "القُبَّعَات والقمصان بالقطن"), ["قبعات", "قمصان", "قطن"]);
    assert_eq!(tokens(&plain, "أزرق إبرة آلة مؤسسة رئيس مستشفى قبـــعة"), ["ازرق", "ابره", "اله", "موسسه", "رييس", "مستشفي", "قبعه"]);
    assert_eq!(tokens(&plain, "Crème BRÛLÉE"), ["creme", "brulee"]);
    assert!(IndexSettings::default().with_language("zz").is_err());
    assert!(IndexSettings::default().with_language("").is_err());
    assert_eq!(settings("ja").stemmer(), None, "accepted, but no stemmer");
}

fn shop() -> Vec<Value<'static>> {
    vec![
        product(1, "Cap", &["Accessories"], true),
        product(2, "Hat", &["Accessories"], true),
        product(3, "Beanie", &["Accessories"], true),
        product(4, "Hoodie with Logo", &["Hoodies"], true),
        product(5, "T-Shirt", &["Tshirts"], true),
        product(6, "Shirt - Cream", &["Shirts"], true),
        product(7, "Blouse", &["Shirts"], true),
        product(8, "Zip Hoodie Black", &["Clothing"], true),
        product(9, "Sweatshirt", &["Clothing"], true),
        product(10, "Sneakers Classic", &["Shoes"], true),
        product(11, "Cotton Trousers", &["Clothing"], true),
        product(12, "Wool Sweater", &["Clothing"], true),
        product(13, "Blue Jeans", &["Clothing"], true),
        product(14, "Leather Belt", &["Accessories"], true),
        product(15, "Hoodie Old Stock", &["Clothing"], false),
        product(16, "Album", &["Music"], true),
    ]
}

#[test]
fn english_plurals_compounds_synonyms() {
    let (_dir, idx) = index(&shop(), &IndexSettings::default());
    assert_eq!(first(&idx, "caps"), Some(1));
    assert_eq!(first(&idx, "do you have caps?"), Some(1));
    assert_eq!(first(&idx, "hats"), Some(2));
    let hats = ids(&idx, "do you have hats?");
    assert!(hats.contains(&1) && hats.contains(&3), "hats also finds caps and beanies: {hats:?}");
    assert_eq!(first(&idx, "beanies"), Some(3));
    assert_eq!(first(&idx, "hoodies")
        .map(|id| [4, 8].contains(&id)), Some(true));
    for q in ["t-shirts", "tshirt", "t shirt", "tee", "tees", "do you have t-shirts?"] {
        assert_eq!(first(&idx, q), Some(5), "{q}: {:?}", ids(&idx, q));
    }
    assert_eq!(first(&idx, "trainers"), Some(10));
    assert_eq!(first(&idx, "pants"), Some(11));
    assert_eq!(first(&idx, "jumper"), Some(12));
    assert_eq!(first(&idx, "pullover"), Some(12));
}

#[test]
fn shoppers_languages_on_an_english_catalog() {
    let (_dir, idx) = index(&shop(), &IndexSettings::default());
    let headwear = [1, 2, 3];
    for q in ["avez-vous des bonnets ?", "habt ihr Mützen?", "هل لديكم قبعات؟", "¿tienen gorras?", "vocês têm bonés?", "avete dei cappelli?", "casquettes", "chapeaux", "Hüte", "طاقية"] {
        let found = ids(&idx, q);
        assert!(found.first().is_some_and(|id| headwear.contains(id)), "{q}: {found:?}");
    }
    assert_eq!(first(&idx, "bonnets"), Some(3));
    assert_eq!(first(&idx, "casquette"), Some(1));
    assert_eq!(first(&idx, "chapeau"), Some(2));
    for q in ["sweats à capuche", "Kapuzenpullover", "sudadera con capucha", "moletom com capuz", "felpa con cappuccio", "هودي"] {
        let found = ids(&idx, q);
        assert!(found.first().is_some_and(|id| [4, 8].contains(id)), "{q}: {found:?}");
        assert!(!found.iter().take(2).any(|id| [5, 6].contains(id)), "{q}: no t-shirts first: {found:?}");
    }
    for q in ["camiseta", "maglietta", "تيشيرت"] {
        assert_eq!(first(&idx, q), Some(5), "{q}: {:?}", ids(&idx, q));
    }
    assert_eq!(first(&idx, "jean bleu"), Some(13));
    assert_eq!(first(&idx, "blaue Jeans"), Some(13));
    assert_eq!(first(&idx, "ceinture en cuir"), Some(14));
    assert_eq!(first(&idx, "pantalon en coton"), Some(11));
    assert_eq!(first(&idx, "بنطلون قطن"), Some(11));
}

#[test]
fn catalogs_in_other_languages() {
    let fr = vec![
        product(1, "Casquette de baseball", &["Accessoires"], true),
        product(2, "Chapeau de paille", &["Accessoires"], true),
        product(3, "Bonnet en laine", &["Accessoires"], true),
        product(4, "Sweat à capuche bleu", &["Sweats"], true),
        product(5, "T-shirt blanc", &["T-shirts"], true),
    ];
    let (_d, idx) = index(&fr, &settings("fr"));
    assert_eq!(first(&idx, "bonnets"), Some(3));
    assert_eq!(first(&idx, "chapeaux"), Some(2));
    assert_eq!(first(&idx, "casquettes"), Some(1));
    assert_eq!(first(&idx, "sweats à capuche"), Some(4));
    assert_eq!(first(&idx, "hoodie"), Some(4));
    assert_eq!(first(&idx, "beanie"), Some(3));
    assert_eq!(first(&idx, "tshirts"), Some(5));
    assert_eq!(idx.settings().language, "fr");

    let ar = vec![
        product(1, "قبعة بيسبول", &["إكسسوارات"], true),
        product(2, "قميص أزرق", &["ملابس"], true),
        product(3, "بنطلون قطن", &["ملابس"], true),
    ];
    let (_d, idx) = index(&ar, &settings("ar"));
    assert_eq!(first(&idx, "قبعات"), Some(1));
    assert_eq!(first(&idx, "القبعة"), Some(1));
    assert_eq!(first(&idx, "قُبَّعَة"), Some(1));
    assert_eq!(first(&idx, "cap"), Some(1));
    assert_eq!(first(&idx, "ازرق"), Some(2));
    assert_eq!(first(&idx, "blue shirt"), Some(2));
    assert_eq!(first(&idx, "بالقطن"), Some(3));

    let de = vec![product(1, "Strickmütze", &["Mützen"], true), product(2, "Kapuzenpullover Grau", &["Pullover"], true)];
    let (_d, idx) = index(&de, &settings("de"));
    assert_eq!(first(&idx, "Mütze"), Some(1));
    assert_eq!(first(&idx, "hoodie"), Some(2));
}

#[test]
fn merchant_synonyms() {
    let s = IndexSettings::default().with_synonyms(vec![vec!["kangaroo".into(), "hoodie".into()], vec![" ".into()]]).unwrap();
    assert_eq!(s.synonyms.len(), 1);
    let (_dir, idx) = index(&shop(), &s);
    assert!(ids(&idx, "kangaroo").first().is_some_and(|id| [4, 8].contains(id)));
    let (_dir2, plain) = index(&shop(), &IndexSettings::default());
    assert!(ids(&plain, "kangaroo").is_empty());
    assert!(IndexSettings::default().with_synonyms(vec![vec!["a".into(); 21]]).is_err());
}

#[test]
fn stock_and_category_ranking() {
    let (_dir, idx) = index(&shop(), &IndexSettings::default());
    let hoodies = ids(&idx, "hoodie");
    let old = hoodies.iter().position(|&id| id == 15).unwrap();
    let in_stock = hoodies.iter().position(|&id| id == 8).unwrap();
    assert!(old > in_stock, "out of stock after in stock: {hoodies:?}");
    let asked = idx.search("hoodie", 10, &Filters { in_stock: Some(false), ..Filters::default() }).unwrap();
    assert_eq!(asked.iter().map(|h| h.id).collect::<Vec<_>>(), [15]);
    let boosted = Filters { category_boost: vec!["clothing".into()], ..Filters::default() };
    let found: Vec<i64> = idx.search("hoodie", 10, &boosted).unwrap().into_iter().map(|h| h.id).collect();
    assert_eq!(found.first(), Some(&8), "{found:?}");
    assert!(found.contains(&4), "a boost does not filter: {found:?}");
    let only = Filters { category: Some("Hoodies".into()), ..Filters::default() };
    assert_eq!(idx.search("hoodie", 10, &only).unwrap().into_iter().map(|h| h.id).collect::<Vec<_>>(), [4]);
}

#[test]
fn legacy_index_still_reads() {
    let (dir, _idx) = index(&shop(), &IndexSettings::default());
    // An index written before settings: no file; it opens with the old analyzer.
    let current = std::fs::read_to_string(dir.path().join("CURRENT")).unwrap();
    let generation = dir.path().join(current.trim());
    std::fs::remove_file(generation.join(super::settings::FILE)).unwrap();
    std::fs::write(dir.path().join("CURRENT"), current.trim()).unwrap();
    // The cache still holds the opened generation; a fresh SearchIndex reads the files.
    let settings = IndexSettings::load(&generation).unwrap();
    assert!(settings.is_legacy());
    // Opened from another directory (the cache is per directory and generation).
    let copy = tempfile::tempdir().unwrap();
    let target = copy.path().join(current.trim());
    std::fs::create_dir(&target).unwrap();
    for entry in std::fs::read_dir(&generation).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), target.join(entry.file_name())).unwrap();
    }
    std::fs::write(copy.path().join("CURRENT"), current.trim()).unwrap();
    let legacy = SearchIndex::open(copy.path()).unwrap();
    assert!(legacy.settings().is_legacy());
    assert_eq!(ids(&legacy, "cap").first(), Some(&1), "unstemmed words still match");
    std::fs::write(generation.join(super::settings::FILE), b"{not json").unwrap();
    assert!(IndexSettings::load(&generation).is_err());
}

#[test]
fn compounds_phrases_skus_and_typed_typos() {
    let mut products = shop();
    products.push(product(20, "Leather Jacket", &["Jackets"], true));
    products.push(product(21, "Denim Jacket", &["Jackets"], true));
    products.push(product(22, "Raincoat", &["Jackets"], true));
    products.push(product(23, "Wool Scarf", &["Accessories"], true));
    let sku = Value::Map(leak(vec![
        (Key::Str(b"id"), Value::Int(24)),
        (Key::Str(b"name"), Value::Str(b"Trail Backpack")),
        (Key::Str(b"sku"), Value::Str(b"NOR-BAC-11633")),
    ]));
    products.push(sku);
    let (_dir, idx) = index(&products, &IndexSettings::default());
    assert_eq!(first(&idx, "Lederjacke"), Some(20), "leder + jacke");
    assert_eq!(first(&idx, "Wollschal"), Some(23), "wolle + schal");
    assert_eq!(first(&idx, "rain jacket"), Some(22), "a phrase naming a concept weighs nearly as the shopper's words");
    assert_eq!(first(&idx, "sac à dos"), Some(24));
    assert_eq!(first(&idx, "sku nor-bac-11633"), Some(24));
    assert_eq!(first(&idx, "do you have NOR-BAC-11633?"), Some(24));
    assert_eq!(first(&idx, "NOR-BAC-١١٦٣٣"), Some(24), "Arabic-Indic digits in a SKU");
    assert_eq!(first(&idx, "عندكم NOR-BAC-۱۱۶۳۳؟"), Some(24), "Persian digits, among Arabic words");
    assert!(ids(&idx, "hodie").first().is_some_and(|id| [4, 8].contains(id)), "{:?}", ids(&idx, "hodie"));
}

/// Any text is a query: random mixes of scripts, marks, hyphens and lexicon
/// words never panic and never fail.
#[test]
fn random_queries_never_fail() {
    let (_dir, idx) = index(&shop(), &IndexSettings::default());
    let (_d2, ar) = index(&shop(), &settings("ar"));
    let pieces = [
        "hat", "-", " ", "t", "shirt", "ال", "و", "ب", "قبعة", "\u{064B}", "ـ", "Mütze", "n", "jacke", "leder", "ß", "é",
        "蓝", "😀", "'", "sac à dos", "rain", "jacket", "\u{0301}", "NOR-1", "?", "١٢", "ى", "ة", "xx", "s",
    ];
    let mut x: u32 = 0x9E37_79B9;
    for _ in 0..2000 {
        let mut q = String::new();
        for _ in 0..(x % 12) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            q.push_str(pieces[(x as usize) % pieces.len()]);
        }
        x = x.wrapping_add(0x6D2B_79F5);
        assert!(idx.search(&q, 5, &Filters::default()).is_ok(), "{q:?}");
        assert!(ar.search(&q, 5, &Filters { category_boost: vec![q.clone()], ..Filters::default() }).is_ok(), "{q:?}");
    }
}

#[test]
fn removed_index_folders_leave_the_cache() {
    let (a, _) = index(&shop(), &IndexSettings::default());
    let removed = a.path().canonicalize().unwrap();
    assert!(SearchIndex::cached_dirs().contains(&removed));
    drop(a); // The folder is deleted, as a replaced generation is.
    let (_b, _) = index(&shop(), &IndexSettings::default());
    assert!(!SearchIndex::cached_dirs().contains(&removed), "the next open drops it");
}

/// The index written on its own thread, from lines both frozen and not, is the one written in place.
#[test]
fn background_index_matches_the_one_written_in_place() {
    let mut cat: Catalog = Catalog::new(Options::default()).unwrap();
    for (i, name) in ["Blue shirt", "Red wallet", "Green scarf"].iter().enumerate() {
        assert!(cat.add(Ok(product(i as i64 + 1, name, &["Clothing"], true))));
    }
    let _ = cat.freeze(); // these lines now live in the frozen output ...
    assert!(cat.add(Ok(product(2, "Black wallet", &["Accessories"], true)))); // ... this one in the lines
    assert!(cat.add(Ok(product(4, "Wool hat", &["Clothing"], false))));
    let settings = IndexSettings::default();
    let (here, there) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    cat.write_index(here.path(), &settings).unwrap();
    // SAFETY: the catalog is neither changed nor dropped before the job is waited for.
    let job = unsafe { cat.index_in_background(there.path(), settings.clone()) }.unwrap();
    job.wait().unwrap();
    let (a, b) = (SearchIndex::open(here.path()).unwrap(), SearchIndex::open(there.path()).unwrap());
    assert_eq!(b.len(), 4);
    for q in ["wallet", "black", "red", "hat", "shirt"] {
        assert_eq!(ids(&a, q), ids(&b, q), "{q}");
    }
    assert_eq!(ids(&b, "red"), Vec::<i64>::new(), "product 2 was replaced");

    // An error on the thread comes back from wait().
    let file = there.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    // SAFETY: as above.
    let job = unsafe { cat.index_in_background(&file, IndexSettings::default()) }.unwrap();
    assert!(job.wait().is_err());
}
