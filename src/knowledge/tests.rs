use std::collections::HashMap;
use std::io::Write;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};

use super::*;

const RETURNS_PDF: &[u8] = include_bytes!("../../tests/fixtures/knowledge/returns.pdf");
const SMALL_PDF: &[u8] = include_bytes!("../../tests/fixtures/knowledge/small.pdf");
const CARE_DOCX: &[u8] = include_bytes!("../../tests/fixtures/knowledge/care.docx");
const ENCRYPTED_PDF: &[u8] = include_bytes!("../../tests/fixtures/knowledge/encrypted.pdf");

const MARKDOWN: &str = "# Shipping\n\nWe ship **worldwide** in 3-5 days. See [rates](https://x.test).\n\n## Costs\n\n- Free over 50 €\n- 4.90 € otherwise\n  1. nested\n\n> Quoted <b>text</b>\n\n| Zone | Days |\n|---|---|\n| EU | 3 |\n\n```\ncode\n```\n\nالشحن مجاني\n";
const HTML: &str = "<!doctype html><html><head><title>About</title><style>x{}</style></head><body><h1>Our story</h1><p>Founded in 1998 &amp; still <b>family</b>-run.</p><!-- c --><ul><li>Fair <i>trade</i></li><li>Organic</li></ul><table><tr><td>a</td><td>b</td></tr></table><script>var a='<p>';</script><h2>Ελληνικά</h2><p>Καλημέρα</p></body></html>";

fn kinds(doc: &Extracted) -> Vec<(BlockKind, &str)> {
    doc.blocks.iter().map(|b| (b.kind, b.text.as_str())).collect()
}

fn reason(r: Result<Extracted, KnowledgeError>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.reason(),
    }
}

#[test]
fn pdf_from_chromium_comes_out_structured_in_every_script() {
    let doc = extract(RETURNS_PDF, Some("returns.pdf"), &Limits::default()).unwrap();
    assert_eq!(doc.format, Format::Pdf);
    assert_eq!(doc.pages, 1);
    let blocks = kinds(&doc);
    assert_eq!(blocks[0], (BlockKind::Heading(1), "Returns policy"));
    assert!(blocks.contains(&(BlockKind::ListItem, "Pack the item in its original box.")));
    assert!(blocks.contains(&(BlockKind::Paragraph, "الإرجاع مجاني لجميع الطلبات خلال 30 يوما من الاستلام.")));
    assert!(blocks.contains(&(BlockKind::Paragraph, "所有订单均可在三十天内免费退货。")));
}

#[test]
fn markdown_and_html_keep_their_structure() {
    let md = extract(MARKDOWN.as_bytes(), Some("a.md"), &Limits::default()).unwrap();
    let b = kinds(&md);
    assert_eq!(b[0], (BlockKind::Heading(1), "Shipping"));
    assert_eq!(b[1], (BlockKind::Paragraph, "We ship worldwide in 3-5 days. See rates."));
    assert_eq!(b[2], (BlockKind::Heading(2), "Costs"));
    assert_eq!(b[3], (BlockKind::ListItem, "Free over 50 €"));
    assert!(b.contains(&(BlockKind::Paragraph, "Quoted text")));
    assert!(b.contains(&(BlockKind::Paragraph, "EU | 3")));
    assert!(b.contains(&(BlockKind::Paragraph, "الشحن مجاني")));
    let html = extract(HTML.as_bytes(), None, &Limits::default()).unwrap();
    assert_eq!(html.format, Format::Html);
    assert_eq!(html.title.as_deref(), Some("About"));
    assert_eq!(
        kinds(&html),
        vec![
            (BlockKind::Heading(1), "Our story"),
            (BlockKind::Paragraph, "Founded in 1998 & still family-run."),
            (BlockKind::ListItem, "Fair trade"),
            (BlockKind::ListItem, "Organic"),
            (BlockKind::Paragraph, "a | b"),
            (BlockKind::Heading(2), "Ελληνικά"),
            (BlockKind::Paragraph, "Καλημέρα"),
        ]
    );
}

#[test]
fn right_to_left_glyphs_are_put_in_reading_order() {
    let g = |s: &str| s.chars().map(|c| c.to_string()).collect::<Vec<_>>();
    // "30 يوم" in a right-to-left line is painted, left to right: م و ي, a space, 3 0.
    assert_eq!(pdf::reading_order(g("موي 30")).concat(), "30 يوم");
    assert_eq!(pdf::reading_order(g("ءام SKU-12 ءاع")).concat(), "عاء SKU-12 ماء");
}

