//! Issue 11, "make the class hard to reintroduce": a reference model of the
//! language, written from grammar/README.md and AWS's action catalogue
//! (`data/iam-data`) without any of dpol's `check`, `model` or `emit` code,
//! compared with what the independent evaluator (`tests/sim`, iam-simulate)
//! decides on the documents dpol emits.
//!
//! - **Small random programs** (tables with global and local indexes,
//!   attributes, private tables and an account-wide perimeter, roles, users,
//!   a break-glass role, a user or role of another account granted tables of
//!   this one (the table's resource policy must allow it too); grants with every verb, `can`, `keys`, `attrs`,
//!   `except attrs`, `index`, `via`, `with mfa`, `from`/`until`; denies):
//!   the model decides each request exactly, and the evaluator must agree in
//!   both directions — an Allow the model does not give is a grant wider than
//!   the source, a Deny it does not give is a grant or deny narrower (or
//!   wider) than the source.
//! - **dpol-gen programs** (OUs, several accounts, endpoint policies, `from
//!   ip`, patterns): every Allow must be justified by a grant line of that
//!   principal on that table or `*` whose verbs or patterns contain the action
//!   (conditions only narrow, so they are not modelled there).
//!
//! Each program gets `DPOL_REFMODEL_REQUESTS` random requests (10,000 unless
//! set); `DPOL_REFMODEL_PROGRAMS` sets how many random programs (3 unless
//! set), from seed `DPOL_REFMODEL_FIRST_SEED` (1 unless set).
//! `ci/test-all.sh` runs a longer round. Every request the two sides
//! disagree on fails the test, with the program and the evaluator's
//! explanation.
//!
//! Not covered by the random programs (the model would have to say what
//! these mean, and the dedicated tests in `tests/soundness.rs` and
//! `tests/perimeter.rs` do): groups, OUs and more than two accounts, endpoint policy
//! blocks, KMS, global tables, alerts, `from ip`, AWS-service exceptions of
//! the perimeter (no request carries `aws:ViaAWSService` or a service
//! principal), exempt and deployer roles.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod sim_world;
#[macro_use]
mod tools;
use tools::Tool;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};
use sim_world::{simulate, World};

const ACCOUNT: &str = "111122223333";
const OTHER_ACCOUNT: &str = "444455556666";
const REGION: &str = "us-east-1";

// ---------------------------------------------------------------- random

/// splitmix64: deterministic, seedable, enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// A non-empty random subset, at most `max` items, in the order given.
    fn some<T: Clone>(&mut self, items: &[T], max: usize) -> Vec<T> {
        let n = 1 + self.below(max.min(items.len()));
        let mut idx: Vec<usize> = (0..items.len()).collect();
        for i in 0..idx.len() {
            let j = i + self.below(idx.len() - i);
            idx.swap(i, j);
        }
        let mut chosen: Vec<usize> = idx.into_iter().take(n).collect();
        chosen.sort_unstable();
        chosen.into_iter().map(|i| items[i].clone()).collect()
    }
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------- catalogue

/// AWS's DynamoDB actions: resource types and condition keys of each.
struct Catalogue {
    actions: BTreeMap<String, (Vec<String>, Vec<String>)>,
}

impl Catalogue {
    fn load() -> Catalogue {
        let path = sim_world::root().join("data/iam-data/actions/dynamodb.json");
        let data: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut actions = BTreeMap::new();
        for entry in data.as_object().unwrap().values() {
            let name = entry["name"].as_str().unwrap().to_string();
            let types = entry["resourceTypes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["name"].as_str().unwrap().to_string())
                .collect();
            let keys = entry["conditionKeys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap().to_string())
                .collect();
            actions.insert(name, (types, keys));
        }
        Catalogue { actions }
    }
    fn names(&self) -> Vec<String> {
        self.actions.keys().cloned().collect()
    }
    fn types(&self, action: &str) -> &[String] {
        self.actions.get(action).map_or(&[], |a| &a.0)
    }
    fn takes(&self, action: &str, resource_type: &str) -> bool {
        self.types(action).iter().any(|t| t == resource_type)
    }
    fn account_level(&self, action: &str) -> bool {
        self.types(action).is_empty()
    }
    fn has_key(&self, action: &str, key: &str) -> bool {
        self.actions
            .get(action)
            .is_some_and(|a| a.1.iter().any(|k| k == key))
    }
}

// ---------------------------------------------------------------- the language, as grammar/README.md says

/// Never granted by a verb (grammar/README.md, "Verbs"): only by `can`.
const ONLY_BY_NAME: &[&str] = &[
    "PutResourcePolicy",
    "DeleteResourcePolicy",
    "ExportTableToPointInTime",
    "ReadDataForReplication",
    "WriteDataForReplication",
];

const RESERVED: &[&str] = &[
    "DescribeReservedCapacity",
    "DescribeReservedCapacityOfferings",
];

/// The account-level listings a table's `describes` and `manages` include.
fn listing(action: &str) -> bool {
    action.starts_with("List") || action == "DescribeLimits" || action == "DescribeEndpoints"
}

/// What a verb allows: on one table (`star` false) or on `*`.
fn verb_allows(cat: &Catalogue, verb: &str, star: bool) -> BTreeSet<String> {
    let list = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    match verb {
        "reads" => list(&[
            "GetItem",
            "BatchGetItem",
            "Query",
            "ConditionCheckItem",
            "PartiQLSelect",
        ]),
        "writes" => list(&["PutItem", "UpdateItem", "PartiQLInsert", "PartiQLUpdate"]),
        "updates" => list(&["UpdateItem", "PartiQLUpdate"]),
        "deletes" => list(&["DeleteItem", "PartiQLDelete"]),
        "scans" => list(&["Scan", "PartiQLSelect"]),
        "describes" => cat
            .names()
            .into_iter()
            .filter(|a| a.starts_with("Describe") || a.starts_with("List"))
            .filter(|a| star || !RESERVED.contains(&a.as_str()))
            .collect(),
        "scales" => list(&[
            "UpdateTable",
            "DescribeTable",
            "UpdateTableReplicaAutoScaling",
            "DescribeTableReplicaAutoScaling",
            "DescribeLimits",
        ]),
        "streams" => list(&[
            "DescribeStream",
            "GetRecords",
            "GetShardIterator",
            "ListStreams",
        ]),
        "manages" => cat
            .names()
            .into_iter()
            .filter(|a| !ONLY_BY_NAME.contains(&a.as_str()))
            .filter(|a| star || !cat.account_level(a) || listing(a))
            .collect(),
        other => panic!("no verb {other}"),
    }
}

/// What `cannot VERB` denies (grammar/README.md, the deny table): the verb's
/// own actions and every action that can do the same.
fn verb_denies(cat: &Catalogue, verb: &str, star: bool) -> BTreeSet<String> {
    let mut set = verb_allows(cat, verb, true);
    let extra: &[&str] = match verb {
        "reads" => &[
            "Scan",
            "PartiQLSelect",
            "GetRecords",
            "GetShardIterator",
            "SearchVectors",
            "ExportTableToPointInTime",
            "RestoreTableFromBackup",
            "RestoreTableToPointInTime",
            "ReadDataForReplication",
        ],
        "writes" => &["BatchWriteItem", "WriteDataForReplication"],
        "updates" => &["PutItem", "BatchWriteItem", "WriteDataForReplication"],
        "deletes" => &[
            "BatchWriteItem",
            "DeleteTable",
            "DeleteTableReplica",
            "UpdateTimeToLive",
            "WriteDataForReplication",
        ],
        "scans" => &["SearchVectors"],
        "manages" => ONLY_BY_NAME,
        _ => &[],
    };
    set.extend(extra.iter().map(|s| s.to_string()));
    if !star {
        // A deny on one table denies only what acts on a table.
        set.retain(|a| !cat.account_level(a));
    }
    set
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Net {
    VpcA,
    VpcB,
    GwA,
    GwB,
}

impl Net {
    fn name(self) -> &'static str {
        match self {
            Net::VpcA => "vpca",
            Net::VpcB => "vpcb",
            Net::GwA => "gwa",
            Net::GwB => "gwb",
        }
    }
    fn id(self) -> &'static str {
        match self {
            Net::VpcA => "vpc-0a1b2c3d4e5f60001",
            Net::VpcB => "vpc-0a1b2c3d4e5f60002",
            Net::GwA => "vpce-0aaa1111",
            Net::GwB => "vpce-0bbb2222",
        }
    }
    fn key(self) -> &'static str {
        match self {
            Net::VpcA | Net::VpcB => "aws:SourceVpc",
            Net::GwA | Net::GwB => "aws:SourceVpce",
        }
    }
    /// Whether a request with this context comes through this network.
    fn admits(self, ctx: &Map<String, Value>) -> bool {
        ctx.get(self.key()).and_then(Value::as_str) == Some(self.id())
    }
}

