//! The compiled examples, evaluated by an independent IAM evaluator
//! (`@cloud-copilot/iam-simulate`, driven by `tests/sim/simulate.mjs`), must
//! reproduce the seeds' request → outcome pairs; every document must pass
//! `@cloud-copilot/iam-policy`'s validator for its kind, and parliament must
//! find nothing above LOW in the identity policies.
//!
//! Needs `npm ci --prefix tests/sim` and `pip install -r tests/sim/requirements.txt`
//! (`ci/test-all.sh` does both); without them these tests fail and say so.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use std::path::{Path, PathBuf};
use std::process::Command;

use dpol::emit::Compiled;
use dpol::iam::DocKind;
use serde_json::{json, Value};

#[macro_use]
mod tools;
use tools::Tool;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn compile_examples() -> Vec<Compiled> {
    let mut sources = dpol::source::SourceMap::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "dpol"))
        .collect();
    files.sort();
    for f in files {
        sources.add(
            f.display().to_string(),
            None,
            std::fs::read_to_string(&f).unwrap(),
        );
    }
    let (docs, diags) = dpol::compile(&sources);
    assert!(diags.is_empty(), "{diags:?}");
    docs.unwrap()
}

fn harness() -> PathBuf {
    let sim = root().join("tests/sim");
    assert!(
        sim.join("node_modules/@cloud-copilot/iam-simulate").exists(),
        "the IAM evaluator is not installed: run `npm ci --prefix tests/sim` (ci/test-all.sh does it)"
    );
    sim
}

struct Org {
    docs: Vec<Compiled>,
}

const FULL_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

impl Org {
    fn of(&self, kind: DocKind, attached_to: &str) -> Vec<Value> {
        self.docs
            .iter()
            .filter(|d| d.kind == kind && d.attach.iter().any(|a| a == attached_to))
            .map(|d| d.content())
            .collect()
    }

    /// The identity policies of a principal (plus extra ones the case adds).
    fn identity(&self, arn: &str) -> Vec<Value> {
        self.of(DocKind::Identity, arn)
    }

    /// SCP levels for an account in an OU: root, OU and account, each with FullAWSAccess.
    fn scps(&self, ou: &str, account: &str) -> Value {
        let full: Value = serde_json::from_str(FULL_ACCESS).unwrap();
        let level = |target: &str| {
            let mut docs = vec![full.clone()];
            docs.extend(self.of(DocKind::Scp, target));
            Value::Array(docs)
        };
        json!([[full.clone()], level(ou), level(account)])
    }

    fn resource(&self, table_arn: &str) -> Value {
        self.of(DocKind::Resource, table_arn)
            .into_iter()
            .next()
            .unwrap_or(Value::Null)
    }

    fn endpoint(&self, vpce: &str) -> Value {
        self.of(DocKind::VpcEndpoint, vpce)
            .into_iter()
            .next()
            .unwrap_or(Value::Null)
    }
}

fn allow_all() -> Value {
    serde_json::from_str(FULL_ACCESS).unwrap()
}

struct Case {
    name: &'static str,
    expect: &'static str,
    body: Value,
}

fn request(principal: &str, action: &str, resource: &str, context: Value) -> Value {
    json!({"principal": principal, "action": action, "resource": resource, "context": context})
}

fn case(name: &'static str, expect: &'static str, identity: Vec<Value>, request: Value) -> Case {
    Case {
        name,
        expect,
        body: json!({"identityPolicies": identity, "request": request}),
    }
}

impl Case {
    fn with(mut self, key: &str, value: Value) -> Case {
        self.body[key] = value;
        self
    }
}