#[test]
fn chunks_never_cross_headings_and_overlap_inside_a_section() {
    let sentences: Vec<String> = (1..=30).map(|i| format!("Sentence {i} is about the warranty of kettles.")).collect();
    let blocks = vec![
        Block { kind: BlockKind::Heading(1), text: "Warranty".into() },
        Block { kind: BlockKind::Paragraph, text: sentences.join(" ") },
        Block { kind: BlockKind::Heading(2), text: "Claims".into() },
        Block { kind: BlockKind::ListItem, text: "Call us.".into() },
    ];
    let source = Source { id: "doc:1".into(), title: "W".into(), url: None };
    let options = ChunkOptions { target_chars: 300, max_chars: 400, overlap_chars: 100 };
    let passages = chunk(&blocks, &source, options);
    let last = passages.last().unwrap();
    assert_eq!(last.heading, vec!["Warranty".to_owned(), "Claims".to_owned()]);
    assert_eq!(last.text, "- Call us.");
    let body: Vec<&Passage> = passages.iter().filter(|p| p.heading == ["Warranty"]).collect();
    assert!(body.len() >= 4, "{}", body.len());
    for pair in body.windows(2) {
        let tail = chunk::sentences(&pair[0].text).last().copied().unwrap();
        assert!(pair[1].text.starts_with(tail), "{:?} / {:?}", pair[0].text, pair[1].text);
    }
    for s in &sentences {
        assert!(body.iter().any(|p| p.text.contains(s.as_str())), "{s}");
    }
    // Same input, same hashes; a changed word changes only its passage's hash.
    let again = chunk(&blocks, &source, options);
    assert_eq!(passages.iter().map(|p| &p.hash).collect::<Vec<_>>(), again.iter().map(|p| &p.hash).collect::<Vec<_>>());
    let mut changed = blocks.clone();
    changed[3].text = "Write to us.".into();
    let after = chunk(&changed, &source, options);
    let differ = passages.iter().zip(&after).filter(|(a, b)| a.hash != b.hash).count();
    assert_eq!(differ, 1);
}

fn docx_with(document: &[u8], method: zip::CompressionMethod) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let o = zip::write::SimpleFileOptions::default().compression_method(method).large_file(document.len() > u32::MAX as usize);
    z.start_file("word/document.xml", o).unwrap();
    z.write_all(document).unwrap();
    z.finish().unwrap();
    out.into_inner()
}

#[test]
fn bad_files_are_errors_with_a_stable_reason() {
    let limits = Limits::default();
    assert_eq!(reason(extract(ENCRYPTED_PDF, None, &limits)), "encrypted");
    for cut in [10, 500, RETURNS_PDF.len() / 3] {
        assert_eq!(reason(extract(&RETURNS_PDF[..cut], None, &limits)), "malformed", "cut {cut}");
    }
    // Cut before its cross-reference table: rebuilt from the objects, as pdftotext does.
    let recovered = extract(&RETURNS_PDF[..RETURNS_PDF.len() - 2000], None, &limits).unwrap();
    assert!(recovered.text().contains("Refunds reach your card within five working days."));
    // Wrong extension: the content decides.
    assert_eq!(extract(RETURNS_PDF, Some("x.docx"), &limits).unwrap().format, Format::Pdf);
    assert_eq!(extract(CARE_DOCX, Some("x.pdf"), &limits).unwrap().format, Format::Docx);
    assert_eq!(reason(extract(b"\x89PNG\r\n\x1a\n\0\0", Some("x.pdf"), &limits)), "unsupported");
    // A zip bomb: 300 MB of one byte, a few hundred KB deflated.
    let bomb = docx_with(&vec![b' '; 300 * 1024 * 1024], zip::CompressionMethod::Deflated);
    assert!(bomb.len() < 2 * 1024 * 1024, "{}", bomb.len());
    let t = Instant::now();
    assert_eq!(reason(extract(&bomb, None, &limits)), "too_large");
    assert!(t.elapsed() < Duration::from_secs(10));
    // Nesting far past the cap.
    let deep = format!("<w:document xmlns:w=\"w\">{}{}</w:document>", "<w:x>".repeat(200_000), "</w:x>".repeat(200_000));
    assert_eq!(reason(extract(&docx_with(deep.as_bytes(), zip::CompressionMethod::Deflated), None, &limits)), "malformed");
    // A million objects, and a flate bomb inside a PDF stream.
    let mut million = b"%PDF-1.4\n".to_vec();
    for i in 0..1_000_000 {
        million.extend_from_slice(format!("{i} 0 obj null endobj\n").as_bytes());
    }
    let small = Limits { max_bytes: 64 * 1024 * 1024, ..limits };
    assert_eq!(reason(extract(&million, None, &small)), "too_large");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&vec![0u8; 64 * 1024 * 1024]).unwrap();
    let packed = z.finish().unwrap();
    let mut flate = format!("%PDF-1.4\n1 0 obj << /Length {} /Filter /FlateDecode >>\nstream\n", packed.len()).into_bytes();
    flate.extend_from_slice(&packed);
    flate.extend_from_slice(b"\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    let capped = Limits { max_inflated_bytes: 16 * 1024 * 1024, ..limits };
    assert_eq!(reason(extract(&flate, None, &capped)), "too_large");
    // Form XObjects that draw themselves would recurse until the stack overflows.
    let cyclic = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /XObject << /X 4 0 R >> >> /Contents 5 0 R >> endobj\n4 0 obj << /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Length 5 >>\nstream\n/X Do\nendstream endobj\n5 0 obj << /Length 5 >>\nstream\n/X Do\nendstream endobj\ntrailer << /Root 1 0 R /Size 6 >>\n%%EOF\n";
    assert_eq!(reason(extract(cyclic, None, &limits)), "malformed");
    assert_eq!(reason(extract(b"", None, &limits)), "malformed");
    assert_eq!(reason(extract(&[b'a'; 100], None, &Limits { max_bytes: 10, ..limits })), "too_large");
}