const NETS: [Net; 4] = [Net::VpcA, Net::VpcB, Net::GwA, Net::GwB];

struct Table {
    name: String,
    has_sort: bool,
    attrs: Vec<String>,
    gsis: Vec<(String, String)>,
    lsis: Vec<(String, String)>,
    private: Option<Vec<Net>>,
}

impl Table {
    /// Attributes an allow-list always admits: the keys of the table and of
    /// every declared index.
    fn key_attrs(&self) -> Vec<String> {
        let mut out = vec!["pk".to_string()];
        if self.has_sort {
            out.push("sk".into());
        }
        for (_, k) in self.gsis.iter().chain(&self.lsis) {
            out.push(k.clone());
        }
        out
    }
    fn index(&self, name: &str) -> Option<bool> {
        if self.gsis.iter().any(|(n, _)| n == name) {
            Some(true)
        } else if self.lsis.iter().any(|(n, _)| n == name) {
            Some(false)
        } else {
            None
        }
    }
}

struct Who {
    name: String,
    role: bool,
    breakglass: bool,
    /// In account `partner` (OTHER_ACCOUNT), not `prod`, where the tables are.
    partner: bool,
}

impl Who {
    fn arn(&self) -> String {
        let kind = if self.role { "role" } else { "user" };
        let account = if self.partner { OTHER_ACCOUNT } else { ACCOUNT };
        format!("arn:aws:iam::{account}:{kind}/{}", self.name)
    }
}

/// The DynamoDB operations another account can use on a table or index
/// through its resource-based policy, as IAM actions: DynamoDB Developer
/// Guide, "DynamoDB API operations supported by resource-based policies",
/// the rows "Cross-account support: Yes" (TransactGetItems and
/// TransactWriteItems are authorized as the item actions they contain,
/// ConditionCheckItem included). Streams have a policy of their own, which
/// dpol does not write.
const ACROSS_ACCOUNTS: &[&str] = &[
    "BatchGetItem",
    "BatchWriteItem",
    "ConditionCheckItem",
    "DeleteItem",
    "DeleteTable",
    "DescribeTable",
    "GetItem",
    "ListTagsOfResource",
    "PutItem",
    "Query",
    "Scan",
    "TagResource",
    "UntagResource",
    "UpdateItem",
    "UpdateTable",
];

#[derive(Default)]
struct Grant {
    who: usize,
    verbs: Vec<&'static str>,
    can: Vec<String>,
    table: Option<usize>,
    keys: Option<Vec<String>>,
    attrs: Option<Vec<String>>,
    except: Option<Vec<String>>,
    index: Option<String>,
    via: Option<Net>,
    mfa: bool,
    from: Option<&'static str>,
    until: Option<&'static str>,
}

struct Deny {
    who: usize,
    verb: &'static str,
    table: Option<usize>,
}

struct Program {
    tables: Vec<Table>,
    who: Vec<Who>,
    grants: Vec<Grant>,
    denies: Vec<Deny>,
    /// `table * private to … in prod`.
    star_perimeter: Option<Vec<Net>>,
}

const KEYS: &[&str] = &["t1", "t2", "t3"];
const CAN: &[&str] = &[
    "GetItem",
    "Query",
    "Scan",
    "DescribeTable",
    "UpdateTable",
    "PutResourcePolicy",
    "ExportTableToPointInTime",
    "CreateBackup",
];

