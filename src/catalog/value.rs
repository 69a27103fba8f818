//! The input tree the PHP layer builds from zvals. Strings borrow PHP's bytes,
//! which may be invalid UTF-8: the domain decides how to repair them.

/// Deepest nesting accepted in one product (the product array is level 1).
pub const MAX_DEPTH: usize = 8;
/// Longest string accepted anywhere in a product.
pub const MAX_STRING_BYTES: usize = 1 << 20;
/// Most variations accepted for one product.
pub const MAX_VARIATIONS: usize = 1000;

/// A key (list indexes as decimal text) and its value.
pub type Entry<'k, 'a> = (std::borrow::Cow<'k, [u8]>, &'k Value<'a>);

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a [u8]),
    List(Vec<Value<'a>>),
    /// Keys in input order; integer keys arrive as their decimal text. String
    /// keys borrow PHP's bytes like `Str` (no allocation per key).
    Map(Vec<(std::borrow::Cow<'a, [u8]>, Value<'a>)>),
}

impl<'a> Value<'a> {
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "bool",
            Self::Int(_) => "int",
            Self::Float(_) => "float",
            Self::Str(_) => "string",
            Self::List(_) => "list",
            Self::Map(_) => "map",
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Self::Map(entries) => entries.iter().find(|(k, _)| k.as_ref() == key.as_bytes()).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Entries of a map or list; an empty PHP array is both.
    pub fn entries(&self) -> Option<Vec<Entry<'_, 'a>>> {
        match self {
            Self::Map(entries) => Some(entries.iter().map(|(k, v)| (std::borrow::Cow::Borrowed(k.as_ref()), v)).collect()),
            Self::List(items) => Some(
                items.iter().enumerate().map(|(i, v)| (std::borrow::Cow::Owned(i.to_string().into_bytes()), v)).collect(),
            ),
            _ => None,
        }
    }
}

/// Why an input tree could not be built; the product is rejected with this.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("nesting deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("a string of {0} bytes: the limit is 1 MiB")]
    StringTooLong(usize),
    #[error("unsupported value of type {0}")]
    Unsupported(&'static str),
}
