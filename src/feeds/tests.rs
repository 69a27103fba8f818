use std::borrow::Cow;
use std::collections::BTreeMap;

use super::openai::{availability, row, tracked, units, FeedOptions};
use super::{lookup, minor_units, write};
use crate::catalog::{Document, Variation};

fn doc(id: i64) -> Document<'static> {
    Document {
        id,
        name: Cow::Borrowed("Hoodie"),
        sku: Some(Cow::Borrowed("H-1")),
        kind: Cow::Borrowed("simple"),
        status: Cow::Borrowed("publish"),
        url: Some(Cow::Borrowed("https://shop.test/p/hoodie")),
        price: Some(Cow::Borrowed("40.00")),
        regular_price: Some(Cow::Borrowed("45.00")),
        sale_price: Some(Cow::Borrowed("40.00")),
        currency: Cow::Borrowed("USD"),
        on_sale: true,
        stock_status: Cow::Borrowed("instock"),
        stock_quantity: Some(3),
        categories: vec![Cow::Borrowed("Clothing")],
        tags: vec![],
        attributes: BTreeMap::new(),
        variations: vec![],
        text: Cow::Borrowed("Warm."),
        image: Some(Cow::Borrowed("https://shop.test/h.jpg")),
        rating: None,
        review_count: 0,
        updated_at: None,
    }
}

fn opts() -> FeedOptions {
    FeedOptions { seller_name: "Shop".into(), brand: "Shop".into(), store_country: "US".into(), target_countries: vec!["US".into()], ..FeedOptions::default() }
}

#[test]
fn minor_units_round_and_reject() {
    assert_eq!(minor_units("79.99", 2), Some(7999));
    assert_eq!(minor_units("79.995", 2), Some(8000));
    assert_eq!(minor_units("5", 2), Some(500));
    assert_eq!(minor_units("1200", 0), Some(1200));
    assert_eq!(minor_units("-1", 2), None);
    assert_eq!(minor_units("1e3", 2), None);
    assert_eq!(minor_units("99999999999999999999", 2), None);
}

#[test]
fn links_carry_the_agent() {
    assert_eq!(tracked("https://a.test/p", "chatgpt"), "https://a.test/p?utm_source=chatgpt&utm_medium=ai_agent");
    assert_eq!(tracked("https://a.test/?p=1#x", "g"), "https://a.test/?p=1&utm_source=g&utm_medium=ai_agent#x");
}

#[test]
fn availability_maps_woocommerce_statuses() {
    assert_eq!(availability("instock"), Some("in_stock"));
    assert_eq!(availability("outofstock"), Some("out_of_stock"));
    assert_eq!(availability("onbackorder"), Some("backorder"));
    assert_eq!(availability("weird"), None);
}

#[test]
fn simple_product_row_has_regular_and_sale_price() {
    let d = doc(7);
    let o = opts();
    let u = units(&d).unwrap();
    let r = row(&d, &u[0], &o, "USD").unwrap();
    assert_eq!(r.price, "45.00 USD");
    assert_eq!(r.sale_price.as_deref(), Some("40.00 USD"));
    assert!(!r.is_eligible_checkout);
    // A sale scheduled for later, as the catalog hands it over: the sale price stored, the regular
    // one selling, on_sale false (WooCommerce's rule, held in catalog::tests).
    let mut scheduled = doc(9);
    scheduled.price = Some(Cow::Borrowed("45.00"));
    scheduled.on_sale = false;
    let u = units(&scheduled).unwrap();
    assert_eq!(row(&scheduled, &u[0], &o, "USD").unwrap().sale_price, None, "a sale that has not started");
    let mut no_image = doc(8);
    no_image.image = None;
    let u = units(&no_image).unwrap();
    assert_eq!(row(&no_image, &u[0], &o, "USD").err(), Some("no_image"));
}

