//! JSON helpers for the .NET lock formats: objects kept in file order (serde_json's maps sort
//! their keys unless a crate-wide feature is turned on) and the lines of object-valued keys.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::lines::LineFinder;

/// A JSON object as its entries, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<V> OrderedMap<V> {
    /// The entries in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<V>(PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for OrderedVisitor<V> {
            type Value = OrderedMap<V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    entries.push((k, v));
                }
                Ok(OrderedMap(entries))
            }
        }

        deserializer.deserialize_map(OrderedVisitor(PhantomData))
    }
}

/// Finds the lines of keys whose value is an object (`"Name": {`), moving forward through the
/// file so that a name that also appears as a plain string value (`"Name": "1.0"`) is passed over.
#[derive(Debug, Clone)]
pub(crate) struct ObjectKeyLines<'a> {
    text: &'a str,
    lines: LineFinder<'a>,
    cursor: usize,
}

impl<'a> ObjectKeyLines<'a> {
    /// Indexes the text.
    pub fn new(text: &'a str) -> Self {
        ObjectKeyLines {
            text,
            lines: LineFinder::new(text),
            cursor: 0,
        }
    }

    /// The line of the next `"key": {` at or after the cursor, moving past it; when there is
    /// none ahead, the first one anywhere (the cursor stays).
    pub fn next(&mut self, key: &str) -> Option<u32> {
        if let Some(at) = self.find_from(self.cursor, key) {
            self.cursor = at + key.len();
            return Some(self.lines.line_at(at));
        }
        self.find_from(0, key).map(|at| self.lines.line_at(at))
    }

    fn find_from(&self, mut from: usize, key: &str) -> Option<usize> {
        let needle = format!("\"{key}\"");
        loop {
            let rest = self.text.get(from..)?;
            let at = from + rest.find(&needle)?;
            let after = self.text.get(at + needle.len()..)?.trim_start();
            if let Some(value) = after.strip_prefix(':') {
                if value.trim_start().starts_with('{') {
                    return Some(at);
                }
            }
            from = at + needle.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_file_order() {
        let m: OrderedMap<u32> = serde_json::from_str(r#"{"b": 1, "a": 2}"#).expect("object");
        assert_eq!(m.0, vec![("b".to_owned(), 1), ("a".to_owned(), 2)]);
        assert!(serde_json::from_str::<OrderedMap<u32>>("[1]").is_err());
    }

    #[test]
    fn finds_object_keys_not_string_values() {
        let text = "{\n \"A\": { \"B\": \"1\" },\n \"B\" :\n {}\n}";
        let mut k = ObjectKeyLines::new(text);
        assert_eq!(k.next("A"), Some(2));
        assert_eq!(k.next("B"), Some(3));
        assert_eq!(k.next("A"), Some(2));
        assert_eq!(k.next("C"), None);
    }
}
