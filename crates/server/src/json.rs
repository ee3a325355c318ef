//! JSON text as the server writes it, stored (audit details, idempotent responses, webhook
//! payloads) and sent (API responses) alike: object keys sorted at every level, whatever the
//! field order of the type written, so a document reads the same whichever code wrote it.

use serde::Serialize;

/// `value` as JSON text with sorted keys.
pub fn text<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    serde_json::to_value(value).map(|v| v.to_string())
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize)]
    struct Out {
        b: i64,
        a: Inner,
    }

    #[derive(serde::Serialize)]
    struct Inner {
        z: Option<i64>,
        y: &'static str,
    }

    #[test]
    fn keys_are_sorted_at_every_level() {
        let out = Out {
            b: 1,
            a: Inner { z: None, y: "x" },
        };
        assert_eq!(
            super::text(&out).ok().as_deref(),
            Some(r#"{"a":{"y":"x","z":null},"b":1}"#)
        );
    }
}
