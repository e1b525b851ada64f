//! Evaluating what a compiled program allows with the independent evaluator
//! (`@cloud-copilot/iam-simulate` through `tests/sim/simulate.mjs`).
//!
//! A [`World`] is a compiled program placed in an organization: for each
//! request it picks the documents AWS would evaluate — the principal's
//! identity policies, the SCPs along its account's chain (root, OUs,
//! account; none for a management account), the table's resource policy and
//! the policy of the endpoint the request came through — and asks the
//! evaluator for the decision. Nothing here knows what dpol meant: it reads
//! the documents' `attach` lists only.

#![allow(dead_code)] // each test file uses part of it
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use dpol::emit::Compiled;
use dpol::iam::eval::{self, Context, Evaluation, Named, ParsedPolicy, PolicySet, Request};
use dpol::iam::DocKind;
use serde_json::{json, Value};

pub const FULL_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compiles one program; panics with the diagnostics when it does not compile.
pub fn compile(text: &str) -> Vec<Compiled> {
    let mut sources = dpol::source::SourceMap::new();
    sources.add("world.dpol", None, text.to_string());
    let (docs, diags) = dpol::compile(&sources);
    docs.unwrap_or_else(|| panic!("the program does not compile: {diags:#?}"))
}

/// The diagnostic codes of a program that must not compile.
pub fn rejected(text: &str) -> Vec<&'static str> {
    let mut sources = dpol::source::SourceMap::new();
    sources.add("world.dpol", None, text.to_string());
    let (docs, diags) = dpol::compile(&sources);
    assert!(docs.is_none(), "the program compiles: {diags:#?}");
    diags.iter().map(|d| d.code.as_str()).collect()
}

/// One request: principal ARN (an assumed-role session ARN works too),
/// action, one concrete resource ARN (or `*`), and its context keys.
#[derive(Clone, Debug)]
pub struct Req {
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub context: Value,
}

pub fn req(principal: &str, action: &str, resource: &str) -> Req {
    Req {
        principal: principal.into(),
        action: action.into(),
        resource: resource.into(),
        context: json!({}),
    }
}

impl Req {
    /// Adds context keys (`{"aws:SourceVpc": "vpc-…"}`).
    pub fn ctx(mut self, context: Value) -> Req {
        if let (Some(own), Some(more)) = (self.context.as_object_mut(), context.as_object()) {
            for (k, v) in more {
                own.insert(k.clone(), v.clone());
            }
        }
        self
    }
}

/// A compiled program placed in an organization.
pub struct World {
    pub docs: Vec<Compiled>,
    /// Account id → the OU ids above it, outermost first.
    ous: BTreeMap<String, Vec<String>>,
    /// Accounts outside Organizations' SCPs (the management account).
    management: Vec<String>,
    /// Extra resource policies by resource ARN (KMS key policies).
    extra_resource: BTreeMap<String, Value>,
}

impl World {
    pub fn of(docs: Vec<Compiled>) -> World {
        World {
            docs,
            ous: BTreeMap::new(),
            management: Vec::new(),
            extra_resource: BTreeMap::new(),
        }
    }

    pub fn compile(text: &str) -> World {
        World::of(compile(text))
    }

    /// Places `account` under `ous` (outermost first).
    pub fn ou(mut self, account: &str, ous: &[&str]) -> World {
        self.ous
            .insert(account.into(), ous.iter().map(|s| s.to_string()).collect());
        self
    }

    /// `account` is the management account: no SCP applies to it.
    pub fn management(mut self, account: &str) -> World {
        self.management.push(account.into());
        self
    }

    /// A resource policy the program does not write (e.g. a KMS key policy).
    pub fn resource_policy(mut self, arn: &str, policy: Value) -> World {
        self.extra_resource.insert(arn.into(), policy);
        self
    }

    fn attached(&self, kind: DocKind, target: &str) -> Vec<Value> {
        self.docs
            .iter()
            .filter(|d| d.kind == kind && d.attach.iter().any(|a| a == target))
            .map(|d| d.content())
            .collect()
    }