const CATALOG: &str = "arn:aws:dynamodb:us-east-1:676190956703:table/ProductCatalog";
const ALICE: &str = "arn:aws:iam::676190956703:user/Alice";
const BOB: &str = "arn:aws:iam::676190956703:user/Bob";
const JANE: &str = "arn:aws:iam::676190956703:user/Jane";
const KEY: &str = "arn:aws:kms:us-east-1:676190956703:key/b65e7cfb-3106-4ff4-bb9f-d6323c8bbdf8";
const ORDERS: &str = "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
const PROD_VPC: &str = "vpc-0abc1234def567890";
const PRODUCTION_OU: &str = "ou-ab12-34cd5678";
const DEV_OU: &str = "ou-ab12-9f8e7d6c";
const STOCK: &str = "arn:aws:dynamodb:us-east-1:222233334444:table/StockTable";
const SOME_ROLE: &str = "arn:aws:iam::222233334444:role/SomeRole";
const SALES: &str = "arn:aws:dynamodb:us-east-1:111122223333:table/Sales";
const PAYROLL: &str = "arn:aws:dynamodb:us-east-1:111122223333:table/Payroll";

fn item(keys: &[&str], attrs: &[&str]) -> Value {
    json!({"dynamodb:LeadingKeys": keys, "dynamodb:Attributes": attrs, "dynamodb:Select": "SPECIFIC_ATTRIBUTES"})
}

fn with(mut context: Value, key: &str, value: &str) -> Value {
    context[key] = json!(value);
    context
}

/// AWS's default key policy: the account's IAM policies decide.
fn default_key_policy() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": "EnableIamPolicies", "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::676190956703:root"}, "Action": "kms:*", "Resource": "*"}]})
}

