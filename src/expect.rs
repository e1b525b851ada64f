//! `dpol test`: every expectation of a program evaluated against the
//! compiled documents (or deployed ones), through the same evaluator and
//! document choice as `dpol why`.
//!
//! Each `Expectation` stands for one request per action (`ExpectedRequest`);
//! its context is what the expectation says (`via`, `from ip`, `keys`,
//! `attrs`, `at`, `with mfa`) and nothing else, so a condition on a key the
//! expectation does not give sees the key absent — with one key DynamoDB
//! always sends: a PartiQL SELECT carries `dynamodb:FullTableScan` (true
//! when the WHERE clause gives no partition key), chosen by the checker
//! (`check::expects`). A KMS request on a table is
//! DynamoDB's call on the caller's behalf: `kms:ViaService` is
//! `dynamodb.REGION.amazonaws.com`, and `kms:GrantIsForAWSResource` is true
//! for `CreateGrant` (AWS KMS Developer Guide, "How Amazon DynamoDB uses AWS
//! KMS": DynamoDB creates grants on the key for the table).

use std::collections::BTreeSet;

use crate::catalog::Catalog;
use crate::diag::{Code, Diagnostic};
use crate::iam::eval::{Decision, Request};
use crate::iam::SourceRef;
use crate::model::{Expectation, ExpectedRequest};
use crate::source::{SourceMap, Span};
use crate::why::{self, Answer, Documents, Names, Query, Reach};

/// What `dpol test` keeps of the checked model.
#[derive(Clone, Debug)]
pub struct Suite {
    /// What the program declares that requests are built from: principals, tables, networks.
    pub names: Names,
    /// Every `expect` line, resolved.
    pub expectations: Vec<Expectation>,
    /// Every `assert` line, resolved.
    pub assertions: Vec<crate::model::Assertion>,
    /// The program's grants, by span (for `--coverage`).
    pub grants: Vec<Span>,
}

impl Suite {
    /// The expectations and assertions of a checked program.
    pub fn of(model: &crate::model::Model) -> Suite {
        Suite {
            names: Names::of(model),
            expectations: model.expectations.clone(),
            assertions: model.assertions.clone(),
            grants: model.grants.iter().map(|g| g.span).collect(),
        }
    }
}

/// The context keys of a request that come from neither its origin nor its
/// keys: MFA (`with mfa`) and a PartiQL SELECT's `dynamodb:FullTableScan`.
pub(crate) fn base_context(mfa: bool, r: &ExpectedRequest) -> Vec<(String, Vec<String>, bool)> {
    let mut context = Vec::new();
    if mfa {
        context.push((
            "aws:MultiFactorAuthPresent".to_string(),
            vec!["true".to_string()],
            false,
        ));
    }
    if let Some(full_scan) = r.full_table_scan {
        context.push((
            "dynamodb:FullTableScan".to_string(),
            vec![full_scan.to_string()],
            false,
        ));
    }
    context
}

/// The query `dpol why` would be asked for one request of `x`; `now` is
/// the time of the run, for an expectation without `at`.
pub fn query(x: &Expectation, r: &ExpectedRequest, now: &str) -> Query {
    let mut context = base_context(x.mfa, r);
    if let Some(region) = &r.via_dynamodb {
        context.push((
            "kms:ViaService".to_string(),
            vec![format!("dynamodb.{region}.amazonaws.com")],
            false,
        ));
        if r.action == "kms:CreateGrant" {
            context.push((
                "kms:GrantIsForAWSResource".to_string(),
                vec!["true".to_string()],
                false,
            ));
        }
    }
    Query {
        principal: x.principal.clone(),
        action: r.action.clone(),
        resource: r.resource.clone(),
        via: x.via.clone(),
        from_ip: x.from_ip.clone(),
        keys: x.keys.clone(),
        attrs: x.attrs.clone(),
        select: None,
        at: Some(x.at.clone().unwrap_or_else(|| now.to_string())),
        context,
    }
}

