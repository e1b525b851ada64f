//! Issue 11: every document grants exactly what its source says. Each test
//! compiles a small program, evaluates the request that showed the defect
//! with the independent evaluator (`tests/sim`), and checks the decision the
//! source means. Each doc comment says what the output did before the fix.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod sim_world;
#[macro_use]
mod tools;
use tools::Tool;

use serde_json::json;
use sim_world::{expect, rejected, req, World};

const ACCOUNT: &str = "111122223333";

fn table(name: &str) -> String {
    format!("arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{name}")
}

fn role(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

const HEAD: &str = "account prod = 111122223333\nregion us-east-1\n";

/// Item 1. `TenantApp reads Tenants keys "tenant-42"` put the index ARNs
/// under the same `dynamodb:LeadingKeys` condition; on a global secondary
/// index the leading key is the index's partition key, so a Query on
/// `ByReferrer` with `referredBy = "tenant-42"` returned other tenants'
/// items (Allowed before). A key-restricted grant covers the table and its
/// local indexes only; `index NAME` in a grant reaches a global index, with
/// the keys meaning that index's partition key.
#[test]
fn key_restricted_grants_never_cover_a_global_index() {
    require!(Tool::Evaluator);
    let world = World::compile(&format!(
        "{HEAD}table Tenants in prod {{
  key tenantId: string
  sort created: string
  global index ByReferrer on referredBy
  global index ByOwner on ownerTenant, created
  local index ByDate on updated
}}
role TenantApp in prod
role OwnerApp in prod
TenantApp reads Tenants keys \"tenant-42\"
OwnerApp reads Tenants index ByOwner keys \"tenant-42\"
"
    ));
    let t = table("Tenants");
    let q = |who: &str, resource: String, key: &str| {
        req(&role(who), "dynamodb:Query", &resource).ctx(json!({"dynamodb:LeadingKeys": [key]}))
    };
    expect(
        &world,
        &[
            ("table", q("TenantApp", t.clone(), "tenant-42"), "Allowed"),
            (
                "other-tenant",
                q("TenantApp", t.clone(), "tenant-43"),
                "ImplicitlyDenied",
            ),
            (
                "lsi",
                q("TenantApp", format!("{t}/index/ByDate"), "tenant-42"),
                "Allowed",
            ),
            (
                "lsi-other",
                q("TenantApp", format!("{t}/index/ByDate"), "tenant-43"),
                "ImplicitlyDenied",
            ),
            (
                "gsi",
                q("TenantApp", format!("{t}/index/ByReferrer"), "tenant-42"),
                "ImplicitlyDenied",
            ),
            (
                "gsi-owner",
                q("TenantApp", format!("{t}/index/ByOwner"), "tenant-42"),
                "ImplicitlyDenied",
            ),
            (
                "undeclared",
                q("TenantApp", format!("{t}/index/Other"), "tenant-42"),
                "ImplicitlyDenied",
            ),
            (
                "index-grant",
                q("OwnerApp", format!("{t}/index/ByOwner"), "tenant-42"),
                "Allowed",
            ),
            (
                "index-grant-other",
                q("OwnerApp", format!("{t}/index/ByOwner"), "tenant-43"),
                "ImplicitlyDenied",
            ),
            (
                "index-grant-table",
                q("OwnerApp", t.clone(), "tenant-42"),
                "ImplicitlyDenied",
            ),
            (
                "index-grant-gsi",
                q("OwnerApp", format!("{t}/index/ByReferrer"), "tenant-42"),
                "ImplicitlyDenied",
            ),
        ],
    );
}

/// Item 1: `index` must say whether it is global or local.
#[test]
fn an_index_declaration_says_global_or_local() {
    require!(Tool::Evaluator);
    let codes = rejected(&format!(
        "{HEAD}table Things in prod {{ key id: string; index ByX on x }}\n"
    ));
    assert!(codes.contains(&"E0413"), "{codes:?}");
}