fn seed_cases(org: &Org) -> Vec<Case> {
    let alice = org.identity(ALICE);
    let bob = org.identity(BOB);
    let jane = org.identity(JANE);
    let corp = |c: Value| with(c, "aws:SourceIp", "203.0.113.5");
    let mut cases = vec![
        // DAT303: Alice works on books (ids 100–199).
        case(
            "alice-99-title",
            "ImplicitlyDenied",
            alice.clone(),
            request(
                ALICE,
                "dynamodb:GetItem",
                CATALOG,
                item(&["99"], &["Id", "Title"]),
            ),
        ),
        case(
            "alice-101-title",
            "Allowed",
            alice.clone(),
            request(
                ALICE,
                "dynamodb:GetItem",
                CATALOG,
                item(&["101"], &["Id", "Title"]),
            ),
        ),
        case(
            "alice-101-brand",
            "ImplicitlyDenied",
            alice.clone(),
            request(
                ALICE,
                "dynamodb:GetItem",
                CATALOG,
                item(&["101"], &["Id", "Brand"]),
            ),
        ),
        case(
            "alice-200-title",
            "ImplicitlyDenied",
            alice.clone(),
            request(
                ALICE,
                "dynamodb:GetItem",
                CATALOG,
                item(&["200"], &["Id", "Title"]),
            ),
        ),
        case(
            "alice-all-attributes",
            "ImplicitlyDenied",
            alice.clone(),
            request(
                ALICE,
                "dynamodb:GetItem",
                CATALOG,
                with(item(&["101"], &["Id"]), "dynamodb:Select", "ALL_ATTRIBUTES"),
            ),
        ),
        case(
            "alice-no-attributes",
            "ImplicitlyDenied",
            alice.clone(),
            request(
                ALICE,
                "dynamodb:GetItem",
                CATALOG,
                json!({"dynamodb:LeadingKeys": ["101"]}),
            ),
        ),
        case(
            "alice-batch-mixed",
            "ImplicitlyDenied",
            alice.clone(),
            request(
                ALICE,
                "dynamodb:BatchGetItem",
                CATALOG,
                item(&["101", "250"], &["Id", "Title"]),
            ),
        ),
        case(
            "alice-update-price",
            "Allowed",
            alice.clone(),
            request(
                ALICE,
                "dynamodb:UpdateItem",
                CATALOG,
                json!({"dynamodb:LeadingKeys": ["150"], "dynamodb:Attributes": ["Id", "Price"], "dynamodb:ReturnValues": "UPDATED_NEW"}),
            ),
        ),
        case(
            "alice-update-all-new",
            "ImplicitlyDenied",
            alice.clone(),
            request(
                ALICE,
                "dynamodb:UpdateItem",
                CATALOG,
                json!({"dynamodb:LeadingKeys": ["150"], "dynamodb:Attributes": ["Id", "Price"], "dynamodb:ReturnValues": "ALL_NEW"}),
            ),
        ),
        case(
            "alice-put",
            "ImplicitlyDenied",
            alice.clone(),
            request(
                ALICE,
                "dynamodb:PutItem",
                CATALOG,
                json!({"dynamodb:LeadingKeys": ["150"], "dynamodb:Attributes": ["Id", "Price"]}),
            ),
        ),
        case(
            "alice-scan",
            "ImplicitlyDenied",
            alice.clone(),
            request(ALICE, "dynamodb:Scan", CATALOG, json!({})),
        ),
        case(
            "alice-partiql-full-scan",
            "ImplicitlyDenied",
            alice.clone(),
            request(
                ALICE,
                "dynamodb:PartiQLSelect",
                CATALOG,
                with(
                    item(&["101"], &["Id", "Title"]),
                    "dynamodb:FullTableScan",
                    "true",
                ),
            ),
        ),
        case(
            "alice-partiql-one-item",
            "Allowed",
            alice.clone(),
            request(
                ALICE,
                "dynamodb:PartiQLSelect",
                CATALOG,
                with(
                    item(&["101"], &["Id", "Title"]),
                    "dynamodb:FullTableScan",
                    "false",
                ),
            ),
        ),
        case(
            "alice-list-tables",
            "Allowed",
            alice.clone(),
            request(ALICE, "dynamodb:ListTables", "*", json!({})),
        ),
        case(
            "alice-kms-via-dynamodb",
            "Allowed",
            alice.clone(),
            request(
                ALICE,
                "kms:Decrypt",
                KEY,
                json!({"kms:ViaService": "dynamodb.us-east-1.amazonaws.com"}),
            ),
        )
        .with("resourcePolicy", default_key_policy()),
        case(
            "alice-kms-direct",
            "ImplicitlyDenied",
            alice.clone(),
            request(ALICE, "kms:Decrypt", KEY, json!({})),
        )
        .with("resourcePolicy", default_key_policy()),
        case(
            "alice-kms-other-region",
            "ImplicitlyDenied",
            alice.clone(),
            request(
                ALICE,
                "kms:Decrypt",
                KEY,
                json!({"kms:ViaService": "dynamodb.eu-west-1.amazonaws.com"}),
            ),
        )
        .with("resourcePolicy", default_key_policy()),
        // DAT303: Bob works on bicycles (ids 200–299), from the corporate network.
        case(
            "bob-199",
            "ImplicitlyDenied",
            bob.clone(),
            request(
                BOB,
                "dynamodb:GetItem",
                CATALOG,
                corp(item(&["199"], &["Id", "Title", "Brand"])),
            ),
        ),
        case(
            "bob-201",
            "Allowed",
            bob.clone(),
            request(
                BOB,
                "dynamodb:GetItem",
                CATALOG,
                corp(item(&["201"], &["Id", "Title", "Brand"])),
            ),
        ),
        case(
            "bob-201-elsewhere",
            "ImplicitlyDenied",
            bob.clone(),
            request(
                BOB,
                "dynamodb:GetItem",
                CATALOG,
                with(
                    item(&["201"], &["Id", "Title"]),
                    "aws:SourceIp",
                    "192.0.2.1",
                ),
            ),
        ),
        case(
            "bob-list-from-corp",
            "Allowed",
            bob.clone(),
            request(BOB, "dynamodb:ListTables", "*", corp(json!({}))),
        ),
        case(
            "bob-list-via-endpoint",
            "ImplicitlyDenied",
            bob.clone(),
            request(
                BOB,
                "dynamodb:ListTables",
                "*",
                json!({"aws:SourceVpce": "vpce-0a87fbf7ad21cd41f"}),
            ),
        ),
        // Jane administers but may not delete.
        case(
            "jane-describe",
            "Allowed",
            jane.clone(),
            request(JANE, "dynamodb:DescribeTable", CATALOG, json!({})),
        ),
        case(
            "jane-get",
            "Allowed",
            jane.clone(),
            request(
                JANE,
                "dynamodb:GetItem",
                CATALOG,
                json!({"dynamodb:LeadingKeys": ["5"]}),
            ),
        ),
        case(
            "jane-delete-table",
            "ExplicitlyDenied",
            jane.clone(),
            request(JANE, "dynamodb:DeleteTable", CATALOG, json!({})),
        ),
        case(
            "jane-delete-item",
            "ExplicitlyDenied",
            jane.clone(),
            request(
                JANE,
                "dynamodb:DeleteItem",
                CATALOG,
                json!({"dynamodb:LeadingKeys": ["5"]}),
            ),
        ),
        case(
            "jane-batch-write",
            "ExplicitlyDenied",
            jane.clone(),
            request(
                JANE,
                "dynamodb:BatchWriteItem",
                CATALOG,
                json!({"dynamodb:LeadingKeys": ["5"]}),
            ),
        ),
        case(
            "jane-kms-grant",
            "Allowed",
            jane.clone(),
            request(
                JANE,
                "kms:CreateGrant",
                KEY,
                json!({"kms:ViaService": "dynamodb.us-east-1.amazonaws.com", "kms:GrantIsForAWSResource": "true"}),
            ),
        )
        .with("resourcePolicy", default_key_policy()),
        // A grant Jane creates herself, not DynamoDB on her behalf.
        case(
            "jane-kms-grant-by-hand",
            "ImplicitlyDenied",
            jane.clone(),
            request(
                JANE,
                "kms:CreateGrant",
                KEY,
                json!({"kms:ViaService": "dynamodb.us-east-1.amazonaws.com", "kms:GrantIsForAWSResource": "false"}),
            ),
        )
        .with("resourcePolicy", default_key_policy()),
    ];
    // Seed 000: Orders is private to the production VPC, in the production OU.
    let app = "arn:aws:iam::111122223333:role/OrdersApp";
    let admin = "arn:aws:iam::111122223333:role/Admin";
    let emergency = "arn:aws:iam::111122223333:role/Emergency";
    let dev = "arn:aws:iam::444455556666:role/DevApp";
    let prod_scps = org.scps(PRODUCTION_OU, "111122223333");
    let orders_rbp = org.resource(ORDERS);
    let inside = json!({"aws:SourceVpc": PROD_VPC, "dynamodb:LeadingKeys": ["1"]});
    let outside = json!({"dynamodb:LeadingKeys": ["1"], "aws:SourceIp": "203.0.113.9"});
    for (name, expect, principal, identity, context) in [
        (
            "private-app-inside",
            "Allowed",
            app,
            org.identity(app),
            inside.clone(),
        ),
        (
            "private-app-outside",
            "ExplicitlyDenied",
            app,
            vec![allow_all()],
            outside.clone(),
        ),
        (
            "private-admin-outside",
            "ExplicitlyDenied",
            admin,
            vec![allow_all()],
            outside.clone(),
        ),
        (
            "private-admin-other-vpc",
            "ExplicitlyDenied",
            admin,
            vec![allow_all()],
            json!({"aws:SourceVpc": "vpc-0fff1234def567890", "dynamodb:LeadingKeys": ["1"]}),
        ),
        (
            "private-breakglass-outside",
            "Allowed",
            emergency,
            vec![allow_all()],
            outside.clone(),
        ),
    ] {
        cases.push(
            case(
                name,
                expect,
                identity,
                request(principal, "dynamodb:GetItem", ORDERS, context),
            )
            .with("scps", prod_scps.clone())
            .with("resourcePolicy", orders_rbp.clone()),
        );
    }
    cases.push(
        case(
            "dev-account-untouched",
            "Allowed",
            vec![allow_all()],
            request(
                dev,
                "dynamodb:GetItem",
                "arn:aws:dynamodb:us-east-1:444455556666:table/Scratch",
                outside.clone(),
            ),
        )
        .with("scps", org.scps(DEV_OU, "444455556666")),
    );
    cases.push(
        case(
            "private-rbp-alone-denies-outside",
            "ExplicitlyDenied",
            vec![allow_all()],
            request(admin, "dynamodb:GetItem", ORDERS, outside),
        )
        .with("resourcePolicy", orders_rbp),
    );
    // Seed 002: endpoint policies.
    let through = |vpce: &str, c: Value| with(c, "aws:SourceVpce", vpce);
    let other_role = "arn:aws:iam::222233334444:role/OtherRole";
    let stranger = "arn:aws:iam::999988887777:role/Stranger";
    let org_id = |c: Value| with(c, "aws:PrincipalOrgID", "o-a1b2c3d4e5");
    let get = json!({"dynamodb:LeadingKeys": ["sku-1"]});
    for (name, expect, principal, identity, resource, vpce) in [
        (
            "endpoint-stock-somerole",
            "Allowed",
            SOME_ROLE,
            org.identity(SOME_ROLE),
            STOCK,
            "vpce-11aa22bb",
        ),
        (
            "endpoint-stock-other-table",
            "ImplicitlyDenied",
            SOME_ROLE,
            vec![allow_all()],
            "arn:aws:dynamodb:us-east-1:222233334444:table/Other",
            "vpce-11aa22bb",
        ),
        (
            "endpoint-somerole-only",
            "Allowed",
            SOME_ROLE,
            vec![allow_all()],
            STOCK,
            "vpce-33cc44dd",
        ),
        (
            "endpoint-somerole-other-role",
            "ImplicitlyDenied",
            other_role,
            vec![allow_all()],
            STOCK,
            "vpce-33cc44dd",
        ),
        (
            "endpoint-account-member",
            "Allowed",
            other_role,
            vec![allow_all()],
            STOCK,
            "vpce-44dd55ee",
        ),
        (
            "endpoint-account-stranger",
            "ImplicitlyDenied",
            stranger,
            vec![allow_all()],
            STOCK,
            "vpce-44dd55ee",
        ),
    ] {
        cases.push(
            case(
                name,
                expect,
                identity,
                request(
                    principal,
                    "dynamodb:GetItem",
                    resource,
                    org_id(through(vpce, get.clone())),
                ),
            )
            .with("endpointPolicy", org.endpoint(vpce)),
        );
    }
    cases.push(case(
        "endpoint-somerole-iam-needs-endpoint",
        "ImplicitlyDenied",
        org.identity(SOME_ROLE),
        request(SOME_ROLE, "dynamodb:GetItem", STOCK, get.clone()),
    ));
    cases.push(
        case(
            "endpoint-readonly-describe",
            "Allowed",
            vec![allow_all()],
            request(
                other_role,
                "dynamodb:DescribeTable",
                STOCK,
                through("vpce-22bb33cc", json!({})),
            ),
        )
        .with("endpointPolicy", org.endpoint("vpce-22bb33cc")),
    );
    cases.push(
        case(
            "endpoint-readonly-get",
            "ImplicitlyDenied",
            vec![allow_all()],
            request(
                other_role,
                "dynamodb:GetItem",
                STOCK,
                through("vpce-22bb33cc", get),
            ),
        )
        .with("endpointPolicy", org.endpoint("vpce-22bb33cc")),
    );
    cases
}

