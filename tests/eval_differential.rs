//! dpol's evaluator (`dpol::iam::eval`) against the independent one
//! (`@cloud-copilot/iam-simulate`, through `tests/sim/simulate.mjs`) on
//! random requests over compiled programs: the examples and programs from
//! `dpol-gen`. Every request is evaluated by both on the same documents;
//! any disagreement fails, with both explanations.
//!
//! Requests are drawn from what the documents mention — their principals
//! (and role sessions, and an outsider), actions (and others from the
//! catalogue), resources (wildcards filled in), and for each condition key
//! the documents use, a value they name or one they do not, or no value —
//! so that most requests reach the statements' conditions. A plain `cargo
//! test` draws `DPOL_DIFF_REQUESTS` requests (default 3,000); `ci/test-all.sh`
//! sets 100,000.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

#[macro_use]
mod tools;
mod sim_world;
#[allow(dead_code)] // `shuffle` is not used here
#[path = "diff_mutations/xorshift.rs"]
mod xorshift;

use std::collections::{BTreeMap, BTreeSet};

use dpol::iam::DocKind;
use serde_json::{json, Value};
use sim_world::{dpol_evaluate, req, simulate, World};
use tools::Tool;
use xorshift::XorShift;

/// What a world's documents mention, to draw requests from.
#[derive(Default)]
struct Vocabulary {
    principals: Vec<String>,
    actions: Vec<String>,
    resources: Vec<String>,
    /// Condition key → the values the documents compare it with.
    keys: BTreeMap<String, BTreeSet<String>>,
    /// Keys used under `ForAllValues`/`ForAnyValue`: multivalued.
    multi: BTreeSet<String>,
    /// Each identity document's principal and the actions its Allow
    /// statements name.
    grants: Vec<(String, Vec<String>)>,
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        Value::Number(n) => vec![n.to_string()],
        Value::Bool(b) => vec![b.to_string()],
        _ => Vec::new(),
    }
}

fn vocabulary(world: &World) -> Vocabulary {
    let mut v = Vocabulary::default();
    let mut principals = BTreeSet::new();
    let mut actions = BTreeSet::new();
    let mut resources = BTreeSet::new();
    for doc in &world.docs {
        if doc.kind == DocKind::Identity {
            principals.extend(doc.attach.iter().cloned());
            let allowed: Vec<String> = strings_of(&doc.content()["Statement"])
                .into_iter()
                .filter(|s| s["Effect"] == "Allow")
                .flat_map(|s| strings(&s["Action"]))
                .filter(|a| a.starts_with("dynamodb:"))
                .collect();
            for p in doc.attach.iter().filter(|p| !p.contains(":group/")) {
                v.grants.push((p.clone(), allowed.clone()));
            }
        }
        if doc.kind == DocKind::EventRule {
            continue;
        }
        if doc.kind == DocKind::Resource {
            resources.extend(doc.attach.iter().cloned());
        }
        let content = doc.content();
        for s in strings_of(&content["Statement"]) {
            actions.extend(strings(
                s.get("Action")
                    .or(s.get("NotAction"))
                    .unwrap_or(&Value::Null),
            ));
            resources.extend(strings(s.get("Resource").unwrap_or(&Value::Null)));
            principals.extend(
                strings(&s["Condition"]["ArnEquals"]["aws:PrincipalArn"])
                    .into_iter()
                    .chain(strings(&s["Condition"]["ArnNotEquals"]["aws:PrincipalArn"])),
            );
            for (operator, keys) in s["Condition"].as_object().into_iter().flatten() {
                for (key, values) in keys.as_object().into_iter().flatten() {
                    if operator.starts_with("For") {
                        v.multi.insert(key.clone());
                    }
                    if operator == "Null" {
                        v.keys.entry(key.clone()).or_default();
                    } else {
                        v.keys
                            .entry(key.clone())
                            .or_default()
                            .extend(strings(values));
                    }
                }
            }
        }
    }
    // Role sessions, and a principal no document names.
    let sessions: Vec<String> = principals
        .iter()
        .filter_map(|p| {
            let (head, role) = p.split_once(":role/")?;
            let account = head.rsplit(':').next()?;
            let name = role.rsplit('/').next()?;
            Some(format!(
                "arn:aws:sts::{account}:assumed-role/{name}/session"
            ))
        })
        .collect();
    principals.extend(sessions);
    principals.insert("arn:aws:iam::999999999999:role/Outsider".into());
    principals.retain(|p| !p.contains('*') && !p.contains(":group/"));
    v.principals = principals.into_iter().collect();
    v.actions = actions.into_iter().collect();
    v.resources = resources.into_iter().collect();
    v
}

