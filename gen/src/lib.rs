//! `dpol-gen`: a deterministic generator of large, valid dpol programs for
//! benchmarks and scale tests.
//!
//! The library behind the `dpol-gen` command (`gen/src/main.rs`), used by
//! dpol's tests and benchmarks directly: [`program`] and [`shape`].
//!
//! `dpol-gen --grants N [--seed S] [--tables M] [--principals P] > big.dpol`
//! writes a synthetic organization: an org, OUs, accounts (and a management
//! account), break-glass roles, principals, regions with VPCs and endpoints
//! (some with policy blocks), M tables with keys, attributes, indexes and KMS
//! keys (some private to a VPC), N grants using every grant construct, and
//! alerts. The same arguments always give the same bytes (a hand-written
//! xorshift PRNG; no clock, no hashing).
//!
//! `dpol-gen --shape SHAPE --grants N` writes one of the pathological
//! shapes instead (see [`Shape`]), for scale tests: each must check in time
//! and memory linear in N.
//!
//! The output checks with no error, and compiles; its only warnings are
//! W0008 (`scales`), W0010 and W0011 (`via` grants through endpoints whose
//! blocks do not allow them), which real programs have too: the
//! generator respects the rules the checker enforces (key types, the verbs
//! that carry `dynamodb:LeadingKeys` and `dynamodb:Attributes`, `via` never
//! with `from ip`, networks in the table's region, future `until` dates) and
//! the limits of the emitted documents (a principal's grants fit in IAM's 10
//! managed policies, a derived endpoint policy in 20 KB, at most four dpol
//! SCPs per OU or account).

use std::fmt::Write as _;

/// Shapes that stress one dimension of the input (`--grants N` sets their size).
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Shape {
    /// N identical grants (`alice reads Books`).
    Duplicates,
    /// One principal with N grants over N/100 tables (IAM's 10 managed
    /// policies per principal do not fit: E0411, but only after checking all).
    OnePrincipal,
    /// One table with N principals, each with a grant on it.
    OneTable,
    /// One grant with a key set of N values.
    BigKeySet,
    /// One grant whose attribute list continues over N lines.
    DeepContinuation,
}

/// The program of a pathological shape of size `n`.
pub fn shape(shape: Shape, n: usize) -> String {
    let mut out = String::from("account prod = 111122223333\nregion us-east-1\n");
    match shape {
        Shape::Duplicates => {
            out.push_str("table Books in prod { key id: number }\nuser alice in prod\n");
            for _ in 0..n {
                out.push_str("alice reads Books\n");
            }
        }
        Shape::OnePrincipal => {
            out.push_str("role App in prod\n");
            let tables = (n / 100).max(1);
            for t in 0..tables {
                let _ = writeln!(out, "table T{t:06} in prod {{ key id: number }}");
            }
            for g in 0..n {
                let _ = writeln!(out, "App reads T{:06} keys {}..{}", g % tables, g, g + 1);
            }
        }
        Shape::OneTable => {
            out.push_str("table Books in prod { key id: number }\n");
            for p in 0..n {
                let _ = writeln!(out, "role R{p:07} in prod\nR{p:07} reads Books");
            }
        }
        Shape::BigKeySet => {
            out.push_str("table Books in prod { key id: string }\nuser alice in prod\nalice reads Books keys ");
            let keys: Vec<String> = (0..n).map(|k| format!("\"k{k}\"")).collect();
            out.push_str(&keys.join(", "));
            out.push('\n');
        }
        Shape::DeepContinuation => {
            out.push_str("table Books in prod { key id: number }\nuser alice in prod\nalice updates Books attrs a0");
            for a in 1..n {
                let _ = write!(out, ",\n    a{a}");
            }
            out.push('\n');
        }
    }
    out
}

// ---------------------------------------------------------------- PRNG

/// xorshift64* seeded through splitmix64 (so that seeds 0, 1, 2 … differ well).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        // The top 32 bits, scaled: no modulo bias worth caring about here.
        let r = self.next() >> 32;
        usize::try_from((r * n as u64) >> 32).unwrap_or(0)
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// `k` distinct indices of `0..n`, in increasing order.
    fn subset(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for i in 0..k {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        let mut chosen = all[..k].to_vec();
        chosen.sort_unstable();
        chosen
    }

    /// Between 1 and `most` distinct indices of `0..n`, in increasing order.
    fn some(&mut self, n: usize, most: usize) -> Vec<usize> {
        let k = 1 + self.below(most.max(1));
        self.subset(n, k)
    }

    fn hex(&mut self, digits: usize) -> String {
        (0..digits)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16)]))
            .collect()
    }
}

// ---------------------------------------------------------------- vocabulary

