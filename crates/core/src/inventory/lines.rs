//! Finding line numbers in file text, for formats whose parser does not report positions.

/// The 1-based line that contains a byte offset.
pub fn line_of_offset(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let newlines = text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// Finds lines by searching the text, moving forward so that repeated names map to successive
/// entries in file order.
#[derive(Debug, Clone)]
pub struct LineFinder<'a> {
    text: &'a str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
    cursor: usize,
}

impl<'a> LineFinder<'a> {
    /// Indexes the text.
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineFinder {
            text,
            starts,
            cursor: 0,
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line_at(&self, offset: usize) -> u32 {
        let idx = self.starts.partition_point(|s| *s <= offset);
        u32::try_from(idx.max(1)).unwrap_or(u32::MAX)
    }

    /// The line of the next occurrence of `needle` at or after the cursor, moving the cursor past
    /// it; when there is none ahead, the first occurrence anywhere (the cursor stays).
    pub fn next(&mut self, needle: &str) -> Option<u32> {
        if needle.is_empty() {
            return None;
        }
        if let Some(i) = self
            .text
            .get(self.cursor..)
            .and_then(|rest| rest.find(needle))
        {
            let at = self.cursor + i;
            self.cursor = at + needle.len();
            return Some(self.line_at(at));
        }
        self.first(needle)
    }

    /// The line of the first occurrence of `needle` anywhere, without moving the cursor.
    pub fn first(&self, needle: &str) -> Option<u32> {
        if needle.is_empty() {
            return None;
        }
        self.text.find(needle).map(|at| self.line_at(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based() {
        assert_eq!(line_of_offset("a\nb\nc", 0), 1);
        assert_eq!(line_of_offset("a\nb\nc", 2), 2);
        assert_eq!(line_of_offset("a\nb\nc", 99), 3);
    }

    #[test]
    fn finder_walks_forward_then_falls_back() {
        let mut f = LineFinder::new("x\nname = \"a\"\nname = \"a\"\n");
        assert_eq!(f.next("\"a\""), Some(2));
        assert_eq!(f.next("\"a\""), Some(3));
        assert_eq!(f.next("\"a\""), Some(2));
        assert_eq!(f.next("zzz"), None);
        assert_eq!(f.next(""), None);
    }
}