#[test]
fn variations_become_rows_and_lookup_finds_products() {
    let mut v = doc(10);
    v.kind = Cow::Borrowed("variable");
    let mut attrs = BTreeMap::new();
    attrs.insert(Cow::Borrowed("Color"), Cow::Borrowed("Blue"));
    v.variations = vec![
        Variation { id: 11, sku: None, price: Some(Cow::Borrowed("20.00")), regular_price: Some(Cow::Borrowed("20.00")), sale_price: None, on_sale: false, stock_status: Cow::Borrowed("outofstock"), stock_quantity: None, attributes: attrs },
        Variation { id: 12, sku: None, price: None, regular_price: None, sale_price: None, on_sale: false, stock_status: Cow::Borrowed("instock"), stock_quantity: None, attributes: BTreeMap::new() },
    ];
    let mut o = opts();
    o.exclude.insert(99);
    let dir = tempfile::tempdir().unwrap();
    let docs = vec![Ok(doc(7)), Ok(v), Ok(doc(99))];
    let report = write(docs.into_iter(), &o, "USD", dir.path()).unwrap();
    assert_eq!(report.rows, 2);
    assert_eq!(report.skipped.get("no_price"), Some(&1));
    assert_eq!(report.skipped.get("hidden"), Some(&1));
    let found = lookup(dir.path(), &[10, 99, 7]).unwrap();
    assert!(found[0].as_deref().unwrap().contains("\"amount\":2000"));
    assert!(found[1].is_none());
    assert!(found[2].as_deref().unwrap().contains("\"list_price\""));
}

type Files = Vec<(String, Vec<u8>)>;

/// The files `write` makes for a catalog built from `lines` (each decoded and added as
/// `addMany` would be given it; lines that are not JSON left out) and the files
/// `write_from_snapshot` makes from the same lines, by name.
fn both_ways(lines: &str, o: &FeedOptions) -> (Files, Files, super::SnapshotReport, super::FeedReport) {
    use crate::catalog::{decode_json, Catalog, DecodeError, Options};
    let options = Options { currency: "EUR".into(), ..Options::default() };
    let mut catalog: Catalog = Catalog::new(options.clone()).unwrap();
    for line in lines.split('\n') {
        let arena = bumpalo::Bump::new();
        match decode_json(line.as_bytes(), &arena) {
            Ok(v) => {
                catalog.add(Ok(v));
            }
            Err(DecodeError::Input(e)) => catalog.reject(crate::catalog::input_error(None, &e)),
            Err(DecodeError::Syntax(..)) => {}
        }
    }
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let from_catalog = write(catalog.documents(), o, "EUR", a.path()).unwrap();
    let file = b.path().join("catalog.ndjson");
    std::fs::write(&file, lines).unwrap();
    let out = b.path().join("feeds");
    let streamed = super::write_from_snapshot(&file, &options, o, &out).unwrap();
    let files = |dir: &std::path::Path| {
        let mut v: Files = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap()).map(|e| (e.file_name().into_string().unwrap(), std::fs::read(e.path()).unwrap())).collect();
        v.sort();
        v
    };
    (files(a.path()), files(&out), streamed, from_catalog)
}

const SNAPSHOT: &str = r#"{"id":1,"name":"Shirt","status":"publish","permalink":"https://s.test/shirt","image":"https://s.test/1.jpg","regular_price":"25","sale_price":"19.5","price":"19.5","description":"<p>Soft <b>cotton</b> &amp; more</p>","categories":["Tops"],"attributes":{"Brand":["Acme"]}}
{"id":2,"name":"Boot","type":"variable","status":"publish","permalink":"https://s.test/boot?x=1","image":"https://s.test/2.jpg","attributes":{"Size":["40","41"]},"variations":[{"id":21,"price":"90","regular_price":"90","stock_status":"instock","attributes":{"Size":"40"}},{"id":22,"price":"95","regular_price":"95","stock_status":"outofstock","stock_quantity":0,"attributes":{"Size":"41"}}]}
not json at all
{"id":3,"name":"Scheduled sale","status":"publish","permalink":"https://s.test/3","image":"https://s.test/3.jpg","regular_price":"50","sale_price":"40","price":"50","date_on_sale_from":"2999-01-01T00:00:00"}

{"id":4,"name":"Hidden","status":"publish","permalink":"https://s.test/4","image":"https://s.test/4.jpg","price":"7"}
{"id":"x","name":"Bad id"}
{"id":5,"name":"Caf\u00e9 \"quoted\"","status":"publish","permalink":"https://s.test/5","image":"https://s.test/5.jpg","price":"5","0":"zero key","12":"int key"}
{"id":6,"name":"Draft","status":"draft","permalink":"https://s.test/6","image":"https://s.test/6.jpg","price":"7"}"#;