/// Item 2. `manages T` included `PutResourcePolicy`, `DeleteResourcePolicy`
/// (a table admin could remove the perimeter or allow another account) and
/// `ExportTableToPointInTime` (export to any account's bucket): Allowed
/// before. They come only from an explicit `can`.
#[test]
fn manages_leaves_out_resource_policies_and_exports() {
    require!(Tool::Evaluator);
    let world = World::compile(&format!(
        "{HEAD}table Orders in prod {{ key id: number }}
role Admin in prod
role PolicyAdmin in prod
Admin manages Orders
PolicyAdmin can PutResourcePolicy on Orders
"
    ));
    let t = table("Orders");
    expect(
        &world,
        &[
            (
                "put-policy",
                req(&role("Admin"), "dynamodb:PutResourcePolicy", &t),
                "ImplicitlyDenied",
            ),
            (
                "delete-policy",
                req(&role("Admin"), "dynamodb:DeleteResourcePolicy", &t),
                "ImplicitlyDenied",
            ),
            (
                "export",
                req(&role("Admin"), "dynamodb:ExportTableToPointInTime", &t),
                "ImplicitlyDenied",
            ),
            (
                "delete-table",
                req(&role("Admin"), "dynamodb:DeleteTable", &t),
                "Allowed",
            ),
            (
                "get-policy",
                req(&role("Admin"), "dynamodb:GetResourcePolicy", &t),
                "Allowed",
            ),
            (
                "explicit",
                req(&role("PolicyAdmin"), "dynamodb:PutResourcePolicy", &t),
                "Allowed",
            ),
        ],
    );
}

/// Item 3 (D2). `can Get*, … Update* on Orders` emitted
/// `Allow dynamodb:GetAbacStatus, dynamodb:UpdateAbacStatus on "*"`: an
/// account-level switch from a table grant (Allowed before). Patterns on a
/// table expand only to actions that act on a table.
#[test]
fn patterns_on_a_table_expand_to_table_actions_only() {
    require!(Tool::Evaluator);
    let world = World::compile(&format!(
        "{HEAD}table Orders in prod {{ key id: number }}
role TableUser in prod
TableUser can Get*, Delete*, BatchGet*, BatchWrite*, Update* on Orders
"
    ));
    let who = role("TableUser");
    let t = table("Orders");
    let item = json!({"dynamodb:LeadingKeys": ["1"]});
    expect(
        &world,
        &[
            (
                "abac-update",
                req(&who, "dynamodb:UpdateAbacStatus", "*"),
                "ImplicitlyDenied",
            ),
            (
                "abac-get",
                req(&who, "dynamodb:GetAbacStatus", "*"),
                "ImplicitlyDenied",
            ),
            (
                "get",
                req(&who, "dynamodb:GetItem", &t).ctx(item.clone()),
                "Allowed",
            ),
            (
                "update-table",
                req(&who, "dynamodb:UpdateTable", &t),
                "Allowed",
            ),
        ],
    );
    // An action that cannot act on a table, named on one, is an error.
    let codes = rejected(&format!(
        "{HEAD}table Orders in prod\nrole R in prod\nR can ListTables on Orders\n"
    ));
    assert!(codes.contains(&"E0414"), "{codes:?}");
}

/// Item 4. `?` in a principal ARN is a wildcard under `ArnEquals`, so
/// `only role SomeRole` admitted `SomeXole`; `key/*` granted Decrypt on every
/// key. Literal ARNs are checked for their service and type and refuse
/// wildcards and policy variables; IAM names are checked.
#[test]
fn literal_arns_are_exact() {
    require!(Tool::Evaluator);
    for (text, code) in [
        ("role SomeRole = arn:aws:iam::111122223333:role/Some?ole", "E0306"),
        ("role SomeRole = arn:aws:iam::111122223333:role/Some*", "E0306"),
        // `{` ends an ARN token: a syntax error.
        ("role SomeRole = arn:aws:iam::111122223333:role/${aws:username}", "E0101"),
        ("user Odd = arn:aws:iam::111122223333:user/a\"b\\c", "E0306"),
        ("user Wrong = arn:aws:iam::111122223333:role/App", "E0306"),
        ("user Where = arn:aws:s3:::bucket/user", "E0306"),
        (
            "table K in prod { key id: string; encrypted with kms arn:aws:kms:us-east-1:111122223333:key/* }",
            "E0306",
        ),
        (
            "table K in prod { key id: string; encrypted with kms arn:aws:kms:us-east-1:111122223333:alias/orders }",
            "E0306",
        ),
        (
            "alert on DeleteTable to arn:aws:sns:us-east-1:111122223333:Topic*",
            "E0409",
        ),
    ] {
        let codes = rejected(&format!("{HEAD}{text}\n"));
        assert!(codes.contains(&code), "{text}: {codes:?}");
    }
}

