//! The trusca JSON result: the [`Scan`] serialised as-is, pretty-printed with a trailing newline.
//! Its schema is `docs/trusca-result.schema.json`, described in `docs/json-format.md`.

use std::io::{self, Write};

use crate::scan::Scan;

/// Writes the scan as pretty JSON.
pub fn write(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, scan)?;
    out.write_all(b"\n")
}
