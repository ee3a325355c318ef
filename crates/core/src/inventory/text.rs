//! Turning a dependency file's bytes into text: UTF-8, with a leading byte-order mark dropped,
//! either whole ([`decode_lossy`]) or a line at a time straight from the file ([`LossyLines`]).
//!
//! A file with bytes that are not UTF-8 is still read: each bad sequence becomes U+FFFD, so every
//! entry that parses is kept, and a warning names the line of the first bad byte. The strict
//! [`decode`] is kept for callers that must refuse such a file.

use std::io::{self, BufRead};

use crate::diag::{Code, Diagnostic};

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A file's text, and the warning when some of its bytes were not UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text; invalid sequences are U+FFFD.
    pub text: String,
    /// An `invalid-utf8` warning naming the file and the line of the first bad byte.
    pub warning: Option<Diagnostic>,
}

/// Decodes file bytes as UTF-8 (a leading BOM is dropped), or says where the first bad byte is.
pub fn decode(display: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => Err(Diagnostic::error(
            Code::InvalidUtf8,
            format!(
                "file is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
        .in_file(display, Some(line_at(bytes, e.valid_up_to())))),
    }
}

/// Decodes file bytes as UTF-8 without copying valid text (a leading BOM is dropped); invalid
/// sequences become U+FFFD and are reported by one warning.
pub fn decode_lossy(display: &str, mut bytes: Vec<u8>) -> Decoded {
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            warning: None,
        },
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            Decoded {
                warning: Some(lossy_warning(display, offset, line_at(&bytes, offset))),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            }
        }
    }
}

/// The warning for a file read with replacement characters.
fn lossy_warning(display: &str, offset: usize, line: u32) -> Diagnostic {
    Diagnostic::warning(
        Code::InvalidUtf8,
        format!(
            "file is not valid UTF-8 (bad byte at offset {offset}); read with replacement characters"
        ),
    )
    .in_file(display, Some(line))
    .with_help("entries holding the bad bytes may be skipped or misread; save the file as UTF-8")
}

/// The lines of a file read one at a time, split as `str::lines` splits (at `\n`, a `\r` before
/// it dropped) and decoded as [`decode_lossy`] decodes the whole file, so a line-based format is
/// read without holding the file in memory.
#[derive(Debug)]
pub struct LossyLines<R> {
    reader: R,
    buf: Vec<u8>,
    /// Lines read so far.
    line: u32,
    /// Bytes read so far, after the byte-order mark.
    offset: usize,
    /// The offset and line of the first bad byte.
    first_bad: Option<(usize, u32)>,
    error: Option<io::Error>,
}

impl<R: BufRead> LossyLines<R> {
    /// Lines of `reader`.
    pub fn new(reader: R) -> Self {
        LossyLines {
            reader,
            buf: Vec::new(),
            line: 0,
            offset: 0,
            first_bad: None,
            error: None,
        }
    }

    /// The `invalid-utf8` warning, once the lines are read, when a byte was not UTF-8.
    pub fn warning(&self, display: &str) -> Option<Diagnostic> {
        self.first_bad
            .map(|(offset, line)| lossy_warning(display, offset, line))
    }

    /// The error that stopped reading early, if one did.
    pub fn take_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }
}

impl<R: BufRead> Iterator for LossyLines<R> {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        if self.error.is_some() {
            return None;
        }
        self.buf.clear();
        match self.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(e) => {
                self.error = Some(e);
                return None;
            }
        }
        let mut bytes = self.buf.as_slice();
        if self.line == 0 {
            bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
        }
        let start = self.offset;
        self.offset += bytes.len();
        self.line = self.line.saturating_add(1);
        let body = match bytes.strip_suffix(b"\n") {
            Some(b) => b.strip_suffix(b"\r").unwrap_or(b),
            None => bytes,
        };
        match std::str::from_utf8(body) {
            Ok(s) => Some(s.to_owned()),
            Err(e) => {
                if self.first_bad.is_none() {
                    self.first_bad = Some((start + e.valid_up_to(), self.line));
                }
                Some(String::from_utf8_lossy(body).into_owned())
            }
        }
    }
}

/// The 1-based line of a byte offset.
fn line_at(bytes: &[u8], offset: usize) -> u32 {
    let end = offset.min(bytes.len());
    let newlines = bytes[..end].iter().filter(|b| **b == b'\n').count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

    #[test]
    fn valid_text_is_kept_and_the_bom_dropped() {
        let d = decode_lossy("a", b"\xEF\xBB\xBFname = 1\n".to_vec());
        assert_eq!(d.text, "name = 1\n");
        assert_eq!(d.warning, None);
        assert_eq!(decode_lossy("a", Vec::new()).text, "");
    }

    #[test]
    fn bad_bytes_become_replacement_characters_with_a_located_warning() {
        let d = decode_lossy("web/yarn.lock", b"a\nb\nc \xff d\n\xfe\n".to_vec());
        assert_eq!(d.text, "a\nb\nc \u{fffd} d\n\u{fffd}\n");
        let w = d.warning.expect("a warning");
        assert_eq!(w.severity, Severity::Warning);
        assert_eq!(w.code, Code::InvalidUtf8);
        assert_eq!(w.file.as_deref(), Some("web/yarn.lock"));
        assert_eq!(w.line, Some(3), "the line of the first bad byte");
        assert!(w.message.contains("offset 6"), "{}", w.message);
    }

    /// Both readers agree: the same lines, the same warning.
    fn agree(bytes: &[u8]) {
        let whole = decode_lossy("f", bytes.to_vec());
        let mut lines = LossyLines::new(bytes);
        let got: Vec<String> = lines.by_ref().collect();
        let want: Vec<&str> = whole.text.lines().collect();
        assert_eq!(got, want, "{bytes:?}");
        assert_eq!(lines.warning("f"), whole.warning, "{bytes:?}");
        assert!(lines.take_error().is_none());
    }

    #[test]
    fn lines_read_one_at_a_time_match_the_whole_text() {
        for bytes in [
            &b""[..],
            b"\n",
            b"a",
            b"a\r\nb\r\n",
            b"a\rb\n\r",
            b"\xEF\xBB\xBFa\n\n b \n",
            b"\xEF\xBB\xBF\xffa\n",
            b"ok\nc \xff d\n\xfe\n",
            b"x\n\xE2\x82\ny\xE2\x82",
            b"\xEF\xBB",
        ] {
            agree(bytes);
        }
    }

    #[test]
    fn a_truncated_sequence_at_the_end_is_replaced() {
        let d = decode_lossy("f", b"\xEF\xBB\xBFok\n\xE2\x82".to_vec());
        assert_eq!(d.text, "ok\n\u{fffd}");
        assert_eq!(d.warning.and_then(|w| w.line), Some(2));
    }
}
