use super::text::{html_to_text, truncate_words, Repairs};
use super::*;

use std::borrow::Cow;

fn text(html: &str) -> String {
    html_to_text(html.as_bytes(), true, &mut Repairs::default()).into_owned()
}

/// A product map; its entries are leaked (tests only) so the tree can be 'static.
fn product(pairs: &[(&'static str, Value<'static>)]) -> Value<'static> {
    let entries: Vec<_> = pairs.iter().map(|(k, v)| (Key::Str(k.as_bytes()), *v)).collect();
    Value::Map(Box::leak(entries.into_boxed_slice()))
}

#[test]
fn html_becomes_text() {
    assert_eq!(text("<p>Soft <b>cotton</b></p><p>Blue&nbsp;&amp;&#32;red&#x1F600;</p>"), "Soft cotton\nBlue & red😀");
    assert_eq!(text("a<script>var x = '<p>';</script>b<!-- note -->c<style>p{}</style>"), "abc");
    assert_eq!(text("[gallery ids=\"1,2\"]Hi [caption]there[/caption] [M] [1]"), "Hi there [M] [1]");
    assert_eq!(text("x < y &bogus; &#0; a<br/>b"), "x < y &bogus; \u{FFFD} a\nb");
    assert_eq!(text("  lots \t of\r\n\n   space  "), "lots of\nspace");
    let mut r = Repairs::default();
    assert_eq!(html_to_text(b"ok\xFF\xE2\x82 end", false, &mut r), "ok\u{FFFD}\u{FFFD} end");
    assert_eq!(r.utf8, 2);
}

#[test]
fn truncates_at_words() {
    let mut s = Cow::from("alpha beta gamma");
    assert!(truncate_words(&mut s, 13));
    assert_eq!(s, "alpha beta");
    let mut s = Cow::from("alpha beta");
    assert!(truncate_words(&mut s, 5));
    assert_eq!(s, "alpha");
    let mut s = Cow::from("unbreakable");
    assert!(truncate_words(&mut s, 4));
    assert_eq!(s, "unbr");
    let mut s = Cow::from("ab ééé ééé"); // characters, not bytes
    assert!(truncate_words(&mut s, 8));
    assert_eq!(s, "ab ééé");
    let mut s = Cow::from("short");
    assert!(!truncate_words(&mut s, 5));
}

#[test]
fn hash_ignores_key_order_and_sees_changes() {
    let a = product(&[("id", Value::Int(7)), ("name", Value::Str(b"Mug")), ("price", Value::Str(b"9.5"))]);
    let b = product(&[("price", Value::Float(9.5)), ("name", Value::Str(b"Mug")), ("id", Value::Str(b"7"))]);
    let c = product(&[("id", Value::Int(7)), ("name", Value::Str(b"Mug")), ("price", Value::Str(b"9.51"))]);
    let hash = |p: Value<'_>| {
        let mut cat: Catalog = Catalog::new(Options::default()).unwrap();
        assert!(cat.add(Ok(p)));
        let first = cat.hashes().next().unwrap().1;
        first
    };
    assert_eq!(hash(a), hash(b));
    assert_ne!(hash(a), hash(c));
}

#[test]
fn rejects_with_reasons() {
    let mut cat: Catalog = Catalog::new(Options::default()).unwrap();
    assert!(!cat.add(Ok(product(&[("name", Value::Str(b"x"))]))));
    assert!(!cat.add(Ok(product(&[("id", Value::Int(1))]))));
    assert!(!cat.add(Ok(product(&[("id", Value::Int(2)), ("name", Value::Str(b"x")), ("price", Value::List(&[]))]))));
    let errors: Vec<_> = cat.errors().map(|e| e.error.clone()).collect();
    assert_eq!(errors[0], "missing id");
    assert_eq!(errors[1], "missing name");
    assert!(errors[2].contains("wrong type for 'price'"), "{}", errors[2]);
}

#[test]
fn index_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let mut cat: Catalog = Catalog::new(Options::default()).unwrap();
    cat.add(Ok(product(&[("id", Value::Int(1)), ("name", Value::Str(b"Blue Cotton Shirt")), ("sku", Value::Str(b"SH-1")), ("price", Value::Str(b"20"))])));
    cat.add(Ok(product(&[("id", Value::Int(2)), ("name", Value::Str("قميص أزرق".as_bytes())), ("price", Value::Str(b"30")), ("stock_status", Value::Str(b"outofstock"))])));
    cat.write_index(dir.path(), &crate::catalog::IndexSettings::default()).unwrap();
    let idx = SearchIndex::open(dir.path()).unwrap();
    let ids = |q: &str, f: &Filters| idx.search(q, 5, f).unwrap().into_iter().map(|h| h.id).collect::<Vec<_>>();
    assert_eq!(ids("shirt", &Filters::default()), [1]);
    assert_eq!(ids("sh-1", &Filters::default()), [1]);
    assert_eq!(ids("cottn shirt", &Filters::default()), [1]);
    assert_eq!(ids("cotton", &Filters::default()), [1]);
    assert_eq!(ids("coton", &Filters::default()), [1]);
    assert_eq!(ids("shrt", &Filters::default()), Vec::<i64>::new());
    // The lexicon also finds the blue shirt (أزرق = blue), and it is in stock:
    // the out-of-stock Arabic product comes after it.
    assert_eq!(ids("أزرق", &Filters::default()), [1, 2]);
    assert_eq!(ids("أزرق", &Filters { in_stock: Some(true), ..Filters::default() }), [1]);
    assert_eq!(ids("shirt", &Filters { price_min: Some(25.0), ..Filters::default() }), Vec::<i64>::new());
    assert!(ids("", &Filters::default()).is_empty());
}