#[test]
fn streamed_from_a_snapshot_equals_the_catalogs_feed() {
    let mut o = opts();
    o.exclude.insert(4);
    o.return_policy = Some("https://s.test/refunds".into());
    let (from_catalog, streamed, report, feed) = both_ways(SNAPSHOT, &o);
    assert_eq!(from_catalog.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(), ["acp-products.jsonl.gz", "openai-feed.jsonl.gz", "ucp-products.idx", "ucp-products.jsonl"]);
    assert_eq!(from_catalog, streamed, "byte for byte");
    assert_eq!(report.feed, feed);
    assert_eq!((report.lines, report.rejected), (9, 2));
    assert_eq!(report.errors.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [3, 7]);
    assert!(report.errors[0].1.error.starts_with("not valid JSON"), "{:?}", report.errors);
    assert_eq!(feed.rows, 5, "{feed:?}");
    assert_eq!(feed.skipped.get("hidden"), Some(&1));
    assert_eq!(feed.skipped.get("not_published"), Some(&1));
}

#[test]
fn a_repeated_id_keeps_its_first_place_and_last_accepted_version() {
    let o = opts();
    let lines = format!(
        "{SNAPSHOT}\n{}\n{}\n{}",
        r#"{"id":1,"name":"Shirt v2","status":"publish","permalink":"https://s.test/shirt","image":"https://s.test/1.jpg","price":"30"}"#,
        r#"{"id":1,"name":"","status":"publish"}"#,
        r#"{"id":2,"name":"Boot v2","status":"publish","permalink":"https://s.test/boot","image":"https://s.test/2.jpg","price":"99"}"#
    );
    let (from_catalog, streamed, report, _) = both_ways(&lines, &o);
    assert_eq!(from_catalog, streamed, "byte for byte");
    let ucp = String::from_utf8(from_catalog.iter().find(|f| f.0 == "ucp-products.jsonl").unwrap().1.clone()).unwrap();
    let titles: Vec<&str> = ucp.lines().map(|l| l.split("\"title\":\"").nth(1).unwrap().split('"').next().unwrap()).collect();
    assert_eq!(&titles[..2], ["Shirt v2", "Boot v2"], "first place, last accepted version (the nameless one is refused)");
    assert_eq!(report.rejected, 3);
}

#[test]
fn snapshot_errors_leave_the_feed_in_place() {
    use crate::catalog::Options;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("feeds");
    let file = dir.path().join("catalog.ndjson");
    std::fs::write(&file, SNAPSHOT).unwrap();
    let options = Options { currency: "EUR".into(), ..Options::default() };
    super::write_from_snapshot(&file, &options, &opts(), &out).unwrap();
    let before = std::fs::read(out.join("openai-feed.jsonl.gz")).unwrap();
    let missing = super::write_from_snapshot(&dir.path().join("nope.ndjson"), &options, &opts(), &out).unwrap_err();
    assert!(missing.to_string().contains("nope.ndjson"), "{missing}");
    let a_dir = super::write_from_snapshot(dir.path(), &options, &opts(), &out).unwrap_err();
    assert_eq!(a_dir.reason(), "invalid_argument");
    // A folder (not empty) where the first file is swapped in: the write fails and nothing else changes.
    std::fs::remove_file(out.join("ucp-products.jsonl")).unwrap();
    std::fs::create_dir_all(out.join("ucp-products.jsonl/x")).unwrap();
    let blocked = super::write_from_snapshot(&file, &options, &opts(), &out).unwrap_err();
    assert_eq!(blocked.reason(), "io");
    assert_eq!(std::fs::read(out.join("openai-feed.jsonl.gz")).unwrap(), before);
    let left: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).filter(|n| n.ends_with(".tmp")).collect();
    assert!(left.is_empty(), "the temporary files are removed: {left:?}");
}

#[test]
fn an_overlong_line_is_skipped_and_reported() {
    use crate::catalog::Options;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("catalog.ndjson");
    let long = format!("{{\"id\":9,\"name\":\"{}\"}}", "a".repeat(super::MAX_LINE));
    std::fs::write(&file, format!("{long}\n{}", SNAPSHOT.lines().next().unwrap())).unwrap();
    let options = Options { currency: "EUR".into(), ..Options::default() };
    let r = super::write_from_snapshot(&file, &options, &opts(), &dir.path().join("feeds")).unwrap();
    assert_eq!((r.lines, r.rejected, r.feed.rows), (2, 1, 1));
    assert!(r.errors[0].1.error.contains("line longer than"), "{:?}", r.errors);
}

/// The files in `dir` (temporary ones too, so a leftover shows), by name.
fn read_dir(dir: &std::path::Path) -> Files {
    let mut v: Files = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap()).map(|e| (e.file_name().into_string().unwrap(), std::fs::read(e.path()).unwrap())).collect();
    v.sort();
    v
}

