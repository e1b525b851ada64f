//! The bodies of dpol's fuzz targets, shared by the AFL++ binaries and the
//! replayer.
//!
//! Besides "never panics", each run checks invariants whose failure is a dpol
//! bug: no internal error (E0999), no invalid compiled document (E0412),
//! every document's text is JSON, compiling twice
//! gives the same bytes, and `dpol fmt` of the program formats to itself and
//! compiles to the same documents. The `deployed` target feeds the deployed-state
//! readers of `dpol diff` instead (see [`run_deployed`]). `DPOL_FUZZ_ALLOW=E0412,E0999` turns the listed
//! codes back into ordinary diagnostics (to keep fuzzing past a known bug).

use dpol::diag::render::{render_github, render_human, render_json, render_sarif, HumanStyle};
use dpol::diag::Diagnostic;
use dpol::source::SourceMap;

/// Target (a): bytes as a file, the way `dpol::load` reads one.
pub fn run_bytes(data: &[u8]) {
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    dpol::load::add_bytes(
        &mut sources,
        &mut diags,
        "fuzz.dpol".to_string(),
        None,
        data.to_vec(),
    );
    run(&sources, diags);
}

/// Target (b) and replays: text as one file.
pub fn run_text(text: &str) {
    let mut sources = SourceMap::new();
    sources.add("fuzz.dpol", None, text.to_string());
    run(&sources, Vec::new());
}

/// File names the deployed readers take hints from: a table ARN, an
/// Organizations policy id, an EventBridge rule name, and none.
const DEPLOYED_ORIGINS: [&str; 4] = [
    "fuzz.json",
    "rbp-arn:aws:dynamodb:us-east-1:111122223333:table%2FOrders.json",
    "targets-p-48vl2fl5.json",
    "events-list-targets-by-rule-dpol-alert-Orders-1.json",
];

/// Target (c): bytes as AWS CLI output for `dpol diff --against`, read under
/// each file name of [`DEPLOYED_ORIGINS`]; bytes holding a NUL are two files
/// read as one set (an SCP and its targets, rules and their targets). When a
/// read succeeds, the documents compared with themselves are unchanged, and
/// every renderer copes with the report (the JSON one gives JSON).
pub fn run_deployed(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut sets: Vec<Vec<(&str, &str)>> = DEPLOYED_ORIGINS
        .iter()
        .map(|origin| vec![(*origin, text.as_ref())])
        .collect();
    if let Some((first, second)) = text.split_once('\0') {
        sets.push(vec![
            (DEPLOYED_ORIGINS[0], first),
            (DEPLOYED_ORIGINS[2], second),
        ]);
        sets.push(vec![
            (DEPLOYED_ORIGINS[0], first),
            (DEPLOYED_ORIGINS[3], second),
        ]);
    }
    for set in sets {
        let docs = match dpol::diff::read_deployed_set(&set) {
            Ok(docs) => docs,
            Err(error) => {
                assert!(!error.message.is_empty(), "an error without a message");
                continue;
            }
        };
        let report = dpol::diff::compare(&docs, &docs);
        assert!(
            !report.has_changes(),
            "documents compared with themselves changed: {:?}",
            report.documents
        );
        let json = dpol::diff::render_json(&report);
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&json) {
            panic!("render_json is not JSON: {e}\n{json}");
        }
        let _ = dpol::diff::render_terminal(&report, true);
        let markdown = dpol::diff::render_markdown(&report);
        assert!(
            markdown.len() <= dpol::diff::MARKDOWN_LIMIT,
            "markdown too long"
        );
    }
}

fn allowed(code: &str) -> bool {
    std::env::var("DPOL_FUZZ_ALLOW").is_ok_and(|list| list.split(',').any(|c| c.trim() == code))
}

