//! Word tokenizer for any script: runs of letters/digits form words (Latin,
//! Cyrillic, Arabic, …), each CJK ideograph or kana is a word of its own (those
//! scripts do not separate words with spaces), and Arabic diacritics are
//! dropped so vocalized and plain spellings match.
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

#[derive(Clone, Default)]
pub struct WordTokenizer;

pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
    empty: Token,
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{AC00}'..='\u{D7AF}' | '\u{20000}'..='\u{2FA1F}')
}

/// Marks that belong inside a word and are ignored (Arabic harakat, tatweel,
/// combining accents, which ASCII folding would not remove).
fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut start = 0;
    let flush = |word: &mut String, start: usize, end: usize, tokens: &mut Vec<Token>| {
        if !word.is_empty() {
            let position = tokens.len();
            tokens.push(Token { offset_from: start, offset_to: end, position, text: std::mem::take(word), position_length: 1 });
        }
    };
    for (i, c) in text.char_indices() {
        if is_ignorable(c) {
            continue;
        }
        if is_cjk(c) {
            flush(&mut word, start, i, &mut tokens);
            word.push(c);
            flush(&mut word, i, i + c.len_utf8(), &mut tokens);
        } else if c.is_alphanumeric() {
            if word.is_empty() {
                start = i;
            }
            word.push(c);
        } else {
            flush(&mut word, start, i, &mut tokens);
        }
    }
    flush(&mut word, start, text.len(), &mut tokens);
    tokens
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream { tokens: tokenize(text), next: 0, empty: Token::default() }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        self.next.checked_sub(1).and_then(|i| self.tokens.get(i)).unwrap_or(&self.empty)
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) if i < self.tokens.len() => &mut self.tokens[i],
            _ => &mut self.empty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tokenize;

    fn words(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn keeps_every_script() {
        assert_eq!(words("Blue T-shirt, 100% coton"), ["Blue", "T", "shirt", "100", "coton"]);
        assert_eq!(words("قميص أزرق"), ["قميص", "أزرق"]);
        assert_eq!(words("قَمِيص"), ["قميص"]);
        assert_eq!(words("Рубашка синяя"), ["Рубашка", "синяя"]);
        assert_eq!(words("蓝色衬衫 XL"), ["蓝", "色", "衬", "衫", "XL"]);
        assert_eq!(words("Café 🎉 crème"), ["Café", "crème"]);
    }
}