/// Item 5. alice's overflow document was `dpol-alice-2`, also the document
/// of principal `alice-2`; both manifest entries named one file, so one
/// principal's policy replaced the other's. Overflow documents are
/// `dpol-alice+2`, a name no principal can have.
#[test]
fn overflow_documents_never_take_another_principals_name() {
    require!(Tool::Evaluator);
    let mut program = format!("{HEAD}user alice in prod\nuser alice-2 in prod\n");
    for i in 0..6 {
        program.push_str(&format!(
            "table Table{i:03}WithALongName in prod {{ key id: number }}\nalice reads Table{i:03}WithALongName keys 1..2 attrs Title, Price, Brand\n"
        ));
    }
    program.push_str("alice-2 describes Table000WithALongName\n");
    let world = World::compile(&program);
    let alice: Vec<&str> = world
        .docs
        .iter()
        .filter(|d| d.attach.iter().any(|a| a.ends_with(":user/alice")))
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(alice, ["dpol-alice", "dpol-alice+2", "dpol-alice+3"]);
    let mut paths: Vec<String> = world.docs.iter().map(|d| d.path().to_lowercase()).collect();
    let n = paths.len();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), n, "two documents share a path");
    let alice2 = format!("arn:aws:iam::{ACCOUNT}:user/alice-2");
    let item = json!({"dynamodb:LeadingKeys": ["1"], "dynamodb:Attributes": ["id", "Title"], "dynamodb:Select": "SPECIFIC_ATTRIBUTES"});
    expect(
        &world,
        &[
            (
                "alice-2-not-alice",
                req(&alice2, "dynamodb:GetItem", &table("Table005WithALongName")).ctx(item),
                "ImplicitlyDenied",
            ),
            (
                "alice-2-own",
                req(
                    &alice2,
                    "dynamodb:DescribeTable",
                    &table("Table000WithALongName"),
                ),
                "Allowed",
            ),
        ],
    );
}

/// Item 6. `user Alice` and `user alice` compiled; IAM names are
/// case-insensitive and their files collide on macOS and Windows.
#[test]
fn names_that_differ_only_in_case_are_refused() {
    require!(Tool::Evaluator);
    for text in [
        "user Alice in prod\nuser alice in prod",
        "role App in prod\nrole APP in prod",
        "user a = arn:aws:iam::111122223333:user/Admin\nuser b = arn:aws:iam::111122223333:user/admin",
        "table Orders in prod\ntable orders in prod",
    ] {
        let codes = rejected(&format!("{HEAD}{text}\n"));
        assert!(codes.contains(&"E0210"), "{text}: {codes:?}");
    }
    // In two accounts the names are two IAM identities, with two files (and
    // `alice`, of the other account, is named in Orders' resource policy).
    let world = World::compile(
        "account a = 111122223333\naccount b = 444455556666\nregion us-east-1\ntable Orders in a\nuser Alice in a\nuser alice in b\nAlice reads Orders\nalice reads Orders\n",
    );
    let paths: Vec<String> = world.docs.iter().map(|d| d.path()).collect();
    assert_eq!(
        paths,
        [
            "identity/111122223333/dpol-Alice.json",
            "identity/444455556666/dpol-alice.json",
            "resource/111122223333-us-east-1-Orders.json"
        ]
    );
}

/// Item 7. `region cn-north-1` emitted `arn:aws:…` ARNs, which match nothing
/// in China (ImplicitlyDenied before); GovCloud likewise. The partition
/// comes from the region.
#[test]
fn arns_carry_the_partition_of_their_region() {
    require!(Tool::Evaluator);
    for (region, partition) in [("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")] {
        let world = World::compile(&format!(
            "account prod = 111122223333\nregion {region}\ntable Tab in prod {{ key id: number }}\nrole App in prod\nApp reads Tab\n"
        ));
        let who = format!("arn:{partition}:iam::{ACCOUNT}:role/App");
        let t = format!("arn:{partition}:dynamodb:{region}:{ACCOUNT}:table/Tab");
        expect(
            &world,
            &[(
                "read",
                req(&who, "dynamodb:GetItem", &t).ctx(json!({"dynamodb:LeadingKeys": ["1"]})),
                "Allowed",
            )],
        );
    }
    let codes = rejected(
        "account prod = 111122223333\nregion us-east-1\ntable A in prod\nregion cn-north-1\ntable B in prod\n",
    );
    assert!(codes.contains(&"E0415"), "{codes:?}");
}