#[test]
fn freeze_moves_lines_and_stays_in_step() {
    let mut cat: Catalog = Catalog::new(Options::default()).unwrap();
    for id in 1..=3 {
        assert!(cat.add(Ok(product(&[("id", Value::Int(id)), ("name", Value::Str(b"Mug"))]))));
    }
    let before = cat.to_ndjson();
    assert_eq!(cat.freeze().as_slice(), before.as_slice());
    assert_eq!(cat.freeze().as_slice(), before.as_slice()); // unchanged: same buffer
    // Replace product 2 and add 4 after freezing: lines come from both the
    // frozen buffer and the new lines, in first-seen order.
    assert!(cat.add(Ok(product(&[("id", Value::Int(2)), ("name", Value::Str(b"Cup"))]))));
    assert!(cat.add(Ok(product(&[("id", Value::Int(4)), ("name", Value::Str(b"Pot"))]))));
    let after = cat.to_ndjson();
    let names: Vec<String> = cat.documents().map(|d| d.unwrap().name.into_owned()).collect();
    assert_eq!(names, ["Mug", "Cup", "Mug", "Pot"]);
    assert_eq!(String::from_utf8(after.clone()).unwrap().lines().count(), 4);
    assert_eq!(cat.freeze().as_slice(), after.as_slice());
    assert_eq!(cat.batches(1 << 20).unwrap().concat(), after);
}

/// Products 1..=n with some duplicates (ids repeat every 97) and some rejects.
fn mixed_products(n: i64) -> Vec<Value<'static>> {
    (1..=n)
        .map(|i| {
            let name: &'static str = Box::leak(format!("Mug <b>{i}</b> &amp; tea").into_boxed_str());
            match i % 13 {
                0 => product(&[("id", Value::Int(i % 97 + 1)), ("name", Value::Str(name.as_bytes())), ("price", Value::Int(i))]),
                5 => product(&[("id", Value::Int(i)), ("price", Value::Str(b"x"))]),
                _ => product(&[("id", Value::Int(i)), ("name", Value::Str(name.as_bytes())), ("sku", Value::Str(b" S-1 "))]),
            }
        })
        .collect()
}

#[test]
fn threads_change_nothing_but_speed() {
    let products = mixed_products(8000);
    let run = |threads: usize| {
        let mut cat: Catalog = Catalog::new(Options { threads, ..Options::default() }).unwrap();
        let accepted = cat.add_all(&products, |p, _| Ok(*p));
        // A second call appends after (and replaces into) the first one's lines.
        let accepted = accepted + cat.add_all(&products[..500], |p, _| Ok(*p));
        let errors: Vec<String> = cat.errors().map(|e| format!("{:?} {}", e.id, e.error)).collect();
        let ndjson = cat.to_ndjson();
        // Frozen (by as many threads) it is the same, and so is a second freeze
        // after more products, which moves lines out of the first one.
        assert!(cat.freeze() == &ndjson, "{threads} threads froze other lines");
        cat.add_all(&products[1500..], |p, _| Ok(*p));
        let more = cat.to_ndjson();
        assert!(cat.freeze() == &more, "{threads} threads froze other lines the second time");
        (accepted, ndjson, errors, cat.stats(), more)
    };
    let one = run(1);
    // The hand-written JSON is serde_json's: each line re-serialized by serde_json is itself.
    for line in one.1.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let doc: Document<'_> = serde_json::from_slice(line).unwrap();
        let json = serde_json::to_string(&doc).unwrap();
        let without_hash = &line[..line.len() - r#","hash":"00000000000000000000000000000000"}"#.len()];
        assert_eq!(format!("{}}}", String::from_utf8_lossy(without_hash)), json);
    }
    assert_eq!(one.1.iter().filter(|&&b| b == b'\n').count(), one.3.products);
    assert!(one.2.len() > 100, "{}", one.2.len());
    for threads in [2, 3, 4, 7] {
        assert!(run(threads) == one, "{threads} threads differ from one");
    }
}

#[test]
fn a_sale_counts_only_while_it_is_the_selling_price() {
    let on_sale = |price: &'static [u8]| {
        let mut cat: Catalog = Catalog::new(Options::default()).unwrap();
        let mut pairs = vec![("id", Value::Int(1)), ("name", Value::Str(b"Lamp")), ("regular_price", Value::Str(b"30")), ("sale_price", Value::Str(b"24.99"))];
        if !price.is_empty() {
            pairs.push(("price", Value::Str(price)));
        }
        assert!(cat.add(Ok(product(&pairs))));
        String::from_utf8(cat.to_ndjson()).unwrap().contains("\"on_sale\":true")
    };
    assert!(on_sale(b"24.99"), "a running sale sells at its sale price");
    assert!(!on_sale(b"30"), "a sale scheduled for later: WooCommerce still sells at the regular price");
    assert!(on_sale(b""), "no active price given: the sale price below the regular one applies");
}