fn generate(rng: &mut Rng) -> Program {
    let mut tables = Vec::new();
    for t in 0..1 + rng.below(3) {
        let gsis = if rng.chance(60) {
            vec![(format!("Gix{t}"), "ga".to_string())]
        } else {
            vec![]
        };
        let lsis = if rng.chance(50) {
            vec![(format!("Lix{t}"), "la".to_string())]
        } else {
            vec![]
        };
        let private = rng.chance(40).then(|| rng.some(&NETS, 2));
        let has_sort = !lsis.is_empty() || rng.chance(50);
        tables.push(Table {
            name: format!("Tab{t}"),
            has_sort,
            attrs: if rng.chance(70) {
                let mut a: Vec<String> = vec!["a".into(), "b".into(), "c".into()];
                a.extend(gsis.iter().chain(&lsis).map(|(_, k)| k.clone()));
                a
            } else {
                vec![]
            },
            gsis,
            lsis,
            private,
        });
    }
    let star_perimeter = rng.chance(20).then(|| rng.some(&NETS, 2));
    let mut who: Vec<Who> = (0..2 + rng.below(2))
        .map(|i| Who {
            name: format!("P{i}"),
            role: rng.chance(60),
            breakglass: false,
            partner: false,
        })
        .collect();
    // A user or role of another account, granted tables of this one.
    if rng.chance(40) {
        who.push(Who {
            name: "Q0".into(),
            role: rng.chance(60),
            breakglass: false,
            partner: true,
        });
    }
    who.push(Who {
        name: "Emergency".into(),
        role: true,
        breakglass: true,
        partner: false,
    });
    let item_verbs = ["reads", "writes", "updates", "deletes"];
    let other_verbs = ["scans", "describes", "scales", "streams", "manages"];
    let mut grants = Vec::new();
    for _ in 0..3 + rng.below(6) {
        let mut g = Grant {
            who: rng.below(who.len() - 1),
            ..Grant::default()
        };
        let star = rng.chance(15);
        if !star {
            g.table = Some(rng.below(tables.len()));
        }
        match rng.below(10) {
            0 => g.can = rng.some(&CAN.iter().map(|s| s.to_string()).collect::<Vec<_>>(), 3),
            1..=5 => g.verbs = rng.some(&item_verbs, 2),
            6..=7 => g.verbs = rng.some(&other_verbs, 2),
            _ => g.verbs = vec![*rng.pick(&item_verbs), *rng.pick(&other_verbs)],
        }
        if let Some(t) = g.table.map(|t| &tables[t]) {
            let only_item = !g.verbs.is_empty() && g.verbs.iter().all(|v| item_verbs.contains(v));
            let readable = g.verbs.iter().all(|v| *v == "reads" || *v == "updates");
            if only_item && rng.chance(40) {
                g.keys = Some(rng.some(&KEYS.iter().map(|s| s.to_string()).collect::<Vec<_>>(), 2));
            }
            if !g.verbs.is_empty() && readable && !t.attrs.is_empty() && rng.chance(40) {
                let some = rng.some(&t.attrs, 2);
                if g.verbs == ["reads"] && rng.chance(30) {
                    g.except = Some(some);
                } else {
                    g.attrs = Some(some);
                }
            }
            let indexes: Vec<String> = t
                .gsis
                .iter()
                .chain(&t.lsis)
                .map(|(n, _)| n.clone())
                .collect();
            if g.verbs == ["reads"]
                && g.attrs.is_none()
                && g.except.is_none()
                && !indexes.is_empty()
                && rng.chance(25)
            {
                g.index = Some(rng.pick(&indexes).clone());
            }
        }
        if rng.chance(25) {
            g.via = Some(*rng.pick(&NETS));
        }
        g.mfa = rng.chance(15);
        if rng.chance(15) {
            g.until = Some("2030-12-31");
        }
        if rng.chance(10) {
            g.from = Some("2025-01-01");
        }
        grants.push(g);
    }
    // A deny-list's Deny would limit the principal's other grants on its
    // table (E0419): keep it the principal's only grant there.
    let lists: Vec<(usize, usize)> = grants
        .iter()
        .filter(|g| g.except.is_some())
        .filter_map(|g| g.table.map(|t| (g.who, t)))
        .collect();
    grants.retain(|g| {
        g.except.is_some()
            || !lists
                .iter()
                .any(|&(w, t)| g.who == w && g.table.is_none_or(|own| own == t))
    });
    let mut seen = BTreeSet::new();
    grants.retain(|g| g.except.is_none() || seen.insert((g.who, g.table)));
    let all_verbs: Vec<&'static str> = item_verbs.iter().chain(&other_verbs).copied().collect();
    let mut denies = Vec::new();
    for _ in 0..rng.below(3) {
        let verb: &&'static str = rng.pick(all_verbs.as_slice());
        denies.push(Deny {
            who: rng.below(who.len() - 1),
            verb,
            table: (!rng.chance(20)).then(|| rng.below(tables.len())),
        });
    }
    Program {
        tables,
        who,
        grants,
        denies,
        star_perimeter,
    }
}