/// Item 8 (D1). `Everything cannot manage Payroll` emitted a Deny of
/// ListTables, ListBackups, ListStreams, DescribeLimits … on `"*"`: the role
/// lost ListTables for every table (ExplicitlyDenied before).
#[test]
fn a_table_deny_stays_on_the_table() {
    require!(Tool::Evaluator);
    let world = World::compile(&format!(
        "{HEAD}table Payroll in prod {{ key id: string }}
table Sales in prod {{ key id: string }}
role Everything in prod
Everything manages *
Everything cannot manage Payroll
"
    ));
    let who = role("Everything");
    expect(
        &world,
        &[
            (
                "list-tables",
                req(&who, "dynamodb:ListTables", "*"),
                "Allowed",
            ),
            (
                "describe-limits",
                req(&who, "dynamodb:DescribeLimits", "*"),
                "Allowed",
            ),
            (
                "sales",
                req(&who, "dynamodb:DeleteTable", &table("Sales")),
                "Allowed",
            ),
            (
                "payroll",
                req(&who, "dynamodb:DeleteTable", &table("Payroll")),
                "ExplicitlyDenied",
            ),
        ],
    );
}

/// Item 9 (D3). `cannot read Payroll` denied `table/Payroll` only, so Query
/// and Scan on `table/Payroll/index/ANY` and stream reads stayed allowed
/// through `manages *` (Allowed before).
#[test]
fn a_table_deny_covers_its_indexes_streams_and_exports() {
    require!(Tool::Evaluator);
    let world = World::compile(&format!(
        "{HEAD}table Payroll in prod {{ key id: string; local index ByDate on created }}
role Everything in prod
Everything manages *
Everything cannot read Payroll
"
    ));
    let who = role("Everything");
    let t = table("Payroll");
    let key = json!({"dynamodb:LeadingKeys": ["x"]});
    expect(
        &world,
        &[
            (
                "query-declared",
                req(&who, "dynamodb:Query", &format!("{t}/index/ByDate")).ctx(key.clone()),
                "ExplicitlyDenied",
            ),
            (
                "query-undeclared",
                req(&who, "dynamodb:Query", &format!("{t}/index/Any")).ctx(key.clone()),
                "ExplicitlyDenied",
            ),
            (
                "scan-index",
                req(&who, "dynamodb:Scan", &format!("{t}/index/Any")),
                "ExplicitlyDenied",
            ),
            (
                "stream",
                req(
                    &who,
                    "dynamodb:GetRecords",
                    &format!("{t}/stream/2026-01-01T00:00:00.000"),
                ),
                "ExplicitlyDenied",
            ),
            (
                "export",
                req(&who, "dynamodb:ExportTableToPointInTime", &t),
                "ExplicitlyDenied",
            ),
            (
                "restore",
                req(&who, "dynamodb:RestoreTableToPointInTime", &t),
                "ExplicitlyDenied",
            ),
            (
                "describe",
                req(&who, "dynamodb:DescribeTable", &t),
                "Allowed",
            ),
        ],
    );
}

/// Item 10. The `except attrs` deny of unsafe `ReturnValues` used
/// `StringNotEqualsIfExists`, which fires when the key is absent: every
/// Query (which has no ReturnValues parameter) was ExplicitlyDenied. The
/// deny now fires only on an unsafe value that is present.
#[test]
fn except_attrs_does_not_deny_every_query() {
    require!(Tool::Evaluator);
    let world = World::compile(&format!(
        "{HEAD}table Customers in prod {{ key id: string; attrs name, ssn }}
role Reader in prod
Reader reads, updates Customers except attrs ssn
"
    ));
    let who = role("Reader");
    let t = table("Customers");
    let named =
        |attrs: &[&str]| json!({"dynamodb:LeadingKeys": ["c1"], "dynamodb:Attributes": attrs});
    expect(
        &world,
        &[
            (
                "query",
                req(&who, "dynamodb:Query", &t)
                    .ctx(named(&["id", "name"]))
                    .ctx(json!({"dynamodb:Select": "SPECIFIC_ATTRIBUTES"})),
                "Allowed",
            ),
            (
                "query-ssn",
                req(&who, "dynamodb:Query", &t)
                    .ctx(named(&["id", "ssn"]))
                    .ctx(json!({"dynamodb:Select": "SPECIFIC_ATTRIBUTES"})),
                "ExplicitlyDenied",
            ),
            (
                "query-all",
                req(&who, "dynamodb:Query", &t)
                    .ctx(named(&["id"]))
                    .ctx(json!({"dynamodb:Select": "ALL_ATTRIBUTES"})),
                "ExplicitlyDenied",
            ),
            (
                "update-all-old",
                req(&who, "dynamodb:UpdateItem", &t)
                    .ctx(named(&["id", "name"]))
                    .ctx(json!({"dynamodb:ReturnValues": "ALL_OLD"})),
                "ExplicitlyDenied",
            ),
            (
                "update-none",
                req(&who, "dynamodb:UpdateItem", &t)
                    .ctx(named(&["id", "name"]))
                    .ctx(json!({"dynamodb:ReturnValues": "NONE"})),
                "Allowed",
            ),
        ],
    );
}

