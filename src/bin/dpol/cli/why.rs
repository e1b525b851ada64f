//! `dpol why PRINCIPAL ACTION RESOURCE`: one request evaluated against the
//! compiled program (or `--against` deployed documents), with the
//! statements that decide. Exit 0 allowed, 1 denied, 2 an error.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use serde_json::{json, Value};

use super::{output, ReportArgs, SourceArgs};
use dpol::diag::{Code, Diagnostic};
use dpol::iam::eval::Decision;
use dpol::why::{self, Answer, Names, Query};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum WhyFormat {
    /// The decision and each deciding statement, with its document and lines.
    Text,
    /// For tools.
    Json,
}

#[derive(clap::Args, Debug)]
pub struct WhyArgs {
    /// Who asks: a declared principal (`alice`) or an ARN (a role session's too).
    pub principal: String,
    /// A DynamoDB or KMS action: `GetItem`, `dynamodb:Query`, `kms:Decrypt`.
    pub action: String,
    /// A declared table (`Books`, `Books/index/ByAuthor`), an ARN, or `*`.
    pub resource: String,
    /// The program: `.dpol` files or directories.
    #[arg(short, long = "program", default_value = ".", num_args = 1..)]
    pub program: Vec<PathBuf>,
    /// The request comes through this endpoint or VPC (declared name or id).
    #[arg(long, conflicts_with_all = ["from_ip", "outside"])]
    pub via: Option<String>,
    /// The request comes from this public IP address (`aws:SourceIp`).
    #[arg(long)]
    pub from_ip: Option<String>,
    /// The request comes from outside every VPC (no network keys; the default).
    #[arg(long)]
    pub outside: bool,
    /// The partition keys it touches (`dynamodb:LeadingKeys`), comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub keys: Vec<String>,
    /// The attributes it names (`dynamodb:Attributes`), comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub attrs: Vec<String>,
    /// `dynamodb:Select`: `SPECIFIC_ATTRIBUTES`, `ALL_ATTRIBUTES`, `COUNT`, …
    #[arg(long)]
    pub select: Option<String>,
    /// When (`aws:CurrentTime`, ISO 8601); default now.
    #[arg(long)]
    pub at: Option<String>,
    /// More context: `KEY=VALUE`, or `KEY=[V1,V2]` for a multivalued key.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// Evaluate deployed documents instead of the compiled ones: AWS CLI
    /// outputs or a `dpol build` directory, as `dpol diff --against` reads them.
    #[arg(long, num_args = 1..)]
    pub against: Vec<PathBuf>,
    /// How the answer is printed on stdout.
    #[arg(long, value_enum, default_value_t = WhyFormat::Text)]
    pub format: WhyFormat,
    #[command(flatten)]
    pub report: ReportArgs,
}

const DENIED: u8 = 1;
const ERROR: u8 = 2;

pub fn run(args: &WhyArgs) -> ExitCode {
    let mut report = args.report;
    report.stdout_taken = true;
    let source_args = SourceArgs {
        paths: args.program.clone(),
        stdin_filename: None,
        with_directory: false,
        report,
    };
    let (compiled, names) = match super::compile_with(&source_args, |model, _| Names::of(model)) {
        Ok(compiled) => compiled,
        Err(_) => return ExitCode::from(ERROR),
    };
    let mut sources = compiled.sources;
    let fail = |sources: &dpol::source::SourceMap, d: Diagnostic| {
        output::report(sources, &[d], report, "compiled");
        ExitCode::from(ERROR)
    };
    let query = match query(args) {
        Ok(q) => q,
        Err(d) => return fail(&sources, d),
    };
    let catalog = match dpol::catalog::catalog() {
        Ok(c) => c,
        Err(e) => return fail(&sources, Diagnostic::internal(e)),
    };
    let request = match why::request(&names, catalog, &query) {
        Ok(r) => r,
        Err(d) => return fail(&sources, d),
    };
    let reach = why::Reach::of(&names, [&request]);
    let (docs, lines) = if args.against.is_empty() {
        // Only the documents that can take part are read (at 100k grants,
        // parsing all of them would take seconds).
        let relevant: Vec<dpol::emit::Compiled> = compiled
            .documents
            .into_iter()
            .filter(|d| reach.may_apply(d.kind, &d.attach))
            .collect();
        (
            relevant
                .iter()
                .map(|d| d.document(Some("compiled"), &sources))
                .collect(),
            relevant
                .iter()
                .map(|d| d.statement_lines(&sources))
                .collect(),
        )
    } else {
        match super::diff::read_against(&args.against) {
            Ok(deployed) => (deployed.docs, Vec::new()),
            Err(unreadable) => {
                let d = unreadable.into_diagnostic(&mut sources);
                return fail(&sources, d);
            }
        }
    };
    let answer = match why::answer(&names, &docs, &lines, request) {
        Ok(a) => a,
        Err(d) => return fail(&sources, d),
    };
    match args.format {
        WhyFormat::Text => print!("{}", text(&args.principal, &answer)),
        WhyFormat::Json => println!("{}", json(&answer)),
    }
    if answer.evaluation.decision == Decision::Allowed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(DENIED)
    }
}

