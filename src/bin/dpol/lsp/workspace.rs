//! The program the server sees: every `.dpol` file under the workspace's
//! folders (as `dpol check DIR` reads them), with open buffers in place of
//! their files on disk, and open buffers elsewhere as part of it too; and
//! the conversion between the protocol's places (URIs, line and character)
//! and dpol's (files, byte offsets).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dpol::source::{FileId, SourceMap, Span};
use lsp_types::Uri;

/// How the client counts characters in a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 bytes (negotiated when the client offers it).
    Utf8,
    /// UTF-16 code units (the protocol's default).
    Utf16,
}

/// A document the client has open.
pub struct Open {
    pub text: String,
    pub version: i32,
}

/// The workspace: its folders and the documents open in the client.
pub struct Workspace {
    pub roots: Vec<PathBuf>,
    pub open: BTreeMap<String, Open>,
    pub encoding: Encoding,
}

/// The program at one moment: its sources, the URI of each file, where
/// each line starts, and its outline.
pub struct Snapshot {
    pub sources: SourceMap,
    pub uris: Vec<Uri>,
    /// The key of each file (as [`key_of`] gives it), made once per snapshot.
    keys: Vec<String>,
    /// Diagnostics about reading files (encoding, a FIFO, the size limit),
    /// before any check.
    pub load_diagnostics: Vec<dpol::diag::Diagnostic>,
    lines: Vec<Vec<usize>>,
    /// Made on first use: publishing diagnostics does not need it.
    outline: std::sync::OnceLock<dpol::outline::Outline>,
    /// The compiled documents (none when the program has errors), made on
    /// first use (a hover on a grant).
    compiled: std::sync::OnceLock<Option<Vec<dpol::emit::Compiled>>>,
    pub encoding: Encoding,
}

/// The path of a `file:` URI.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The `file:` URI of a path.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let url = url::Url::from_file_path(absolute).ok()?;
    url.as_str().parse().ok()
}