fn strings_of(statements: &Value) -> Vec<&Value> {
    match statements {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    }
}

/// A value for `key` the documents do not name.
fn other_value(key: &str, rng: &mut XorShift) -> String {
    let key = key.to_ascii_lowercase();
    if key.contains("sourceip") {
        ["198.51.100.9", "203.0.113.200", "10.1.2.3"][rng.below(3)].into()
    } else if key.contains("currenttime") {
        ["2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z"][rng.below(2)].into()
    } else if key.contains("present")
        || key.contains("viaawsservice")
        || key.contains("isawsservice")
        || key.contains("fulltablescan")
        || key.contains("grantisforawsresource")
    {
        ["true", "false"][rng.below(2)].into()
    } else if key.contains("arn") {
        "arn:aws:iam::999999999999:role/Outsider".into()
    } else {
        format!("other{}", rng.below(3))
    }
}

/// A concrete resource from a pattern: each `*` or `?` filled in.
fn concrete(pattern: &str, rng: &mut XorShift) -> String {
    let fills = ["us-east-1", "x", "ByDate"];
    pattern
        .chars()
        .map(|c| match c {
            '*' => fills[rng.below(fills.len())].to_string(),
            '?' => "q".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Where requests go: `(region, account, name)` of every table ARN the
/// documents name, the KMS key ARNs, and the index names.
struct Places {
    tables: Vec<(String, String, String)>,
    keys: Vec<String>,
    indexes: Vec<String>,
}

fn places(v: &Vocabulary) -> Places {
    let mut tables = BTreeSet::new();
    let mut keys = BTreeSet::new();
    let mut indexes = BTreeSet::from(["ByDate".to_string()]);
    for r in &v.resources {
        let fields: Vec<&str> = r.splitn(6, ':').collect();
        if fields.len() < 6 || fields[3].contains('*') || fields[4].contains('*') {
            continue;
        }
        if let Some(path) = fields[5].strip_prefix("table/") {
            let mut parts = path.split('/');
            let name = parts.next().unwrap_or_default();
            if !name.contains(['*', '?']) {
                tables.insert((
                    fields[3].to_string(),
                    fields[4].to_string(),
                    name.to_string(),
                ));
            }
            if let (Some("index"), Some(index)) = (parts.next(), parts.next()) {
                if !index.contains(['*', '?']) {
                    indexes.insert(index.to_string());
                }
            }
        } else if fields[5].starts_with("key/") {
            keys.insert(r.clone());
        }
    }
    Places {
        tables: tables.into_iter().collect(),
        keys: keys.into_iter().collect(),
        indexes: indexes.into_iter().collect(),
    }
}

fn pick<'a, T>(items: &'a [T], rng: &mut XorShift) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.below(items.len())])
}

