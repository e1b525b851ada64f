//! `--error-format sarif`: one SARIF 2.1.0 log for GitHub code scanning.
//!
//! - `tool.driver.rules` lists every [`Code`], in code order, so `ruleIndex`
//!   is stable; a rule's `help.markdown` is the code's whole explanation.
//! - A located diagnostic is a result: its primary label is `locations[0]`,
//!   its other labels are `relatedLocations`. URIs are the file names as given,
//!   `/`-separated and relative to `%SRCROOT%` (the repository root on GitHub).
//!   Regions are 1-based with UTF-16 columns (`columnKind`), end exclusive.
//! - GitHub rejects a whole upload when one result has no location, so a
//!   diagnostic about no place (an unreadable path) becomes a tool execution
//!   notification of the run's invocation instead.
//!
//! Serialized from structs, so the key order does not depend on serde_json's
//! features: the output is byte-for-byte deterministic.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{full_message, locate_utf16, Location};
use crate::diag::{Code, Diagnostic, Severity};
use crate::source::SourceMap;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of dpol's own entry in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "dpolFinding/v1";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    level: &'static str,
    message: Text,
    associated_rule: RuleReference,
}

#[derive(Serialize)]
struct RuleReference {
    id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

/// SARIF 2.1.0 §3.55 `fix`: one replacement in one artifact.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// Renders one SARIF log (pretty-printed, with a final newline).
pub fn render_sarif(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    let mut seen = BTreeMap::new();
    for d in diagnostics {
        match d.primary_span().and_then(|s| locate_utf16(sources, s)) {
            Some(primary) => results.push(result(sources, d, &primary, &mut seen)),
            None => notifications.push(Notification {
                level: level(d.severity),
                message: Text {
                    text: full_message(d),
                },
                associated_rule: RuleReference {
                    id: d.code.as_str(),
                    index: rule_index(d.code),
                },
            }),
        }
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "dpol",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: information_uri(),
                    rules: Code::ALL.iter().map(|&c| rule(c)).collect(),
                },
            },
            invocations: vec![Invocation {
                execution_successful: !notifications.iter().any(|n| n.level == "error"),
                tool_execution_notifications: notifications,
            }],
            results,
            column_kind: "utf16CodeUnits",
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// The crate's homepage or repository, when Cargo.toml names one.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|uri| !uri.is_empty())
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn rule_index(code: Code) -> Option<usize> {
    Code::ALL.iter().position(|&c| c == code)
}

fn rule(code: Code) -> Rule {
    let summary = first_paragraph(code.explanation()).unwrap_or_else(|| code.title().to_string());
    Rule {
        id: code.as_str(),
        name: code.title(),
        short_description: Text {
            text: code.title().to_string(),
        },
        full_description: Text {
            text: summary.clone(),
        },
        help: Help {
            text: summary,
            markdown: code.explanation(),
        },
        default_configuration: Configuration {
            level: level(code.severity()),
        },
    }
}

/// The first paragraph of prose in a Markdown explanation: headings and code
/// fences before it are skipped, its lines joined with spaces.
fn first_paragraph(markdown: &str) -> Option<String> {
    let mut lines = Vec::new();
    let mut in_fence = false;
    for line in markdown.lines().map(str::trim) {
        if line.starts_with("```") || line.starts_with("~~~") {
            if !lines.is_empty() {
                break;
            }
            in_fence = !in_fence;
        } else if in_fence {
            continue;
        } else if line.is_empty() || line.starts_with('#') {
            if !lines.is_empty() {
                break;
            }
        } else {
            lines.push(line);
        }
    }
    (!lines.is_empty()).then(|| lines.join(" "))
}

fn result(
    sources: &SourceMap,
    d: &Diagnostic,
    primary: &Location,
    seen: &mut BTreeMap<String, u32>,
) -> SarifResult {
    let label_text = |i: usize| {
        d.labels
            .get(i)
            .filter(|l| !l.message.is_empty())
            .map(|l| Text {
                text: l.message.clone(),
            })
    };
    let related = d
        .labels
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(i, l)| {
            let at = locate_utf16(sources, l.span)?;
            Some(location(Some(i), &at, label_text(i)))
        })
        .collect();
    // Stable across runs while the finding exists, whatever line it moves to;
    // the count tells identical findings in one file apart.
    let key = format!("{}\0{}\0{}", d.code, uri(&primary.file).0, d.message);
    let count = seen.entry(key.clone()).or_insert(0);
    *count += 1;
    let fingerprint = format!("{:016x}", fnv1a(format!("{key}\0{count}").as_bytes()));
    SarifResult {
        rule_id: d.code.as_str(),
        rule_index: rule_index(d.code),
        level: level(d.severity),
        message: Text {
            text: full_message(d),
        },
        locations: vec![location(None, primary, label_text(0))],
        related_locations: related,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
        fixes: fixes(sources, d),
    }
}

/// The diagnostic's fixes, each as a replacement of its span.
fn fixes(sources: &SourceMap, d: &Diagnostic) -> Vec<SarifFix> {
    d.fixes
        .iter()
        .filter_map(|f| {
            let at = locate_utf16(sources, f.span)?;
            let (uri, uri_base_id) = uri(&at.file);
            Some(SarifFix {
                description: Text {
                    text: format!("replace with `{}`", f.replacement),
                },
                artifact_changes: vec![ArtifactChange {
                    artifact_location: ArtifactLocation { uri, uri_base_id },
                    replacements: vec![Replacement {
                        deleted_region: Region {
                            start_line: at.line,
                            start_column: at.column,
                            end_line: at.end_line,
                            end_column: at.end_column,
                        },
                        inserted_content: Text {
                            text: f.replacement.clone(),
                        },
                    }],
                }],
            })
        })
        .collect()
}