fn query(args: &WhyArgs) -> Result<Query, Diagnostic> {
    let mut context = Vec::new();
    for pair in &args.context {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(not_key_value(pair));
        };
        match value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            Some(list) => context.push((
                key.to_string(),
                list.split(',').map(|v| v.trim().to_string()).collect(),
                true,
            )),
            None => context.push((key.to_string(), vec![value.to_string()], false)),
        }
    }
    Ok(Query {
        principal: args.principal.clone(),
        action: args.action.clone(),
        resource: args.resource.clone(),
        via: args.via.clone(),
        from_ip: args.from_ip.clone(),
        keys: args.keys.clone(),
        attrs: args.attrs.clone(),
        select: args.select.clone(),
        // `DPOL_TODAY=YYYY-MM-DD` fixes "now" at the start of that day (tests).
        at: Some(args.at.clone().unwrap_or_else(dpol::iam::eval::now)),
        context,
    })
}

fn values(v: &dpol::iam::eval::ContextValue) -> String {
    if v.multi {
        format!("[{}]", v.values.join(", "))
    } else {
        v.values.join(", ")
    }
}

/// The answer for a reader.
fn text(asked: &str, answer: &Answer) -> String {
    let r = &answer.request;
    let mut out = String::new();
    let who = if asked == r.principal {
        r.principal.clone()
    } else {
        format!("{asked} ({})", r.principal)
    };
    out.push_str(&format!("{who} {} on {}\n", r.action, r.resource));
    for (key, v) in r.context.iter() {
        out.push_str(&format!("  {key} = {}\n", values(v)));
    }
    let a = &answer.applied;
    let listed = |names: &[String]| {
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    };
    out.push_str(&format!(
        "evaluated against:\n  identity: {}\n",
        listed(&a.identity)
    ));
    out.push_str(&format!("  SCPs: {}", a.scp_note));
    for (i, level) in a.scps.iter().enumerate() {
        out.push_str(&format!("\n    level {i}: {}", listed(level)));
    }
    out.push('\n');
    let rcps: Vec<String> = a.rcps.iter().flatten().cloned().collect();
    out.push_str(&format!("  RCPs: {}\n", listed(&rcps)));
    out.push_str(&format!(
        "  resource policy: {}\n  endpoint policy: {}\n",
        a.resource.as_deref().unwrap_or("none"),
        a.endpoint.as_deref().unwrap_or("none")
    ));
    out.push_str(answer.verdict());
    match &answer.gap {
        Some(gap) => out.push_str(&format!(": {gap}\n")),
        None => out.push('\n'),
    }
    let how = match answer.evaluation.decision {
        Decision::Allowed => "allowed by",
        _ => "denied by",
    };
    for s in &answer.statements {
        let sid = s
            .sid
            .as_deref()
            .map(|s| format!(" `{s}`"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {how} statement {}{sid} of {} ({})\n",
            s.index,
            s.document,
            s.kind.as_str()
        ));
        out.push_str(&format!("    {}\n", s.statement));
        if !s.sources.is_empty() {
            let lines: Vec<String> = s.sources.iter().map(ToString::to_string).collect();
            out.push_str(&format!("    compiled from {}\n", lines.join(", ")));
        }
    }
    out
}

/// The answer for tools ([`why::JsonAnswer`]), as a JSON value: its
/// members sorted.
fn json(answer: &Answer) -> Value {
    serde_json::to_value(answer.json()).unwrap_or_else(|e| json!({ "error": e.to_string() }))
}

/// E0114: a `--context` argument that is not `KEY=VALUE`.
fn not_key_value(pair: &str) -> Diagnostic {
    Diagnostic::global(
        Code::BadRequest,
        format!("`--context {pair}` is not KEY=VALUE"),
    )
}