const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const OU_WORDS: [&str; 5] = ["Production", "Development", "Staging", "Sandbox", "Shared"];
const ACCOUNT_WORDS: [&str; 6] = ["prod", "dev", "stage", "shared", "data", "analytics"];
const FIRST_NAMES: [&str; 12] = [
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "oscar",
];
const ROLE_WORDS: [&str; 8] = [
    "OrdersApp",
    "Billing",
    "Reporting",
    "Ingest",
    "Support",
    "Mobile",
    "Batch",
    "Search",
];
const GROUP_WORDS: [&str; 5] = ["Analysts", "Auditors", "Operators", "Developers", "Finance"];
const TABLE_WORDS: [&str; 10] = [
    "Orders",
    "Customers",
    "Invoices",
    "Sessions",
    "Products",
    "Payments",
    "Events",
    "Inventory",
    "Shipments",
    "Profiles",
];
const ATTR_WORDS: [&str; 20] = [
    "status",
    "total",
    "created",
    "updatedAt",
    "customer",
    "email",
    "title",
    "price",
    "owner",
    "tenant",
    "payload",
    "expires",
    "score",
    "version",
    "region",
    "currency",
    "notes",
    "lastLogin",
    "quantity",
    "sku",
];
const VARIABLES: [&str; 4] = [
    "${aws:username}",
    "${aws:userid}",
    "${aws:PrincipalTag/team}",
    "${cognito-identity.amazonaws.com:sub}",
];
const CIDRS: [&str; 6] = [
    "203.0.113.0/24",
    "198.51.100.7",
    "192.0.2.0/25",
    "10.20.0.0/16",
    "2001:db8::/32",
    "2001:db8:1234::/48",
];
/// Write management events (no W0007).
const ALERT_ACTIONS: [&str; 6] = [
    "DeleteTable",
    "UpdateTable",
    "UpdateTimeToLive",
    "DeleteBackup",
    "UpdateContinuousBackups",
    "PutResourcePolicy",
];

// ---------------------------------------------------------------- model

#[derive(Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    String,
    Number,
    Binary,
}

impl KeyKind {
    fn word(self) -> &'static str {
        match self {
            KeyKind::String => "string",
            KeyKind::Number => "number",
            KeyKind::Binary => "binary",
        }
    }
}

