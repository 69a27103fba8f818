use super::*;

#[test]
fn probe() {
    let Ok(path) = std::env::var("KNOWLEDGE_PROBE") else { return };
    let bytes = std::fs::read(&path).unwrap();
    let t = std::time::Instant::now();
    let doc = extract(&bytes, Some(&path), &Limits::default());
    eprintln!("{:?}", t.elapsed());
    match doc {
        Ok(d) => {
            eprintln!("title={:?} pages={} format={:?}", d.title, d.pages, d.format);
            eprintln!("{}", d.text());
        }
        Err(e) => eprintln!("ERR {e}"),
    }
}
