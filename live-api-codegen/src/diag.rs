//! Diagnostics that point into spec files: file, line, column and the offending line.
//!
//! Every problem found while reading the spec folder is collected (as serde_derive's `Ctxt`
//! does) so that one build reports all of them. Rendering follows rustc's layout so the message
//! reads like any other compile error.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::json::Span;

/// A spec file's text and where its lines start.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as it should be shown to the user (relative to the working directory when possible).
    pub(crate) display: String,
    /// Absolute path, for change tracking.
    pub(crate) path: PathBuf,
    /// The text.
    pub(crate) text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps a file's text.
    pub fn new(path: PathBuf, display: String, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile { display, path, text, line_starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let col = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        (line, col)
    }

    /// Text of a 1-based line, without its line break.
    pub(crate) fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts.get(line - 1).copied().unwrap_or(self.text.len());
        let end = self.line_starts.get(line).map_or(self.text.len(), |&e| e.saturating_sub(1));
        self.text.get(start..end.max(start)).unwrap_or("").trim_end_matches('\r')
    }
}

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The headline, e.g. ``unknown type `Strng` (did you mean `string`?)``.
    pub message: String,
    /// File as shown to the user.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The offending line.
    pub source_line: String,
    /// How many columns to underline.
    pub width: usize,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let num = self.line.to_string();
        let pad = " ".repeat(num.len());
        writeln!(f, "{}", self.message)?;
        // `at` rather than rustc's `-->`: test harnesses (trybuild) strip line numbers from `-->`
        // lines, and the position is the point of this message.
        writeln!(f, "{pad}at {}:{}:{}", self.file, self.line, self.column)?;
        if self.source_line.is_empty() && self.line == 0 {
            return Ok(());
        }
        writeln!(f, "{pad} |")?;
        writeln!(f, "{num} | {}", self.source_line)?;
        let lead: String = self
            .source_line
            .chars()
            .take(self.column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        write!(f, "{pad} | {lead}{}", "^".repeat(self.width.max(1)))
    }
}

/// Collects diagnostics across the whole spec folder.
#[derive(Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a problem at `span` of `file`.
    pub(crate) fn error(&mut self, file: &SourceFile, span: Span, message: impl Into<String>) {
        let (line, column) = file.line_col(span.start);
        let source_line = file.line_text(line).to_owned();
        // Underline the span, but not past the end of its first line.
        let (end_line, end_col) = file.line_col(span.end);
        let width = if end_line == line {
            end_col.saturating_sub(column)
        } else {
            source_line.chars().count().saturating_sub(column - 1)
        };
        self.list.push(Diagnostic {
            message: message.into(),
            file: file.display.clone(),
            line,
            column,
            source_line,
            width: width.max(1),
        });
    }

    /// Records a problem that has no place inside a file (an unreadable folder, say).
    pub(crate) fn error_at_path(&mut self, path: &Path, message: impl Into<String>) {
        self.list.push(Diagnostic {
            message: message.into(),
            file: path.display().to_string(),
            line: 0,
            column: 0,
            source_line: String::new(),
            width: 0,
        });
    }

    /// Appends `other`'s diagnostics, in their order, after these.
    pub(crate) fn append(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }

    /// Whether nothing was reported.
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The diagnostics in the order they were found.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc() {
        let file =
            SourceFile::new("/x/a.json".into(), "api-specs/a.json".into(), "{\n  \"type\": \"Strng\",\n}\n".into());
        let mut d = Diagnostics::default();
        d.error(&file, Span { start: 12, end: 19 }, "unknown type `Strng` (did you mean `string`?)");
        let text = d.into_vec()[0].to_string();
        assert_eq!(
            text,
            "unknown type `Strng` (did you mean `string`?)\n \
             at api-specs/a.json:2:11\n  |\n2 |   \"type\": \"Strng\",\n  |           ^^^^^^^"
        );
    }

    #[test]
    fn columns_count_characters() {
        let file = SourceFile::new("a".into(), "a".into(), "\"é\": 1".into());
        assert_eq!(file.line_col(6), (1, 6));
        assert_eq!(file.line_col(999), (1, 7));
    }
}