fn run(sources: &SourceMap, mut diagnostics: Vec<Diagnostic>) {
    let mut documents = None;
    let text_read = diagnostics.is_empty();
    if text_read {
        let (docs, diags) = dpol::compile(sources);
        documents = docs;
        diagnostics = diags;
        check_format(sources, &diagnostics, documents.as_deref());
    }
    for d in &diagnostics {
        let code = d.code.as_str();
        if matches!(code, "E0999" | "E0412") && !allowed(code) {
            panic!(
                "dpol bug {code}: {}\n{}",
                d.message,
                render_human(sources, std::slice::from_ref(d), HumanStyle::Plain)
            );
        }
    }
    // Every renderer must cope with every diagnostic.
    let _ = render_human(sources, &diagnostics, HumanStyle::Snippets);
    let _ = render_human(sources, &diagnostics, HumanStyle::Plain);
    let _ = render_json(sources, &diagnostics);
    let _ = render_sarif(sources, &diagnostics);
    let _ = render_github(sources, &diagnostics);
    let Some(docs) = documents else { return };
    let mut manifest = Vec::new();
    if let Err(e) = dpol::emit::write::manifest(sources, &docs, &mut manifest) {
        panic!("the manifest did not serialize: {e}");
    }
    if let Err(e) = serde_json::from_slice::<serde_json::Value>(&manifest) {
        panic!("the manifest is not JSON: {e}");
    }
    for doc in &docs {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&doc.text) {
            panic!("document {} is not JSON: {e}\n{}", doc.name, doc.text);
        }
    }
    // Deterministic: the same program compiles to the same bytes.
    let (again, _) = dpol::compile(sources);
    let texts = |d: &[dpol::emit::Compiled]| -> Vec<(String, String)> {
        d.iter().map(|d| (d.name.clone(), d.text.clone())).collect()
    };
    assert_eq!(
        again.as_deref().map(texts),
        Some(texts(&docs)),
        "two compiles of one program differ"
    );
}

/// The parsers agree (the fast recognizer and pest). `dpol fmt`: a file
/// that parses formats to text that formats to itself and compiles to the
/// same documents, with the same diagnostic codes; a file that does not
/// parse gives the syntax error.
fn check_format(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    documents: Option<&[dpol::emit::Compiled]>,
) {
    let Some((id, file)) = sources.files().next() else {
        return;
    };
    assert!(
        dpol::parsers_agree(&file.text),
        "the fast recognizer and pest disagree"
    );
    let formatted = match dpol::format(id, &file.text) {
        Ok(formatted) => formatted,
        Err(e) => {
            assert_eq!(e.code.as_str(), "E0101", "fmt failed: {}", e.message);
            return;
        }
    };
    assert_eq!(
        dpol::format(id, &formatted).ok().as_deref(),
        Some(formatted.as_str()),
        "formatting the formatted text changed it"
    );
    let mut again = SourceMap::new();
    again.add(file.name.clone(), None, formatted);
    let (docs, diags) = dpol::compile(&again);
    let codes = |d: &[Diagnostic]| {
        let mut codes: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
        codes.sort_unstable();
        codes
    };
    assert_eq!(
        codes(&diags),
        codes(diagnostics),
        "the formatted program is diagnosed differently"
    );
    let texts = |d: &[dpol::emit::Compiled]| -> Vec<(String, String)> {
        d.iter().map(|d| (d.name.clone(), d.text.clone())).collect()
    };
    assert_eq!(
        docs.as_deref().map(texts),
        documents.map(texts),
        "the formatted program compiles to other documents"
    );
}

// ---------------------------------------------------------------- programs

/// Choices read from the input, 0 once it is exhausted.
struct Choices<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Choices<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::from(self.byte()) % n
        }
    }

    fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    fn pick<'p>(&mut self, pool: &[&'p str]) -> &'p str {
        pool.get(self.below(pool.len())).copied().unwrap_or("")
    }

    /// 1..=most items of `pool` joined with `, ` (sometimes a line break).
    fn list(&mut self, pool: &[&str], most: usize) -> String {
        let n = 1 + self.below(most);
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push_str(if self.below(8) == 0 { ",\n  " } else { ", " });
            }
            out.push_str(self.pick(pool));
        }
        out
    }

    fn done(&self) -> bool {
        self.pos >= self.data.len()
    }
}