fn pattern_cases(org: &Org) -> Vec<Case> {
    let p = |name: &str| format!("arn:aws:iam::111122223333:role/{name}");
    let dave = "arn:aws:iam::111122223333:user/dave";
    let carol = "arn:aws:iam::111122223333:user/carol";
    let mut dave_policies = org.identity(dave);
    dave_policies.push(allow_all());
    let scan_ok = json!({"aws:SourceIp": "198.51.100.20", "aws:CurrentTime": "2027-01-01T00:00:00Z", "aws:MultiFactorAuthPresent": "true"});
    let (sales_app, tenant, mobile, scaler, auditor, db_admin) = (
        p("SalesApp"),
        p("TenantApp"),
        p("MobileUser"),
        p("Scaler"),
        p("Auditor"),
        p("DbAdmin"),
    );
    let analyst = "arn:aws:iam::111122223333:user/analyst";
    let analysts = org.identity("arn:aws:iam::111122223333:group/Analysts");
    let sales_item = |keys: &[&str], attrs: &[&str]| item(keys, attrs);
    vec![
        case(
            "dave-deny-wins",
            "ExplicitlyDenied",
            dave_policies.clone(),
            request(
                dave,
                "dynamodb:GetItem",
                PAYROLL,
                json!({"dynamodb:LeadingKeys": ["e1"]}),
            ),
        ),
        case(
            "dave-deny-covers-scan",
            "ExplicitlyDenied",
            dave_policies.clone(),
            request(dave, "dynamodb:Scan", PAYROLL, json!({})),
        ),
        case(
            "dave-deny-covers-partiql",
            "ExplicitlyDenied",
            dave_policies,
            request(
                dave,
                "dynamodb:PartiQLSelect",
                PAYROLL,
                json!({"dynamodb:FullTableScan": "true"}),
            ),
        ),
        case(
            "carol-jit-scan",
            "Allowed",
            org.identity(carol),
            request(carol, "dynamodb:Scan", SALES, scan_ok.clone()),
        ),
        case(
            "carol-after-expiry",
            "ImplicitlyDenied",
            org.identity(carol),
            request(
                carol,
                "dynamodb:Scan",
                SALES,
                with(scan_ok.clone(), "aws:CurrentTime", "2031-01-01T00:00:00Z"),
            ),
        ),
        case(
            "carol-without-mfa",
            "ImplicitlyDenied",
            org.identity(carol),
            request(
                carol,
                "dynamodb:Scan",
                SALES,
                with(scan_ok.clone(), "aws:MultiFactorAuthPresent", "false"),
            ),
        ),
        case(
            "carol-from-home",
            "ImplicitlyDenied",
            org.identity(carol),
            request(
                carol,
                "dynamodb:Scan",
                SALES,
                with(scan_ok, "aws:SourceIp", "192.0.2.1"),
            ),
        ),
        case(
            "sales-us-east",
            "Allowed",
            org.identity(&sales_app),
            request(
                &sales_app,
                "dynamodb:GetItem",
                SALES,
                sales_item(&["us-east"], &["region", "orderId", "total"]),
            ),
        ),
        case(
            "sales-ap-south",
            "ImplicitlyDenied",
            org.identity(&sales_app),
            request(
                &sales_app,
                "dynamodb:GetItem",
                SALES,
                sales_item(&["ap-south"], &["region", "orderId", "total"]),
            ),
        ),
        case(
            "sales-last-login",
            "ImplicitlyDenied",
            org.identity(&sales_app),
            request(
                &sales_app,
                "dynamodb:GetItem",
                SALES,
                sales_item(&["us-east"], &["region", "lastLogin"]),
            ),
        ),
        case(
            "tenant-prefix",
            "Allowed",
            org.identity(&tenant),
            request(
                &tenant,
                "dynamodb:Query",
                SALES,
                json!({"dynamodb:LeadingKeys": ["tenant-42#eu"]}),
            ),
        ),
        case(
            "tenant-other",
            "ImplicitlyDenied",
            org.identity(&tenant),
            request(
                &tenant,
                "dynamodb:Query",
                SALES,
                json!({"dynamodb:LeadingKeys": ["tenant-43#eu"]}),
            ),
        ),
        case(
            "mobile-own-partition",
            "Allowed",
            org.identity(&mobile),
            request(
                &mobile,
                "dynamodb:PutItem",
                "arn:aws:dynamodb:us-east-1:111122223333:table/Sessions",
                json!({"dynamodb:LeadingKeys": ["AROAEXAMPLE:me"], "aws:userid": "AROAEXAMPLE:me"}),
            ),
        ),
        case(
            "mobile-other-partition",
            "ImplicitlyDenied",
            org.identity(&mobile),
            request(
                &mobile,
                "dynamodb:PutItem",
                "arn:aws:dynamodb:us-east-1:111122223333:table/Sessions",
                json!({"dynamodb:LeadingKeys": ["AROAEXAMPLE:you"], "aws:userid": "AROAEXAMPLE:me"}),
            ),
        ),
        case(
            "scaler-update-table",
            "Allowed",
            org.identity(&scaler),
            request(&scaler, "dynamodb:UpdateTable", SALES, json!({})),
        ),
        case(
            "scaler-no-data",
            "ImplicitlyDenied",
            org.identity(&scaler),
            request(
                &scaler,
                "dynamodb:GetItem",
                SALES,
                json!({"dynamodb:LeadingKeys": ["us-east"]}),
            ),
        ),
        case(
            "auditor-describe-any",
            "Allowed",
            org.identity(&auditor),
            request(&auditor, "dynamodb:DescribeTable", PAYROLL, json!({})),
        ),
        case(
            "auditor-no-data",
            "ImplicitlyDenied",
            org.identity(&auditor),
            request(
                &auditor,
                "dynamodb:GetItem",
                PAYROLL,
                json!({"dynamodb:LeadingKeys": ["e1"]}),
            ),
        ),
        case(
            "admin-own-table",
            "Allowed",
            org.identity(&db_admin),
            request(&db_admin, "dynamodb:DeleteTable", SALES, json!({})),
        ),
        case(
            "admin-other-table",
            "ImplicitlyDenied",
            org.identity(&db_admin),
            request(&db_admin, "dynamodb:DeleteTable", PAYROLL, json!({})),
        ),
        case(
            "admin-no-reserved-capacity",
            "ImplicitlyDenied",
            org.identity(&db_admin),
            request(
                &db_admin,
                "dynamodb:PurchaseReservedCapacityOfferings",
                "*",
                json!({}),
            ),
        ),
        case(
            "analysts-columns",
            "Allowed",
            analysts.clone(),
            request(
                analyst,
                "dynamodb:Query",
                SALES,
                json!({"dynamodb:LeadingKeys": ["us-east"], "dynamodb:Attributes": ["region", "orderId", "customer", "status"], "dynamodb:Select": "SPECIFIC_ATTRIBUTES"}),
            ),
        ),
        case(
            "analysts-index",
            "Allowed",
            analysts.clone(),
            request(
                analyst,
                "dynamodb:Query",
                &format!("{SALES}/index/ByCustomer"),
                json!({"dynamodb:LeadingKeys": ["c1"], "dynamodb:Attributes": ["customer", "created", "status"], "dynamodb:Select": "SPECIFIC_ATTRIBUTES"}),
            ),
        ),
        case(
            "analysts-total",
            "ImplicitlyDenied",
            analysts.clone(),
            request(
                analyst,
                "dynamodb:Query",
                SALES,
                json!({"dynamodb:LeadingKeys": ["us-east"], "dynamodb:Attributes": ["region", "orderId", "total"], "dynamodb:Select": "SPECIFIC_ATTRIBUTES"}),
            ),
        ),
        case(
            "analysts-no-full-partiql-scan",
            "ImplicitlyDenied",
            analysts,
            request(
                analyst,
                "dynamodb:PartiQLSelect",
                SALES,
                json!({"dynamodb:Attributes": ["customer"], "dynamodb:Select": "SPECIFIC_ATTRIBUTES", "dynamodb:FullTableScan": "true"}),
            ),
        ),
    ]
}

