//! Grants to identity policies: one customer-managed policy per principal
//! (split into `-2`, `-3` … when over the size limit).
//!
//! Each grant becomes statements grouped by (resources, conditions): the
//! fine-grained conditions go only on actions that carry their keys, and the
//! actions that have no resource get `"Resource": "*"`.

use std::collections::BTreeMap;

use super::finish::split;
use super::kms;
use super::sid::{sid, Built};
use super::Compiled;
use crate::catalog::{verbs, Action, Catalog};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::iam::{action, add_condition, Conditions, DocKind, Effect, Statement};
use crate::model::{
    Attrs, Effect as GrantEffect, Grant, Index, KeySet, Model, Network, Principal, Table,
};

const LEADING_KEYS: &str = "dynamodb:LeadingKeys";
const ATTRIBUTES: &str = "dynamodb:Attributes";
const SELECT: &str = "dynamodb:Select";
const RETURN_VALUES: &str = "dynamodb:ReturnValues";
/// ReturnValues that return no more than the attributes the request names.
const SAFE_RETURN_VALUES: [&str; 3] = ["NONE", "UPDATED_NEW", "UPDATED_OLD"];
/// ReturnValues that return whole items, attributes the request did not name included.
const UNSAFE_RETURN_VALUES: [&str; 2] = ["ALL_NEW", "ALL_OLD"];

/// Most managed policies one principal may have attached (IAM's default quota).
const MAX_MANAGED_PER_PRINCIPAL: usize = 10;

/// Every principal's identity documents, in principal order; more than
/// [`MAX_MANAGED_PER_PRINCIPAL`] for one principal is E0411. Also the
/// statements that other accounts' tables' resource policies get for these
/// grants, by table ARN (see [`super::cross_account`]).
pub(crate) fn documents(
    model: &Model,
    catalog: &Catalog,
    diags: &mut Diagnostics,
) -> (Vec<Compiled>, TableAllows) {
    let grants = by_principal(model);
    let principals: Vec<(&Principal, &[&Grant])> = model
        .principals
        .iter()
        .zip(&grants)
        .map(|(p, g)| (p, g.as_slice()))
        .collect();
    // Principals are independent: their documents are built on several
    // threads, then concatenated (documents and diagnostics) in principal
    // order, exactly as one loop would produce them.
    let mut docs = Vec::new();
    let mut allows = TableAllows::new();
    for (part_docs, part_allows, part_diags) in
        crate::parallel::chunks(&principals, |chunk| documents_of(model, catalog, chunk))
    {
        diags.extend(part_diags.iter().cloned());
        docs.extend(part_docs);
        for (table, built) in part_allows {
            allows.entry(table).or_default().push(built);
        }
    }
    (docs, allows)
}

/// Table ARN (in one region) → the statements its resource policy gets for
/// principals of other accounts, in principal order.
pub(crate) type TableAllows = BTreeMap<String, Vec<Built>>;

/// The identity documents of `principals`, in order, the statements other
/// accounts' tables get for them, and their diagnostics.
fn documents_of(
    model: &Model,
    catalog: &Catalog,
    principals: &[(&Principal, &[&Grant])],
) -> (Vec<Compiled>, Vec<(String, Built)>, Diagnostics) {
    let mut docs = Vec::new();
    let mut allows = Vec::new();
    let mut diags = Diagnostics::new();
    for &(principal, grants) in principals {
        let statements = statements(model, catalog, grants);
        if statements.is_empty() {
            continue;
        }
        let mut requires = kms::key_policy_requirements(principal, &statements);
        let across = super::cross_account::across_accounts(principal, &statements);
        requires.extend(across.requires);
        allows.extend(across.table_allows);
        let name = format!("dpol-{}", principal.name);
        let mut parts = split(
            DocKind::Identity,
            &name,
            statements,
            vec![principal.arn.clone()],
            &mut diags,
        );
        for part in &mut parts {
            part.folder = Some(principal.account_id.clone());
        }
        if let Some(first) = parts.first_mut() {
            first.requires = requires;
        }
        if parts.len() > MAX_MANAGED_PER_PRINCIPAL {
            diags.push(too_many_policies(principal, parts.len()));
        }
        docs.extend(parts);
    }
    (docs, allows, diags)
}