fn location(id: Option<usize>, at: &Location, message: Option<Text>) -> SarifLocation {
    let (uri, uri_base_id) = uri(&at.file);
    SarifLocation {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri, uri_base_id },
            region: Region {
                start_line: at.line,
                start_column: at.column,
                end_line: at.end_line,
                end_column: at.end_column,
            },
        },
        message,
    }
}

/// A `/`-separated file name as a URI reference: relative names stay relative
/// (to `%SRCROOT%`); absolute ones become `file://` URIs.
fn uri(path: &str) -> (String, Option<&'static str>) {
    if path.starts_with('/') {
        (format!("file://{}", percent_encode(path, true)), None)
    } else if path.as_bytes().get(1) == Some(&b':') {
        (format!("file:///{}", percent_encode(path, true)), None)
    } else {
        (percent_encode(path, false), Some("%SRCROOT%"))
    }
}

/// Percent-encodes what may not appear in a URI path. A `:` is kept only in
/// absolute URIs: in a relative one it would read as a scheme.
fn percent_encode(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        let safe = b.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=@/".contains(&b)
            || (keep_colon && b == b':');
        if safe {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// 64-bit FNV-1a: small, stable across platforms and Rust versions.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> serde_json::Value {
        serde_json::from_str(&render_sarif(sources, diagnostics)).unwrap()
    }

    #[test]
    fn uris_are_relative_slash_separated_and_encoded() {
        let rel = |p: &str| uri(p);
        assert_eq!(
            rel("policies/a.dpol"),
            ("policies/a.dpol".into(), Some("%SRCROOT%"))
        );
        assert_eq!(rel("my dir/é:1.dpol").0, "my%20dir/%C3%A9%3A1.dpol");
        assert_eq!(
            rel("/abs/a b.dpol"),
            ("file:///abs/a%20b.dpol".into(), None)
        );
        assert_eq!(rel("C:/p/a.dpol").0, "file:///C:/p/a.dpol");
    }

    #[test]
    fn first_paragraph_skips_headings_and_fences() {
        let md = "# E0201\n\n```dpol\nx\n```\n\nA name is used\nbut not declared.\n\nMore.\n";
        assert_eq!(
            first_paragraph(md).as_deref(),
            Some("A name is used but not declared.")
        );
        assert_eq!(first_paragraph("# E0201\n"), None);
    }

    #[test]
    fn result_regions_use_utf16_columns() {
        let mut sources = SourceMap::new();
        let text = "role App\n# é😀\nx é😀 Orderz\n".to_string();
        let start = text.find("Orderz").unwrap();
        let id = sources.add("./p/a.dpol", None, text);
        let d = Diagnostic::new(
            Code::UnknownName,
            Span::new(id, start, start + 6),
            "unknown",
        )
        .label("not declared")
        .secondary(Span::new(id, 5, 8), "")
        .help("did you mean `Orders`?");
        let log = render(&sources, &[d]);
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "E0201");
        assert_eq!(result["ruleIndex"], rule_index(Code::UnknownName).unwrap());
        assert_eq!(
            result["message"]["text"],
            "unknown\nhelp: did you mean `Orders`?"
        );
        let loc = &result["locations"][0];
        assert_eq!(loc["message"]["text"], "not declared");
        let phys = &loc["physicalLocation"];
        assert_eq!(phys["artifactLocation"]["uri"], "p/a.dpol");
        assert_eq!(phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        // "x é😀 " is 6 UTF-16 units (5 characters).
        let region =
            serde_json::json!({"startLine": 3, "startColumn": 7, "endLine": 3, "endColumn": 13});
        assert_eq!(phys["region"], region);
        let related = &result["relatedLocations"][0];
        assert_eq!(related["id"], 1);
        assert!(related.get("message").is_none());
        assert_eq!(related["physicalLocation"]["region"]["startColumn"], 6);
    }

    #[test]
    fn unlocated_diagnostics_become_notifications() {
        let d = Diagnostic::global(Code::ReadError, "cannot read `x`");
        let log = render(&SourceMap::new(), &[d]);
        let run = &log["runs"][0];
        assert_eq!(run["results"], serde_json::json!([]));
        let invocation = &run["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        let n = &invocation["toolExecutionNotifications"][0];
        assert_eq!(n["level"], "error");
        assert_eq!(n["associatedRule"]["id"], "E0104");
    }

    #[test]
    fn rules_cover_every_code_and_fingerprints_differ() {
        let mut sources = SourceMap::new();
        let id = sources.add("a.dpol", None, "x x\n".to_string());
        let d = Diagnostic::new(Code::FullAdmin, Span::new(id, 0, 1), "same");
        let log = render(&sources, &[d.clone(), d]);
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(rules.len(), Code::ALL.len());
        assert_eq!(rules[0]["id"], Code::ALL[0].as_str());
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results[0]["level"], "warning");
        let fp = |i: usize| results[i]["partialFingerprints"][FINGERPRINT_KEY].clone();
        assert_ne!(fp(0), fp(1));
        assert_eq!(
            log["runs"][0]["invocations"][0]["executionSuccessful"],
            true
        );
    }
}