fn run_node(script: &Path, args: &[&str], stdin_file: Option<&Path>) -> (i32, String) {
    let mut cmd = Command::new("node");
    cmd.arg(script).args(args);
    if let Some(f) = stdin_file {
        cmd.arg(f);
    }
    let out = cmd
        .output()
        .expect("node is required for the semantic tests");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// A scratch directory, removed when the returned guard is dropped.
fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("dpol-{name}-"))
        .tempdir()
        .unwrap()
}

#[test]
fn compiled_examples_reproduce_the_seed_outcomes() {
    require!(Tool::Evaluator);
    let sim = harness();
    let org = Org {
        docs: compile_examples(),
    };
    let mut cases = seed_cases(&org);
    cases.extend(pattern_cases(&org));
    let input = json!({"cases": cases.iter().map(|c| {
        let mut body = c.body.clone();
        body["name"] = json!(c.name);
        body
    }).collect::<Vec<_>>()});
    let dir_guard = scratch("cases");
    let dir = dir_guard.path();
    let file = dir.join("cases.json");
    std::fs::write(&file, serde_json::to_string_pretty(&input).unwrap()).unwrap();
    let (code, output) = run_node(&sim.join("simulate.mjs"), &[], Some(&file));
    assert_eq!(code, 0, "{output}");
    let results: Value = serde_json::from_str(&output).unwrap_or_else(|e| panic!("{e}: {output}"));
    let mut failures = Vec::new();
    for (case, result) in cases.iter().zip(results["results"].as_array().unwrap()) {
        if result["decision"] != case.expect {
            failures.push(format!(
                "{}: expected {}, got {} — {}",
                case.name, case.expect, result["decision"], result["detail"]
            ));
        }
    }
    println!(
        "{} passed, {} failed",
        cases.len() - failures.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_document_passes_the_validator_for_its_kind() {
    require!(Tool::Evaluator);
    let sim = harness();
    let dir_guard = scratch("docs");
    let dir = dir_guard.path();
    std::fs::create_dir_all(dir).unwrap();
    let mut args = Vec::new();
    for doc in compile_examples()
        .iter()
        .filter(|d| d.kind != DocKind::EventRule)
    {
        let path = dir.join(doc.path().replace('/', "_"));
        std::fs::write(&path, &doc.text).unwrap();
        args.push(json!({"kind": serde_json::to_value(doc.kind).unwrap(), "path": path}));
    }
    let list = serde_json::to_string(&args).unwrap();
    let (code, output) = run_node(&sim.join("validate.mjs"), &[&list], None);
    assert_eq!(code, 0, "validator findings:\n{output}");
}

#[test]
fn parliament_finds_nothing_above_low_in_identity_policies() {
    require!(Tool::Parliament);
    let sim = harness();
    let dir_guard = scratch("identity");
    let dir = dir_guard.path();
    std::fs::create_dir_all(dir).unwrap();
    let mut files = Vec::new();
    for doc in compile_examples()
        .iter()
        .filter(|d| d.kind == DocKind::Identity)
    {
        let path = dir.join(doc.path().replace('/', "_"));
        std::fs::write(&path, &doc.text).unwrap();
        files.push(path.display().to_string());
    }
    let out = Command::new("python3")
        .arg(sim.join("parliament_check.py"))
        .args(&files)
        .output()
        .expect("python3 is required");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        !text.contains("No module named"),
        "parliament is not installed: pip install -r tests/sim/requirements.txt\n{text}"
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "parliament findings above LOW:\n{text}"
    );
}