/// The key of a document: its canonical path when it is a file, else its URI.
fn key_of_path(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

pub fn key_of(uri: &Uri) -> String {
    match path_of(uri) {
        Some(path) => key_of_path(&path),
        None => uri.as_str().to_string(),
    }
}

impl Workspace {
    /// The program now: the files under the roots (open ones from their
    /// buffers), then open documents outside the roots.
    pub fn snapshot(&self) -> Snapshot {
        let mut files = Vec::new();
        for root in &self.roots {
            // A root that cannot be read adds nothing (the client shows the
            // open documents' diagnostics all the same).
            let _ = dpol::load::walk::collect(root, &mut files);
        }
        let mut sources = SourceMap::new();
        let mut uris = Vec::new();
        let mut keys = Vec::new();
        let mut load_diagnostics = Vec::new();
        let mut seen = std::collections::HashSet::new();
        // The loader's checks: a regular file (never a FIFO that would block
        // the server), within the size limit.
        let limit = dpol::load::limit::max_file_bytes();
        for path in files {
            let key = key_of_path(&path);
            if !seen.insert(key.clone()) {
                continue;
            }
            let Some(uri) = uri_of(&path) else { continue };
            let name = path.display().to_string();
            if let Some(open) = self.open.get(&key) {
                sources.add(name, Some(path), open.text.clone());
            } else {
                let read = limit
                    .clone()
                    .and_then(|limit| dpol::load::file::read_regular(&path, limit));
                match read {
                    Ok(bytes) => dpol::load::add_bytes(
                        &mut sources,
                        &mut load_diagnostics,
                        name,
                        Some(path),
                        bytes,
                    ),
                    Err(d) => {
                        load_diagnostics.push(d);
                        continue;
                    }
                }
            }
            uris.push(uri);
            keys.push(key);
        }
        for (key, open) in &self.open {
            if seen.contains(key) {
                continue;
            }
            let path = PathBuf::from(key);
            let uri = if path.is_absolute() {
                uri_of(&path)
            } else {
                key.parse().ok()
            };
            let Some(uri) = uri else { continue };
            let name = if path.is_absolute() {
                key.clone()
            } else {
                uri.as_str().to_string()
            };
            sources.add(name, path.is_absolute().then_some(path), open.text.clone());
            uris.push(uri);
            keys.push(key.clone());
        }
        let lines = sources.files().map(|(_, f)| line_starts(&f.text)).collect();
        Snapshot {
            sources,
            uris,
            keys,
            load_diagnostics,
            lines,
            outline: std::sync::OnceLock::new(),
            compiled: std::sync::OnceLock::new(),
            encoding: self.encoding,
        }
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

impl Snapshot {
    /// What the program declares, and where it names each declaration.
    pub fn outline(&self) -> &dpol::outline::Outline {
        self.outline
            .get_or_init(|| dpol::outline::outline(&self.sources))
    }

    /// The program's documents, when it compiles.
    pub fn compiled(&self) -> Option<&[dpol::emit::Compiled]> {
        self.compiled
            .get_or_init(|| {
                if !self.load_diagnostics.is_empty() {
                    return None;
                }
                dpol::compile(&self.sources).0
            })
            .as_deref()
    }

    /// The file of a URI.
    pub fn file_of(&self, uri: &Uri) -> Option<FileId> {
        let key = key_of(uri);
        self.keys
            .iter()
            .position(|k| *k == key)
            .and_then(|i| u32::try_from(i).ok())
            .map(FileId)
    }

    /// The key of a file (as [`key_of`] gives it).
    pub fn key(&self, file: FileId) -> &str {
        self.keys.get(file.0 as usize).map_or("", String::as_str)
    }

    pub fn uri(&self, file: FileId) -> Option<&Uri> {
        self.uris.get(file.0 as usize)
    }

    pub fn text(&self, file: FileId) -> &str {
        self.sources.get(file).map_or("", |f| f.text.as_str())
    }

    /// The byte offset of a protocol position (clamped to the line and the file).
    pub fn offset(&self, file: FileId, position: lsp_types::Position) -> usize {
        let text = self.text(file);
        let Some(lines) = self.lines.get(file.0 as usize) else {
            return 0;
        };
        let Some(&start) = lines.get(position.line as usize) else {
            return text.len();
        };
        let end = lines
            .get(position.line as usize + 1)
            .map_or(text.len(), |&next| next.saturating_sub(1));
        let line = text.get(start..end).unwrap_or("");
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= wanted {
                return start + i;
            }
            units += match self.encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
        }
        end
    }

    /// The protocol position of a byte offset.
    pub fn position(&self, file: FileId, offset: usize) -> lsp_types::Position {
        let text = self.text(file);
        let offset = offset.min(text.len());
        let lines = self
            .lines
            .get(file.0 as usize)
            .map_or(&[0][..], Vec::as_slice);
        let line = lines.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = lines.get(line).copied().unwrap_or(0);
        let before = text.get(start..offset).unwrap_or("");
        let character = match self.encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.chars().map(char::len_utf16).sum(),
        };
        lsp_types::Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(character).unwrap_or(u32::MAX),
        )
    }

    pub fn range(&self, span: Span) -> lsp_types::Range {
        lsp_types::Range::new(
            self.position(span.file, span.start as usize),
            self.position(span.file, span.end as usize),
        )
    }

    /// A location as the protocol gives it: `{uri, range}`.
    pub fn location(&self, span: Span) -> Option<serde_json::Value> {
        let uri = self.uri(span.file)?;
        Some(serde_json::json!({ "uri": uri, "range": self.range(span) }))
    }

    /// The word (letters, digits, `_`, `-`, `.`, `*`, `:`) at or just before `offset`.
    pub fn word_at(&self, file: FileId, offset: usize) -> (usize, &str) {
        let text = self.text(file);
        let is_word =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '*' | ':');
        let offset = offset.min(text.len());
        let start = text
            .get(..offset)
            .and_then(|t| t.rfind(|c: char| !is_word(c)).map(|i| i + 1))
            .unwrap_or(0);
        let end = text
            .get(offset..)
            .and_then(|t| t.find(|c: char| !is_word(c)).map(|i| offset + i))
            .unwrap_or(text.len());
        (start, text.get(start..end).unwrap_or(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(text: &str, encoding: Encoding) -> Snapshot {
        let mut sources = SourceMap::new();
        sources.add("a.dpol", None, text.to_string());
        Snapshot {
            lines: vec![line_starts(text)],
            outline: std::sync::OnceLock::new(),
            compiled: std::sync::OnceLock::new(),
            sources,
            uris: vec!["file:///a.dpol".parse().unwrap()],
            keys: vec!["/a.dpol".to_string()],
            load_diagnostics: Vec::new(),
            encoding,
        }
    }

    #[test]
    fn positions_count_utf16_units_or_bytes() {
        let text = "# é𝄞\nregion a\n";
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let s = snapshot(text, encoding);
            for offset in [0, 2, 4, 8, 9, 10, 15, text.len()] {
                let p = s.position(FileId(0), offset);
                assert_eq!(s.offset(FileId(0), p), offset, "{encoding:?} {offset}");
            }
        }
        let s = snapshot(text, Encoding::Utf16);
        // `#`, ` `, `é` (1 unit), `𝄞` (2 units): the newline at character 5.
        assert_eq!(s.position(FileId(0), 8), lsp_types::Position::new(0, 5));
        let s = snapshot(text, Encoding::Utf8);
        assert_eq!(s.position(FileId(0), 8), lsp_types::Position::new(0, 8));
        // Past the end of a line or of the file: clamped.
        assert_eq!(s.offset(FileId(0), lsp_types::Position::new(0, 99)), 8);
        assert_eq!(
            s.offset(FileId(0), lsp_types::Position::new(9, 0)),
            text.len()
        );
    }

    #[test]
    fn uris_and_paths() {
        let path = Path::new("/tmp/a b/c.dpol");
        let uri = uri_of(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/c.dpol");
        assert_eq!(path_of(&uri).as_deref(), Some(path));
    }
}
