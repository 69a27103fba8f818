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
    let mut scheduled = doc(9);
    scheduled.price = Some(Cow::Borrowed("45.00"));
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