fn render(p: &Program) -> String {
    let nets = |n: &[Net]| n.iter().map(|n| n.name()).collect::<Vec<_>>().join(", ");
    let mut s =
        format!("account prod = {ACCOUNT}\naccount partner = {OTHER_ACCOUNT}\nregion {REGION}\n");
    s += &format!(
        "vpc vpca = {} in prod\nvpc vpcb = {} in prod\n",
        Net::VpcA.id(),
        Net::VpcB.id()
    );
    s += &format!(
        "endpoint gwa = {} in vpca\nendpoint gwb = {} in vpcb\n",
        Net::GwA.id(),
        Net::GwB.id()
    );
    for t in &p.tables {
        s += &format!("table {} in prod", t.name);
        if let Some(n) = &t.private {
            s += &format!(" private to {}", nets(n));
        }
        s += " {\n  key pk: string\n";
        if t.has_sort {
            s += "  sort sk: string\n";
        }
        if !t.attrs.is_empty() {
            s += &format!("  attrs {}\n", t.attrs.join(", "));
        }
        for (n, k) in &t.gsis {
            s += &format!("  global index {n} on {k}\n");
        }
        for (n, k) in &t.lsis {
            s += &format!("  local index {n} on {k}\n");
        }
        s += "}\n";
    }
    if let Some(n) = &p.star_perimeter {
        s += &format!("table * private to {} in prod\n", nets(n));
    }
    for w in &p.who {
        let prefix = if w.breakglass { "breakglass " } else { "" };
        let kind = if w.role { "role" } else { "user" };
        let account = if w.partner { "partner" } else { "prod" };
        s += &format!("{prefix}{kind} {} in {account}\n", w.name);
    }
    for g in &p.grants {
        let what = if g.can.is_empty() {
            g.verbs.join(", ")
        } else {
            format!("can {}", g.can.join(", "))
        };
        let on = g
            .table
            .map_or("*".to_string(), |t| p.tables[t].name.clone());
        s += &format!("{} {what} on {on}", p.who[g.who].name);
        if let Some(i) = &g.index {
            s += &format!(" index {i}");
        }
        if let Some(k) = &g.keys {
            s += &format!(
                " keys {}",
                k.iter()
                    .map(|k| format!("\"{k}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if let Some(a) = &g.attrs {
            s += &format!(" attrs {}", a.join(", "));
        }
        if let Some(a) = &g.except {
            s += &format!(" except attrs {}", a.join(", "));
        }
        if let Some(n) = g.via {
            s += &format!(" via {}", n.name());
        }
        if g.mfa {
            s += " with mfa";
        }
        if let Some(d) = g.from {
            s += &format!(" from {d}");
        }
        if let Some(d) = g.until {
            s += &format!(" until {d}");
        }
        s += "\n";
    }
    for d in &p.denies {
        let on = d
            .table
            .map_or("*".to_string(), |t| p.tables[t].name.clone());
        let verb = d.verb.trim_end_matches('s');
        s += &format!("{} cannot {verb} on {on}\n", p.who[d.who].name);
    }
    s
}

// ---------------------------------------------------------------- requests

#[derive(Clone, Debug)]
struct Request {
    principal: String,
    action: String,
    resource: String,
    context: Map<String, Value>,
}

/// Where a resource ARN is: which table (by name) and what under it.
enum Place {
    Account,
    Table(String),
    Under(String, &'static str, String),
    GlobalTable(String),
    Elsewhere,
}

fn place(resource: &str) -> Place {
    if resource == "*" {
        return Place::Account;
    }
    let prefix = format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/");
    if let Some(rest) = resource.strip_prefix(&prefix) {
        let mut parts = rest.splitn(3, '/');
        let table = parts.next().unwrap_or_default().to_string();
        return match (parts.next(), parts.next()) {
            (None, _) => Place::Table(table),
            (Some(kind), Some(name)) => {
                let kind = match kind {
                    "index" => "index",
                    "stream" => "stream",
                    "backup" => "backup",
                    "export" => "export",
                    "import" => "import",
                    _ => return Place::Elsewhere,
                };
                Place::Under(table, kind, name.to_string())
            }
            _ => Place::Elsewhere,
        };
    }
    let global = format!("arn:aws:dynamodb::{ACCOUNT}:global-table/");
    match resource.strip_prefix(&global) {
        Some(name) => Place::GlobalTable(name.to_string()),
        None => Place::Elsewhere,
    }
}

fn table_name_of(resource: &str) -> Option<String> {
    match place(resource) {
        Place::Table(t) | Place::Under(t, _, _) | Place::GlobalTable(t) => Some(t),
        _ => None,
    }
}

const TIMES: &[&str] = &[
    "2020-06-01T00:00:00Z",
    "2026-12-02T10:00:00Z",
    "2030-12-31T23:59:00Z",
    "2031-01-01T00:00:00Z",
];

/// What random requests are drawn from.
struct Space<'a> {
    cat: &'a Catalogue,
    principals: Vec<String>,
    /// (table name, index names, attribute names).
    tables: Vec<(String, Vec<String>, Vec<String>)>,
    /// Actions the program's grants and denies name.
    favoured: Vec<String>,
    key_values: Vec<String>,
    nets: Vec<(&'static str, &'static str)>,
}

fn random_request(rng: &mut Rng, space: &Space, near: Option<&Near>) -> Request {
    let Space {
        cat,
        principals,
        tables,
        favoured,
        key_values,
        nets,
    } = space;
    let cat: &Catalogue = cat;
    let principal = if let Some(n) = near.filter(|_| rng.chance(90)) {
        n.principal.clone()
    } else if rng.chance(92) {
        rng.pick(principals).clone()
    } else if rng.chance(50) {
        format!("arn:aws:iam::{ACCOUNT}:role/Stranger")
    } else {
        format!("arn:aws:iam::{OTHER_ACCOUNT}:role/P0")
    };
    // An assumed-role session of a role is governed like the role.
    let principal = match principal.split_once(":role/") {
        Some((head, name)) if rng.chance(25) => {
            format!(
                "{}:assumed-role/{name}/session",
                head.replace(":iam::", ":sts::")
            )
        }
        _ => principal,
    };
    let all = cat.names();
    let action = match near.filter(|n| !n.actions.is_empty() && rng.chance(85)) {
        Some(n) => rng.pick(&n.actions).clone(),
        None if rng.chance(60) && !favoured.is_empty() => rng.pick(favoured).clone(),
        None => rng.pick(&all).clone(),
    };
    let (table, indexes, attrs) = match near.and_then(|n| n.table).filter(|_| rng.chance(90)) {
        Some(t) => tables[t].clone(),
        None => rng.pick(tables).clone(),
    };
    let types = cat.types(&action);
    let resource = if types.is_empty() {
        "*".to_string()
    } else {
        let base = format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table}");
        match rng.pick(types).as_str() {
            "index" => {
                let mut names = indexes.clone();
                names.push("Undeclared".into());
                format!("{base}/index/{}", rng.pick(&names))
            }
            "stream" => format!("{base}/stream/2026-01-01T00:00:00.000"),
            "backup" => format!("{base}/backup/01700000000000-abcdef12"),
            "export" => format!("{base}/export/01700000000000-abcdef12"),
            "import" => format!("{base}/import/01700000000000-abcdef12"),
            "global-table" => format!("arn:aws:dynamodb::{ACCOUNT}:global-table/{table}"),
            _ => base,
        }
    };
    let mut context = Map::new();
    let strs = |v: Vec<String>| Value::Array(v.into_iter().map(Value::String).collect());
    if cat.has_key(&action, "dynamodb:LeadingKeys") && rng.chance(85) {
        let mut pool = key_values.to_vec();
        pool.push("zz".into());
        let pool = match near.and_then(|n| n.keys.clone()).filter(|_| rng.chance(80)) {
            Some(keys) => keys,
            None => pool,
        };
        context.insert("dynamodb:LeadingKeys".into(), strs(rng.some(&pool, 2)));
    }
    let mut specific = false;
    if cat.has_key(&action, "dynamodb:Attributes") && rng.chance(75) {
        let pool = match near
            .and_then(|n| n.attrs.clone())
            .filter(|_| rng.chance(70))
        {
            Some(allowed) => allowed,
            None => attrs.clone(),
        };
        context.insert("dynamodb:Attributes".into(), strs(rng.some(&pool, 3)));
        specific = true;
    }
    // Reads always carry Select (`ALL_ATTRIBUTES` when the request names no
    // attributes: iam-facts.md, DynamoDB fine-grained access recipes).
    if cat.has_key(&action, "dynamodb:Select") {
        let select = if specific && rng.chance(75) {
            "SPECIFIC_ATTRIBUTES"
        } else {
            rng.pick(&[
                "ALL_ATTRIBUTES",
                "ALL_PROJECTED_ATTRIBUTES",
                "COUNT",
                "SPECIFIC_ATTRIBUTES",
            ])
        };
        context.insert("dynamodb:Select".into(), json!(select));
    }
    if cat.has_key(&action, "dynamodb:ReturnValues") && rng.chance(50) {
        let rv = rng.pick(&["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"]);
        context.insert("dynamodb:ReturnValues".into(), json!(rv));
    }
    if cat.has_key(&action, "dynamodb:FullTableScan") {
        context.insert(
            "dynamodb:FullTableScan".into(),
            json!(if rng.chance(50) { "true" } else { "false" }),
        );
    }
    if let Some(net) = near.and_then(|n| n.via).filter(|_| rng.chance(85)) {
        context.insert(net.key().into(), json!(net.id()));
    } else if !nets.is_empty() && rng.chance(70) {
        let (key, id) = *rng.pick(nets);
        context.insert(key.into(), json!(id));
        if key == "aws:SourceVpce" && rng.chance(50) {
            let (k2, id2) = *rng.pick(nets);
            if k2 == "aws:SourceVpc" {
                context.insert(k2.into(), json!(id2));
            }
        }
    }
    if near.is_some_and(|n| n.mfa) && rng.chance(85) {
        context.insert("aws:MultiFactorAuthPresent".into(), json!("true"));
    } else if rng.chance(60) {
        context.insert(
            "aws:MultiFactorAuthPresent".into(),
            json!(if rng.chance(60) { "true" } else { "false" }),
        );
    }
    let time = if near.is_some_and(|n| n.timed) && rng.chance(80) {
        rng.pick(&TIMES[1..3])
    } else {
        rng.pick(TIMES)
    };
    context.insert("aws:CurrentTime".into(), json!(time));
    if rng.chance(20) {
        context.insert(
            "aws:SourceIp".into(),
            json!(rng.pick(&["203.0.113.7", "198.51.100.9", "192.0.2.3"])),
        );
    }
    Request {
        principal,
        action,
        resource,
        context,
    }
}

/// A grant (or deny) that a request is drawn near to: its principal, its
/// actions, its table and what satisfies its clauses, so that the edges of
/// each grant are tried, not only the far-away requests.
struct Near {
    principal: String,
    actions: Vec<String>,
    table: Option<usize>,
    keys: Option<Vec<String>>,
    attrs: Option<Vec<String>>,
    via: Option<Net>,
    mfa: bool,
    timed: bool,
}

fn nears(p: &Program, cat: &Catalogue) -> Vec<Near> {
    let mut out = Vec::new();
    for g in &p.grants {
        let mut actions: BTreeSet<String> = g.can.iter().cloned().collect();
        for v in &g.verbs {
            actions.extend(verb_allows(cat, v, g.table.is_none()));
        }
        out.push(Near {
            principal: p.who[g.who].arn(),
            actions: actions.into_iter().collect(),
            table: g.table,
            keys: g.keys.clone(),
            attrs: g.attrs.as_ref().zip(g.table).map(|(a, t)| {
                let mut all = p.tables[t].key_attrs();
                all.extend(a.iter().cloned());
                all
            }),
            via: g.via,
            mfa: g.mfa,
            timed: g.until.is_some() || g.from.is_some(),
        });
    }
    for d in &p.denies {
        out.push(Near {
            principal: p.who[d.who].arn(),
            actions: verb_denies(cat, d.verb, d.table.is_none())
                .into_iter()
                .collect(),
            table: d.table,
            keys: None,
            attrs: None,
            via: None,
            mfa: false,
            timed: false,
        });
    }
    out
}

// ---------------------------------------------------------------- the model

fn strings<'a>(ctx: &'a Map<String, Value>, key: &str) -> Option<Vec<&'a str>> {
    ctx.get(key).map(|v| match v {
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        other => other.as_str().into_iter().collect(),
    })
}

