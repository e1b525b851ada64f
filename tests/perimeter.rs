//! Issue 12: a perimeter that keeps AWS working. Each test compiles a
//! program with a private table and evaluates, with the independent
//! evaluator (`tests/sim`), the requests AWS itself makes (replication,
//! auto scaling, forward access sessions) next to ordinary ones. Doc
//! comments say what the output did before.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod sim_world;
#[macro_use]
mod tools;
use tools::Tool;

use serde_json::json;
use sim_world::{expect, req, World};

const ORDERS: &str = "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
const VPC: &str = "vpc-0abc1234def567890";
const REPLICATION: &str = "arn:aws:iam::111122223333:role/aws-service-role/replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication";
const AUTOSCALING: &str = "arn:aws:iam::111122223333:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable";

fn role(name: &str) -> String {
    format!("arn:aws:iam::111122223333:role/{name}")
}

fn program(private: &str, roles: &str) -> String {
    format!(
        "ou production = ou-ab12-34cd5678
account prod = 111122223333 in production
region us-east-1
vpc prodvpc = {VPC} in prod
table Orders in prod {private} {{ key id: number }}
{roles}
role App in prod
role Admin in prod
App reads, writes Orders via prodvpc
Admin manages *
"
    )
}

/// Full IAM access for `arns`, so that the perimeter alone decides.
fn full_access(mut docs: Vec<dpol::emit::Compiled>, arns: &[&str]) -> Vec<dpol::emit::Compiled> {
    for arn in arns {
        docs.push(dpol::emit::Compiled {
            kind: dpol::iam::DocKind::Identity,
            name: "test-full-access".into(),
            attach: vec![arn.to_string()],
            text: sim_world::FULL_ACCESS.into(),
            folder: None,
            spans: Vec::new(),
            statement_spans: Default::default(),
            size: 0,
            expires: Vec::new(),
            exceptions: Vec::new(),
            deploy: None,
            requires: Vec::new(),
        });
    }
    docs
}

/// The program's documents in the organization (prod in the production OU),
/// AWS's service-linked roles and the program's roles with full IAM access.
fn world_of(docs: Vec<dpol::emit::Compiled>) -> World {
    let roles: Vec<String> = [
        "DaxService",
        "Pipeline",
        "Emergency",
        "Admin",
        "SecurityAdmin",
    ]
    .iter()
    .map(|r| role(r))
    .collect();
    let mut arns = vec![REPLICATION, AUTOSCALING];
    arns.extend(roles.iter().map(String::as_str));
    World::of(full_access(docs, &arns)).ou("111122223333", &["ou-ab12-34cd5678"])
}

fn world(text: &str) -> World {
    world_of(sim_world::compile(text))
}

fn outside() -> serde_json::Value {
    json!({"aws:SourceIp": "198.51.100.7", "aws:ViaAWSService": "false", "dynamodb:LeadingKeys": ["1"]})
}

/// Item 1. The SCP and the resource policy denied `dynamodb:*` outside the
/// VPC with no exception: DynamoDB's replication role (a replica denied
/// for 20 hours becomes a single-Region table), Application Auto Scaling's
/// role and requests AWS services make with the caller's credentials were
/// ExplicitlyDenied before. An ordinary role from outside still is.
#[test]
fn aws_services_keep_working_and_everyone_else_stays_out() {
    require!(Tool::Evaluator);
    let w = world(&program(
        "private to prodvpc in production",
        "breakglass role Emergency in prod",
    ));
    let item = json!({"dynamodb:LeadingKeys": ["1"]});
    expect(
        &w,
        &[
            ("replication-get", req(REPLICATION, "dynamodb:GetItem", ORDERS).ctx(outside()), "Allowed"),
            ("replication-put", req(REPLICATION, "dynamodb:PutItem", ORDERS).ctx(outside()), "Allowed"),
            ("replication-stream", req(REPLICATION, "dynamodb:GetRecords", &format!("{ORDERS}/stream/2026-01-01T00:00:00.000")).ctx(json!({"aws:SourceIp": "198.51.100.7"})), "Allowed"),
            ("autoscaling", req(AUTOSCALING, "dynamodb:UpdateTable", ORDERS).ctx(json!({"aws:SourceIp": "198.51.100.7"})), "Allowed"),
            (
                "forward-access-session",
                req(&role("Admin"), "dynamodb:GetItem", ORDERS).ctx(item.clone()).ctx(json!({"aws:ViaAWSService": "true", "aws:CalledVia": ["cloudformation.amazonaws.com"]})),
                "Allowed",
            ),
            ("ordinary-outside", req(&role("Admin"), "dynamodb:GetItem", ORDERS).ctx(outside()), "ExplicitlyDenied"),
            ("ordinary-outside-index", req(&role("Admin"), "dynamodb:Query", &format!("{ORDERS}/index/Later")).ctx(outside()), "ExplicitlyDenied"),
            ("app-inside", req(&role("App"), "dynamodb:GetItem", ORDERS).ctx(item.clone()).ctx(json!({"aws:SourceVpc": VPC})), "Allowed"),
            ("other-vpc", req(&role("Admin"), "dynamodb:GetItem", ORDERS).ctx(item).ctx(json!({"aws:SourceVpc": "vpc-0fff1234def567890"})), "ExplicitlyDenied"),
            ("breakglass", req(&role("Emergency"), "dynamodb:DeleteItem", ORDERS).ctx(outside()), "Allowed"),
        ],
    );
}

