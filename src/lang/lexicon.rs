//! Shop vocabulary as concepts: each concept lists its words and phrases per
//! language, and related concepts. The same table gives same-language
//! synonyms (tee = t-shirt) and cross-language terms (bonnets → beanie). The
//! merchant's synonym groups become concepts of their own. Parsing only: the
//! search index folds the phrases with its own analyzer.
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq)]
pub struct Concept {
    pub id: String,
    /// (ISO 639-1 code, or "*" for a merchant's group in the catalog's language; phrase as written)
    pub phrases: Vec<(String, String)>,
    /// ids of related concepts (expanded at a lower weight)
    pub related: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    pub concepts: Vec<Concept>,
}

/// One line: `id | lang: phrase, phrase | lang: … | ~ related related`.
fn parse_line(line: &str) -> Option<Concept> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let mut parts = line.split('|').map(str::trim);
    let id = parts.next()?.to_owned();
    let mut concept = Concept { id, phrases: Vec::new(), related: Vec::new() };
    for part in parts {
        if let Some(related) = part.strip_prefix('~') {
            concept.related.extend(related.split_whitespace().map(str::to_owned));
        } else if let Some((lang, phrases)) = part.split_once(':') {
            let lang = lang.trim().to_owned();
            for phrase in phrases.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                concept.phrases.push((lang.clone(), phrase.to_owned()));
            }
        }
    }
    Some(concept)
}

impl Lexicon {
    pub fn parse(text: &str) -> Self {
        Self { concepts: text.lines().filter_map(parse_line).collect() }
    }

    /// The built-in vocabulary (`data/concepts.txt`), parsed once.
    pub fn builtin() -> &'static Self {
        static BUILTIN: OnceLock<Lexicon> = OnceLock::new();
        BUILTIN.get_or_init(|| Self::parse(include_str!("data/concepts.txt")))
    }

    /// A merchant's synonym groups: each group's words are equivalent, in any language.
    pub fn from_groups(groups: &[Vec<String>]) -> Self {
        let concepts = groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.len() >= 2)
            .map(|(i, g)| Concept {
                id: format!("merchant-{i}"),
                phrases: g.iter().map(|p| ("*".to_owned(), p.trim().to_owned())).filter(|(_, p)| !p.is_empty()).collect(),
                related: Vec::new(),
            })
            .collect();
        Self { concepts }
    }

    pub fn concept(&self, id: &str) -> Option<&Concept> {
        self.concepts.iter().find(|c| c.id == id)
    }
}