/// A request the independent evaluator accepts (its strict mode): an action
/// of the catalogue, one concrete resource of a type the action takes (or
/// `*` when it takes none), and only context keys valid for the action.
fn draw(v: &Vocabulary, at: &Places, rng: &mut XorShift) -> Option<sim_world::Req> {
    let catalog = dpol::catalog::catalog().unwrap();
    let (tables, keys, indexes) = (&at.tables, &at.keys, &at.indexes);
    // Half the requests come from a principal's own grants, so that many
    // reach an Allow and its conditions.
    let own = if rng.chance(50) {
        pick(&v.grants, rng)
    } else {
        None
    };
    let principal = match own {
        Some((principal, _)) => principal,
        None => pick(&v.principals, rng)?,
    };
    let (service, action) = if !keys.is_empty() && rng.chance(10) {
        let names = [
            "Decrypt",
            "DescribeKey",
            "GenerateDataKey",
            "CreateGrant",
            "Encrypt",
        ];
        (
            &catalog.kms,
            catalog.kms.action(names[rng.below(names.len())])?,
        )
    } else if own.is_some() || rng.chance(60) {
        let mentioned = match own {
            Some((_, actions)) => pick(actions, rng)?,
            None => pick(&v.actions, rng)?,
        };
        let name = concrete(mentioned, rng);
        let name = name.strip_prefix("dynamodb:")?;
        (&catalog.dynamodb, catalog.dynamodb.action(name)?)
    } else {
        let all: Vec<&str> = catalog.dynamodb.names().collect();
        (
            &catalog.dynamodb,
            catalog.dynamodb.action(pick(&all, rng)?)?,
        )
    };
    let resource = if action.resourceless() {
        "*".to_string()
    } else {
        let kind = &pick(&action.resource_types, rng)?.name;
        let template = service.arn_templates.get(kind)?;
        let (region, account, table) = pick(tables, rng)?.clone();
        let key = pick(keys, rng).cloned().unwrap_or_default();
        if service.prefix == "kms" {
            if kind != "key" {
                return None;
            }
            key
        } else {
            template
                .replace("${Partition}", "aws")
                .replace("${Region}", &region)
                .replace("${Account}", &account)
                .replace("${TableName}", &table)
                .replace("${IndexName}", pick(indexes, rng)?)
                .replace("${StreamLabel}", "2026-01-01T00:00:00.000")
                .replace("${GlobalTableName}", &table)
                .replace("${BackupName}", "b1")
                .replace("${ExportName}", "e1")
                .replace("${ImportName}", "i1")
        }
    };
    let mut context = serde_json::Map::new();
    for (key, values) in &v.keys {
        let global = key.to_ascii_lowercase().starts_with("aws:");
        if !global && !action.has_key(key) {
            continue;
        }
        if key.eq_ignore_ascii_case("aws:PrincipalArn")
            || key.eq_ignore_ascii_case("aws:PrincipalAccount")
            || rng.chance(40)
        {
            continue; // the first two come from the principal
        }
        let known: Vec<&String> = values.iter().collect();
        let one = |rng: &mut XorShift| {
            if !known.is_empty() && rng.chance(70) {
                concrete(known[rng.below(known.len())], rng)
            } else {
                other_value(key, rng)
            }
        };
        let value = if v.multi.contains(key) {
            let n = 1 + rng.below(3);
            Value::Array((0..n).map(|_| Value::String(one(rng))).collect())
        } else {
            Value::String(one(rng))
        };
        context.insert(key.clone(), value);
    }
    let action = format!("{}:{}", service.prefix, action.name);
    Some(req(principal, &action, &resource).ctx(Value::Object(context)))
}

/// The examples, each account under every OU the SCPs name.
fn examples() -> World {
    let (sources, _) = dpol::load::load(&[sim_world::root().join("examples")]).unwrap();
    let (docs, d) = dpol::compile(&sources);
    placed(World::of(docs.unwrap_or_else(|| panic!("{d:#?}"))))
}

fn placed(world: World) -> World {
    let targets: BTreeSet<String> = world
        .docs
        .iter()
        .filter(|d| matches!(d.kind, DocKind::Scp | DocKind::Rcp))
        .flat_map(|d| d.attach.iter().cloned())
        .collect();
    let ous: Vec<String> = targets
        .iter()
        .filter(|t| t.starts_with("ou-"))
        .cloned()
        .collect();
    let ous: Vec<&str> = ous.iter().map(String::as_str).collect();
    let accounts: BTreeSet<String> = world
        .docs
        .iter()
        .flat_map(|d| d.attach.iter())
        .filter_map(|a| {
            a.split(':')
                .nth(4)
                .map(str::to_string)
                .or_else(|| Some(a.clone()))
        })
        .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    accounts
        .into_iter()
        .fold(world, |w, account| w.ou(&account, &ous))
}

