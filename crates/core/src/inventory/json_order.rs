//! Objects kept in file order (serde_json's maps sort their keys unless a crate-wide feature is
//! turned on), for the JSON and YAML formats, and the lines of object-valued keys.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

use super::lines::LineFinder;

/// A JSON or YAML object kept as a list of entries in file order, so that packages come out in
/// the order the file lists them and [`super::lines::LineFinder`] can walk forward. Duplicate
/// keys are kept as they appear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrderedMap<T>(pub Vec<(String, T)>);

impl<T> Default for OrderedMap<T> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<T> OrderedMap<T> {
    /// The entries, in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OrderedMap<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for MapVisitor<T> {
            type Value = OrderedMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<KeyString, T>()? {
                    out.push((k.0, v));
                }
                Ok(OrderedMap(out))
            }
            // YAML writes an empty map as `~` or nothing at all, JSON as `null`.
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(OrderedMap(Vec::new()))
            }
        }
        deserializer.deserialize_any(MapVisitor(PhantomData))
    }
}

/// A map key as a string, also when YAML writes it as a number or boolean (`1.0: x`).
struct KeyString(String);

impl<'de> Deserialize<'de> for KeyString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = KeyString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyString, E> {
                Ok(KeyString(v.to_owned()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<KeyString, E> {
                Ok(KeyString(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<KeyString, E> {
                Ok(KeyString(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<KeyString, E> {
                Ok(KeyString(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<KeyString, E> {
                Ok(KeyString(v.to_string()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
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