fn one<'a>(ctx: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    ctx.get(key).and_then(Value::as_str)
}

/// The principal a request is governed as (a session as its role).
fn governed_as(principal: &str) -> String {
    match principal.split_once(":assumed-role/") {
        Some((head, rest)) => format!(
            "{}:role/{}",
            head.replace(":sts::", ":iam::"),
            rest.split('/').next().unwrap_or_default()
        ),
        None => principal.to_string(),
    }
}

struct Model<'a> {
    p: &'a Program,
    cat: &'a Catalogue,
}

impl Model<'_> {
    fn table(&self, name: &str) -> Option<&Table> {
        self.p.tables.iter().find(|t| t.name == name)
    }

    /// Whether grant `g`'s actions and resources cover the request
    /// (conditions aside).
    fn covers(&self, g: &Grant, r: &Request) -> bool {
        let a = r.action.as_str();
        let star = g.table.is_none();
        let by_verb = g
            .verbs
            .iter()
            .any(|v| verb_allows(self.cat, v, star).contains(a))
            || (a == "BatchWriteItem"
                && g.verbs.contains(&"writes")
                && g.verbs.contains(&"deletes"));
        let by_name = g.can.iter().any(|c| c == a);
        if !(by_verb || by_name) {
            return false;
        }
        let Some(t) = g.table.map(|t| &self.p.tables[t]) else {
            return true;
        };
        match place(&r.resource) {
            Place::Account => self.cat.account_level(a),
            Place::Table(name) => name == t.name && g.index.is_none() && self.cat.takes(a, "table"),
            Place::Under(name, "index", index) => {
                name == t.name
                    && self.cat.takes(a, "index")
                    && match (&g.index, t.index(&index)) {
                        (Some(only), Some(_)) => *only == index,
                        (None, Some(global)) => !(global && g.keys.is_some()),
                        (_, None) => false,
                    }
            }
            Place::Under(name, kind, _) => {
                name == t.name && g.index.is_none() && self.cat.takes(a, kind)
            }
            Place::GlobalTable(name) => name == t.name && self.cat.takes(a, "global-table"),
            Place::Elsewhere => false,
        }
    }

    fn grant_allows(&self, g: &Grant, r: &Request) -> bool {
        if !self.covers(g, r) {
            return false;
        }
        // Across accounts the table's resource policy must allow too: it
        // does for a grant on a table, on the table and its indexes, for
        // the operations DynamoDB allows across accounts. A request on `*`
        // acts on the caller's own account.
        if self.p.who[g.who].partner {
            let on_table = matches!(
                place(&r.resource),
                Place::Table(_) | Place::Under(_, "index", _)
            );
            let account_level = matches!(place(&r.resource), Place::Account);
            let through_policy =
                g.table.is_some() && on_table && ACROSS_ACCOUNTS.contains(&r.action.as_str());
            if !(account_level || through_policy) {
                return false;
            }
        }
        let a = r.action.as_str();
        let ctx = &r.context;
        // `reads` gives PartiQL SELECT only without a full-table scan.
        let unrestricted = g
            .verbs
            .iter()
            .any(|v| *v != "reads" && verb_allows(self.cat, v, g.table.is_none()).contains(a))
            || g.can.iter().any(|c| c == a);
        if a == "PartiQLSelect"
            && !unrestricted
            && one(ctx, "dynamodb:FullTableScan") != Some("false")
        {
            return false;
        }
        if let Some(keys) = &g.keys {
            if self.cat.has_key(a, "dynamodb:LeadingKeys") {
                match strings(ctx, "dynamodb:LeadingKeys") {
                    Some(v) if v.iter().all(|k| keys.iter().any(|x| x == k)) => {}
                    _ => return false,
                }
            }
        }
        if let (Some(attrs), Some(t)) = (&g.attrs, g.table.map(|t| &self.p.tables[t])) {
            let mut allowed = t.key_attrs();
            allowed.extend(attrs.iter().cloned());
            if self.cat.has_key(a, "dynamodb:Attributes") {
                match strings(ctx, "dynamodb:Attributes") {
                    Some(v) if v.iter().all(|x| allowed.iter().any(|y| y == x)) => {}
                    _ => return false,
                }
            }
            if self.cat.has_key(a, "dynamodb:Select") {
                if let Some(s) = one(ctx, "dynamodb:Select") {
                    if s != "SPECIFIC_ATTRIBUTES" {
                        return false;
                    }
                }
            }
            if self.cat.has_key(a, "dynamodb:ReturnValues") {
                if let Some(v) = one(ctx, "dynamodb:ReturnValues") {
                    if !["NONE", "UPDATED_OLD", "UPDATED_NEW"].contains(&v) {
                        return false;
                    }
                }
            }
        }
        if let Some(n) = g.via {
            if !n.admits(ctx) {
                return false;
            }
        }
        if g.mfa && one(ctx, "aws:MultiFactorAuthPresent") != Some("true") {
            return false;
        }
        let now = one(ctx, "aws:CurrentTime").unwrap_or_default();
        if g.until.is_some() && now >= "2031-01-01T00:00:00Z" {
            return false;
        }
        if g.from.is_some() && now < "2025-01-01T00:00:00Z" {
            return false;
        }
        true
    }

    /// An `except attrs` deny-list of grant `g` that stops the request.
    fn except_denies(&self, g: &Grant, r: &Request) -> bool {
        let Some(except) = &g.except else {
            return false;
        };
        if !self.covers(g, r) {
            return false;
        }
        let (a, ctx) = (r.action.as_str(), &r.context);
        let named = self.cat.has_key(a, "dynamodb:Attributes")
            && strings(ctx, "dynamodb:Attributes")
                .is_some_and(|v| v.iter().any(|x| except.iter().any(|e| e == x)));
        let all = self.cat.has_key(a, "dynamodb:Select")
            && one(ctx, "dynamodb:Select").is_some_and(|s| s != "SPECIFIC_ATTRIBUTES");
        let whole = self.cat.has_key(a, "dynamodb:ReturnValues")
            && one(ctx, "dynamodb:ReturnValues").is_some_and(|v| v == "ALL_OLD" || v == "ALL_NEW");
        named || all || whole
    }

    fn deny_applies(&self, d: &Deny, r: &Request) -> bool {
        let star = d.table.is_none();
        if !verb_denies(self.cat, d.verb, star).contains(&r.action) {
            return false;
        }
        match d.table {
            None => true,
            Some(t) => {
                table_name_of(&r.resource).as_deref() == Some(self.p.tables[t].name.as_str())
            }
        }
    }

    /// The perimeters: a private table's SCP (on the table, what is under
    /// it and its global table) and resource policy, and the account-wide
    /// SCP, deny every DynamoDB request outside the networks but the
    /// break-glass role's.
    fn perimeter_denies(&self, who: Option<&Who>, r: &Request) -> bool {
        if who.is_some_and(|w| w.breakglass) {
            return false;
        }
        let in_scope = governed_as(&r.principal).contains(&format!(":{ACCOUNT}:"));
        let outside = |nets: &[Net]| !nets.iter().any(|n| n.admits(&r.context));
        if let Some(nets) = &self.p.star_perimeter {
            if in_scope && outside(nets) {
                return true;
            }
        }
        // The SCP also covers the global table of the same name (issue 11:
        // DescribeGlobalTable names only it); the resource policy cannot.
        let table = match place(&r.resource) {
            Place::Table(t) | Place::Under(t, _, _) => t,
            Place::GlobalTable(t) if in_scope => t,
            _ => return false,
        };
        self.table(&table)
            .and_then(|t| t.private.as_ref())
            .is_some_and(|nets| outside(nets))
    }

    fn allows(&self, r: &Request) -> bool {
        let arn = governed_as(&r.principal);
        let who_index = self.p.who.iter().position(|w| w.arn() == arn);
        let who = who_index.map(|i| &self.p.who[i]);
        if self.perimeter_denies(who, r) {
            return false;
        }
        let Some(i) = who_index else {
            return false;
        };
        let mine = |g: &&Grant| g.who == i;
        if self
            .p
            .denies
            .iter()
            .any(|d| d.who == i && self.deny_applies(d, r))
        {
            return false;
        }
        // A deny-list limits its own grant only (dpol refuses a program in
        // which its Deny would limit another grant: E0419).
        self.p
            .grants
            .iter()
            .filter(mine)
            .any(|g| self.grant_allows(g, r) && !self.except_denies(g, r))
    }
}

