//! Values held once and shared by many packages instead of copied into each: the strings of a
//! package (its name, version, purl, the file it was found in), and what is known of a license
//! many of them have in common. Each serialises, compares and describes itself exactly as the
//! value it holds.

use std::borrow::{Borrow, Cow};
use std::collections::HashSet;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use arcstr::ArcStr;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An immutable string in one pointer, whose clones share one allocation (the file every package
/// of a file names, the purl its dependents list). Reads as a `str`; serialises as a JSON string.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedStr(ArcStr);

impl SharedStr {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether two handles share one allocation.
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        ArcStr::ptr_eq(&a.0, &b.0)
    }

    /// A digest algorithm name; the common ones (`sha1`, `sha256`, `sha384`, `sha512`, `md5`)
    /// are held without an allocation.
    pub fn digest_name(name: &str) -> Self {
        SharedStr(match name {
            "sha1" => arcstr::literal!("sha1"),
            "sha256" => arcstr::literal!("sha256"),
            "sha384" => arcstr::literal!("sha384"),
            "sha512" => arcstr::literal!("sha512"),
            "md5" => arcstr::literal!("md5"),
            other => ArcStr::from(other),
        })
    }
}

impl Deref for SharedStr {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        SharedStr(ArcStr::from(s))
    }
}

impl From<&mut str> for SharedStr {
    fn from(s: &mut str) -> Self {
        SharedStr::from(&*s)
    }
}

impl From<Cow<'_, str>> for SharedStr {
    fn from(s: Cow<'_, str>) -> Self {
        SharedStr::from(s.as_ref())
    }
}

impl From<&SharedStr> for SharedStr {
    fn from(s: &SharedStr) -> Self {
        s.clone()
    }
}

impl From<&String> for SharedStr {
    fn from(s: &String) -> Self {
        SharedStr::from(s.as_str())
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr::from(s.as_str())
    }
}

impl From<SharedStr> for String {
    fn from(s: SharedStr) -> Self {
        s.as_str().to_owned()
    }
}

impl From<&SharedStr> for String {
    fn from(s: &SharedStr) -> Self {
        s.as_str().to_owned()
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(SharedStr::from)
    }
}

impl schemars::JsonSchema for SharedStr {
    fn inline_schema() -> bool {
        <String as schemars::JsonSchema>::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        <String as schemars::JsonSchema>::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        <String as schemars::JsonSchema>::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <String as schemars::JsonSchema>::json_schema(generator)
    }
}

/// Hands out one shared copy of each distinct string: the many packages of a large file then
/// hold their repeated names, versions and purls once.
#[derive(Debug, Default)]
pub struct Interner {
    seen: HashSet<SharedStr>,
}

impl Interner {
    /// The shared copy of `s`, made on first sight.
    pub fn intern(&mut self, s: &str) -> SharedStr {
        if let Some(known) = self.seen.get(s) {
            return known.clone();
        }
        let new = SharedStr::from(s);
        self.seen.insert(new.clone());
        new
    }
}

/// A value whose clones share one allocation, copied only when one of them is changed (many
/// packages with the same license information hold one). Reads and writes as the value.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shared<T>(Arc<T>);

impl<T> Shared<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Shared(Arc::new(value))
    }

    /// Whether two handles share one value.
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared::new(value)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Changing a shared value copies it first, so the other holders keep theirs.
impl<T: Clone> DerefMut for Shared<T> {
    fn deref_mut(&mut self) -> &mut T {
        Arc::make_mut(&mut self.0)
    }
}

impl<T> AsRef<T> for Shared<T> {
    fn as_ref(&self) -> &T {
        &self.0
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Shared<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Shared::new)
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Shared<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_str_reads_compares_and_serialises_as_a_string() {
        let a = SharedStr::from("dir/Cargo.lock");
        let b = a.clone();
        assert!(SharedStr::ptr_eq(&a, &b));
        assert_eq!(std::mem::size_of::<Option<SharedStr>>(), 8);
        assert_eq!(a, "dir/Cargo.lock");
        assert_eq!(a, "dir/Cargo.lock".to_owned());
        assert_eq!(format!("{a} {a:?}"), "dir/Cargo.lock \"dir/Cargo.lock\"");
        let (x, y) = (SharedStr::from("a"), SharedStr::from("b"));
        assert!(x < y, "ordered as strings");
        assert_eq!(
            serde_json::to_string(&a).ok().as_deref(),
            Some("\"dir/Cargo.lock\"")
        );
        let back: SharedStr = serde_json::from_str("\"x\"").expect("a string");
        assert_eq!(back, "x");
        assert_eq!(
            serde_json::to_value(schemars::schema_for!(SharedStr)).ok(),
            serde_json::to_value(schemars::schema_for!(String)).ok()
        );
    }

    #[test]
    fn interned_strings_share_one_copy() {
        let mut interner = Interner::default();
        let a = interner.intern("requests");
        let b = interner.intern(&String::from("requests"));
        assert!(SharedStr::ptr_eq(&a, &b));
        assert!(!SharedStr::ptr_eq(&a, &interner.intern("idna")));
    }

    #[test]
    fn changing_a_shared_value_leaves_the_other_holders_alone() {
        let a = Shared::new(vec![1, 2]);
        let mut b = a.clone();
        assert!(Shared::ptr_eq(&a, &b));
        b.push(3);
        assert_eq!(*a, [1, 2]);
        assert_eq!(*b, [1, 2, 3]);
        assert_eq!(serde_json::to_string(&b).ok().as_deref(), Some("[1,2,3]"));
        assert_eq!(format!("{a:?}"), "[1, 2]");
    }
}