/// Item 11. `until 2030-12-31` ended access at 00:00 UTC on that day while
/// the examples said "until the end of 2030" (ImplicitlyDenied at noon on
/// 2030-12-31 before). A date now means the end of that day, UTC.
#[test]
fn until_a_date_means_through_the_end_of_that_day() {
    require!(Tool::Evaluator);
    let world = World::compile(&format!(
        "{HEAD}table Orders in prod {{ key id: number }}
role Temp in prod
role Exact in prod
Temp reads Orders until 2030-12-31
Exact reads Orders until 2030-12-31T18:00:00Z
"
    ));
    let temp = world.docs.iter().find(|d| d.name == "dpol-Temp").unwrap();
    assert_eq!(
        temp.expires,
        ["2031-01-01T00:00:00Z"],
        "the manifest's end instant"
    );
    let at = |who: &str, time: &str| {
        req(&role(who), "dynamodb:GetItem", &table("Orders"))
            .ctx(json!({"dynamodb:LeadingKeys": ["1"], "aws:CurrentTime": time}))
    };
    expect(
        &world,
        &[
            ("noon", at("Temp", "2030-12-31T12:00:00Z"), "Allowed"),
            ("last-second", at("Temp", "2030-12-31T23:59:59Z"), "Allowed"),
            (
                "next-day",
                at("Temp", "2031-01-01T00:00:00Z"),
                "ImplicitlyDenied",
            ),
            (
                "before-time",
                at("Exact", "2030-12-31T17:59:59Z"),
                "Allowed",
            ),
            (
                "at-time",
                at("Exact", "2030-12-31T18:00:00Z"),
                "ImplicitlyDenied",
            ),
        ],
    );
}

/// Found by the reference model (`tests/reference_model.rs`, seed 28):
/// `manages` on a table without declared indexes allowed `SearchVectors` on
/// `table/T/index/*` — every index, declared or not (Allowed before), while
/// grammar/README.md says undeclared indexes get no access. A declared
/// index is reached; an undeclared one is not.
#[test]
fn manages_reaches_declared_indexes_only() {
    require!(Tool::Evaluator);
    let world = World::compile(&format!(
        "{HEAD}table Plain in prod {{ key id: string }}
table Vectors in prod {{ key id: string; global index Embedding on vec }}
role Admin in prod
Admin manages Plain
Admin manages Vectors
"
    ));
    let who = role("Admin");
    expect(
        &world,
        &[
            (
                "undeclared-index",
                req(
                    &who,
                    "dynamodb:SearchVectors",
                    &format!("{}/index/Any", table("Plain")),
                ),
                "ImplicitlyDenied",
            ),
            (
                "undeclared-index-beside-declared",
                req(
                    &who,
                    "dynamodb:SearchVectors",
                    &format!("{}/index/Other", table("Vectors")),
                ),
                "ImplicitlyDenied",
            ),
            (
                "declared-index",
                req(
                    &who,
                    "dynamodb:SearchVectors",
                    &format!("{}/index/Embedding", table("Vectors")),
                ),
                "Allowed",
            ),
        ],
    );
}