/// Every request of every expectation, in order; a request the program
/// cannot name (a perimeter role of every account asked on `*`) is an
/// E0420 at its expectation.
pub fn requests(
    suite: &Suite,
    catalog: &Catalog,
    now: &str,
) -> Result<Vec<Vec<(Query, Request)>>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for x in &suite.expectations {
        let mut mine = Vec::new();
        for r in &x.requests {
            let q = query(x, r, now);
            match why::request(&suite.names, catalog, &q) {
                Ok(request) => mine.push((q, request)),
                Err(d) => errors.push(unevaluable(x, &d)),
            }
        }
        out.push(mine);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// One expectation's result.
#[derive(Debug)]
pub struct Outcome {
    /// How many requests it stands for.
    pub requests: usize,
    /// The requests with the other outcome.
    pub failures: Vec<(Query, Answer)>,
}

/// Evaluates every request; also returns the source lines of every
/// statement that decided one (for coverage).
pub fn run(
    suite: &Suite,
    requests: Vec<Vec<(Query, Request)>>,
    docs: &Documents<'_>,
) -> Result<(Vec<Outcome>, BTreeSet<SourceRef>), Diagnostic> {
    let mut outcomes = Vec::new();
    let mut decided = BTreeSet::new();
    for (x, mine) in suite.expectations.iter().zip(requests) {
        let mut outcome = Outcome {
            requests: mine.len(),
            failures: Vec::new(),
        };
        for (q, request) in mine {
            let answer = docs.answer(&suite.names, request)?;
            for s in &answer.statements {
                decided.extend(s.sources.iter().cloned());
            }
            let allowed = answer.evaluation.decision == Decision::Allowed;
            if allowed != x.allowed {
                outcome.failures.push((q, answer));
            }
        }
        outcomes.push(outcome);
    }
    Ok((outcomes, decided))
}

/// The deployed documents to evaluate instead of the compiled ones.
pub type Deployed = Vec<crate::iam::Document>;

/// What `dpol test` found.
#[derive(Debug)]
pub struct Report {
    /// One per expectation, in order.
    pub outcomes: Vec<Outcome>,
    /// One per assertion, in order.
    pub assertions: Vec<crate::assertion::Checked>,
    /// The source lines of every statement that decided an expectation's
    /// request (for coverage).
    pub decided: BTreeSet<SourceRef>,
}

/// Every expectation and assertion of `suite` evaluated against
/// `documents` (compiled), or against `deployed` when given; `now` is the
/// time of the run.
pub fn evaluate(
    suite: &Suite,
    documents: Vec<crate::emit::Compiled>,
    deployed: Option<Deployed>,
    sources: &SourceMap,
    now: &str,
) -> Result<Report, Vec<Diagnostic>> {
    let catalog = crate::catalog::catalog().map_err(|e| vec![Diagnostic::internal(e)])?;
    let requests = requests(suite, catalog, now)?;
    let (docs, lines) = match deployed {
        Some(docs) => (docs, Vec::new()),
        None => {
            // Only the documents the requests can touch are read.
            let mut reach = Reach::of(&suite.names, requests.iter().flatten().map(|(_, r)| r));
            for a in &suite.assertions {
                for table in &a.tables {
                    reach.insert(table);
                    let account = crate::iam::account_of(table);
                    for caller in suite.names.callers(account) {
                        reach.insert(&caller.arn);
                        for group in &caller.groups {
                            reach.insert(group);
                        }
                    }
                }
                let (endpoints, _) = suite.names.networks();
                for (id, _) in endpoints {
                    reach.insert(&id);
                }
            }
            let relevant: Vec<crate::emit::Compiled> = documents
                .into_iter()
                .filter(|d| reach.may_apply(d.kind, &d.attach))
                .collect();
            (
                relevant
                    .iter()
                    .map(|d| d.document(Some("compiled"), sources))
                    .collect(),
                relevant
                    .iter()
                    .map(|d| d.statement_lines(sources))
                    .collect(),
            )
        }
    };
    let documents = Documents::new(&docs, &lines);
    let (outcomes, decided) = run(suite, requests, &documents).map_err(|d| vec![d])?;
    let mut assertions = Vec::new();
    for a in &suite.assertions {
        let checked = crate::assertion::check(&suite.names, catalog, a, &documents, now)
            .map_err(|d| vec![d])?;
        assertions.push(checked);
    }
    Ok(Report {
        outcomes,
        assertions,
        decided,
    })
}

/// Compiles `sources` and evaluates its expectations at `now`: the
/// compiler's diagnostics, then one E0421 per failed request (`program`:
/// the paths named in each failure's `dpol why` command).
pub fn test_program(sources: &SourceMap, now: &str, program: &[String]) -> Vec<Diagnostic> {
    let (compiled, mut diagnostics) = crate::compile_program(sources);
    let Some((model, documents)) = compiled else {
        return diagnostics;
    };
    let suite = Suite::of(&model);
    drop(model);
    match evaluate(&suite, documents, None, sources, now) {
        Ok(report) => diagnostics.extend(failures(&suite, &report, program)),
        Err(more) => diagnostics.extend(more),
    }
    diagnostics
}

/// Every failed expectation request and broken assertion as a diagnostic.
pub fn failures(suite: &Suite, report: &Report, program: &[String]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (x, outcome) in suite.expectations.iter().zip(&report.outcomes) {
        for (q, answer) in &outcome.failures {
            out.push(failure(x, q, answer, program));
        }
    }
    for (a, checked) in suite.assertions.iter().zip(&report.assertions) {
        if let Some(found) = &checked.counterexample {
            out.push(crate::assertion::failure(a, found, program));
        }
    }
    out
}

/// E0421: a failed request as a diagnostic at its expectation: the decision, the
/// deciding statements with their lines, and the `dpol why` command that
/// shows the whole evaluation (`program`: the paths `dpol test` was given).
pub fn failure(x: &Expectation, q: &Query, answer: &Answer, program: &[String]) -> Diagnostic {
    let r = &answer.request;
    let expected = if x.allowed { "allowed" } else { "denied" };
    let mut d = Diagnostic::new(
        Code::ExpectationFailed,
        x.span,
        format!(
            "expected {expected}: {} {} on {}",
            x.principal, r.action, r.resource
        ),
    )
    .label(answer.verdict().to_lowercase());
    if let Some(gap) = &answer.gap {
        d = d.note(gap.clone());
    }
    for s in &answer.statements {
        d = d.note(statement_note("decided by", s));
    }
    d.help(format!(
        "see the whole evaluation: {}",
        why_command(q, program)
    ))
}

/// The `dpol why` command line of `q`.
pub fn why_command(q: &Query, program: &[String]) -> String {
    let mut words = vec![
        "dpol".to_string(),
        "why".to_string(),
        quote(&q.principal),
        quote(&q.action),
        quote(&q.resource),
    ];
    let mut flag = |name: &str, value: &str| {
        words.push(format!("--{name}"));
        words.push(quote(value));
    };
    if let Some(via) = &q.via {
        flag("via", via);
    }
    if let Some(ip) = &q.from_ip {
        flag("from-ip", ip);
    }
    if !q.keys.is_empty() {
        flag("keys", &q.keys.join(","));
    }
    if !q.attrs.is_empty() {
        flag("attrs", &q.attrs.join(","));
    }
    if let Some(at) = &q.at {
        flag("at", at);
    }
    for (key, values, multi) in &q.context {
        let value = if *multi {
            format!("[{}]", values.join(","))
        } else {
            values.join(",")
        };
        flag("context", &format!("{key}={value}"));
    }
    for path in program {
        flag("program", path);
    }
    words.join(" ")
}

/// `word`, single-quoted for a POSIX shell when it needs to be.
fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/,=@+%".contains(&b));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The grants whose lines decided no request (for `--coverage`), in
/// source order.
pub fn uncovered(suite: &Suite, sources: &SourceMap, decided: &BTreeSet<SourceRef>) -> Vec<Span> {
    let refs = |span: Span| crate::iam::source_refs(sources, &[span]);
    suite
        .grants
        .iter()
        .copied()
        .filter(|&g| !refs(g).iter().any(|line| decided.contains(line)))
        .collect()
}

/// `HOW statement N `Sid` of DOCUMENT, compiled from FILE:LINE`: a
/// statement that decided a request, for a failure's notes.
pub fn statement_note(how: &str, s: &crate::why::Shown) -> String {
    let lines: Vec<String> = s.sources.iter().map(ToString::to_string).collect();
    let from = if lines.is_empty() {
        String::new()
    } else {
        format!(", compiled from {}", lines.join(", "))
    };
    let sid = s
        .sid
        .as_deref()
        .map(|s| format!(" `{s}`"))
        .unwrap_or_default();
    format!("{how} statement {}{sid} of {}{from}", s.index, s.document)
}

/// E0420: an expectation whose request cannot be evaluated (`why`: the
/// evaluator's E0114).
fn unevaluable(x: &Expectation, why: &Diagnostic) -> Diagnostic {
    Diagnostic::new(Code::BadExpectation, x.span, why.message.to_string())
        .label("this request cannot be evaluated")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_a_shell_would_split_are_quoted() {
        assert_eq!(quote("alice"), "alice");
        assert_eq!(
            quote("arn:aws:dynamodb:us-east-1:1:table/T"),
            "arn:aws:dynamodb:us-east-1:1:table/T"
        );
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
    }
}
