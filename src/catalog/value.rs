//! The input tree the PHP layer builds from zvals. Strings borrow PHP's bytes,
//! which may be invalid UTF-8: the domain decides how to repair them. Arrays
//! are slices in a per-product arena (`bumpalo`), so building and dropping a
//! product's tree costs no allocator call per array.
use std::borrow::Cow;

/// Deepest nesting accepted in one product (the product array is level 1).
pub const MAX_DEPTH: usize = 8;
/// Longest string accepted anywhere in a product.
pub const MAX_STRING_BYTES: usize = 1 << 20;
/// Most variations accepted for one product.
pub const MAX_VARIATIONS: usize = 1000;

/// An array key as PHP has it: numeric string keys arrive as integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key<'a> {
    Int(i64),
    Str(&'a [u8]),
}

impl<'a> Key<'a> {
    /// The key as text (integer keys as their decimal digits).
    pub fn bytes(&self) -> Cow<'a, [u8]> {
        match self {
            Self::Int(i) => Cow::Owned(i.to_string().into_bytes()),
            Self::Str(b) => Cow::Borrowed(b),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a [u8]),
    /// An array with keys 0, 1, 2… in order.
    List(&'a [Value<'a>]),
    /// Any other array, keys in input order.
    Map(&'a [(Key<'a>, Value<'a>)]),
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
            Self::Map(entries) => entries.iter().find(|(k, _)| *k == Key::Str(key.as_bytes())).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Entries of a map or list; an empty PHP array is both.
    pub fn entries(&self) -> Option<impl Iterator<Item = (Key<'a>, &Value<'a>)> + '_> {
        let (map, list): (&[(Key<'a>, Value<'a>)], &[Value<'a>]) = match self {
            Self::Map(entries) => (entries, &[]),
            Self::List(items) => (&[], items),
            _ => return None,
        };
        let listed = list.iter().enumerate().map(|(i, v)| (Key::Int(i as i64), v));
        Some(map.iter().map(|(k, v)| (*k, v)).chain(listed))
    }

    /// The values of a map or list, keys ignored.
    pub fn values(&self) -> Option<impl Iterator<Item = &Value<'a>> + '_> {
        self.entries().map(|e| e.map(|(_, v)| v))
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