/// The statements of one principal's grants (`grants`: that principal's
/// grants, in source order; see [`by_principal`]).
pub fn statements(model: &Model, catalog: &Catalog, grants: &[&Grant]) -> Vec<Built> {
    let mut out = Vec::new();
    let mut kms: BTreeMap<(String, String, bool), Built> = BTreeMap::new();
    for &grant in grants {
        let table = grant.table.and_then(|t| model.tables.get(t));
        let actions = grant.actions.as_slice();
        out.extend(grant_statements(grant, table, actions));
        if grant.effect == GrantEffect::Allow {
            if let Some(t) = table {
                kms::statement(catalog, grant, t, actions, &mut kms);
            }
        }
    }
    out.extend(kms.into_values());
    out
}

/// Every principal's grants, in source order, indexed by principal: one pass
/// over the grants instead of one per principal.
pub fn by_principal(model: &Model) -> Vec<Vec<&Grant>> {
    let mut out: Vec<Vec<&Grant>> = vec![Vec::new(); model.principals.len()];
    for grant in &model.grants {
        if let Some(list) = out.get_mut(grant.principal) {
            list.push(grant);
        }
    }
    out
}

/// Statements group actions by resources and (serialized) conditions.
type GroupKey = (Vec<String>, String);
/// The group's conditions, its actions and the Sid part naming it.
type Group = (Conditions, Vec<String>, &'static str);

fn grant_statements(grant: &Grant, table: Option<&Table>, actions: &[&Action]) -> Vec<Built> {
    let effect = match grant.effect {
        GrantEffect::Allow => Effect::Allow,
        GrantEffect::Deny => Effect::Deny,
    };
    let verb_words: Vec<&str> = grant.verbs.iter().map(|v| v.keyword()).collect();
    let lead = match (grant.effect, verb_words.is_empty()) {
        (GrantEffect::Deny, true) => "DenyActions".to_string(),
        (GrantEffect::Deny, false) => "Deny".to_string(),
        (_, true) => "Can".to_string(),
        _ => String::new(),
    };
    let table_word = table.map_or("AllTables", |t| t.name.as_str());
    let index_word = grant_index(grant, table).map_or("", |i| i.name.as_str());
    let base = sid(&[&lead, &verb_words.join(" "), table_word, index_word]);
    let reach = Reach::of(grant, table);
    // Group actions with equal resources and conditions, in a stable order.
    let mut groups: BTreeMap<GroupKey, Group> = BTreeMap::new();
    // An action's conditions depend on it only through its condition keys:
    // computed once per distinct set of keys, not once per action.
    let mut by_keys: BTreeMap<u8, (Conditions, String, &'static str)> = BTreeMap::new();
    for a in actions {
        let resources = resources(a, table, reach);
        if resources.is_empty() {
            continue;
        }
        let (conditions, serialized, part) =
            by_keys.entry(condition_keys(a)).or_insert_with(|| {
                let (conditions, part) = match grant.effect {
                    GrantEffect::Allow => allow_conditions(grant, table, a),
                    GrantEffect::Deny => (Conditions::new(), ""),
                };
                let serialized = serde_json::to_string(&conditions).unwrap_or_default();
                (conditions, serialized, part)
            });
        let part = if resources == ["*"] && table.is_some() {
            "Account"
        } else {
            part
        };
        let entry = groups
            .entry((resources, serialized.clone()))
            .or_insert_with(|| (conditions.clone(), Vec::new(), part));
        entry.1.push(action("dynamodb", &a.name));
    }
    let mut built: Vec<Built> = groups
        .into_iter()
        .map(|((resources, _), (condition, actions, part))| Built {
            statement: Statement::new(format!("{base}{part}"), effect, actions, resources)
                .when(condition),
            spans: vec![grant.span],
        })
        .collect();
    if let (GrantEffect::Allow, Some(Attrs::Except(denied)), Some(t)) =
        (grant.effect, &grant.attrs, table)
    {
        built.extend(deny_list(grant, t, actions, denied, &base, reach));
    }
    built
}

/// The index a grant is restricted to (`index NAME`).
fn grant_index<'t>(grant: &Grant, table: Option<&'t Table>) -> Option<&'t Index> {
    grant.index.and_then(|i| table?.indexes.get(i))
}

