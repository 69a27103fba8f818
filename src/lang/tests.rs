use super::*;

fn lang(text: &str) -> &'static str {
    detect(text, &[]).language
}

#[test]
fn short_shopper_questions() {
    let cases = [
        ("avez-vous des bonnets ?", "fr"),
        ("habt ihr Mützen?", "de"),
        ("هل لديكم قبعات؟", "ar"),
        ("¿tienen gorras?", "es"),
        ("vocês têm bonés?", "pt"),
        ("avete dei cappelli?", "it"),
        ("do you have caps?", "en"),
        ("do you ship to Canada?", "en"),
        ("livrez-vous au Canada ?", "fr"),
        ("liefert ihr nach Kanada?", "de"),
        ("¿hacen envíos a Canadá?", "es"),
        ("quanto costa la felpa?", "it"),
        ("quanto custa o moletom?", "pt"),
        ("where is my order 1042?", "en"),
        ("où est ma commande 1042 ?", "fr"),
        ("Wo ist meine Bestellung?", "de"),
        ("أين طلبي رقم ١٠٤٢", "ar"),
        ("Привет, есть шапки?", "ru"),
        ("帽子有吗", "zh"),
        ("I am looking for a blue hoodie under 50 dollars", "en"),
        ("Je cherche un sweat à capuche bleu à moins de 50 euros", "fr"),
        ("Ich suche einen blauen Kapuzenpullover unter 50 Euro", "de"),
        ("merci", "fr"),
        ("danke", "de"),
        ("gracias", "es"),
        ("obrigado", "pt"),
        ("grazie", "it"),
        ("hello", "en"),
        ("Busco una sudadera con capucha azul de menos de 50 euros", "es"),
    ];
    for (text, want) in cases {
        assert_eq!(lang(text), want, "{text}");
    }
}

#[test]
fn unsure_is_empty() {
    for text in ["hi", "ok", "42", "1042 !!", "", "   ", "😀😀", "xl", "hoodie", "Hoodie?", "SKU-000123", "Nike Air Max 90"] {
        let d = detect(text, &[]);
        assert_eq!(d.language, "", "{text}");
        assert!(d.confidence.abs() < f64::EPSILON);
    }
}

#[test]
fn allowlist_narrows() {
    assert_eq!(detect("habt ihr Mützen?", &["en", "fr"]).language, "");
    assert_eq!(detect("هل لديكم قبعات؟", &["en", "fr", "es"]).language, "");
    assert_eq!(detect("Hoe gaat het met jou vandaag, mijn vriend?", &["nl", "en", "de"]).language, "nl");
    assert_eq!(supported("FR"), Some("fr"));
    assert_eq!(supported("xx"), None);
}

#[test]
fn confidence_in_range() {
    let d = detect("avez-vous des bonnets ?", &[]);
    assert!(d.confidence > 0.5 && d.confidence <= 1.0, "{d:?}");
}

#[test]
fn digits() {
    assert_eq!(normalize_digits("أقل من ٥٠ ريال"), "أقل من 50 ريال");
    assert_eq!(normalize_digits("۰۹۱۲۳۴۵۶۷۸۹"), "09123456789");
    assert_eq!(normalize_digits("٣٫٥ و ١٬٠٠٠"), "3.5 و 1,000");
    assert_eq!(normalize_digits("order 1042"), "order 1042");
}

#[test]
fn arabic() {
    assert_eq!(normalize_arabic("أحمر إبرة آلة ٱسم"), "احمر ابره اله اسم");
    assert_eq!(normalize_arabic("مؤسسة رئيس مستشفى"), "موسسه رييس مستشفي");
    assert_eq!(normalize_arabic("قُبَّعَة"), "قبعه");
    assert_eq!(normalize_arabic("قبـــعة"), "قبعه");
    assert_eq!(strip_arabic_prefix("القبعات"), "قبعات");
    assert_eq!(strip_arabic_prefix("والقبعات"), "قبعات");
    assert_eq!(strip_arabic_prefix("بالقطن"), "قطن");
    assert_eq!(strip_arabic_prefix("وقميص"), "قميص");
    assert_eq!(strip_arabic_prefix("الم"), "الم", "two letters would remain");
    assert_eq!(strip_arabic_prefix("بلد"), "بلد");
}

#[test]
fn lexicon_parses() {
    let lex = Lexicon::builtin();
    assert!(lex.concepts.len() > 80);
    let phrases: usize = lex.concepts.iter().map(|c| c.phrases.len()).sum();
    assert!(phrases > 600, "{phrases}");
    let beanie = lex.concept("beanie").map(|c| c.phrases.clone()).unwrap_or_default();
    assert!(beanie.contains(&("fr".to_owned(), "bonnets".to_owned())));
    for c in &lex.concepts {
        for r in &c.related {
            assert!(lex.concept(r).is_some(), "{} relates to unknown {r}", c.id);
        }
        for (code, _) in &c.phrases {
            assert!(supported(code).is_some(), "{}: {code}", c.id);
        }
    }
    let m = Lexicon::from_groups(&[vec!["hoodie".into(), "kangaroo".into()], vec!["alone".into()]]);
    assert_eq!(m.concepts.len(), 1);
}

#[test]
fn digits_keep_other_bytes() {
    assert_eq!(normalize_digits_bytes(b"\xff\xd9\xa5\xd9"), b"\xff5\xd9");
    assert_eq!(normalize_digits_bytes("٠١٢٣٤٥٦٧٨٩".as_bytes()), b"0123456789");
}

#[test]
fn shop_words_tell_the_language() {
    assert_eq!(lang("sweats à capuche"), "fr");
    assert_eq!(lang("Kapuzenpullover"), "de");
    assert_eq!(lang("sudaderas con capucha"), "es");
    assert_eq!(lang("felpe con cappuccio"), "it");
    assert_eq!(lang("moletom com capuz"), "pt");
    assert_eq!(lang("bonnets"), "fr");
}