// ---------------------------------------------------------------- running

/// Evaluates `requests` on `world` in parallel chunks; the evaluator's
/// decisions in order.
fn evaluate(world: &World, requests: &[Request]) -> Vec<sim_world::Outcome> {
    let cases: Vec<Value> = requests
        .iter()
        .map(|r| {
            world.case(&sim_world::Req {
                principal: r.principal.clone(),
                action: format!("dynamodb:{}", r.action),
                resource: r.resource.clone(),
                context: Value::Object(r.context.clone()),
            })
        })
        .collect();
    let outcomes = simulate(&cases);
    for (o, r) in outcomes.iter().zip(requests) {
        assert_ne!(
            o.decision, "Error",
            "the evaluator refused {r:?}: {}",
            o.detail
        );
    }
    outcomes
}

fn describe(r: &Request) -> String {
    format!(
        "{} {} on {} {}",
        r.principal,
        r.action,
        r.resource,
        Value::Object(r.context.clone())
    )
}

fn check_random_program(seed: u64, requests: usize) -> Vec<String> {
    let cat = Catalogue::load();
    let mut rng = Rng(seed);
    let program = generate(&mut rng);
    let text = render(&program);
    let world = World::compile(&text);
    let model = Model {
        p: &program,
        cat: &cat,
    };
    let principals: Vec<String> = program.who.iter().map(Who::arn).collect();
    let tables: Vec<(String, Vec<String>, Vec<String>)> = program
        .tables
        .iter()
        .map(|t| {
            let indexes = t
                .gsis
                .iter()
                .chain(&t.lsis)
                .map(|(n, _)| n.clone())
                .collect();
            let mut attrs = t.key_attrs();
            attrs.extend(t.attrs.iter().cloned());
            attrs.push("secret".into());
            (t.name.clone(), indexes, attrs)
        })
        .chain([("Zeta".to_string(), vec![], vec!["pk".to_string()])])
        .collect();
    let mut favoured: BTreeSet<String> = BTreeSet::new();
    for g in &program.grants {
        for v in &g.verbs {
            favoured.extend(verb_allows(&cat, v, g.table.is_none()));
        }
        favoured.extend(g.can.iter().cloned());
    }
    for d in &program.denies {
        favoured.extend(verb_denies(&cat, d.verb, d.table.is_none()));
    }
    let favoured: Vec<String> = favoured.into_iter().collect();
    let keys: Vec<String> = KEYS.iter().map(|s| s.to_string()).collect();
    let nets: Vec<(&'static str, &'static str)> = NETS
        .iter()
        .map(|n| (n.key(), n.id()))
        .chain([("aws:SourceVpc", "vpc-0fffffffffffffff9")])
        .collect();
    let space = Space {
        cat: &cat,
        principals,
        tables,
        favoured,
        key_values: keys,
        nets,
    };
    let nears = nears(&program, &cat);
    let reqs: Vec<Request> = (0..requests)
        .map(|i| {
            // Half the requests are drawn near a grant or deny, in turn.
            let near = (i % 2 == 0 && !nears.is_empty()).then(|| &nears[(i / 2) % nears.len()]);
            random_request(&mut rng, &space, near)
        })
        .collect();
    let outcomes = evaluate(&world, &reqs);
    let mut failures = Vec::new();
    for (r, o) in reqs.iter().zip(&outcomes) {
        let got = o.decision == "Allowed";
        let want = model.allows(r);
        if got != want {
            let what = if got {
                "evaluator allows, the source does not"
            } else {
                "the source allows, evaluator denies"
            };
            failures.push(format!(
                "seed {seed}: {what}: {} — {}",
                describe(r),
                o.detail
            ));
        }
    }
    if !failures.is_empty() {
        failures.insert(0, format!("seed {seed} program:\n{text}"));
    }
    let allowed = outcomes.iter().filter(|o| o.decision == "Allowed").count();
    eprintln!(
        "seed {seed}: {requests} requests, {allowed} allowed, {} disagreements",
        failures.len().saturating_sub(1)
    );
    failures
}