/// Which of a table's resources a statement reaches.
#[derive(Clone, Copy, Debug)]
pub enum Reach<'a> {
    /// An allow: the table and its declared indexes; with `keyed` (a
    /// `dynamodb:LeadingKeys` restriction) its local indexes only, because
    /// on a global index the leading key is the index's own partition key
    /// (DynamoDB Developer Guide, "Using IAM policy conditions for
    /// fine-grained access control": LeadingKeys are the partition-key
    /// values of the request, and a Query on an index conditions on the
    /// index's keys).
    Allow { keyed: bool },
    /// An allow on one index only (`index NAME`).
    Index(&'a Index),
    /// A deny: the table and everything under it, declared or not
    /// (`table/T/index/*`, streams, backups, exports, imports).
    Deny,
}

impl<'a> Reach<'a> {
    pub fn of(grant: &Grant, table: Option<&'a Table>) -> Reach<'a> {
        if grant.effect == GrantEffect::Deny {
            return Reach::Deny;
        }
        match grant_index(grant, table) {
            Some(index) => Reach::Index(index),
            None => Reach::Allow {
                keyed: grant.keys.is_some(),
            },
        }
    }
}

/// The ARNs an action is granted or denied on: its resource types
/// instantiated for the table as `reach` says, or `"*"` for actions without
/// resources and for grants on `*`. Empty when the action reaches none of
/// them (an action without an index resource under `index NAME`).
pub fn resources(a: &Action, table: Option<&Table>, reach: Reach<'_>) -> Vec<String> {
    let Some(t) = table else {
        return vec!["*".into()];
    };
    if a.resourceless() {
        return vec!["*".into()];
    }
    let mut out = Vec::new();
    // A global table's replicas are the same table in other regions: a
    // grant on the table reaches each of them.
    for arn in t.arns() {
        for r in &a.resource_types {
            match (r.name.as_str(), reach) {
                ("index", Reach::Index(index)) => out.push(format!("{arn}/index/{}", index.name)),
                (_, Reach::Index(_)) => {}
                ("index", Reach::Deny) => out.push(format!("{arn}/index/*")),
                ("index", Reach::Allow { keyed }) => {
                    // Declared indexes only, even for an action that
                    // always names an index (SearchVectors): undeclared
                    // indexes get no access.
                    out.extend(
                        t.indexes
                            .iter()
                            .filter(|i| !keyed || i.shares_partition_key())
                            .map(|i| format!("{arn}/index/{}", i.name)),
                    );
                }
                ("table", _) => out.push(arn.clone()),
                ("global-table", _) => out.push(t.global_table_arn()),
                (sub, _) => out.push(format!("{arn}/{sub}/*")),
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The condition keys [`allow_conditions`] reads from an action, as bits:
/// actions with equal bits get equal conditions (a unit test checks this
/// over the whole catalogue).
fn condition_keys(a: &Action) -> u8 {
    [
        ATTRIBUTES,
        LEADING_KEYS,
        SELECT,
        RETURN_VALUES,
        "dynamodb:FullTableScan",
    ]
    .iter()
    .enumerate()
    .fold(0, |bits, (i, key)| bits | (u8::from(a.has_key(key)) << i))
}

/// The conditions of an allowed action, and the Sid part naming its group.
/// It reads the action only through [`condition_keys`].
fn allow_conditions(
    grant: &Grant,
    table: Option<&Table>,
    a: &Action,
) -> (Conditions, &'static str) {
    let mut c = request_conditions(grant);
    if !verbs::touches_items(a) {
        return (
            c,
            if grant.keys.is_some() || grant.attrs.is_some() {
                "Metadata"
            } else {
                ""
            },
        );
    }
    if let Some(keys) = &grant.keys {
        if a.has_key(LEADING_KEYS) {
            key_conditions(&mut c, keys);
        }
    }
    if let (Some(Attrs::Only(list)), Some(t)) = (&grant.attrs, table) {
        if a.has_key(ATTRIBUTES) {
            attribute_conditions(&mut c, list, t, a);
        }
    }
    let mut part = "";
    // `reads` is not `scans`: PartiQL SELECT may read one partition only.
    let reads_only = grant.verbs.contains(&crate::vocab::Verb::Read)
        && !grant.verbs.contains(&crate::vocab::Verb::Scan);
    if verbs::can_full_scan(a) && reads_only && !grant.verbs.contains(&crate::vocab::Verb::Manage) {
        add_condition(
            &mut c,
            "Bool",
            "dynamodb:FullTableScan",
            vec!["false".into()],
        );
        part = "PartiQL";
    }
    (c, part)
}

/// The conditions of a grant that apply to every action it allows: where
/// the request comes from (`via`, `from ip`), when (`from`, `until`) and
/// `with mfa`.
fn request_conditions(grant: &Grant) -> Conditions {
    let mut c = Conditions::new();
    for network in &grant.via {
        match network {
            Network::Vpc(id) => {
                add_condition(&mut c, "StringEquals", "aws:SourceVpc", vec![id.clone()])
            }
            Network::Endpoint(id) => {
                add_condition(&mut c, "StringEquals", "aws:SourceVpce", vec![id.clone()])
            }
        }
    }
    if !grant.source_ips.is_empty() {
        add_condition(
            &mut c,
            "IpAddress",
            "aws:SourceIp",
            grant.source_ips.clone(),
        );
    }
    if let Some(from) = &grant.from {
        add_condition(
            &mut c,
            "DateGreaterThanEquals",
            "aws:CurrentTime",
            vec![from.clone()],
        );
    }
    if let Some(until) = &grant.until {
        add_condition(
            &mut c,
            "DateLessThan",
            "aws:CurrentTime",
            vec![until.clone()],
        );
    }
    if grant.mfa {
        add_condition(
            &mut c,
            "Bool",
            "aws:MultiFactorAuthPresent",
            vec!["true".into()],
        );
    }
    c
}

/// `keys`: every partition key the request names is one of the grant's
/// (`dynamodb:LeadingKeys`, present and within the set).
fn key_conditions(c: &mut Conditions, keys: &KeySet) {
    add_condition(c, "Null", LEADING_KEYS, vec!["false".into()]);
    match keys {
        KeySet::Range { low, high } => {
            add_condition(
                c,
                "ForAllValues:NumericGreaterThanEquals",
                LEADING_KEYS,
                vec![low.clone()],
            );
            add_condition(
                c,
                "ForAllValues:NumericLessThan",
                LEADING_KEYS,
                vec![high.clone()],
            );
        }
        KeySet::Numbers(v) => {
            add_condition(c, "ForAllValues:NumericEquals", LEADING_KEYS, v.clone())
        }
        KeySet::Strings(v) => {
            add_condition(c, "ForAllValues:StringEquals", LEADING_KEYS, v.clone())
        }
        KeySet::Patterns(v) => add_condition(c, "ForAllValues:StringLike", LEADING_KEYS, v.clone()),
    }
}

/// `attrs`: the request names only the table's keys and the listed
/// attributes (`dynamodb:Attributes`), selects specific attributes and
/// returns no other values.
fn attribute_conditions(c: &mut Conditions, list: &[String], t: &Table, a: &Action) {
    let mut allowed = t.key_attributes();
    allowed.extend(list.iter().cloned());
    add_condition(c, "Null", ATTRIBUTES, vec!["false".into()]);
    add_condition(c, "ForAllValues:StringEquals", ATTRIBUTES, allowed);
    if a.has_key(SELECT) {
        add_condition(
            c,
            "StringEqualsIfExists",
            SELECT,
            vec!["SPECIFIC_ATTRIBUTES".into()],
        );
    }
    if a.has_key(RETURN_VALUES) {
        let safe = SAFE_RETURN_VALUES.iter().map(|s| s.to_string()).collect();
        add_condition(c, "StringEqualsIfExists", RETURN_VALUES, safe);
    }
}

/// `except attrs`: AWS's deny-list recipe (DynamoDB Developer Guide, example 7).
fn deny_list(
    grant: &Grant,
    t: &Table,
    actions: &[&Action],
    denied: &[String],
    base: &str,
    reach: Reach<'_>,
) -> Vec<Built> {
    let mut arns: Vec<String> = actions
        .iter()
        .filter(|a| a.has_key(ATTRIBUTES))
        .flat_map(|a| resources(a, Some(t), reach))
        .collect();
    arns.sort();
    arns.dedup();
    let names = |key: &str| -> Vec<String> {
        actions
            .iter()
            .filter(|a| a.has_key(key))
            .map(|a| action("dynamodb", &a.name))
            .collect()
    };
    let mut out = Vec::new();
    let mut deny =
        |suffix: &str, actions: Vec<String>, op: &str, key: &str, values: Vec<String>| {
            if actions.is_empty() {
                return;
            }
            let mut condition = Conditions::new();
            add_condition(&mut condition, op, key, values);
            out.push(Built {
                statement: Statement::new(
                    format!("{base}{suffix}"),
                    Effect::Deny,
                    actions,
                    arns.clone(),
                )
                .when(condition),
                spans: vec![grant.span],
            });
        };
    deny(
        "DenyAttributes",
        names(ATTRIBUTES),
        "ForAnyValue:StringEquals",
        ATTRIBUTES,
        denied.to_vec(),
    );
    deny(
        "DenyAllAttributes",
        names(SELECT),
        "StringNotEqualsIfExists",
        SELECT,
        vec!["SPECIFIC_ATTRIBUTES".into()],
    );
    // A positive operator over the unsafe values: the deny fires only when
    // a request carries one. `StringNotEqualsIfExists` would also fire when
    // the key is absent, as on every Query and Scan (they have no
    // ReturnValues parameter), denying them all.
    deny(
        "DenyReturnValues",
        names(RETURN_VALUES),
        "StringEquals",
        RETURN_VALUES,
        UNSAFE_RETURN_VALUES.iter().map(|s| s.to_string()).collect(),
    );
    out
}

/// E0411: a principal whose grants need more managed policies (`count`)
/// than IAM attaches.
fn too_many_policies(principal: &crate::model::Principal, count: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TooManyPolicies,
        principal.span,
        format!(
            "`{}` needs {count} managed policies; IAM attaches at most {MAX_MANAGED_PER_PRINCIPAL}",
            principal.name
        ),
    )
    .label("too many grants for one principal")
    .help("merge grants on the same table, or use `*` for metadata verbs")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    /// `allow_conditions` depends on the action only through
    /// `condition_keys`: for every grant below and every two catalogue
    /// actions with equal bits, the conditions and Sid parts are equal.
    #[test]
    fn conditions_depend_only_on_the_condition_keys() {
        let mut sources = SourceMap::new();
        sources.add(
            "t.dpol",
            None,
            "account prod = 111122223333
region us-east-1
vpc v = vpc-0abc1234def567890 in prod
endpoint gw = vpce-11aa22bb in v
table Tab in prod { key id: number; attrs A, B }
table Sales in prod { key pk: string }
user alice in prod
alice reads Tab keys 1..5 attrs A via gw until 2030-01-01 with mfa
alice reads, scans Tab from ip 10.0.0.0/8 attrs B
alice reads Tab keys 3, 4 attrs B
alice reads, writes Sales keys \"a\"*
alice manages Tab
alice updates Tab attrs A
alice reads Sales
"
            .to_string(),
        );
        let checked = crate::check_program(&sources);
        let model = checked
            .model
            .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
        let all = &crate::catalog::catalog().unwrap().dynamodb.actions;
        for grant in &model.grants {
            let table = grant.table.and_then(|t| model.tables.get(t));
            for a in all {
                for b in all
                    .iter()
                    .filter(|b| condition_keys(b) == condition_keys(a))
                {
                    assert_eq!(
                        allow_conditions(grant, table, a),
                        allow_conditions(grant, table, b),
                        "{} and {}",
                        a.name,
                        b.name
                    );
                }
            }
        }
    }
}
