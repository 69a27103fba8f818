//! PII redaction for visitor messages: phone numbers, emails and card numbers
//! are replaced by typed placeholders before text is stored or sent to an AI.
//!
//! A hand-written, single-pass scanner rather than a regex set: phone formats
//! need context (what precedes and follows a digit run, grouping, Luhn, digit
//! counts) that regexes express badly, and the scanner allocates only the
//! output. See `number.rs` for the rules and why each exists.
mod email;
mod number;
#[cfg(test)]
mod tests;

use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Phone,
    Email,
    Card,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Card => "card",
        }
    }

    /// What replaces a match in the text.
    pub fn placeholder(self) -> &'static str {
        match self {
            Self::Phone => "[phone]",
            Self::Email => "[email]",
            Self::Card => "[card]",
        }
    }

    pub fn parse(name: &str) -> Result<Self, RedactError> {
        match name {
            "phone" => Ok(Self::Phone),
            "email" => Ok(Self::Email),
            "card" => Ok(Self::Card),
            other => Err(RedactError::UnknownKind(other.chars().take(40).collect())),
        }
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum RedactError {
    #[error("unknown redaction kind '{0}': expected phone, email or card")]
    UnknownKind(String),
    #[error("redaction kinds must be strings")]
    KindNotString,
}

impl RedactError {
    pub fn reason(&self) -> &'static str {
        "invalid_argument"
    }
}

/// Which kinds to redact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kinds {
    pub phone: bool,
    pub email: bool,
    pub card: bool,
}

impl Kinds {
    pub const ALL: Self = Self { phone: true, email: true, card: true };

    pub fn with(mut self, kind: Kind) -> Self {
        match kind {
            Kind::Phone => self.phone = true,
            Kind::Email => self.email = true,
            Kind::Card => self.card = true,
        }
        self
    }

    fn wants(self, kind: Kind) -> bool {
        match kind {
            Kind::Phone => self.phone,
            Kind::Email => self.email,
            Kind::Card => self.card,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    /// The matched text exactly as it appeared (original digits and separators).
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub found: Vec<Found>,
}

/// A match as a half-open byte range of the input.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    kind: Kind,
}

/// Redacts `text` (bytes; invalid UTF-8 sequences become U+FFFD first, so the
/// result is always valid UTF-8 and safe to json_encode).
pub fn redact_bytes(text: &[u8], kinds: Kinds) -> Redacted {
    redact(&String::from_utf8_lossy(text), kinds)
}

pub fn redact(text: &str, kinds: Kinds) -> Redacted {
    // Emails are found first, always: a digit run inside an address is part of
    // the address, never a phone, even when emails themselves are not redacted.
    let emails = email::find(text);
    let mut spans: Vec<Span> = Vec::new();
    let mut from = 0;
    for &(start, end) in &emails {
        number::find(text, from, start, kinds, &mut spans);
        if kinds.email {
            spans.push(Span { start, end, kind: Kind::Email });
        }
        from = end;
    }
    number::find(text, from, text.len(), kinds, &mut spans);
    spans.retain(|s| kinds.wants(s.kind));

    let mut out = String::with_capacity(text.len());
    let mut found = Vec::with_capacity(spans.len());
    let mut last = 0;
    for span in spans {
        out.push_str(&text[last..span.start]);
        out.push_str(span.kind.placeholder());
        found.push(Found { kind: span.kind, value: text[span.start..span.end].to_owned() });
        last = span.end;
    }
    out.push_str(&text[last..]);
    Redacted { text: out, found }
}