/// The random programs agree with the model on every request.
#[test]
fn random_programs_mean_what_their_source_says() {
    require!(Tool::Evaluator);
    let programs = env_number("DPOL_REFMODEL_PROGRAMS", 3);
    let requests = env_number("DPOL_REFMODEL_REQUESTS", 10_000);
    let first = env_number("DPOL_REFMODEL_FIRST_SEED", 1) as u64;
    let seeds: Vec<u64> = (first..first + programs as u64).collect();
    // As many workers as cores, each taking the next seed.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(seeds.len());
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let (next, seeds) = (&next, &seeds);
                std::thread::Builder::new()
                    .name(format!("refmodel-{w}"))
                    .spawn_scoped(s, move || {
                        let mut out = Vec::new();
                        while let Some(&seed) =
                            seeds.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                        {
                            out.extend(check_random_program(seed, requests));
                        }
                        out
                    })
                    .unwrap()
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert_none(&failures, "disagreements");
}

/// Fails with the first 40 of `failures` (`what`: what they are).
fn assert_none(failures: &[String], what: &str) {
    let shown: Vec<&str> = failures.iter().take(40).map(String::as_str).collect();
    assert!(
        failures.is_empty(),
        "{} {what}; the first:\n{}",
        failures.len(),
        shown.join("\n")
    );
}

// ---------------------------------------------------------------- dpol-gen programs

/// What a dpol-gen program says, as far as justifying an Allow needs it.
struct GenProgram {
    /// User and role ARNs (groups are not requesters).
    principals: Vec<(String, String)>,
    /// Table name → (region, account id, attribute names).
    tables: BTreeMap<String, (String, String, Vec<String>)>,
    /// (principal name, verbs or `can` patterns, table or `*`).
    grants: Vec<(String, Vec<String>, bool, String)>,
    nets: Vec<(&'static str, String)>,
}

fn parse_generated(text: &str) -> GenProgram {
    let mut accounts = BTreeMap::new();
    let mut region = String::new();
    let mut p = GenProgram {
        principals: Vec::new(),
        tables: BTreeMap::new(),
        grants: Vec::new(),
        nets: Vec::new(),
    };
    let mut names: BTreeSet<String> = BTreeSet::new();
    // Grant lines with their indented continuations joined.
    let mut lines: Vec<String> = Vec::new();
    for raw in text.lines() {
        let line = raw.split(" #").next().unwrap_or_default();
        if line.starts_with(' ') && !line.trim().is_empty() {
            if let Some(last) = lines.last_mut() {
                last.push(' ');
                last.push_str(line.trim());
            }
            continue;
        }
        lines.push(line.to_string());
    }
    let mut in_block = false;
    // The table declared last, which a grant without a table names.
    let mut last_table = String::new();
    for line in &lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        if in_block {
            if line.trim_start().starts_with('}') {
                in_block = false;
            }
            if words.first() == Some(&"attrs") {
                let name = last_table.clone();
                let attrs: Vec<String> = words[1..]
                    .iter()
                    .map(|w| w.trim_matches(',').to_string())
                    .collect();
                p.tables.get_mut(&name).unwrap().2.extend(attrs);
            }
            if let Some(&"key") | Some(&"sort") = words.first() {
                let name = last_table.clone();
                p.tables
                    .get_mut(&name)
                    .unwrap()
                    .2
                    .push(words[1].trim_end_matches(':').to_string());
            }
            continue;
        }
        match words.as_slice() {
            ["account", name, "=", id, ..] => {
                accounts.insert(name.to_string(), id.to_string());
            }
            ["region", r] => region = r.to_string(),
            ["vpc", _, "=", id, ..] => p.nets.push(("aws:SourceVpc", id.to_string())),
            ["endpoint", _, "=", id, ..] => p.nets.push(("aws:SourceVpce", id.to_string())),
            [kind @ ("user" | "role" | "group"), name, rest @ ..] => {
                names.insert(name.to_string());
                let arn = match rest {
                    ["=", arn, ..] => arn.to_string(),
                    ["in", acct, ..] => format!("arn:aws:iam::{}:{kind}/{name}", accounts[*acct]),
                    _ => panic!("unexpected principal line {line}"),
                };
                if *kind != "group" {
                    p.principals.push((name.to_string(), arn));
                }
            }
            ["table", "*", ..] => {}
            ["table", name, "in", acct, rest @ ..] => {
                let mut attrs = Vec::new();
                // One-line blocks: `{ key pk: string; attrs a, b }`.
                let body = rest.join(" ");
                if let Some(inner) = body.split_once('{').map(|(_, b)| b.trim_end_matches('}')) {
                    for part in inner.split(';') {
                        let w: Vec<&str> = part.split_whitespace().collect();
                        match w.first() {
                            Some(&"attrs") => {
                                attrs.extend(w[1..].iter().map(|a| a.trim_matches(',').to_string()))
                            }
                            Some(&"key") | Some(&"sort") => {
                                attrs.push(w[1].trim_end_matches(':').to_string())
                            }
                            _ => {}
                        }
                    }
                }
                in_block = body.ends_with('{');
                last_table = name.to_string();
                p.tables.insert(
                    name.to_string(),
                    (region.clone(), accounts[*acct].clone(), attrs),
                );
            }
            [who, rest @ ..] if names.contains(*who) && !rest.is_empty() && rest[0] != "cannot" => {
                let (can, mut i) = if rest[0] == "can" {
                    (true, 1)
                } else {
                    (false, 0)
                };
                let mut what = Vec::new();
                while i < rest.len() {
                    let w = rest[i];
                    what.push(w.trim_end_matches(',').to_string());
                    i += 1;
                    if !w.ends_with(',') {
                        break;
                    }
                }
                if rest.get(i) == Some(&"on") {
                    i += 1;
                }
                // No table, or a clause next: the table declared last.
                const CLAUSES: [&str; 9] = [
                    "keys", "attrs", "except", "index", "via", "from", "until", "with", "for",
                ];
                let table = match rest.get(i) {
                    Some(t) if !CLAUSES.contains(t) => t.to_string(),
                    _ => last_table.clone(),
                };
                p.grants.push((who.to_string(), what, can, table));
            }
            _ => {}
        }
    }
    p
}