/// A program from `dpol-gen`.
fn generated(grants: usize, seed: u64) -> World {
    placed(World::compile(&dpol_gen::program(seed, grants, None, None)))
}

fn requests() -> usize {
    std::env::var("DPOL_DIFF_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3_000)
}

/// What one world's comparison found.
#[derive(Default)]
struct Outcomes {
    decisions: BTreeMap<String, usize>,
    disagreements: Vec<String>,
    errors: Vec<String>,
}

/// `n` random requests on `world`, evaluated by both evaluators.
fn compare(name: &str, world: &World, seed: u64, n: usize) -> Outcomes {
    let vocabulary = vocabulary(world);
    let at = places(&vocabulary);
    let mut rng = XorShift::new(0x5eed + seed);
    let mut cases: Vec<Value> = Vec::with_capacity(n);
    while cases.len() < n {
        if let Some(request) = draw(&vocabulary, &at, &mut rng) {
            let mut case = world.case(&request);
            case["name"] = json!(format!("{name}-{}", cases.len()));
            cases.push(case);
        }
    }
    let mut out = Outcomes::default();
    // In batches, so that one run of node holds a bounded input.
    for batch in cases.chunks(5_000) {
        for (case, theirs) in batch.iter().zip(simulate(batch)) {
            if theirs.decision == "Error" {
                out.errors
                    .push(format!("{}: {}", case["name"], theirs.detail));
                continue;
            }
            let ours = dpol_evaluate(case);
            *out.decisions.entry(theirs.decision.clone()).or_default() += 1;
            if ours.decision.as_str() != theirs.decision {
                out.disagreements.push(format!(
                    "{}: iam-simulate {} ({}), dpol {:?}\n  request {}",
                    case["name"], theirs.decision, theirs.detail, ours, case["request"]
                ));
            }
        }
    }
    out
}

/// No disagreement, and each outcome in at least one request in fifty (or
/// the comparison proves little).
fn assert_agreement(total: usize, decisions: &BTreeMap<String, usize>, disagreements: &[String]) {
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements[..disagreements.len().min(15)].join("\n")
    );
    for outcome in ["Allowed", "ImplicitlyDenied", "ExplicitlyDenied"] {
        let n = decisions.get(outcome).copied().unwrap_or_default();
        assert!(
            n * 50 >= total,
            "only {n} of {total} requests are {outcome}"
        );
    }
}