/// A grant across accounts (`Partner reads Books`, Partner in another
/// account) compiled to an identity policy only: AWS requires the table's
/// resource-based policy to allow the caller too (IAM User Guide, "Cross
/// account resource access in IAM"; DynamoDB Developer Guide,
/// "Cross-account access with resource-based policies"), so the grant
/// allowed nothing (ImplicitlyDenied before). Now the table's resource
/// policy allows Partner the grant's actions that work across accounts,
/// with the same conditions, and nothing else: not another action, not
/// another principal of Partner's account, not the PartiQL read DynamoDB
/// refuses across accounts.
#[test]
fn a_grant_across_accounts_writes_the_table_policy_it_needs() {
    require!(Tool::Evaluator);
    let text = format!(
        "{HEAD}account partner = 444455556666
table Books in prod {{ key id: number; global index ByAuthor on author }}
role Partner in partner
role Other in partner
Partner reads Books keys 7
"
    );
    let mut sources = dpol::source::SourceMap::new();
    sources.add("p.dpol", None, text.clone());
    let (docs, diags) = dpol::compile(&sources);
    // `reads` across accounts is the part of its set that works there: no
    // warning.
    assert!(diags.is_empty(), "{diags:#?}");
    let docs = docs.unwrap();
    let policy = docs
        .iter()
        .find(|d| d.kind == dpol::iam::DocKind::Resource)
        .expect("a resource policy for Books");
    assert_eq!(policy.attach, [table("Books")]);
    let world = World::of(docs.clone());
    let partner = "arn:aws:iam::444455556666:role/Partner";
    let other = "arn:aws:iam::444455556666:role/Other";
    let keyed = |who: &str, action: &str, key: &str| {
        req(who, action, &table("Books")).ctx(json!({"dynamodb:LeadingKeys": [key]}))
    };
    expect(
        &world,
        &[
            (
                "granted",
                keyed(partner, "dynamodb:GetItem", "7"),
                "Allowed",
            ),
            ("query", keyed(partner, "dynamodb:Query", "7"), "Allowed"),
            (
                "other-key",
                keyed(partner, "dynamodb:GetItem", "8"),
                "ImplicitlyDenied",
            ),
            (
                "not-granted",
                keyed(partner, "dynamodb:DeleteItem", "7"),
                "ImplicitlyDenied",
            ),
            (
                "other-principal",
                keyed(other, "dynamodb:GetItem", "7"),
                "ImplicitlyDenied",
            ),
            (
                "global-index",
                req(
                    partner,
                    "dynamodb:Query",
                    &format!("{}/index/ByAuthor", table("Books")),
                )
                .ctx(json!({"dynamodb:LeadingKeys": ["7"]})),
                "ImplicitlyDenied",
            ),
        ],
    );
    // The table policy names the principal and only cross-account actions.
    let content = policy.content();
    let statement = &content["Statement"][0];
    assert_eq!(statement["Principal"], json!({"AWS": partner}));
    assert!(!policy.text.contains("PartiQL"), "{}", policy.text);
}

/// A private table's resource policy holds the perimeter's denies and the
/// other account's allow: the partner is allowed from inside the VPC and
/// denied from outside, as the identity policy alone would be in one
/// account.
#[test]
fn a_private_table_keeps_its_perimeter_with_a_grant_across_accounts() {
    require!(Tool::Evaluator);
    let world = World::compile(&format!(
        "{HEAD}account partner = 444455556666
vpc prodvpc = vpc-0a1b2c3d4e5f60718 in prod
table Books in prod private to prodvpc {{ key id: number }}
breakglass role Emergency in prod
role Partner in partner
Partner reads Books
"
    ));
    let partner = "arn:aws:iam::444455556666:role/Partner";
    let get = || req(partner, "dynamodb:GetItem", &table("Books"));
    expect(
        &world,
        &[
            (
                "inside",
                get().ctx(json!({"aws:SourceVpc": "vpc-0a1b2c3d4e5f60718"})),
                "Allowed",
            ),
            ("outside", get(), "ExplicitlyDenied"),
        ],
    );
}

/// E0423: a resource policy cannot name a group, so a group's grant on
/// another account's table would allow nothing; dpol refuses it.
#[test]
fn a_group_cannot_be_granted_across_accounts() {
    let text = format!(
        "{HEAD}account partner = 444455556666
table Books in prod {{ key id: number }}
group Readers in partner
Readers reads Books
"
    );
    let mut sources = dpol::source::SourceMap::new();
    sources.add("p.dpol", None, text);
    let (docs, diags) = dpol::compile(&sources);
    assert!(docs.is_none());
    assert!(
        diags.iter().any(|d| d.code.as_str() == "E0423"),
        "{diags:#?}"
    );
}
