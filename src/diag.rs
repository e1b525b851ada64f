//! The one diagnostic type of dpol, used by every stage and every renderer
//! (terminal, JSON, SARIF, GitHub annotations).

pub mod codes;
pub mod input;
pub mod render;
pub mod suggest;

pub use codes::Code;
pub use input::{InputPlace, InputProblem};

use crate::source::Span;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
/// Whether a diagnostic stops the build.
pub enum Severity {
    /// The program is wrong: nothing is written, exit 1.
    Error,
    /// The program compiles, but likely not as meant (`--deny-warnings` makes it fail).
    Warning,
}

/// A span with a short noun phrase: "unknown table", "first defined here".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The source text the label points at.
    pub span: Span,
    /// The noun phrase shown at the span.
    pub message: String,
}

/// A machine-applicable edit that resolves a diagnostic: replace the text
/// of `span` with `replacement` (`did you mean `Price`?` → `Price`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// The text to replace.
    pub span: Span,
    /// What replaces it.
    pub replacement: String,
}

/// One finding. `labels[0]`, when present, is the primary label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The stable code (`E0201`), explained by `dpol explain CODE`.
    pub code: Code,
    /// Error or warning: the code's severity.
    pub severity: Severity,
    /// Lowercase, no final period, `backticks` around user input.
    pub message: String,
    /// The places it points at, primary first.
    pub labels: Vec<Label>,
    /// Further facts, one sentence each, shown as `= note:` lines.
    pub notes: Vec<String>,
    /// A boxed `str`, so that a `Diagnostic` stays small enough to return
    /// by value in `Result`s (clippy's `result_large_err`).
    pub help: Option<Box<str>>,
    /// Edits that resolve it, for `--error-format json`, SARIF and editors
    /// (boxed, like `help` and `input`, to keep a `Diagnostic` small).
    pub fixes: Box<[Fix]>,
    /// The file and JSON path, for a diagnostic about a JSON input.
    pub input: Option<Box<InputPlace>>,
}

impl Diagnostic {
    /// A diagnostic of `code`'s own severity, with its primary label.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            labels: vec![Label {
                span,
                message: String::new(),
            }],
            notes: Vec::new(),
            help: None,
            fixes: Box::default(),
            input: None,
        }
    }

    /// E0999: an internal error (a bug in dpol, or data built into it that
    /// cannot be read), at no particular place.
    pub fn internal(message: impl Into<String>) -> Diagnostic {
        Diagnostic::global(Code::Internal, message)
            .help("this is a bug in dpol; please report it with the input that caused it")
    }

    /// A diagnostic about no particular place (I/O, command-line input).
    pub fn global(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
            fixes: Box::default(),
            input: None,
        }
    }

    /// Sets the primary label's text.
    pub fn label(mut self, message: impl Into<String>) -> Diagnostic {
        if let Some(first) = self.labels.first_mut() {
            first.message = message.into();
        }
        self
    }

    /// Adds a secondary label.
    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a note.
    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Sets the suggestion of what to do.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    /// "did you mean `close`?" as help, and the fix that writes `close`
    /// over `span`.
    pub fn did_you_mean(mut self, span: Span, close: &str) -> Diagnostic {
        self.help = Some(format!("did you mean `{close}`?").into_boxed_str());
        let mut fixes = std::mem::take(&mut self.fixes).into_vec();
        fixes.push(Fix {
            span,
            replacement: close.to_string(),
        });
        self.fixes = fixes.into_boxed_slice();
        self
    }

    /// Sets the place in a JSON input it is about.
    pub fn in_input(mut self, place: InputPlace) -> Diagnostic {
        self.input = Some(Box::new(place));
        self
    }

    /// The span of the primary label, if any.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }
}

/// The sink every stage writes into.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No diagnostics yet.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds several diagnostics.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many diagnostics have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Whether there is no diagnostic at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics in the order they were added.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// In source order (file, offset), then by code; duplicates removed.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (a.primary_span(), a.code, &a.message).cmp(&(b.primary_span(), b.code, &b.message))
        });
        self.items.dedup();
        self.items
    }
}