#[derive(Clone, Copy, Debug)]
enum Mutation {
    BitFlips,
    Truncate,
    Insert,
    Duplicate,
}

fn mutate(seed: &[u8], rng: &mut impl Rng, m: Mutation) -> Vec<u8> {
    let mut v = seed.to_vec();
    match m {
        Mutation::BitFlips => {
            for _ in 0..rng.gen_range(1..16) {
                let i = rng.gen_range(0..v.len());
                v[i] ^= 1 << rng.gen_range(0..8);
            }
        }
        Mutation::Truncate => v.truncate(rng.gen_range(0..v.len())),
        Mutation::Insert => {
            for _ in 0..rng.gen_range(1..8) {
                let at = rng.gen_range(0..=v.len());
                let bytes: Vec<u8> = (0..rng.gen_range(1..32)).map(|_| rng.gen()).collect();
                v.splice(at..at, bytes);
            }
        }
        Mutation::Duplicate => {
            let from = rng.gen_range(0..v.len());
            let len = rng.gen_range(1..=(v.len() - from).min(4096));
            let chunk = v[from..from + len].to_vec();
            let at = rng.gen_range(0..=v.len());
            v.splice(at..at, chunk);
        }
    }
    v
}

/// 10,000 mutated cases per format: no panic escapes, no crash, and every
/// case ends (result or error) within its time cap.
#[test]
fn fuzz_every_format_ten_thousand_cases() {
    const CASES: usize = 10_000;
    let limits = Limits { timeout: Duration::from_secs(2), ..Limits::default() };
    let cap = limits.timeout + Duration::from_millis(500);
    let plain = "Opening hours\nMonday to Friday, 9 to 17.\n\n- Saturday 10-14\n* Sunday closed\n\nΚαλημέρα. Привет. مرحبا. 你好。\n";
    let seeds: [(&str, &[u8], &str); 5] = [
        ("pdf", SMALL_PDF, "x.pdf"),
        ("docx", CARE_DOCX, "x.docx"),
        ("markdown", MARKDOWN.as_bytes(), "x.md"),
        ("html", HTML.as_bytes(), "x.html"),
        ("text", plain.as_bytes(), "x.txt"),
    ];
    let started = Instant::now();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    for (name, seed, file) in seeds {
        let t = Instant::now();
        let outcomes: Vec<HashMap<&'static str, usize>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers)
                .map(|w| {
                    s.spawn(move || {
                        let mut rng = rand::rngs::StdRng::seed_from_u64(0xA15E + w as u64);
                        let mut seen: HashMap<&'static str, usize> = HashMap::new();
                        for i in (w..CASES).step_by(workers) {
                            let m = [Mutation::BitFlips, Mutation::Truncate, Mutation::Insert, Mutation::Duplicate][i % 4];
                            let input = mutate(seed, &mut rng, m);
                            let t = Instant::now();
                            let r = extract(&input, Some(file), &limits);
                            let took = t.elapsed();
                            assert!(took <= cap, "{name} case {i} ({m:?}) took {took:?}");
                            *seen.entry(reason(r)).or_default() += 1;
                        }
                        seen
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("a fuzz worker panicked")).collect()
        });
        let mut total: HashMap<&str, usize> = HashMap::new();
        for o in outcomes {
            for (k, v) in o {
                *total.entry(k).or_default() += v;
            }
        }
        assert_eq!(total.values().sum::<usize>(), CASES);
        eprintln!("fuzz {name}: {CASES} cases in {:?}: {total:?}", t.elapsed());
    }
    eprintln!("fuzz total {:?}", started.elapsed());
}

#[test]
fn index_finds_passages_and_updates_by_hash() {
    let dir = tempfile::tempdir().unwrap();
    let index = KnowledgeIndex::open(dir.path(), None).unwrap();
    let doc = extract(RETURNS_PDF, None, &Limits::default()).unwrap();
    let source = Source { id: "doc:1".into(), title: "Returns policy".into(), url: None };
    let passages = chunk(&doc.blocks, &source, ChunkOptions::default());
    let c = index.replace_source("doc:1", &passages).unwrap();
    assert_eq!(c.added, passages.len());
    assert_eq!(index.replace_source("doc:1", &passages).unwrap().added, 0);
    let hits = index.search("refund to my card", 3, &[]).unwrap();
    assert!(hits[0].text.contains("Refunds reach your card"), "{hits:?}");
    assert!(hits[0].coverage > 0.5);
    assert!(index.search("refund", 3, &["other".into()]).unwrap().is_empty());
    assert_eq!(index.remove_source("doc:1").unwrap(), passages.len());
    assert!(index.is_empty());
}