/// Issue 11, found by `assert Orders only via prodvpc`: the SCP denied
/// outside the VPC only `table/Orders` and what is under it, so
/// DescribeGlobalTable and DescribeGlobalTableSettings, whose only resource
/// is the (legacy) global table `arn:aws:dynamodb::ACCOUNT:global-table/Orders`
/// (Service Authorization Reference, DynamoDB), were Allowed from anywhere.
#[test]
fn the_perimeter_covers_the_global_table_of_the_same_name() {
    require!(Tool::Evaluator);
    let w = world(&program(
        "private to prodvpc in production",
        "breakglass role Emergency in prod",
    ));
    let global = "arn:aws:dynamodb::111122223333:global-table/Orders";
    let outside = json!({"aws:SourceIp": "198.51.100.7", "aws:ViaAWSService": "false"});
    expect(
        &w,
        &[
            (
                "describe-outside",
                req(&role("Admin"), "dynamodb:DescribeGlobalTable", global).ctx(outside.clone()),
                "ExplicitlyDenied",
            ),
            (
                "settings-outside",
                req(
                    &role("Admin"),
                    "dynamodb:DescribeGlobalTableSettings",
                    global,
                )
                .ctx(outside.clone()),
                "ExplicitlyDenied",
            ),
            (
                "describe-inside",
                req(&role("Admin"), "dynamodb:DescribeGlobalTable", global)
                    .ctx(json!({"aws:SourceVpc": VPC})),
                "Allowed",
            ),
            (
                "breakglass",
                req(&role("Emergency"), "dynamodb:DescribeGlobalTable", global)
                    .ctx(outside.clone()),
                "Allowed",
            ),
        ],
    );
}

/// Item 1: `strict` keeps the old behaviour, with W0009.
#[test]
fn strict_perimeters_deny_aws_services_too() {
    require!(Tool::Evaluator);
    let text = program(
        "private to prodvpc in production strict",
        "breakglass role Emergency in prod",
    );
    let w = world(&text);
    expect(
        &w,
        &[
            (
                "replication",
                req(REPLICATION, "dynamodb:GetItem", ORDERS).ctx(outside()),
                "ExplicitlyDenied",
            ),
            (
                "forward-access-session",
                req(&role("Admin"), "dynamodb:GetItem", ORDERS)
                    .ctx(json!({"aws:ViaAWSService": "true", "dynamodb:LeadingKeys": ["1"]})),
                "ExplicitlyDenied",
            ),
        ],
    );
    let mut sources = dpol::source::SourceMap::new();
    sources.add("p.dpol", None, text);
    let (_, diags) = dpol::compile(&sources);
    assert!(
        diags.iter().any(|d| d.code.as_str() == "W0009"),
        "{diags:#?}"
    );
}

