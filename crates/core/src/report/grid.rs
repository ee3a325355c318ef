//! A table written a row at a time, for the tables whose length grows with the input: the
//! package list and the packages without a known license. comfy-table holds every cell of a table as its own styled value until it is
//! printed, about 1.5 KB a row, which for millions of packages needed ten times the memory of
//! the scan itself. Here the column widths come from a first pass over the rows and the rows are
//! made again and written one by one in a second, in comfy-table's `UTF8_FULL_CONDENSED` look, so
//! the package list looks like the other tables.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

/// Writes `header` and the rows `rows()` yields (called twice: once to measure, once to write).
/// Every row has as many cells as the header; cells are single lines.
pub fn write<I>(out: &mut dyn Write, header: &[&str], rows: impl Fn() -> I) -> io::Result<()>
where
    I: Iterator<Item = Vec<String>>,
{
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows() {
        for (w, cell) in widths.iter_mut().zip(&row) {
            *w = (*w).max(cell.width());
        }
    }
    rule(out, &widths, ['┌', '─', '┬', '┐'])?;
    line(out, &widths, header.iter().copied())?;
    rule(out, &widths, ['╞', '═', '╪', '╡'])?;
    for row in rows() {
        line(out, &widths, row.iter().map(String::as_str))?;
    }
    rule(out, &widths, ['└', '─', '┴', '┘'])
}

/// A border line: left corner, fill, column joint, right corner.
fn rule(
    out: &mut dyn Write,
    widths: &[usize],
    [left, fill, joint, right]: [char; 4],
) -> io::Result<()> {
    let mut s = String::new();
    s.push(left);
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            s.push(joint);
        }
        s.extend(std::iter::repeat_n(fill, w + 2));
    }
    s.push(right);
    writeln!(out, "{s}")
}

/// One row of cells, each padded with a space on the left and to its column's width.
fn line<'a>(
    out: &mut dyn Write,
    widths: &[usize],
    cells: impl Iterator<Item = &'a str>,
) -> io::Result<()> {
    let mut s = String::from("│");
    for (i, (w, cell)) in widths.iter().zip(cells).enumerate() {
        if i > 0 {
            s.push('┆');
        }
        s.push(' ');
        s.push_str(cell);
        s.extend(std::iter::repeat_n(' ', w - cell.width() + 1));
    }
    s.push('│');
    writeln!(out, "{s}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(header: &[&str], rows: &[Vec<&str>]) -> String {
        let mut out = Vec::new();
        let rows = || {
            rows.iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
        };
        write(&mut out, header, rows).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    /// The same table through comfy-table, as the other sections draw theirs.
    fn comfy(header: &[&str], rows: &[Vec<&str>]) -> String {
        let mut table = comfy_table::Table::new();
        table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
        table.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
        table.set_header(header.iter().copied());
        for r in rows {
            table.add_row(r.iter().copied());
        }
        format!("{table}\n")
    }

    #[test]
    fn looks_like_comfy_tables_look() {
        let header = ["Package", "Version", "License"];
        let rows = vec![
            vec!["serde", "1.0.200", "MIT OR Apache-2.0 (permissive)"],
            vec!["日本語-crate", "0.1", ""],
            vec![
                "a-very-long-package-name-indeed",
                "10.20.30-rc.1+build",
                "(unknown)",
            ],
        ];
        assert_eq!(render(&header, &rows), comfy(&header, &rows));
        assert_eq!(render(&header, &[]), comfy(&header, &[]));
    }
}