#[test]
fn dpol_and_iam_simulate_agree_on_random_requests() {
    require!(Tool::Evaluator);
    let worlds = [
        ("examples", examples()),
        ("gen-200-1", generated(200, 1)),
        ("gen-200-2", generated(200, 2)),
    ];
    let total = requests();
    // One thread a world (each runs its own node), results joined in order.
    let results: Vec<Outcomes> = std::thread::scope(|scope| {
        let handles: Vec<_> = worlds
            .iter()
            .enumerate()
            .map(|(w, (name, world))| {
                std::thread::Builder::new()
                    .name(format!("differential-{name}"))
                    .spawn_scoped(scope, move || compare(name, world, w as u64, total / 3))
                    .unwrap()
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut decisions: BTreeMap<String, usize> = BTreeMap::new();
    let mut disagreements = Vec::new();
    let mut errors = Vec::new();
    for outcome in results {
        for (decision, n) in outcome.decisions {
            *decisions.entry(decision).or_default() += n;
        }
        disagreements.extend(outcome.disagreements);
        errors.extend(outcome.errors);
    }
    eprintln!("{total} requests: {decisions:?}; {} errors", errors.len());
    assert!(
        errors.is_empty(),
        "iam-simulate could not evaluate:\n{}",
        errors[..errors.len().min(10)].join("\n")
    );
    assert_agreement(total, &decisions, &disagreements);
}

/// Policies with what dpol never emits — `NotAction`, `NotResource`,
/// `NotPrincipal`, policy variables, numeric, date, IPv6 and negated set
/// operators, account principals across accounts — under random requests.
#[test]
fn hand_written_policies_agree() {
    require!(Tool::Evaluator);
    let a = "111122223333";
    let b = "444455556666";
    let table = format!("arn:aws:dynamodb:us-east-1:{a}:table/Notes");
    let other = format!("arn:aws:dynamodb:us-east-1:{a}:table/Ledger");
    let identity = json!([{
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Own", "Effect": "Allow", "Action": "dynamodb:*",
             "Resource": format!("arn:aws:dynamodb:*:*:table/${{aws:username}}-*")},
            {"Sid": "NotLedger", "Effect": "Allow", "NotAction": ["dynamodb:Delete*", "dynamodb:Update*"],
             "NotResource": other},
            {"Sid": "Team", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": "*",
             "Condition": {"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "Ledger"},
                           "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}},
            {"Sid": "NoSecrets", "Effect": "Deny", "Action": "dynamodb:*", "Resource": "*",
             "Condition": {"ForAnyValue:StringLike": {"dynamodb:Attributes": ["secret*", "pin?"]}}},
            {"Sid": "OnlyNamed", "Effect": "Deny", "Action": "dynamodb:GetItem", "Resource": "*",
             "Condition": {"ForAllValues:StringNotEquals": {"dynamodb:Attributes": ["Id", "Body"]},
                           "Null": {"dynamodb:Attributes": "false"}}},
            {"Sid": "Office", "Effect": "Deny", "Action": "dynamodb:PutItem", "Resource": "*",
             "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]},
                           "Bool": {"aws:ViaAWSService": "false"}}},
            {"Sid": "Window", "Effect": "Deny", "Action": "dynamodb:Query", "Resource": "*",
             "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2026-06-01T00:00:00Z"},
                           "StringNotEqualsIfExists": {"aws:PrincipalTag/team": "ops"}}}
        ]
    }]);
    let table_policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": b},
             "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": [table.clone(), format!("{table}/index/*")]},
            {"Sid": "Reader", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{a}:role/app/Reader")},
             "Action": "dynamodb:Scan", "Resource": table.clone()},
            {"Sid": "Fence", "Effect": "Deny",
             "NotPrincipal": {"AWS": [format!("arn:aws:iam::{a}:root"), format!("arn:aws:iam::{b}:root"),
                                      format!("arn:aws:iam::{a}:user/alice"), format!("arn:aws:iam::{b}:user/partner"),
                                      format!("arn:aws:iam::{a}:role/app/Reader")]},
             "Action": "dynamodb:*", "Resource": "*"},
            {"Sid": "Arns", "Effect": "Deny", "Principal": "*", "Action": "dynamodb:DeleteTable", "Resource": "*",
             "Condition": {"ArnNotLike": {"aws:PrincipalArn": [format!("arn:aws:iam::{a}:role/*admin*")]}}}
        ]
    });
    let principals = [
        format!("arn:aws:iam::{a}:user/alice"),
        format!("arn:aws:iam::{a}:user/bob"),
        format!("arn:aws:sts::{a}:assumed-role/Reader/s1"),
        format!("arn:aws:iam::{a}:role/team-admin-x"),
        format!("arn:aws:iam::{b}:user/partner"),
        "arn:aws:iam::999999999999:user/stranger".to_string(),
    ];
    let actions = [
        "GetItem",
        "PutItem",
        "Query",
        "Scan",
        "DeleteTable",
        "UpdateItem",
        "ListTables",
        "DeleteItem",
    ];
    let resources = [
        table.clone(),
        other.clone(),
        format!("{table}/index/ByDate"),
        format!("arn:aws:dynamodb:us-east-1:{a}:table/alice-notes"),
        format!("arn:aws:dynamodb:us-east-1:{a}:table/bob-notes"),
    ];
    let mut rng = XorShift::new(77);
    let n = requests() / 3;
    let mut cases = Vec::new();
    while cases.len() < n {
        let principal = &principals[rng.below(principals.len())];
        let action = actions[rng.below(actions.len())];
        let resource = if action == "ListTables" {
            "*".to_string()
        } else {
            resources[rng.below(resources.len())].clone()
        };
        let mut context = serde_json::Map::new();
        let mut maybe = |key: &str, value: Value, rng: &mut XorShift| {
            if rng.chance(60) {
                context.insert(key.to_string(), value);
            }
        };
        let user = principal.rsplit('/').next().unwrap_or_default().to_string();
        maybe(
            "aws:username",
            json!([user.as_str(), "carol"][rng.below(2)]),
            &mut rng,
        );
        maybe(
            "aws:PrincipalTag/team",
            json!(["ledger", "LEDGER", "ops", "sales"][rng.below(4)]),
            &mut rng,
        );
        maybe(
            "aws:MultiFactorAuthAge",
            json!(["10", "3599", "3600", "86400"][rng.below(4)]),
            &mut rng,
        );
        maybe(
            "aws:SourceIp",
            json!(["203.0.113.9", "198.51.100.1", "2001:db8::7", "2001:db9::1"][rng.below(4)]),
            &mut rng,
        );
        maybe(
            "aws:ViaAWSService",
            json!(["true", "false"][rng.below(2)]),
            &mut rng,
        );
        maybe(
            "aws:CurrentTime",
            json!(
                [
                    "2026-01-01T00:00:00Z",
                    "2026-06-01T00:00:00Z",
                    "2027-01-01T00:00:00Z"
                ][rng.below(3)]
            ),
            &mut rng,
        );
        if ["GetItem", "Query", "Scan", "PutItem", "UpdateItem"].contains(&action) {
            let names = ["Id", "Body", "secretX", "pin1", "pin12"];
            let k = 1 + rng.below(3);
            let picked: Vec<&str> = (0..k).map(|_| names[rng.below(names.len())]).collect();
            maybe("dynamodb:Attributes", json!(picked), &mut rng);
        }
        let resource_account = resource
            .split(':')
            .nth(4)
            .filter(|x| !x.is_empty())
            .unwrap_or(a);
        let caller_account = principal.split(':').nth(4).unwrap_or_default();
        cases.push(json!({
            "name": format!("hand-{}", cases.len()),
            // A caller's own identity policies: only account A's principals have these.
            "identityPolicies": if caller_account == a { identity.clone() } else if caller_account == b {
                json!([{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}])
            } else { json!([]) },
            "scps": [],
            "rcps": [],
            "resourcePolicy": if resource_account == a && resource.contains("table/Notes") { table_policy.clone() } else { Value::Null },
            "endpointPolicy": Value::Null,
            "request": {"principal": principal, "action": format!("dynamodb:{action}"), "resource": resource, "context": context}
        }));
    }
    let mut decisions: BTreeMap<String, usize> = BTreeMap::new();
    let mut disagreements = Vec::new();
    let mut divergences = 0;
    for batch in cases.chunks(5_000) {
        for (case, theirs) in batch.iter().zip(simulate(batch)) {
            assert_ne!(
                theirs.decision, "Error",
                "{}: {}",
                case["name"], theirs.detail
            );
            let ours = dpol_evaluate(case);
            *decisions.entry(theirs.decision.clone()).or_default() += 1;
            // The one documented divergence: dpol does not let an account's
            // ARN in `NotPrincipal` exempt the account's other principals
            // (see `exempts` in src/iam/eval/policy.rs for the AWS text).
            let fence = ours.decision.as_str() == "ExplicitlyDenied"
                && ours
                    .deciding
                    .iter()
                    .all(|d| d.sid.as_deref() == Some("Fence"))
                && theirs.decision != "ExplicitlyDenied";
            if fence {
                divergences += 1;
                continue;
            }
            if ours.decision.as_str() != theirs.decision {
                disagreements.push(format!(
                    "{}: iam-simulate {} ({}), dpol {:?}\n  request {}",
                    case["name"], theirs.decision, theirs.detail, ours, case["request"]
                ));
            }
        }
    }
    eprintln!(
        "{n} hand-written requests: {decisions:?}; {divergences} on the NotPrincipal reading"
    );
    assert!(
        divergences > 0,
        "the NotPrincipal divergence is no longer exercised"
    );
    assert_agreement(n, &decisions, &disagreements);
}