const ORG_IDS: &[&str] = &["o-a1b2c3d4e5", "o-X", "o-0123456789abcdef"];
const OUS: &[&str] = &["production", "development", "prod"];
const OU_IDS: &[&str] = &["ou-ab12-34cd5678", "ou-ab12-9f8e7d6c", "ou-x"];
const ACCOUNTS: &[&str] = &["prod", "dev", "shared", "root"];
const ACCOUNT_IDS: &[&str] = &["111122223333", "444455556666", "999999999999", "1234"];
const REGIONS: &[&str] = &["us-east-1", "eu-west-1", "useast1", "us-gov-west-1"];
const VPCS: &[&str] = &["appvpc", "prodvpc", "gw"];
const VPC_IDS: &[&str] = &["vpc-0abc1234def567890", "vpc-1234abcd", "vpc-bad"];
const ENDPOINTS: &[&str] = &["gw", "stock", "ro"];
const ENDPOINT_IDS: &[&str] = &["vpce-11aa22bb", "vpce-0123456789abcdef0", "vpce-zz"];
const NETWORKS: &[&str] = &[
    "appvpc",
    "prodvpc",
    "gw",
    "stock",
    "ro",
    "vpc-0abc1234def567890",
    "vpce-11aa22bb",
    "nowhere",
];
const PRINCIPALS: &[&str] = &[
    "alice",
    "bob",
    "App",
    "Ops",
    "analysts",
    "Emergency",
    "nobody",
];
const KINDS: &[&str] = &["user", "role", "group"];
const PRINCIPAL_ARNS: &[&str] = &[
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:role/App",
    "arn:aws:iam::444455556666:group/analysts",
    "arn:aws:s3:::bucket",
    "arn:aws:iam::111122223333:user/*",
];
/// Some names end in a digit: repeated Sids are numbered (`ReadsOrders2`)
/// and must not collide with another table's (tests/regressions.rs).
const TABLES: &[&str] = &[
    "Orders", "Payroll", "Sales", "Sessions", "Tx", "Prod.Cat", "OrdersB", "Orders2", "Orders-3",
    "T1",
];
const ATTRS: &[&str] = &[
    "id",
    "Title",
    "Price",
    "status",
    "\"first name\"",
    "region",
    "key",
    "sk",
    "ssn",
    "\"\"",
];
const KEY_TYPES: &[&str] = &["string", "number", "binary"];
const VERBS: &[&str] = &[
    "reads",
    "read",
    "writes",
    "write",
    "updates",
    "update",
    "deletes",
    "delete",
    "scans",
    "scan",
    "describes",
    "describe",
    "scales",
    "scale",
    "streams",
    "stream",
    "manages",
    "manage",
];
const ACTIONS: &[&str] = &[
    "GetItem",
    "Query",
    "Scan",
    "DescribeTable",
    "ListTables",
    "Describe*",
    "Get*tem",
    "PutItem",
    "DeleteTable",
    "UpdateTable",
    "BatchWriteItem",
    "PartiQLSelect",
    "Nope",
    "*",
    "getitem",
];
const KEY_SETS: &[&str] = &[
    "100..200",
    "200..100",
    "5..5",
    "-1.5..2",
    "${aws:userid}..10",
    "1, 2, 3",
    "\"us-east\", \"eu-west\"",
    "\"tenant-42#\"*",
    "\"a*b?$\"*, \"plain\"",
    "${aws:username}",
    "${nope}",
    "1, \"x\"",
    "\"q\\\"uote\"",
];
const CIDRS: &[&str] = &[
    "203.0.113.0/24",
    "198.51.100.7",
    "2001:db8::/32",
    "300.1.1.1",
    "10.0.0.0/33",
    "::",
];
const DATES: &[&str] = &[
    "2030-12-31",
    "2020-01-01",
    "2026-02-30",
    "2031-06-30T18:00:00Z",
    "2031-06-30T25:00:00Z",
    "2031",
    "2028-02-29",
];
const KMS_ARNS: &[&str] = &[
    "arn:aws:kms:us-east-1:111122223333:key/b65e7cfb-3106-4ff4-bb9f-d6323c8bbdf8",
    "arn:aws:kms:eu-west-1:444455556666:key/abc",
    "arn:aws:kms:us-east-1:111122223333:alias/x",
];
const ALERT_TARGETS: &[&str] = &[
    "arn:aws:sns:us-east-1:111122223333:Topic",
    "arn:aws:sqs:eu-west-1:444455556666:queue",
    "arn:aws:lambda:us-east-1:111122223333:function:f",
    "arn:aws:s3:::bucket",
];