/// Item 1 (DAX) and item 5 (deployers). A DAX cluster's role reaches the
/// table from AWS's network and was denied; a pipeline outside the VPC was
/// locked out of the table's resource policy after the first deploy.
/// `exempt role` and `deployer role` say who; a deployer may change the
/// policy but not read the data.
#[test]
fn exempt_and_deployer_roles() {
    require!(Tool::Evaluator);
    let w = world(&program(
        "private to prodvpc in production",
        "breakglass role Emergency in prod\nexempt role DaxService in prod\ndeployer role Pipeline in prod",
    ));
    expect(
        &w,
        &[
            (
                "dax",
                req(&role("DaxService"), "dynamodb:GetItem", ORDERS).ctx(outside()),
                "Allowed",
            ),
            (
                "deployer-put-policy",
                req(&role("Pipeline"), "dynamodb:PutResourcePolicy", ORDERS)
                    .ctx(json!({"aws:SourceIp": "198.51.100.7"})),
                "Allowed",
            ),
            (
                "deployer-data",
                req(&role("Pipeline"), "dynamodb:GetItem", ORDERS).ctx(outside()),
                "ExplicitlyDenied",
            ),
            (
                "admin-put-policy",
                req(&role("Admin"), "dynamodb:PutResourcePolicy", ORDERS)
                    .ctx(json!({"aws:SourceIp": "198.51.100.7"})),
                "ExplicitlyDenied",
            ),
            (
                "breakglass-put-policy",
                req(&role("Emergency"), "dynamodb:PutResourcePolicy", ORDERS)
                    .ctx(json!({"aws:SourceIp": "198.51.100.7"})),
                "Allowed",
            ),
        ],
    );
    let rbp = w
        .docs
        .iter()
        .find(|d| d.kind == dpol::iam::DocKind::Resource)
        .unwrap();
    let deploy = rbp.deploy.as_ref().unwrap();
    assert_eq!(deploy.update_gap_seconds, 15);
    assert_eq!(
        deploy.policy_changes_by,
        [role("Emergency"), role("Pipeline")],
        "the manifest says who can still change the policy"
    );
    let ids: Vec<&str> = rbp.exceptions.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        [
            "via-aws-service",
            "aws-service-principals",
            "service-linked-roles",
            "breakglass",
            "exempt-roles",
            "deployers"
        ]
    );
}