fn catalog_docs() -> Vec<Result<Document<'static>, crate::catalog::CatalogError>> {
    let mut no_price = doc(3);
    no_price.price = None;
    no_price.regular_price = None;
    vec![Ok(doc(1)), Ok(doc(2)), Ok(no_price), Ok(doc(99))]
}

#[test]
fn only_the_kinds_asked_for_are_written_and_the_others_removed() {
    use super::Files as Kinds;
    let mut o = opts();
    o.exclude.insert(99);
    let all = tempfile::tempdir().unwrap();
    let full = write(catalog_docs().into_iter(), &o, "USD", all.path()).unwrap();
    assert_eq!(full.files, ["openai", "acp", "ucp"]);
    assert_eq!((full.rows, full.products), (2, 2), "{full:?}");
    let everything = read_dir(all.path());
    let names = |f: &Files| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&everything), ["acp-products.jsonl.gz", "openai-feed.jsonl.gz", "ucp-products.idx", "ucp-products.jsonl"]);
    let cases: [(Kinds, &[&str], &[&str]); 5] = [
        (Kinds { openai: false, acp: false, ucp: true }, &["ucp"], &["ucp-products.idx", "ucp-products.jsonl"]),
        (Kinds { openai: true, acp: true, ucp: false }, &["openai", "acp"], &["acp-products.jsonl.gz", "openai-feed.jsonl.gz"]),
        (Kinds { openai: true, acp: false, ucp: false }, &["openai"], &["openai-feed.jsonl.gz"]),
        (Kinds { openai: false, acp: true, ucp: false }, &["acp"], &["acp-products.jsonl.gz"]),
        (Kinds::NONE, &[], &[]),
    ];
    for (files, kinds, expect) in cases {
        // Over a folder holding every file from before: those not asked for go.
        let dir = tempfile::tempdir().unwrap();
        write(catalog_docs().into_iter(), &o, "USD", dir.path()).unwrap();
        let mut some = o.clone();
        some.files = files;
        let r = write(catalog_docs().into_iter(), &some, "USD", dir.path()).unwrap();
        assert_eq!(r.files, kinds);
        let left = read_dir(dir.path());
        assert_eq!(names(&left), expect, "{files:?}");
        for f in &left {
            assert!(everything.contains(f), "{} is byte for byte the one written with every kind", f.0);
        }
        assert_eq!(r.rows, if files.openai { 2 } else { 0 }, "{files:?}: rows count only the flat feed's");
        assert_eq!(r.products, if files.ucp || files.acp { 2 } else { 0 }, "{files:?}");
        let hidden = usize::from(files != Kinds::NONE);
        assert_eq!(r.skipped.get("hidden").copied().unwrap_or(0), hidden, "{files:?} {:?}", r.skipped);
        assert_eq!(r.skipped.contains_key("no_price"), files.openai, "{files:?}: the flat feed's reasons only with it {:?}", r.skipped);
    }
}

#[test]
fn a_failed_write_with_some_kinds_removes_nothing() {
    use super::Files as Kinds;
    let dir = tempfile::tempdir().unwrap();
    write(catalog_docs().into_iter(), &opts(), "USD", dir.path()).unwrap();
    let before = read_dir(dir.path());
    let mut o = opts();
    o.files = Kinds { openai: false, acp: false, ucp: true };
    let docs = vec![Ok(doc(1)), Err(crate::catalog::CatalogError::Io("read failed".into()))];
    assert!(write(docs.into_iter(), &o, "USD", dir.path()).is_err());
    assert_eq!(read_dir(dir.path()), before, "the old files all stay, no temporary file is left");
}

#[test]
fn streamed_with_some_kinds_equals_the_catalogs_files() {
    use super::Files as Kinds;
    for files in [Kinds { openai: false, acp: false, ucp: true }, Kinds { openai: true, acp: true, ucp: false }, Kinds::NONE] {
        let mut o = opts();
        o.files = files;
        let (from_catalog, streamed, report, feed) = both_ways(SNAPSHOT, &o);
        assert_eq!(from_catalog, streamed, "{files:?}: byte for byte");
        assert_eq!(report.feed, feed);
        assert_eq!(feed.files, files.names());
        assert_eq!((report.lines, report.rejected), (9, 2), "the snapshot is still read and reported");
        assert_eq!(from_catalog.len(), usize::from(files.openai) + usize::from(files.acp) + 2 * usize::from(files.ucp));
    }
}