    /// The simulate.mjs case for one request.
    pub fn case(&self, r: &Req) -> Value {
        let fields: Vec<&str> = r.principal.split(':').collect();
        let account = fields.get(4).copied().unwrap_or_default().to_string();
        let partition = fields.get(1).copied().unwrap_or("aws");
        // An assumed-role session is governed by its role's policies.
        let identity_arn = match fields.get(5).and_then(|r| r.strip_prefix("assumed-role/")) {
            Some(rest) => format!(
                "arn:{partition}:iam::{account}:role/{}",
                rest.split('/').next().unwrap_or_default()
            ),
            None => r.principal.clone(),
        };
        let full: Value = serde_json::from_str(FULL_ACCESS).unwrap();
        // SCPs never apply to the management account or to service-linked
        // roles (Organizations User Guide, "Service control policies").
        let service_linked = r.principal.contains(":role/aws-service-role/");
        let scps: Vec<Value> = if self.management.contains(&account) || service_linked {
            Vec::new()
        } else {
            let level = |target: Option<&str>| {
                let mut docs = vec![full.clone()];
                if let Some(t) = target {
                    docs.extend(self.attached(DocKind::Scp, t));
                }
                Value::Array(docs)
            };
            let mut levels = vec![level(None)];
            for ou in self.ous.get(&account).into_iter().flatten() {
                levels.push(level(Some(ou)));
            }
            levels.push(level(Some(&account)));
            levels
        };
        // RCPs along the resource's account chain: never for the management
        // account's resources, never for service-linked roles.
        let resource_account = r
            .resource
            .split(':')
            .nth(4)
            .filter(|a| !a.is_empty())
            .unwrap_or(&account)
            .to_string();
        let rcps: Vec<Value> = if self.management.contains(&resource_account) || service_linked {
            Vec::new()
        } else {
            let level = |target: Option<&str>| {
                Value::Array(target.map_or_else(Vec::new, |t| self.attached(DocKind::Rcp, t)))
            };
            let mut levels = vec![level(None)];
            for ou in self.ous.get(&resource_account).into_iter().flatten() {
                levels.push(level(Some(ou)));
            }
            levels.push(level(Some(&resource_account)));
            levels
        };
        // A table's resource policy governs the table and everything under it.
        let table_arn = table_of(&r.resource);
        let resource = self
            .extra_resource
            .get(&r.resource)
            .cloned()
            .or_else(|| {
                table_arn
                    .as_deref()
                    .and_then(|t| self.attached(DocKind::Resource, t).into_iter().next())
            })
            .unwrap_or(Value::Null);
        let vpce = r.context.get("aws:SourceVpce").and_then(Value::as_str);
        let endpoint = vpce
            .and_then(|id| self.attached(DocKind::VpcEndpoint, id).into_iter().next())
            .unwrap_or(Value::Null);
        json!({
            "identityPolicies": self.attached(DocKind::Identity, &identity_arn),
            "scps": scps,
            "rcps": rcps,
            "resourcePolicy": resource,
            "endpointPolicy": endpoint,
            "request": {
                "principal": r.principal,
                "action": r.action,
                "resource": r.resource,
                "context": r.context,
            }
        })
    }
}

/// `arn:…:table/T` for any ARN under a table (`…/index/I`, `…/stream/S`).
fn table_of(resource: &str) -> Option<String> {
    let (head, path) = resource.split_once(":table/")?;
    let name = path.split('/').next()?;
    Some(format!("{head}:table/{name}"))
}

/// The evaluator's decision and its explanation.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub decision: String,
    pub detail: String,
}

fn harness() -> PathBuf {
    let sim = root().join("tests/sim");
    assert!(
        sim.join("node_modules/@cloud-copilot/iam-simulate").exists(),
        "the IAM evaluator is not installed: run `npm ci --prefix tests/sim` (ci/test-all.sh does it)"
    );
    sim
}