/// Item 6. Two private tables with the same networks and scope took two SCP
/// statements; they share one, with both ARNs. An account inside an OU of
/// the scope is not a second target, and a management account never is.
#[test]
fn scp_statements_and_targets_are_shared() {
    require!(Tool::Evaluator);
    let docs = sim_world::compile(&format!(
        "ou production = ou-ab12-34cd5678
account prod = 111122223333 in production
account root = 999999999999 management
region us-east-1
vpc prodvpc = {VPC} in prod
table Orders in prod private to prodvpc in production, prod {{ key id: number }}
table Invoices in prod private to prodvpc in production {{ key id: number }}
table Ledger in root private to prodvpc {{ key id: number }}
breakglass role Emergency in prod
"
    ));
    let scps: Vec<&dpol::emit::Compiled> = docs
        .iter()
        .filter(|d| d.kind == dpol::iam::DocKind::Scp && d.name != "dpol-perimeter-role-governance")
        .collect();
    assert_eq!(scps.len(), 1, "{scps:#?}");
    assert_eq!(scps[0].attach, ["ou-ab12-34cd5678"]);
    let content = scps[0].content();
    let statements = content["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 1, "{content:#}");
    assert_eq!(statements[0]["Sid"], "DenyTablesOutsideNetwork");
    // Each table, what is under it, and its global table.
    assert_eq!(statements[0]["Resource"].as_array().unwrap().len(), 6);
}

/// Item 4. Nothing stopped an IAM administrator of the account from
/// re-trusting or re-permissioning the break-glass role and walking through
/// every perimeter (Allowed before). A governance SCP denies the
/// role-changing IAM actions on perimeter roles to all but their managers.
#[test]
fn perimeter_roles_are_protected_from_iam_changes() {
    require!(Tool::Evaluator);
    let w = world(&program(
        "private to prodvpc in production",
        "role SecurityAdmin in prod\nbreakglass role Emergency in prod managed by SecurityAdmin\nexempt role DaxService in prod",
    ));
    let change = |who: &str, action: &str, target: &str| req(&role(who), action, &role(target));
    expect(
        &w,
        &[
            (
                "admin-retrust",
                change("Admin", "iam:UpdateAssumeRolePolicy", "Emergency"),
                "ExplicitlyDenied",
            ),
            (
                "admin-policy",
                change("Admin", "iam:PutRolePolicy", "Emergency"),
                "ExplicitlyDenied",
            ),
            (
                "admin-delete",
                change("Admin", "iam:DeleteRole", "Emergency"),
                "ExplicitlyDenied",
            ),
            (
                "admin-exempt-role",
                change("Admin", "iam:AttachRolePolicy", "DaxService"),
                "ExplicitlyDenied",
            ),
            (
                "manager",
                change("SecurityAdmin", "iam:UpdateAssumeRolePolicy", "Emergency"),
                "Allowed",
            ),
            (
                "admin-other-role",
                change("Admin", "iam:UpdateAssumeRolePolicy", "App"),
                "Allowed",
            ),
        ],
    );
}

fn endpoint_program(block: &str) -> String {
    format!(
        "account prod = 111122223333
region us-east-1
vpc appvpc = vpc-0a1b2c3d4e5f67890 in prod
endpoint gw = vpce-11aa22bb in appvpc {block}
table Tenants in prod {{ key id: string }}
table Other in prod {{ key id: string }}
role WebApp in prod
role OtherApp in prod
WebApp reads Tenants via gw
"
    )
}

/// Item 7. `WebApp reads Tenants via gw` emitted an endpoint policy that
/// allowed only that grant, replacing the endpoint's full-access default:
/// every other workload behind the endpoint lost DynamoDB (OtherApp was
/// ImplicitlyDenied before). An endpoint without a block is left alone;
/// `from grants` asks for the derived policy (and then means it).
#[test]
fn via_grants_leave_other_workloads_alone() {
    require!(Tool::Evaluator);
    let through = |who: &str, table: &str| {
        req(&role(who), "dynamodb:GetItem", &format!("arn:aws:dynamodb:us-east-1:111122223333:table/{table}"))
            .ctx(json!({"aws:SourceVpce": "vpce-11aa22bb", "aws:SourceVpc": "vpc-0a1b2c3d4e5f67890", "dynamodb:LeadingKeys": ["k"]}))
    };
    let alone = sim_world::compile(&endpoint_program(""));
    assert!(
        !alone
            .iter()
            .any(|d| d.kind == dpol::iam::DocKind::VpcEndpoint),
        "an endpoint without a block gets no policy"
    );
    let other = role("OtherApp");
    let w = World::of(full_access(alone, &[&other]));
    expect(
        &w,
        &[
            ("webapp", through("WebApp", "Tenants"), "Allowed"),
            ("second-app", through("OtherApp", "Other"), "Allowed"),
        ],
    );
    let derived = World::of(full_access(
        sim_world::compile(&endpoint_program("{ from grants }")),
        &[&other],
    ));
    expect(
        &derived,
        &[
            ("webapp", through("WebApp", "Tenants"), "Allowed"),
            (
                "second-app",
                through("OtherApp", "Other"),
                "ImplicitlyDenied",
            ),
        ],
    );
}

/// Item 8: `allow can ACTIONS` in an endpoint block names exact actions, as
/// seed 002's examples do (DescribeTable, ListTables through a read-only
/// endpoint).
#[test]
fn endpoint_blocks_take_exact_actions() {
    require!(Tool::Evaluator);
    let docs = sim_world::compile(&endpoint_program(
        "{ allow can DescribeTable, ListTables on *\n  allow can GetItem, Update* on Tenants }",
    ));
    let w = World::of(full_access(docs, &[&role("OtherApp")]));
    let vpce = json!({"aws:SourceVpce": "vpce-11aa22bb", "aws:SourceVpc": "vpc-0a1b2c3d4e5f67890"});
    let tenants = "arn:aws:dynamodb:us-east-1:111122223333:table/Tenants";
    let other = "arn:aws:dynamodb:us-east-1:111122223333:table/Other";
    let key = json!({"dynamodb:LeadingKeys": ["k"]});
    expect(
        &w,
        &[
            (
                "describe",
                req(&role("OtherApp"), "dynamodb:DescribeTable", other).ctx(vpce.clone()),
                "Allowed",
            ),
            (
                "list",
                req(&role("OtherApp"), "dynamodb:ListTables", "*").ctx(vpce.clone()),
                "Allowed",
            ),
            (
                "get",
                req(&role("OtherApp"), "dynamodb:GetItem", tenants)
                    .ctx(vpce.clone())
                    .ctx(key.clone()),
                "Allowed",
            ),
            (
                "update",
                req(&role("OtherApp"), "dynamodb:UpdateItem", tenants)
                    .ctx(vpce.clone())
                    .ctx(key.clone()),
                "Allowed",
            ),
            (
                "put",
                req(&role("OtherApp"), "dynamodb:PutItem", tenants)
                    .ctx(vpce.clone())
                    .ctx(key.clone()),
                "ImplicitlyDenied",
            ),
            (
                "get-other",
                req(&role("OtherApp"), "dynamodb:GetItem", other)
                    .ctx(vpce)
                    .ctx(key),
                "ImplicitlyDenied",
            ),
        ],
    );
}

/// Item 7: `endpoint gw { allow reads Alpha }` + `App reads Beta via gw`
/// passed `check --deny-warnings`; it is W0011 now.
#[test]
fn a_via_grant_its_endpoint_blocks_is_reported() {
    require!(Tool::Evaluator);
    let mut sources = dpol::source::SourceMap::new();
    sources.add("p.dpol", None, endpoint_program("{ allow reads Other }"));
    let (_, diags) = dpol::compile(&sources);
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["W0011"], "{diags:#?}");
    let mut sources = dpol::source::SourceMap::new();
    sources.add("p.dpol", None, endpoint_program("{ allow reads Tenants }"));
    let (_, diags) = dpol::compile(&sources);
    assert!(diags.is_empty(), "{diags:#?}");
}

/// Item 2. Seed 000 denies `dynamodb:*` on `"*"` from outside the VPC in
/// the production accounts, tables created later and ListTables included;
/// dpol could only protect declared tables. `table * private to …` is that
/// perimeter (an SCP on `"*"`, with the same exceptions).
#[test]
fn an_account_wide_perimeter_covers_every_table() {
    require!(Tool::Evaluator);
    let docs = sim_world::compile(&format!(
        "ou production = ou-ab12-34cd5678
ou development = ou-ab12-9f8e7d6c
account prod = 111122223333 in production
account dev = 444455556666 in development
region us-east-1
vpc prodvpc = {VPC} in prod
table * private to prodvpc in production
breakglass role Emergency in prod
"
    ));
    let dev_role = "arn:aws:iam::444455556666:role/DevApp";
    let w = World::of(full_access(
        docs,
        &[&role("Admin"), &role("Emergency"), dev_role],
    ))
    .ou("111122223333", &["ou-ab12-34cd5678"])
    .ou("444455556666", &["ou-ab12-9f8e7d6c"]);
    let later = "arn:aws:dynamodb:us-east-1:111122223333:table/CreatedLater";
    let dev_table = "arn:aws:dynamodb:us-east-1:444455556666:table/Scratch";
    let key = json!({"dynamodb:LeadingKeys": ["1"]});
    expect(
        &w,
        &[
            (
                "later-outside",
                req(&role("Admin"), "dynamodb:GetItem", later).ctx(outside()),
                "ExplicitlyDenied",
            ),
            (
                "list-outside",
                req(&role("Admin"), "dynamodb:ListTables", "*")
                    .ctx(json!({"aws:SourceIp": "198.51.100.7"})),
                "ExplicitlyDenied",
            ),
            (
                "later-inside",
                req(&role("Admin"), "dynamodb:GetItem", later)
                    .ctx(key.clone())
                    .ctx(json!({"aws:SourceVpc": VPC})),
                "Allowed",
            ),
            (
                "list-inside",
                req(&role("Admin"), "dynamodb:ListTables", "*").ctx(json!({"aws:SourceVpc": VPC})),
                "Allowed",
            ),
            (
                "breakglass",
                req(&role("Emergency"), "dynamodb:GetItem", later).ctx(outside()),
                "Allowed",
            ),
            (
                "forward-access-session",
                req(&role("Admin"), "dynamodb:GetItem", later)
                    .ctx(key)
                    .ctx(json!({"aws:ViaAWSService": "true"})),
                "Allowed",
            ),
            (
                "dev-untouched",
                req(dev_role, "dynamodb:GetItem", dev_table).ctx(outside()),
                "Allowed",
            ),
        ],
    );
}

/// Item 3. The perimeter as an RCP (`enforced by rcp`): a deny with
/// `"Principal": "*"` for the resources of the scope's accounts, evaluated
/// by the evaluator as an RCP. AWS service principals are exempt; RCPs never
/// apply to service-linked roles.
#[test]
fn the_perimeter_as_an_rcp() {
    require!(Tool::Evaluator);
    let docs = sim_world::compile(&program(
        "private to prodvpc in production enforced by rcp",
        "breakglass role Emergency in prod",
    ));
    let kinds: Vec<&str> = docs.iter().map(|d| d.kind.as_str()).collect();
    assert!(
        kinds.contains(&"rcp") && !kinds.contains(&"resource"),
        "{kinds:?}"
    );
    let w = world_of(docs);
    expect(
        &w,
        &[
            (
                "outside",
                req(&role("Admin"), "dynamodb:GetItem", ORDERS).ctx(outside()),
                "ExplicitlyDenied",
            ),
            (
                "inside",
                req(&role("App"), "dynamodb:GetItem", ORDERS)
                    .ctx(json!({"aws:SourceVpc": VPC, "dynamodb:LeadingKeys": ["1"]})),
                "Allowed",
            ),
            (
                "breakglass",
                req(&role("Emergency"), "dynamodb:GetItem", ORDERS).ctx(outside()),
                "Allowed",
            ),
            (
                "replication-role",
                req(REPLICATION, "dynamodb:GetItem", ORDERS).ctx(outside()),
                "Allowed",
            ),
            (
                "service-principal",
                req(&role("Admin"), "dynamodb:GetItem", ORDERS)
                    .ctx(outside())
                    .ctx(json!({"aws:PrincipalIsAWSService": "true"})),
                "Allowed",
            ),
        ],
    );
}

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// The default key policy: the account's IAM policies decide.
fn key_policy(account: &str) -> serde_json::Value {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": "EnableIamPolicies", "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{account}:root")}, "Action": "kms:*", "Resource": "*"}]})
}

/// Item 9. A stream reader of a CMK table got no `kms:Decrypt` (stream
/// records are encrypted with the table's key: ImplicitlyDenied before);
/// `kms:CreateGrant` for `manages` was not limited to grants DynamoDB makes
/// on the caller's behalf (Allowed directly before).
#[test]
fn kms_for_streams_and_grants_for_aws_resources_only() {
    require!(Tool::Evaluator);
    let docs = sim_world::compile(&format!(
        "account prod = 111122223333
region us-east-1
table Orders in prod {{ key id: number; encrypted with kms {KEY} }}
table Plain in prod {{ key id: number; encrypted with kms aws/dynamodb }}
role Streamer in prod
role Admin in prod
Streamer streams Orders
Admin manages Orders
Admin manages Plain
"
    ));
    // No statement for the AWS managed key: every KMS ARN is Orders' key.
    let admin = docs.iter().find(|d| d.name == "dpol-Admin").unwrap();
    assert_eq!(
        admin.text.matches("arn:aws:kms").count(),
        admin.text.matches(KEY).count(),
        "{}",
        admin.text
    );
    let w = World::of(docs).resource_policy(KEY, key_policy("111122223333"));
    let via = json!({"kms:ViaService": "dynamodb.us-east-1.amazonaws.com"});
    expect(
        &w,
        &[
            (
                "stream-decrypt",
                req(&role("Streamer"), "kms:Decrypt", KEY).ctx(via.clone()),
                "Allowed",
            ),
            (
                "stream-direct",
                req(&role("Streamer"), "kms:Decrypt", KEY),
                "ImplicitlyDenied",
            ),
            (
                "grant-for-dynamodb",
                req(&role("Admin"), "kms:CreateGrant", KEY)
                    .ctx(via.clone())
                    .ctx(json!({"kms:GrantIsForAWSResource": "true"})),
                "Allowed",
            ),
            (
                "grant-by-hand",
                req(&role("Admin"), "kms:CreateGrant", KEY)
                    .ctx(via.clone())
                    .ctx(json!({"kms:GrantIsForAWSResource": "false"})),
                "ImplicitlyDenied",
            ),
            (
                "admin-decrypt",
                req(&role("Admin"), "kms:Decrypt", KEY).ctx(via),
                "Allowed",
            ),
        ],
    );
}

/// Item 9: a principal of another account using a CMK table needs the key
/// policy to allow it too; the manifest says which statement (`requires`).
/// The AWS managed key `aws/dynamodb` gets no IAM statement (its key policy
/// already allows the account's principals through DynamoDB).
#[test]
fn cross_account_keys_state_their_key_policy() {
    require!(Tool::Evaluator);
    let docs = sim_world::compile(&format!(
        "account prod = 111122223333
account analytics = 444455556666
region us-east-1
table Orders in prod {{ key id: number; encrypted with kms {KEY} }}
table Plain in prod {{ key id: number; encrypted with kms aws/dynamodb }}
role Reader in analytics
Reader reads Orders
Reader reads Plain
"
    ));
    let reader = docs.iter().find(|d| d.name == "dpol-Reader").unwrap();
    // The key policy must allow Reader too; the tables' resource policies,
    // which dpol writes, do.
    let keys: Vec<_> = reader.requires.iter().collect();
    assert_eq!(keys.len(), 1, "{:#?}", reader.requires);
    for t in ["Orders", "Plain"] {
        let arn = format!("arn:aws:dynamodb:us-east-1:111122223333:table/{t}");
        assert!(
            docs.iter().any(|d| d.kind == dpol::iam::DocKind::Resource
                && d.attach == [arn.clone()]
                && d.text.contains("arn:aws:iam::444455556666:role/Reader")),
            "no resource policy for {t}"
        );
    }
    let r = keys[0];
    assert_eq!(r.policy_of, format!("the key policy of {KEY}"));
    assert_eq!(
        r.statement["Principal"]["AWS"],
        "arn:aws:iam::444455556666:role/Reader"
    );
    assert_eq!(
        r.statement["Action"],
        json!(["kms:Decrypt", "kms:DescribeKey"])
    );
    assert_eq!(
        reader.text.matches("\"kms:Decrypt\"").count(),
        1,
        "{}",
        reader.text
    );
}

/// Item 10. An alert's target must let EventBridge deliver: the manifest
/// states the topic, queue or function policy statement, and for an event
/// bus of another account its policy and the role the target needs.
#[test]
fn alerts_state_what_their_targets_must_allow() {
    require!(Tool::Evaluator);
    let docs = sim_world::compile(
        "account prod = 111122223333
region us-east-1
table Orders in prod
alert on DeleteTable for Orders to arn:aws:sns:us-east-1:111122223333:Alerts
alert on DeleteTable for Orders to arn:aws:sqs:us-east-1:111122223333:alerts
alert on UpdateTable for Orders to arn:aws:events:us-east-1:999988887777:event-bus/security
",
    );
    let rules: Vec<&dpol::emit::Compiled> = docs
        .iter()
        .filter(|d| d.kind == dpol::iam::DocKind::EventRule)
        .collect();
    assert_eq!(rules.len(), 3);
    let sns = &rules[0].requires;
    assert_eq!(
        sns[0].statement["Principal"]["Service"],
        "events.amazonaws.com"
    );
    assert!(
        sns[0].statement.get("Condition").is_none(),
        "SNS topic policies for EventBridge take no Condition"
    );
    let sqs = &rules[1].requires;
    assert_eq!(
        sqs[0].statement["Condition"]["ArnEquals"]["aws:SourceArn"],
        format!(
            "arn:aws:events:us-east-1:111122223333:rule/{}",
            rules[1].name
        )
    );
    let bus = &rules[2].requires;
    assert_eq!(bus.len(), 2, "the bus policy and the target's role");
    assert_eq!(
        bus[0].statement["Principal"]["AWS"],
        "arn:aws:iam::111122223333:root"
    );
}

/// Item 11. `from DATE until DATE`: a window, `DateGreaterThanEquals` the
/// start of the first day and `DateLessThan` the end of the last.
#[test]
fn time_windows() {
    require!(Tool::Evaluator);
    let w = World::compile(
        "account prod = 111122223333
region us-east-1
table Orders in prod { key id: number }
role Temp in prod
Temp reads Orders from 2030-06-01 until 2030-06-30
",
    );
    let at = |time: &str| {
        req(&role("Temp"), "dynamodb:GetItem", ORDERS)
            .ctx(json!({"dynamodb:LeadingKeys": ["1"], "aws:CurrentTime": time}))
    };
    expect(
        &w,
        &[
            ("before", at("2030-05-31T23:59:59Z"), "ImplicitlyDenied"),
            ("first-second", at("2030-06-01T00:00:00Z"), "Allowed"),
            ("last-second", at("2030-06-30T23:59:59Z"), "Allowed"),
            ("after", at("2030-07-01T00:00:00Z"), "ImplicitlyDenied"),
        ],
    );
}

const EU_KEY: &str = "arn:aws:kms:eu-west-1:111122223333:key/5678abcd-12ab-34cd-56ef-1234567890ab";

/// Item 9. Global tables: a replica is the same table in another region. A
/// grant reaches every replica, each replica's key is usable through
/// DynamoDB in that replica's region only (`kms:ViaService` per replica
/// region), each replica has its own resource policy with the perimeter,
/// and an alert watches every region. Before, replicas could not be said,
/// and a grant reached the table's own region only.
#[test]
fn global_tables_reach_every_replica_with_its_own_key() {
    require!(Tool::Evaluator);
    let text = format!(
        "ou production = ou-ab12-34cd5678
account prod = 111122223333 in production
region us-east-1
vpc usvpc = {VPC} in prod
region eu-west-1
vpc euvpc = vpc-0fff1234def567890 in prod
region us-east-1
table Orders in prod private to usvpc, euvpc in production {{
  key id: number
  replicas eu-west-1
  encrypted with kms {KEY}, {EU_KEY}
}}
breakglass role Emergency in prod
role App in prod
App reads Orders
alert on DeleteTable for Orders to arn:aws:sns:us-east-1:111122223333:Alerts
"
    );
    let docs = sim_world::compile(&text);
    let names = |kind: dpol::iam::DocKind| -> Vec<String> {
        docs.iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.name.clone())
            .collect()
    };
    assert_eq!(
        names(dpol::iam::DocKind::Resource),
        [
            "111122223333-eu-west-1-Orders",
            "111122223333-us-east-1-Orders"
        ]
    );
    assert_eq!(
        names(dpol::iam::DocKind::EventRule),
        ["dpol-alert-Orders-1", "dpol-alert-Orders-1-eu-west-1"]
    );
    let eu = "arn:aws:dynamodb:eu-west-1:111122223333:table/Orders";
    let w = world_of(docs)
        .resource_policy(KEY, key_policy("111122223333"))
        .resource_policy(EU_KEY, key_policy("111122223333"));
    let key = json!({"dynamodb:LeadingKeys": ["1"]});
    let via = |region: &str| json!({"kms:ViaService": format!("dynamodb.{region}.amazonaws.com")});
    expect(
        &w,
        &[
            (
                "replica-inside",
                req(&role("App"), "dynamodb:GetItem", eu)
                    .ctx(key.clone())
                    .ctx(json!({"aws:SourceVpc": "vpc-0fff1234def567890"})),
                "Allowed",
            ),
            (
                "replica-outside",
                req(&role("App"), "dynamodb:GetItem", eu).ctx(outside()),
                "ExplicitlyDenied",
            ),
            (
                "replica-replication",
                req(REPLICATION, "dynamodb:PutItem", eu).ctx(outside()),
                "Allowed",
            ),
            (
                "eu-key-eu",
                req(&role("App"), "kms:Decrypt", EU_KEY).ctx(via("eu-west-1")),
                "Allowed",
            ),
            (
                "us-key-eu",
                req(&role("App"), "kms:Decrypt", KEY).ctx(via("eu-west-1")),
                "ImplicitlyDenied",
            ),
            (
                "us-key-us",
                req(&role("App"), "kms:Decrypt", KEY).ctx(via("us-east-1")),
                "Allowed",
            ),
        ],
    );
    // Every region needs its key.
    let codes = sim_world::rejected(&text.replace(&format!(", {EU_KEY}"), ""));
    assert!(codes.contains(&"E0306"), "{codes:?}");
}

/// Item 7, "and say so": a `via` grant through an endpoint without a block
/// is W0014, which says that the endpoint's policy is left as deployed.
#[test]
fn an_endpoint_left_alone_is_reported() {
    require!(Tool::Evaluator);
    let mut sources = dpol::source::SourceMap::new();
    sources.add("p.dpol", None, endpoint_program(""));
    let (_, diags) = dpol::compile(&sources);
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["W0014"], "{diags:#?}");
}