struct Account {
    name: String,
    id: String,
    ou: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NetKind {
    Vpc,
    /// An endpoint without a policy block: its policy is derived from the
    /// grants that go `via` it, so their number is capped.
    Derived,
    /// An endpoint with a policy block.
    Explicit,
}

struct Net {
    name: String,
    id: String,
    kind: NetKind,
    region: usize,
    account: usize,
    /// For endpoints: the index of the VPC they are in.
    vpc: usize,
    /// Grants that go `via` this network.
    uses: usize,
}

struct Table {
    name: String,
    account: usize,
    region: usize,
    key: (String, KeyKind),
    sort: Option<(String, KeyKind)>,
    attrs: Vec<String>,
    indexes: Vec<(String, Vec<String>)>,
    kms: Option<String>,
    /// `private to NETS [in SCOPE]`, as written.
    private: Option<String>,
    /// Estimated characters of the allows its resource policy holds for
    /// principals of other accounts.
    across: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    User,
    Role,
    Group,
}

struct Principal {
    kind: Kind,
    name: String,
    account: usize,
    /// Declared with an explicit ARN rather than `in ACCOUNT`.
    arn: bool,
    /// Estimated identity-policy characters so far.
    load: usize,
    manages: bool,
}

/// Estimated characters one principal may reach: 10 managed policies of 6,144
/// characters, less a wide margin for packing waste.
const PRINCIPAL_BUDGET: usize = 36_000;
/// Estimated characters a table's resource policy may hold for other
/// accounts' principals (DynamoDB's limit is 20 KB, with the perimeter).
const ACROSS_BUDGET: usize = 9_000;
/// Grants through one derived endpoint: each adds one to three statements to
/// an endpoint policy capped at 20,480 characters.
const DERIVED_ENDPOINT_CAP: usize = 12;
/// Private tables per SCP target: four SCPs of 5,120 characters each.
const PRIVATE_PER_TARGET: usize = 24;

struct Org {
    org_id: String,
    ous: Vec<(String, String)>,
    accounts: Vec<Account>,
    management: Account,
    regions: usize,
    nets: Vec<Net>,
    tables: Vec<Table>,
    principals: Vec<Principal>,
    /// Explicit endpoint blocks, by net index.
    blocks: Vec<(usize, Vec<String>)>,
}

/// The program for these arguments: `tables` defaults to `grants / 100` and
/// `principals` to `grants / 10` (about ten grants per principal, so that
/// each identity policy set stays well under IAM's limits).
pub fn program(
    seed: u64,
    grants: usize,
    tables: Option<usize>,
    principals: Option<usize>,
) -> String {
    program_with(seed, grants, tables, principals, 0, 0)
}

/// [`program`] followed by `expects` expectation and `asserts` assertion
/// lines.
pub fn program_with(
    seed: u64,
    grants: usize,
    tables: Option<usize>,
    principals: Option<usize>,
    expects: usize,
    asserts: usize,
) -> String {
    let tables = tables.unwrap_or(grants / 100).max(1);
    let principals = principals.unwrap_or(grants / 10).max(3);
    let sizes = Sizes {
        grants,
        tables,
        principals,
        expects,
        asserts,
    };
    generate(seed, &sizes)
}

/// What [`generate`] makes.
struct Sizes {
    grants: usize,
    tables: usize,
    principals: usize,
    expects: usize,
    asserts: usize,
}

fn generate(seed: u64, sizes: &Sizes) -> String {
    let Sizes {
        grants,
        tables,
        principals,
        expects,
        asserts,
    } = *sizes;
    let mut rng = Rng::new(seed);
    let mut org = organization(&mut rng, tables, principals);
    let (by_table, all_tables) = grant_lines(&mut rng, &mut org, grants);
    let made = by_table.iter().map(Vec::len).sum::<usize>() + all_tables.len();
    if made < grants {
        // Each principal's grants must fit IAM's ten managed policies.
        eprintln!(
            "dpol-gen: {principals} principals hold only {made} of {grants} grants within IAM's limits; pass more --principals"
        );
    }
    endpoint_blocks(&mut rng, &mut org);
    let alerts = alert_lines(&mut rng, &org);
    let mut out = render(&org, seed, grants, &by_table, &all_tables, &alerts);
    if expects > 0 {
        // Their own stream, so that the program above is unchanged.
        let mut rng = Rng::new(seed ^ 0x5eed_e4fe_c75e_ed00);
        out.push_str(&expect_lines(&mut rng, &org, expects));
    }
    if asserts > 0 {
        let mut rng = Rng::new(seed ^ 0x0a55_e475_0a55_e475);
        out.push_str(&assert_lines(&mut rng, &org, asserts));
    }
    out
}

/// `n` assertions on random tables: `only` two principals, `nobody`, or
/// `only via` the networks of the table's region.
fn assert_lines(rng: &mut Rng, org: &Org, n: usize) -> String {
    let mut out =
        String::from("\n# Assertions (dpol-gen --asserts): whether they hold not chosen\n");
    if org.principals.is_empty() {
        return out;
    }
    for _ in 0..n {
        let t = &org.tables[rng.below(org.tables.len())];
        let what = rng.pick(&["read", "write", "delete", "DeleteTable", "UpdateTable"]);
        let local: Vec<&Net> = org.nets.iter().filter(|n| n.region == t.region).collect();
        let line = match rng.below(3) {
            0 => {
                let pick = |rng: &mut Rng| &org.principals[rng.below(org.principals.len())];
                let (a, b) = (pick(rng), pick(rng));
                format!("assert only {}, {} can {what} {}", a.name, b.name, t.name)
            }
            1 if !local.is_empty() => {
                format!("assert {} only via {}", t.name, rng.pick(&local).name)
            }
            _ => format!("assert nobody can {what} {}", t.name),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `n` expectations: a principal (not a group), `can` or `cannot`, a verb
/// or an action, a table; some with a key, an origin or attributes.
fn expect_lines(rng: &mut Rng, org: &Org, n: usize) -> String {
    let callers: Vec<&Principal> = org
        .principals
        .iter()
        .filter(|p| p.kind != Kind::Group)
        .collect();
    let mut out = String::from("\n# Expectations (dpol-gen --expects): outcomes not chosen\n");
    if callers.is_empty() {
        return out;
    }
    for _ in 0..n {
        let p = rng.pick(&callers);
        let t = &org.tables[rng.below(org.tables.len())];
        let sense = rng.pick(&["can", "cannot"]);
        let what = rng.pick(&[
            "read",
            "write",
            "delete",
            "scan",
            "describe",
            "GetItem",
            "Query",
            "DeleteTable",
        ]);
        let mut line = format!("expect {} {sense} {what} {}", p.name, t.name);
        if rng.chance(40) {
            let key = match t.key.1 {
                KeyKind::Number => format!("{}", rng.below(1000)),
                _ => format!("\"k-{}\"", rng.below(1000)),
            };
            let _ = write!(line, " keys {key}");
        }
        if rng.chance(20) && !t.attrs.is_empty() {
            let _ = write!(line, " attrs {}", t.attrs[rng.below(t.attrs.len())]);
        }
        let local: Vec<&Net> = org.nets.iter().filter(|n| n.region == t.region).collect();
        if rng.chance(30) && !local.is_empty() {
            let _ = write!(line, " via {}", rng.pick(&local).name);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn organization(rng: &mut Rng, tables: usize, principals: usize) -> Org {
    let n_accounts = (tables / 25).clamp(2, 200);
    let n_ous = (n_accounts / 5).clamp(2, 40);
    let regions = match tables {
        0..=7 => 1,
        8..=199 => 2,
        _ => 3,
    };
    let org_id = format!("o-{}", rng.hex(10));
    let ous: Vec<(String, String)> = (0..n_ous)
        .map(|i| {
            (
                format!("{}{i}", OU_WORDS[i % OU_WORDS.len()]),
                format!("ou-r00t-{}", rng.hex(8)),
            )
        })
        .collect();
    let accounts: Vec<Account> = (0..n_accounts)
        .map(|i| Account {
            name: format!("{}{i}", ACCOUNT_WORDS[i % ACCOUNT_WORDS.len()]),
            id: format!("{}", 100_000_000_000u64 + (i as u64) * 7_919 + 11),
            ou: rng.below(n_ous),
        })
        .collect();
    let management = Account {
        name: "root".to_string(),
        id: "999999999999".to_string(),
        ou: 0,
    };

    let nets = networks(rng, regions, n_accounts, tables);

    // Tables, with private ones capped per SCP target.
    let mut per_target: Vec<usize> = vec![0; n_ous + n_accounts];
    let mut tabs = Vec::with_capacity(tables);
    for i in 0..tables {
        let account = rng.below(n_accounts);
        let region = i % regions;
        let mut t = table(rng, i, account, region);
        if rng.chance(6) {
            t.private = private_clause(rng, &t, &nets, &accounts, &ous, &mut per_target);
        }
        tabs.push(t);
    }
    if !tabs.iter().any(|t| t.private.is_some()) {
        if let Some(t) = tabs.first() {
            let private = private_clause(rng, t, &nets, &accounts, &ous, &mut per_target);
            if let Some(first) = tabs.first_mut() {
                first.private = private;
            }
        }
    }

    let prins = principals_of(rng, principals, n_accounts);

    Org {
        org_id,
        ous,
        accounts,
        management,
        regions,
        nets,
        tables: tabs,
        principals: prins,
        blocks: Vec::new(),
    }
}

/// Per region, VPCs in a few accounts, and endpoints in them.
fn networks(rng: &mut Rng, regions: usize, n_accounts: usize, tables: usize) -> Vec<Net> {
    let mut nets = Vec::new();
    for region in 0..regions {
        let n_vpcs = (n_accounts / 2).clamp(1, 60);
        let first_vpc = nets.len();
        for v in 0..n_vpcs {
            let account = (v * 2 + region) % n_accounts;
            nets.push(Net {
                name: format!("net-{}-{v}", short_region(region)),
                id: format!("vpc-{}", rng.hex(17)),
                kind: NetKind::Vpc,
                region,
                account,
                vpc: nets.len(),
                uses: 0,
            });
        }
        let n_endpoints = (tables / (10 * regions)).clamp(2, 150);
        for e in 0..n_endpoints {
            let vpc = first_vpc + rng.below(n_vpcs);
            let kind = if e % 3 == 0 {
                NetKind::Explicit
            } else {
                NetKind::Derived
            };
            let digits = if rng.chance(50) { 8 } else { 17 };
            nets.push(Net {
                name: format!("gw-{}-{e}", short_region(region)),
                id: format!("vpce-{}", rng.hex(digits)),
                kind,
                region,
                account: nets[vpc].account,
                vpc,
                uses: 0,
            });
        }
    }
    nets
}

/// The principals: users, roles and groups in random accounts, a few
/// roles and users declared by ARN.
fn principals_of(rng: &mut Rng, principals: usize, n_accounts: usize) -> Vec<Principal> {
    (0..principals)
        .map(|i| {
            let kind = match rng.below(10) {
                0..=3 => Kind::User,
                4..=8 => Kind::Role,
                _ => Kind::Group,
            };
            let name = match kind {
                Kind::User => format!("{}{i}", FIRST_NAMES[i % FIRST_NAMES.len()]),
                Kind::Role => format!("{}{i}", ROLE_WORDS[i % ROLE_WORDS.len()]),
                Kind::Group => format!("{}{i}", GROUP_WORDS[i % GROUP_WORDS.len()]),
            };
            Principal {
                kind,
                name,
                account: rng.below(n_accounts),
                arn: kind != Kind::Group && rng.chance(10),
                load: 0,
                manages: false,
            }
        })
        .collect()
}

fn short_region(region: usize) -> &'static str {
    ["use1", "euw1", "apse2"][region % 3]
}

fn table(rng: &mut Rng, i: usize, account: usize, region: usize) -> Table {
    // Digits at the end on purpose: repeated Sids are numbered `Sid2`,
    // `Sid3`…, and must not collide with those of a table named `Orders32`
    // (see tests/regressions.rs).
    let name = format!("{}{i}", TABLE_WORDS[i % TABLE_WORDS.len()]);
    let key_kind = match rng.below(20) {
        0..=10 => KeyKind::String,
        11..=18 => KeyKind::Number,
        _ => KeyKind::Binary,
    };
    let key_name = match key_kind {
        KeyKind::Number => "id",
        KeyKind::String => "pk",
        KeyKind::Binary => "hash",
    };
    let sort = rng.chance(40).then(|| {
        (
            "sk".to_string(),
            rng.pick(&[KeyKind::String, KeyKind::Number]),
        )
    });
    let n_attrs = 3 + rng.below(6);
    let attrs: Vec<String> = rng
        .subset(ATTR_WORDS.len(), n_attrs)
        .into_iter()
        .map(|j| ATTR_WORDS[j].to_string())
        .collect();
    let n_indexes = match rng.below(10) {
        0..=5 => 0,
        6..=8 => 1,
        _ => 2,
    };
    let indexes = (0..n_indexes)
        .map(|k| {
            let on: Vec<String> = rng
                .some(attrs.len(), 2)
                .into_iter()
                .map(|j| attrs[j].clone())
                .collect();
            let first = on.first().cloned().unwrap_or_default();
            (format!("By{}{k}", capitalize(&first)), on)
        })
        .collect();
    let kms = rng.chance(20).then(|| {
        format!(
            "arn:aws:kms:{}:{}:key/{}-{}-{}-{}-{}",
            REGIONS[region],
            100_000_000_000u64 + (account as u64) * 7_919 + 11,
            rng.hex(8),
            rng.hex(4),
            rng.hex(4),
            rng.hex(4),
            rng.hex(12)
        )
    });
    Table {
        name,
        account,
        region,
        key: (key_name.to_string(), key_kind),
        sort,
        attrs,
        indexes,
        kms,
        private: None,
        across: 0,
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

/// `private to NETS [in SCOPE]` when every target of the scope has room.
fn private_clause(
    rng: &mut Rng,
    t: &Table,
    nets: &[Net],
    accounts: &[Account],
    ous: &[(String, String)],
    per_target: &mut [usize],
) -> Option<String> {
    let local: Vec<&Net> = nets
        .iter()
        .filter(|n| n.region == t.region && n.kind != NetKind::Derived)
        .collect();
    if local.is_empty() {
        return None;
    }
    let n_nets = 1 + rng.below(2);
    let mut to: Vec<&str> = (0..n_nets)
        .map(|_| rng.pick(&local).name.as_str())
        .collect();
    to.sort_unstable();
    to.dedup();
    // Scope: the table's OU (usual), its account (no `in`), or two accounts.
    let ou = accounts[t.account].ou;
    let (targets, scope) = match rng.below(10) {
        0..=5 => (vec![ou], format!(" in {}", ous[ou].0)),
        6..=7 => (vec![ous.len() + t.account], String::new()),
        _ => {
            let other = (t.account + 1) % accounts.len();
            let mut both = vec![t.account, other];
            both.sort_unstable();
            both.dedup();
            let names: Vec<&str> = both.iter().map(|&a| accounts[a].name.as_str()).collect();
            (
                both.iter().map(|&a| ous.len() + a).collect(),
                format!(" in {}", names.join(", ")),
            )
        }
    };
    if targets.iter().any(|&x| per_target[x] >= PRIVATE_PER_TARGET) {
        return None;
    }
    for x in targets {
        per_target[x] += 1;
    }
    Some(format!("private to {}{scope}", to.join(", ")))
}

// ---------------------------------------------------------------- grants

/// Verb sets every item action of which carries `dynamodb:LeadingKeys`.
const KEY_VERBS: [&[&str]; 8] = [
    &["reads"],
    &["reads"],
    &["reads", "updates"],
    &["updates"],
    &["reads", "writes"],
    &["writes"],
    &["deletes"],
    &["reads", "describes"],
];
/// Verb sets that take both restrictions.
const KEY_ATTR_VERBS: [&[&str]; 3] = [&["reads"], &["reads", "updates"], &["updates"]];
/// Verb sets that carry `dynamodb:Attributes` and replace no whole item.
const ATTR_VERBS: [&[&str]; 6] = [
    &["reads"],
    &["reads"],
    &["reads", "updates"],
    &["updates"],
    &["scans"],
    &["reads", "scans"],
];
const PLAIN_VERBS: [&[&str]; 14] = [
    &["reads"],
    &["reads"],
    &["reads"],
    &["reads", "writes"],
    &["reads", "writes"],
    &["writes"],
    &["updates"],
    &["reads", "writes", "deletes"],
    &["deletes"],
    &["scans"],
    &["describes"],
    &["scales"],
    &["streams"],
    &["reads", "streams"],
];
const DENY_VERBS: [&str; 6] = ["read", "write", "delete", "scan", "update", "manage"];
const DENY_ACTIONS: [&str; 4] = [
    "DeleteTable",
    "DeleteTable, UpdateTable",
    "Scan",
    "PutItem, DeleteItem",
];
/// `can` lists whose item actions all carry the key condition.
const KEY_ACTIONS: [&str; 3] = ["GetItem, Query", "GetItem, BatchGetItem", "Query"];
const PLAIN_ACTIONS: [&str; 6] = [
    "DescribeTable, DescribeContinuousBackups",
    "Describe*",
    "GetItem, PutItem, UpdateItem",
    "List*",
    "DescribeTimeToLive, UpdateTimeToLive",
    "Get*",
];

/// What a grant needs from its principal: an estimate of the identity-policy
/// characters it adds.
fn weight(verbs: &[&str], clauses: usize, table: Option<&Table>) -> usize {
    let indexes = table.map_or(0, |t| t.indexes.len());
    let base = if verbs.contains(&"manages") {
        9_000
    } else {
        700 + 250 * verbs.len()
    };
    base + 300 * clauses
        + 150 * indexes
        + table.map_or(0, |t| if t.kms.is_some() { 200 } else { 0 })
}

/// A principal index with room for `w` more characters (and for `manages`,
/// one per principal), probing from a random start.
fn principal_for(
    rng: &mut Rng,
    org: &mut Org,
    w: usize,
    manages: bool,
    table: Option<usize>,
) -> Option<usize> {
    let n = org.principals.len();
    let start = rng.below(n);
    // A grant on a table goes to a principal of the table's account, but
    // one in a hundred to a user or role of another (a grant across
    // accounts; a group cannot have one, E0423), and so does a grant no
    // principal of the table's account has room for.
    let account = table.map(|t| org.tables[t].account);
    let room = table.is_some_and(|t| org.tables[t].across + w <= ACROSS_BUDGET);
    let across = rng.chance(1);
    let fits = |p: &Principal, elsewhere: bool| {
        let placed = match account {
            Some(a) if a != p.account => elsewhere && room && p.kind != Kind::Group,
            _ => true,
        };
        placed && p.load + w <= PRINCIPAL_BUDGET && !(manages && p.manages)
    };
    let order = |k: usize| (start + k) % n;
    let i = (0..n)
        .map(order)
        .find(|&i| fits(&org.principals[i], across))
        .or_else(|| (0..n).map(order).find(|&i| fits(&org.principals[i], true)))?;
    let p = &mut org.principals[i];
    p.load += w;
    p.manages |= manages;
    if let Some(t) = table.filter(|_| account != Some(p.account)) {
        org.tables[t].across += w;
    }
    Some(i)
}

/// A network in `region` for `via`, respecting the derived-endpoint cap.
fn via_net(rng: &mut Rng, org: &mut Org, region: usize) -> Option<String> {
    if rng.chance(5) {
        // A literal id: no declaration, no derived policy.
        return Some(if rng.chance(50) {
            format!("vpc-{}", rng.hex(17))
        } else {
            format!("vpce-{}", rng.hex(8))
        });
    }
    let candidates: Vec<usize> = org
        .nets
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            n.region == region && (n.kind != NetKind::Derived || n.uses < DERIVED_ENDPOINT_CAP)
        })
        .map(|(i, _)| i)
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let i = rng.pick(&candidates);
    let net = &mut org.nets[i];
    net.uses += 1;
    Some(net.name.clone())
}

fn key_clause(rng: &mut Rng, t: &Table) -> Option<String> {
    match t.key.1 {
        KeyKind::Binary => None,
        KeyKind::Number => Some(if rng.chance(55) {
            let low = 100 * rng.below(1_000);
            let high = low + 100 * (1 + rng.below(50));
            format!("keys {low}..{high}")
        } else {
            let values: Vec<String> = rng
                .some(500, 4)
                .into_iter()
                .map(|v| v.to_string())
                .collect();
            format!("keys {}", values.join(", "))
        }),
        KeyKind::String => Some(match rng.below(10) {
            0..=3 => {
                let values: Vec<String> = rng
                    .some(40, 3)
                    .into_iter()
                    .map(|v| format!("\"{}-{v}\"", REGIONS[v % REGIONS.len()]))
                    .collect();
                format!("keys {}", values.join(", "))
            }
            4..=6 => {
                let tenant = rng.below(5_000);
                if rng.chance(30) {
                    format!("keys \"tenant-{tenant}#\"*, \"shared\"")
                } else {
                    format!("keys \"tenant-{tenant}#\"*")
                }
            }
            _ => format!("keys {}", rng.pick(&VARIABLES)),
        }),
    }
}

fn attrs_clause(rng: &mut Rng, t: &Table) -> String {
    let n = 1 + rng.below(3.min(t.attrs.len()));
    let names: Vec<&str> = rng
        .subset(t.attrs.len(), n)
        .into_iter()
        .map(|j| t.attrs[j].as_str())
        .collect();
    format!("attrs {}", names.join(", "))
}

fn until_clause(rng: &mut Rng) -> String {
    let year = 2032 + rng.below(8);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    if rng.chance(50) {
        format!("until {year}-{month:02}-{day:02}")
    } else {
        format!(
            "until {year}-{month:02}-{day:02}T{:02}:{:02}:00Z",
            rng.below(24),
            15 * rng.below(4)
        )
    }
}

fn ip_clause(rng: &mut Rng) -> String {
    let n = 1 + rng.below(2);
    let cidrs: Vec<&str> = rng
        .subset(CIDRS.len(), n)
        .into_iter()
        .map(|j| CIDRS[j])
        .collect();
    format!("from ip {}", cidrs.join(", "))
}

/// Joins clauses after the head, sometimes on continuation lines.
fn with_clauses(rng: &mut Rng, head: String, clauses: Vec<String>) -> String {
    let mut line = head;
    for c in clauses {
        line.push_str(if rng.chance(20) { "\n    " } else { " " });
        line.push_str(&c);
    }
    line
}

/// The verbs as written: the third-person form mostly, the base form sometimes.
fn verbs_text(rng: &mut Rng, verbs: &[&str]) -> String {
    verbs
        .iter()
        .map(|v| {
            if rng.chance(10) {
                v.trim_end_matches('s').to_string()
            } else {
                (*v).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One grant on table `ti`; `None` when no principal has room for it.
fn table_grant(rng: &mut Rng, org: &mut Org, ti: usize, implicit: bool) -> Option<String> {
    let roll = rng.below(100);
    let target = if implicit {
        String::new()
    } else {
        format!(" {}", org.tables[ti].name)
    };
    let on = if implicit { "" } else { " on" };
    match roll {
        0..=4 => deny_grant(rng, org, ti, &format!("{on}{target}"), &target),
        5..=11 => actions_grant(rng, org, ti, &format!("{on}{target}")),
        12 => {
            // Administration of one table, rarely.
            let w = weight(&["manages"], 0, Some(&org.tables[ti]));
            let p = principal_for(rng, org, w, true, Some(ti))?;
            Some(format!("{} manages{target}", org.principals[p].name))
        }
        _ => verbs_grant(rng, org, ti, &target),
    }
}

/// A deny: verbs (`cannot read`) or actions (`cannot DeleteTable on`);
/// `on_target` follows actions, `target` verbs.
fn deny_grant(
    rng: &mut Rng,
    org: &mut Org,
    ti: usize,
    on_target: &str,
    target: &str,
) -> Option<String> {
    let p = principal_for(rng, org, 600, false, Some(ti))?;
    let name = &org.principals[p].name;
    if rng.chance(30) {
        let actions = rng.pick(&DENY_ACTIONS);
        return Some(format!("{name} cannot {actions}{on_target}"));
    }
    let verb = rng.pick(&DENY_VERBS);
    Some(format!("{name} cannot {verb}{target}"))
}

/// `can ACTIONS [on TABLE]`, with a key or network clause now and then.
fn actions_grant(rng: &mut Rng, org: &mut Org, ti: usize, on_target: &str) -> Option<String> {
    let keyed = org.tables[ti].key.1 != KeyKind::Binary && rng.chance(40);
    let actions = if keyed {
        rng.pick(&KEY_ACTIONS)
    } else {
        rng.pick(&PLAIN_ACTIONS)
    };
    let mut clauses = Vec::new();
    if keyed {
        clauses.extend(key_clause(rng, &org.tables[ti]));
    }
    if rng.chance(15) {
        clauses.push(ip_clause(rng));
    }
    let w = weight(&["can", "can"], clauses.len(), Some(&org.tables[ti]));
    let p = principal_for(rng, org, w, false, Some(ti))?;
    let head = format!("{} can {actions}{on_target}", org.principals[p].name);
    Some(with_clauses(rng, head, clauses))
}

/// Verbs, with restrictions and conditions.
fn verbs_grant(rng: &mut Rng, org: &mut Org, ti: usize, target: &str) -> Option<String> {
    let region = org.tables[ti].region;
    let want_keys = org.tables[ti].key.1 != KeyKind::Binary && rng.chance(22);
    let want_attrs = rng.chance(14);
    let verbs: &[&str] = match (want_keys, want_attrs) {
        (true, true) => rng.pick(&KEY_ATTR_VERBS),
        (true, false) => rng.pick(&KEY_VERBS),
        (false, true) => rng.pick(&ATTR_VERBS),
        (false, false) => rng.pick(&PLAIN_VERBS),
    };
    let mut clauses = Vec::new();
    if want_keys {
        clauses.extend(key_clause(rng, &org.tables[ti]));
    }
    if want_attrs {
        clauses.push(attrs_clause(rng, &org.tables[ti]));
    }
    if rng.chance(9) {
        if let Some(net) = via_net(rng, org, region) {
            clauses.push(format!("via {net}"));
        }
    } else if rng.chance(6) {
        clauses.push(ip_clause(rng));
    }
    if rng.chance(5) {
        clauses.push(until_clause(rng));
    }
    if rng.chance(4) {
        clauses.push("with mfa".to_string());
    }
    // Clauses in any order: the language does not care.
    if clauses.len() > 1 && rng.chance(30) {
        clauses.reverse();
    }
    let w = weight(verbs, clauses.len(), Some(&org.tables[ti]));
    let p = principal_for(rng, org, w, false, Some(ti))?;
    let head = format!(
        "{} {}{target}",
        org.principals[p].name,
        verbs_text(rng, verbs)
    );
    Some(with_clauses(rng, head, clauses))
}

/// A grant on every table (`*`): metadata verbs and account-level actions.
fn star_grant(rng: &mut Rng, org: &mut Org) -> Option<String> {
    let (action, w) = match rng.below(6) {
        0 | 1 => ("describes *".to_string(), 1_500),
        2 => ("can ListTables on *".to_string(), 400),
        3 => ("can DescribeTable, ListTables on *".to_string(), 500),
        4 => ("streams *".to_string(), 600),
        _ => ("cannot delete *".to_string(), 500),
    };
    let mut clauses = Vec::new();
    if !action.starts_with("cannot") {
        if rng.chance(20) {
            clauses.push(ip_clause(rng));
        }
        if rng.chance(20) {
            clauses.push("with mfa".to_string());
        }
    }
    let p = principal_for(rng, org, w + 300 * clauses.len(), false, None)?;
    let head = format!("{} {action}", org.principals[p].name);
    Some(with_clauses(rng, head, clauses))
}

/// Grant lines per table (in table order), and the grants on `*`.
fn grant_lines(rng: &mut Rng, org: &mut Org, n: usize) -> (Vec<Vec<String>>, Vec<String>) {
    let m = org.tables.len();
    let mut by_table: Vec<Vec<String>> = vec![Vec::new(); m];
    let mut all = Vec::new();
    let n_star = if n >= 100 { n / 100 } else { 0 };
    let hot = (m / 10).max(1);
    let mut made = 0;
    let mut attempts = 0;
    let mut seen = std::collections::HashSet::new();
    while made < n && attempts < n * 4 + 100 {
        attempts += 1;
        if made < n_star {
            if let Some(line) = star_grant(rng, org) {
                all.push(line);
                made += 1;
            }
            continue;
        }
        // A skewed choice: half the grants go to the busiest tenth of tables.
        let ti = if rng.chance(50) {
            rng.below(hot)
        } else {
            rng.below(m)
        };
        let implicit = rng.chance(3);
        if let Some(line) = table_grant(rng, org, ti, implicit) {
            // The same line twice is W0013; a generated program says each
            // grant once (the `duplicates` shape is for that warning).
            if seen.insert((ti, line.clone())) {
                by_table[ti].push(line);
                made += 1;
            }
        }
    }
    (by_table, all)
}

fn endpoint_blocks(rng: &mut Rng, org: &mut Org) {
    let roles: Vec<usize> = (0..org.principals.len())
        .filter(|&i| org.principals[i].kind == Kind::Role)
        .collect();
    let mut blocks = Vec::new();
    for (i, net) in org.nets.iter().enumerate() {
        if net.kind != NetKind::Explicit {
            continue;
        }
        let local: Vec<&Table> = org
            .tables
            .iter()
            .filter(|t| t.region == net.region)
            .collect();
        let mut rules = Vec::new();
        match rng.below(4) {
            0 => rules.push("allow describes *".to_string()),
            1 if !local.is_empty() => {
                for _ in 0..1 + rng.below(3) {
                    let t = rng.pick(&local);
                    let verbs = rng.pick(&["", "reads ", "reads, writes ", "describes "]);
                    rules.push(format!("allow {verbs}{}", t.name));
                }
            }
            _ => rules.push("allow *".to_string()),
        }
        match rng.below(4) {
            0 if !roles.is_empty() => {
                let r = rng.pick(&roles);
                rules.push(format!("only role {}", org.principals[r].name));
            }
            1 => rules.push(format!("only account {}", org.accounts[net.account].name)),
            2 => rules.push("only org".to_string()),
            _ => {}
        }
        rules.dedup();
        blocks.push((i, rules));
    }
    org.blocks = blocks;
}

fn alert_lines(rng: &mut Rng, org: &Org) -> Vec<String> {
    let n = (org.tables.len() / 20).max(1);
    (0..n)
        .map(|k| {
            let k1 = rng.below(ALERT_ACTIONS.len());
            let k2 = rng.below(ALERT_ACTIONS.len());
            let mut actions = vec![ALERT_ACTIONS[k1]];
            if k2 != k1 {
                actions.push(ALERT_ACTIONS[k2]);
            }
            let t = &org.tables[rng.below(org.tables.len())];
            let account = &org.accounts[t.account].id;
            let region = REGIONS[t.region];
            let target = format!("arn:aws:sns:{region}:{account}:dpol-alerts-{k}");
            if rng.chance(20) {
                format!("alert on {} to {target}", actions.join(", "))
            } else {
                format!("alert on {} for {} to {target}", actions.join(", "), t.name)
            }
        })
        .collect()
}

// ---------------------------------------------------------------- output

fn render(
    org: &Org,
    seed: u64,
    grants: usize,
    by_table: &[Vec<String>],
    all_tables: &[String],
    alerts: &[String],
) -> String {
    let mut out = String::with_capacity(grants * 64 + 4_096);
    let _ = writeln!(
        out,
        "# Generated by dpol-gen --grants {grants} --seed {seed} --tables {} --principals {}",
        org.tables.len(),
        org.principals.len()
    );
    out.push_str("# A synthetic organization for benchmarks; do not edit.\n\n");
    let _ = writeln!(out, "org {}", org.org_id);
    for (name, id) in &org.ous {
        let _ = writeln!(out, "ou {name} = {id}");
    }
    out.push('\n');
    for a in &org.accounts {
        let _ = writeln!(out, "account {} = {} in {}", a.name, a.id, org.ous[a.ou].0);
    }
    let _ = writeln!(
        out,
        "account {} = {} management",
        org.management.name, org.management.id
    );
    out.push_str("\nbreakglass role Emergency\n");
    if let Some(a) = org.accounts.first() {
        let _ = writeln!(out, "breakglass role OnCall in {}", a.name);
    }
    out.push_str("\n# Principals\n");
    for p in &org.principals {
        let kind = match p.kind {
            Kind::User => "user",
            Kind::Role => "role",
            Kind::Group => "group",
        };
        let account = &org.accounts[p.account];
        if p.arn {
            let _ = writeln!(
                out,
                "{kind} {} = arn:aws:iam::{}:{kind}/{}",
                p.name, account.id, p.name
            );
        } else {
            let _ = writeln!(out, "{kind} {} in {}", p.name, account.name);
        }
    }
    for (region, region_name) in REGIONS.iter().enumerate().take(org.regions) {
        let _ = writeln!(out, "\n# ---- {region_name}\nregion {region_name}\n");
        for net in org.nets.iter().filter(|n| n.region == region) {
            write_network(&mut out, org, net);
        }
        for (ti, t) in org.tables.iter().enumerate() {
            if t.region != region {
                continue;
            }
            out.push('\n');
            write_table(&mut out, org, t);
            for line in by_table.get(ti).map_or(&[][..], Vec::as_slice) {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.push_str("\n# Every table\n");
    for line in all_tables {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("\n# Alerts\n");
    for line in alerts {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A `vpc` or `endpoint` line, with the endpoint's policy block if it has one.
fn write_network(out: &mut String, org: &Org, net: &Net) {
    match net.kind {
        NetKind::Vpc => {
            let _ = writeln!(
                out,
                "vpc {} = {} in {}",
                net.name, net.id, org.accounts[net.account].name
            );
        }
        NetKind::Derived | NetKind::Explicit => {
            let vpc = &org.nets[net.vpc].name;
            let _ = write!(out, "endpoint {} = {} in {vpc}", net.name, net.id);
            let block = org
                .blocks
                .iter()
                .find(|(i, _)| org.nets.get(*i).is_some_and(|n| n.name == net.name));
            match block {
                Some((_, rules)) if rules.len() <= 2 => {
                    let _ = writeln!(out, " {{ {} }}", rules.join("; "));
                }
                Some((_, rules)) => {
                    out.push_str(" {\n");
                    for r in rules {
                        let _ = writeln!(out, "  {r}");
                    }
                    out.push_str("}\n");
                }
                None => out.push('\n'),
            }
        }
    }
}

fn write_table(out: &mut String, org: &Org, t: &Table) {
    let _ = write!(out, "table {} in {}", t.name, org.accounts[t.account].name);
    if let Some(p) = &t.private {
        let _ = write!(out, " {p}");
    }
    let mut items = vec![format!("key {}: {}", t.key.0, t.key.1.word())];
    if let Some((name, kind)) = &t.sort {
        items.push(format!("sort {name}: {}", kind.word()));
    }
    items.push(format!("attrs {}", t.attrs.join(", ")));
    for (name, on) in &t.indexes {
        // One key on a table with a sort key: a local index (its sort key);
        // otherwise a global one (its partition key, and a sort key).
        let scope = if on.len() == 1 && t.sort.is_some() {
            "local"
        } else {
            "global"
        };
        items.push(format!("{scope} index {name} on {}", on.join(", ")));
    }
    if let Some(kms) = &t.kms {
        items.push(format!("encrypted with kms {kms}"));
    }
    if items.len() <= 2 {
        let _ = writeln!(out, " {{ {} }}", items.join("; "));
    } else {
        out.push_str(" {\n");
        for item in items {
            let _ = writeln!(out, "  {item}");
        }
        out.push_str("}\n");
    }
}