/// Evaluates every case (simulate.mjs input cases) in one run of the evaluator.
pub fn simulate(cases: &[Value]) -> Vec<Outcome> {
    let sim = harness();
    let input = json!({"cases": cases});
    let dir = std::env::temp_dir().join(format!(
        "dpol-sim-{}-{}",
        std::process::id(),
        std::thread::current()
            .name()
            .unwrap_or("main")
            .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("cases.json");
    std::fs::write(&file, serde_json::to_string(&input).unwrap()).unwrap();
    let out = run_node(&sim.join("simulate.mjs"), &file);
    let _ = std::fs::remove_dir_all(&dir);
    let results: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| Outcome {
            decision: r["decision"].as_str().unwrap_or_default().to_string(),
            detail: r["detail"].as_str().unwrap_or_default().to_string(),
        })
        .collect()
}

fn run_node(script: &Path, input: &Path) -> String {
    let out = Command::new("node")
        .arg(script)
        .arg(input)
        .output()
        .expect("node is required for the evaluator tests");
    assert!(
        out.status.success(),
        "simulate.mjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// dpol's own evaluator (`dpol::iam::eval`) on one simulate.mjs case: the
/// same documents and request, so that its decision can be compared with
/// the independent evaluator's.
pub fn dpol_evaluate(case: &Value) -> Evaluation {
    let parse = |doc: &Value| {
        ParsedPolicy::parse(doc).unwrap_or_else(|e| panic!("dpol's evaluator refuses {doc}: {e}"))
    };
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let identity: Vec<ParsedPolicy> = list(&case["identityPolicies"]).iter().map(parse).collect();
    let levels = |v: &Value| -> Vec<Vec<ParsedPolicy>> {
        list(v)
            .iter()
            .map(|level| list(level).iter().map(parse).collect())
            .collect()
    };
    let scps = levels(&case["scps"]);
    let rcps = levels(&case["rcps"]);
    let one = |v: &Value| (!v.is_null()).then(|| parse(v));
    let resource = one(&case["resourcePolicy"]);
    let endpoint = one(&case["endpointPolicy"]);
    // The policies live for the call only; `Named` borrows them.
    let set = PolicySet {
        identity: identity
            .iter()
            .map(|p| Named {
                name: "identity",
                policy: p,
            })
            .collect(),
        boundary: None,
        scps: scps
            .iter()
            .map(|l| {
                l.iter()
                    .map(|p| Named {
                        name: "scp",
                        policy: p,
                    })
                    .collect()
            })
            .collect(),
        rcps: rcps
            .iter()
            .map(|l| {
                l.iter()
                    .map(|p| Named {
                        name: "rcp",
                        policy: p,
                    })
                    .collect()
            })
            .collect(),
        resource: resource.as_ref().map(|p| Named {
            name: "resource",
            policy: p,
        }),
        endpoint: endpoint.as_ref().map(|p| Named {
            name: "endpoint",
            policy: p,
        }),
    };
    let r = &case["request"];
    let mut context = Context::default();
    for (key, value) in r["context"].as_object().into_iter().flatten() {
        match value {
            Value::Array(items) => {
                context.insert(key, items.iter().map(scalar_text).collect(), true)
            }
            other => context.insert(key, vec![scalar_text(other)], false),
        }
    }
    let text = |k: &str| r[k].as_str().unwrap_or_default().to_string();
    let request = Request::signed(
        &text("principal"),
        &text("action"),
        &text("resource"),
        context,
    );
    eval::evaluate(&request, &set)
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Evaluates each request in `world` and checks its decision
/// (`Allowed`, `ImplicitlyDenied`, `ExplicitlyDenied`); all mismatches are
/// reported together.
pub fn expect(world: &World, cases: &[(&str, Req, &str)]) {
    let inputs: Vec<Value> = cases
        .iter()
        .map(|(name, r, _)| {
            let mut c = world.case(r);
            c["name"] = json!(name);
            c
        })
        .collect();
    let outcomes = simulate(&inputs);
    let mut failures: Vec<String> = cases
        .iter()
        .zip(&outcomes)
        .filter(|((_, _, want), got)| got.decision != *want)
        .map(|((name, r, want), got)| {
            format!(
                "{name}: {} {} on {} {}: expected {want}, got {} — {}",
                r.principal, r.action, r.resource, r.context, got.decision, got.detail
            )
        })
        .collect();
    // dpol's own evaluator must reach the same, reviewed decisions.
    for ((name, r, want), input) in cases.iter().zip(&inputs) {
        let got = dpol_evaluate(input);
        if got.decision.as_str() != *want {
            failures.push(format!(
                "{name} (dpol's evaluator): {} {} on {} {}: expected {want}, got {} — {got:?}",
                r.principal,
                r.action,
                r.resource,
                r.context,
                got.decision.as_str()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