/// A program built from grammar fragments chosen by `data`.
pub fn program(data: &[u8]) -> String {
    let mut c = Choices { data, pos: 0 };
    let mut out = String::new();
    let mut statements = 0;
    while !c.done() && statements < 80 {
        statements += 1;
        let statement = match c.below(20) {
            0 => format!("org {}", c.pick(ORG_IDS)),
            1 => format!("ou {} = {}", c.pick(OUS), c.pick(OU_IDS)),
            2 | 3 => account(&mut c),
            4 => format!("region {}", c.pick(REGIONS)),
            5 => format!(
                "vpc {} = {}{}",
                c.pick(VPCS),
                c.pick(VPC_IDS),
                in_clause(&mut c, ACCOUNTS)
            ),
            6 => endpoint(&mut c, TABLES),
            7 | 8 => principal(&mut c),
            9 | 10 => table(&mut c, TABLES),
            11 => format!(
                "breakglass role {}{}",
                c.pick(PRINCIPALS),
                in_clause(&mut c, ACCOUNTS)
            ),
            12 => alert(&mut c, TABLES),
            13 => format!("# comment {}", c.pick(VERBS)),
            _ => grant(&mut c, TABLES),
        };
        out.push_str(&statement);
        out.push_str(match c.below(10) {
            0 => ";",
            1 => "; ",
            2 => "\n\n",
            3 => " # trailing\n",
            _ => "\n",
        });
    }
    out
}

fn in_clause(c: &mut Choices<'_>, pool: &[&str]) -> String {
    if c.flag() {
        format!(" in {}", c.pick(pool))
    } else {
        String::new()
    }
}

fn account(c: &mut Choices<'_>) -> String {
    let mut s = format!("account {} = {}", c.pick(ACCOUNTS), c.pick(ACCOUNT_IDS));
    s.push_str(&in_clause(c, OUS));
    if c.below(4) == 0 {
        s.push_str(" management");
    }
    s
}

fn principal(c: &mut Choices<'_>) -> String {
    let kind = c.pick(KINDS);
    let name = c.pick(PRINCIPALS);
    match c.below(3) {
        0 => format!("{kind} {name} = {}", c.pick(PRINCIPAL_ARNS)),
        1 => format!("{kind} {name} in {}", c.pick(ACCOUNTS)),
        _ => format!("{kind} {name}"),
    }
}

fn block(c: &mut Choices<'_>, items: Vec<String>) -> String {
    if items.is_empty() && c.flag() {
        return String::new();
    }
    let sep = if c.flag() { "; " } else { "\n  " };
    format!(" {{ {} }}", items.join(sep))
}