/// A verb as the grant wrote it (`read`, `reads`) in its `-s` form.
fn verb_name(word: &str) -> String {
    if word.ends_with('s') {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

fn glob(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => {
            name.len() >= head.len() + tail.len() && name.starts_with(head) && name.ends_with(tail)
        }
    }
}

fn table_in(resource: &str) -> Option<&str> {
    let (_, rest) = resource
        .split_once(":table/")
        .or_else(|| resource.split_once(":global-table/"))?;
    rest.split('/').next()
}

/// Whether some grant line of `who` names `action` (in its verbs' sets on
/// `*`, the widest, or its patterns) on the resource's table or `*`.
fn justified(p: &GenProgram, cat: &Catalogue, who: &str, action: &str, resource: &str) -> bool {
    p.grants
        .iter()
        .filter(|g| g.0 == who)
        .any(|(_, what, can, table)| {
            let names = if *can {
                what.iter().any(|pat| glob(pat, action))
            } else {
                let verbs: Vec<String> = what.iter().map(|w| verb_name(w)).collect();
                verbs
                    .iter()
                    .any(|v| verb_allows(cat, v, true).contains(action))
                    || (action == "BatchWriteItem"
                        && verbs.iter().any(|v| v == "writes")
                        && verbs.iter().any(|v| v == "deletes"))
            };
            names && (table == "*" || resource == "*" || table_in(resource) == Some(table.as_str()))
        })
}

fn check_generated_program(seed: u64, grants: usize, requests: usize) -> Vec<String> {
    // One principal per five grants: most grants go to a principal of the
    // table's account, and small organizations have few.
    let text = dpol_gen::program(seed, grants, None, Some(grants / 5));
    let gen = parse_generated(&text);
    assert!(
        gen.grants.len() * 10 >= grants * 9,
        "parsed {} of {grants} grants",
        gen.grants.len()
    );
    let world = World::compile(&text);
    let cat = Catalogue::load();
    let mut rng = Rng(seed ^ 0xD90C);
    let all = cat.names();
    let tables: Vec<String> = gen.tables.keys().cloned().collect();
    let mut reqs = Vec::new();
    let mut whos = Vec::new();
    for _ in 0..requests {
        let (who, arn) = rng.pick(&gen.principals).clone();
        let own: Vec<&(String, Vec<String>, bool, String)> =
            gen.grants.iter().filter(|g| g.0 == who).collect();
        let near = (!own.is_empty() && rng.chance(80)).then(|| *rng.pick(&own));
        let action = match near {
            Some((_, what, false, _)) if rng.chance(80) => {
                let verb: &String = rng.pick(what.as_slice());
                let set: Vec<String> = verb_allows(&cat, &verb_name(verb), true)
                    .into_iter()
                    .collect();
                rng.pick(&set).clone()
            }
            Some((_, what, true, _)) if rng.chance(80) => {
                let set: Vec<String> = all
                    .iter()
                    .filter(|a| what.iter().any(|p| glob(p, a)))
                    .cloned()
                    .collect();
                if set.is_empty() {
                    rng.pick(&all).clone()
                } else {
                    rng.pick(&set).clone()
                }
            }
            _ => rng.pick(&all).clone(),
        };
        let table = match near {
            Some((_, _, _, t)) if gen.tables.contains_key(t) && rng.chance(85) => t.clone(),
            _ => rng.pick(&tables).clone(),
        };
        let (region, account, attrs) = gen.tables[&table].clone();
        let base = format!("arn:aws:dynamodb:{region}:{account}:table/{table}");
        let types = cat.types(&action);
        let resource = if types.is_empty() {
            "*".to_string()
        } else {
            match rng.pick(types).as_str() {
                "index" => format!(
                    "{base}/index/{}",
                    rng.pick(&["ByCurrency0", "ByEmail1", "Any"])
                ),
                "global-table" => format!("arn:aws:dynamodb::{account}:global-table/{table}"),
                "table" => base,
                sub => format!("{base}/{sub}/01700000000000-abcdef12"),
            }
        };
        let mut context = Map::new();
        if cat.has_key(&action, "dynamodb:Attributes") && !attrs.is_empty() && rng.chance(60) {
            let pick = rng.some(&attrs, 3);
            context.insert("dynamodb:Attributes".into(), json!(pick));
            if cat.has_key(&action, "dynamodb:Select") {
                context.insert("dynamodb:Select".into(), json!("SPECIFIC_ATTRIBUTES"));
            }
        }
        if cat.has_key(&action, "dynamodb:FullTableScan") {
            context.insert("dynamodb:FullTableScan".into(), json!("false"));
        }
        if !gen.nets.is_empty() && rng.chance(70) {
            let (key, id) = rng.pick(&gen.nets).clone();
            context.insert(key.into(), json!(id));
        }
        if rng.chance(30) {
            context.insert(
                "aws:SourceIp".into(),
                json!(rng.pick(&["198.51.100.7", "203.0.113.9", "10.20.3.4"])),
            );
        }
        context.insert(
            "aws:MultiFactorAuthPresent".into(),
            json!(if rng.chance(60) { "true" } else { "false" }),
        );
        context.insert("aws:CurrentTime".into(), json!("2026-12-02T10:00:00Z"));
        whos.push(who);
        reqs.push(Request {
            principal: arn,
            action,
            resource,
            context,
        });
    }
    let outcomes = evaluate(&world, &reqs);
    let mut failures = Vec::new();
    for ((r, o), who) in reqs.iter().zip(&outcomes).zip(&whos) {
        if o.decision == "Allowed" && !justified(&gen, &cat, who, &r.action, &r.resource) {
            failures.push(format!(
                "dpol-gen --grants {grants} --seed {seed}: no grant of {who} names this: {} — {}",
                describe(r),
                o.detail
            ));
        }
    }
    let allowed = outcomes.iter().filter(|o| o.decision == "Allowed").count();
    eprintln!(
        "dpol-gen seed {seed}: {requests} requests, {allowed} allowed, {} unjustified",
        failures.len()
    );
    failures
}

/// Every Allow on a dpol-gen program is justified by one of its grants.
#[test]
fn generated_programs_allow_only_what_a_grant_names() {
    require!(Tool::Evaluator);
    let requests = env_number("DPOL_REFMODEL_REQUESTS", 10_000);
    let failures = check_generated_program(7, 300, requests);
    assert_none(&failures, "unjustified allows");
}