fn endpoint(c: &mut Choices<'_>, tables: &[&str]) -> String {
    let mut s = format!(
        "endpoint {} = {}{}",
        c.pick(ENDPOINTS),
        c.pick(ENDPOINT_IDS),
        in_clause(c, VPCS)
    );
    if c.flag() {
        let mut rules = Vec::new();
        for _ in 0..c.below(4) {
            rules.push(match c.below(5) {
                0 | 1 => {
                    let verbs = if c.flag() {
                        format!("{} ", c.list(VERBS, 2))
                    } else {
                        String::new()
                    };
                    let target = if c.flag() { "*" } else { c.pick(tables) };
                    format!("allow {verbs}{target}")
                }
                2 => format!("only {} {}", c.pick(KINDS), c.pick(PRINCIPALS)),
                3 => format!("only account {}", c.pick(ACCOUNTS)),
                _ => "only org".to_string(),
            });
        }
        s.push_str(&block(c, rules));
    }
    s
}

fn table(c: &mut Choices<'_>, tables: &[&str]) -> String {
    let mut s = format!("table {}{}", c.pick(tables), in_clause(c, ACCOUNTS));
    if c.below(3) == 0 {
        s.push_str(&format!(" private to {}", c.list(NETWORKS, 2)));
        if c.flag() {
            let scope: Vec<&str> = OUS.iter().chain(ACCOUNTS).copied().collect();
            s.push_str(&format!(" in {}", c.list(&scope, 2)));
        }
    }
    if c.below(4) != 0 {
        let mut items = Vec::new();
        for _ in 0..c.below(5) {
            items.push(match c.below(6) {
                0 => format!("key {}: {}", c.pick(ATTRS), c.pick(KEY_TYPES)),
                1 => format!("sort {}: {}", c.pick(ATTRS), c.pick(KEY_TYPES)),
                2 | 3 => format!("attrs {}", c.list(ATTRS, 4)),
                4 => {
                    let on = if c.flag() {
                        format!(" on {}", c.list(ATTRS, 2))
                    } else {
                        String::new()
                    };
                    let scope = c.pick(&["global ", "local ", ""]);
                    format!("{scope}index By{}{on}", c.pick(tables))
                }
                _ => format!("encrypted with kms {}", c.pick(KMS_ARNS)),
            });
        }
        s.push_str(&block(c, items));
    }
    s
}

fn alert(c: &mut Choices<'_>, tables: &[&str]) -> String {
    let target = match c.below(3) {
        0 => String::new(),
        1 => " for *".to_string(),
        _ => format!(" for {}", c.pick(tables)),
    };
    format!(
        "alert on {}{target} to {}",
        c.list(ACTIONS, 3),
        c.pick(ALERT_TARGETS)
    )
}

fn grant(c: &mut Choices<'_>, tables: &[&str]) -> String {
    let action = match c.below(6) {
        0 => format!("cannot {}", c.list(VERBS, 2)),
        1 => format!("can {}", c.list(ACTIONS, 3)),
        2 => format!("cannot {}", c.list(ACTIONS, 2)),
        _ => c.list(VERBS, 3),
    };
    let on = if c.flag() { " on" } else { "" };
    let target = match c.below(6) {
        0 => String::new(),
        1 => format!("{on} *"),
        _ => format!("{on} {}", c.pick(tables)),
    };
    let mut s = format!("{} {action}{target}", c.pick(PRINCIPALS));
    for _ in 0..c.below(4) {
        s.push_str(if c.below(5) == 0 { "\n    " } else { " " });
        s.push_str(&match c.below(8) {
            0 | 1 => format!("keys {}", c.pick(KEY_SETS)),
            2 => format!("attrs {}", c.list(ATTRS, 3)),
            3 => format!("except attrs {}", c.list(ATTRS, 2)),
            4 => format!("via {}", c.pick(NETWORKS)),
            5 => format!("from ip {}", c.list(CIDRS, 2)),
            6 => format!("until {}", c.pick(DATES)),
            _ => "with mfa".to_string(),
        });
    }
    s
}
