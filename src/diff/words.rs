//! The access delta in the program's words: each change names the principal,
//! the table and the clause the way the source writes them, with the `.dpol`
//! lines it comes from (`SalesApp gains keys "ap-south" on Sales
//! (access-patterns.dpol:40)`). The IAM-level lines stay the reference; this
//! is their translation, one line for what several statements say alike.
//!
//! Names come from the program ([`Program`]: principal, table and endpoint
//! names as declared, original case kept), else from the ARNs themselves.
//! Lines come from the grants of that principal on that table, in the
//! compiled program or, for what it no longer has, in the deployed one
//! (`--base`); else from the document's own source lines (the manifest's
//! `sources`). A change dpol cannot say in its words is said in IAM's, still
//! with its principal, table and lines.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use super::compare::Context;
use super::fact::{Fact, What};
use super::program::Program;
use super::report::{AccessChange, DeltaLine, Direction};
use crate::iam::DocKind;
use crate::iam::SourceRef;
use crate::iam::GOVERNANCE_SCP_NAME;
use crate::vocab::Verb;

/// One document's side of the comparison, as far as words need it.
pub(crate) struct Subject<'a> {
    pub(crate) kind: DocKind,
    pub(crate) name: &'a str,
    pub(crate) attach: &'a [String],
    /// The document's source lines on each side.
    pub(crate) new_sources: &'a [SourceRef],
    pub(crate) old_sources: &'a [SourceRef],
}

/// The access changes of one document's delta, broadening first, each once.
pub(crate) fn access_changes(
    subject: &Subject,
    lines: &[DeltaLine],
    context: &Context,
) -> Vec<AccessChange> {
    let names = Names { context };
    let mut out: Vec<AccessChange> = Vec::new();
    // Actions gained or lost are gathered per (direction, effect, who,
    // tables), so that a grant split over several statements reads as its verbs.
    let mut actions: BTreeMap<(Direction, String, Grantee, Vec<String>), BTreeSet<String>> =
        BTreeMap::new();
    for line in lines {
        let fact = &line.fact;
        let grantee = Grantee::of(subject, fact);
        let speaks = grantee.is_some() && line.direction != Direction::Review;
        match (&fact.what, grantee) {
            (What::Statement { .. } | What::Actions { .. } | What::Resources { .. }, Some(who))
                if speaks =>
            {
                let (items, resources) = match &fact.what {
                    What::Actions { items, .. } => (items, &fact.resources),
                    What::Resources { items, .. } => (&fact.actions, items),
                    _ => (&fact.actions, &fact.resources),
                };
                actions
                    .entry((line.direction, fact.effect.clone(), who, resources.clone()))
                    .or_default()
                    .extend(items.iter().cloned());
            }
            (what, None) if perimeter(subject.kind) => {
                let text = perimeter_words(subject, what, line.direction, &fact.resources, &names)
                    .unwrap_or_else(|| names.generic(subject, line));
                out.push(AccessChange {
                    direction: line.direction,
                    text,
                    sources: names.lines(subject, None, fact),
                });
            }
            (what, grantee) => {
                let allow = fact.effect != "Deny";
                let clause = if speaks && allow {
                    clause(what, line.direction, &names)
                } else {
                    None
                };
                let text = match (clause, &grantee) {
                    (Some(clause), Some(who)) => format!(
                        "{} {clause}{}{}",
                        names.who(subject, who),
                        names.on_tables(&fact.resources),
                        who.through()
                    ),
                    _ => names.generic(subject, line),
                };
                out.push(AccessChange {
                    direction: line.direction,
                    text,
                    sources: names.lines(subject, grantee.as_ref(), fact),
                });
            }
        }
    }
    for ((direction, effect, who, resources), items) in actions {
        out.push(verb_change(
            subject, &names, direction, effect, who, resources, items,
        ));
    }
    out.sort_by(|a, b| (a.direction, &a.text).cmp(&(b.direction, &b.text)));
    out.dedup();
    out
}

/// The actions a principal gains or loses on some tables, said as the
/// verbs that cover them.
fn verb_change(
    subject: &Subject,
    names: &Names,
    direction: Direction,
    effect: String,
    who: Grantee,
    resources: Vec<String>,
    items: BTreeSet<String>,
) -> AccessChange {
    let items: Vec<String> = items.into_iter().collect();
    let fact = Fact {
        effect,
        actions: items,
        resources,
        ..Fact::default()
    };
    AccessChange {
        direction,
        text: format!(
            "{} {} {}{}{}",
            names.who(subject, &who),
            gains(&fact.effect, direction),
            verbs(&fact.actions, &fact.effect, who.across()),
            names.on_tables(&fact.resources),
            who.through()
        ),
        sources: names.lines(subject, Some(&who), &fact),
    }
}

/// Whose access a statement gives or takes, when dpol can say it in the
/// program's words.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Grantee {
    /// The document's own: the principal an identity policy is attached
    /// to, an endpoint.
    Document,
    /// The principals a table's resource policy allows (grants across
    /// accounts), by ARN.
    Named(Vec<String>),
}

impl Grantee {
    fn of(subject: &Subject, fact: &Fact) -> Option<Grantee> {
        match subject.kind {
            DocKind::Identity | DocKind::VpcEndpoint => Some(Grantee::Document),
            DocKind::Resource if fact.effect == "Allow" && !fact.principals.is_empty() => {
                Some(Grantee::Named(fact.principals.clone()))
            }
            _ => None,
        }
    }

    /// Whether the access is from another account: verbs then mean the
    /// part of their sets that works across accounts.
    fn across(&self) -> bool {
        matches!(self, Grantee::Named(_))
    }

    /// Which document says it, when that is not the principal's own policy.
    fn through(&self) -> &'static str {
        match self {
            Grantee::Document => "",
            Grantee::Named(_) => " (across accounts, the table's resource policy)",
        }
    }
}

/// The documents that carry perimeters: their changes are said as the
/// perimeter's clauses (`private to`, break-glass, exempt and deployer roles).
fn perimeter(kind: DocKind) -> bool {
    matches!(kind, DocKind::Scp | DocKind::Rcp | DocKind::Resource)
}

/// A perimeter change in the source's words: a network of `private to`
/// added or dropped, a role that passes the perimeter (break-glass, exempt,
/// deployer) added or dropped, a role that the governance SCP protects;
/// `None` for anything else (said in IAM's words).
fn perimeter_words(
    subject: &Subject,
    what: &What,
    direction: Direction,
    resources: &[String],
    names: &Names,
) -> Option<String> {
    let layer = match subject.kind {
        DocKind::Scp => "SCP",
        DocKind::Rcp => "RCP",
        _ => "resource policy",
    };
    let tables = || {
        let set: BTreeSet<String> = resources.iter().map(|r| names.table(r)).collect();
        set.into_iter().collect::<Vec<_>>().join(", ")
    };
    let roles = |values: &[String]| {
        let set: BTreeSet<String> = values.iter().map(|v| names.principal(v)).collect();
        set.into_iter().collect::<Vec<_>>().join(", ")
    };
    // A perimeter's exceptions: more of them broadens, fewer narrows.
    let how = if direction == Direction::Broadens {
        "now"
    } else {
        "no longer"
    };
    match what {
        What::Resources { added, items } if subject.name == GOVERNANCE_SCP_NAME => {
            let how = if *added { "now" } else { "no longer" };
            Some(format!(
                "{} is {how} protected from IAM changes by the governance SCP",
                roles(items)
            ))
        }
        What::Values { key, values, .. } => match key.as_str() {
            "aws:sourcevpc" | "aws:sourcevpce" => {
                let nets: Vec<String> = values.iter().map(|v| names.network(v)).collect();
                Some(format!(
                    "{} can {how} be reached through {} (`private to`, {layer})",
                    tables(),
                    nets.join(", ")
                ))
            }
            "aws:principalarn" => Some(format!(
                "{} {how} passes the perimeter of {} ({layer})",
                roles(values),
                tables()
            )),
            _ => None,
        },
        _ => None,
    }
}

/// "gains", "loses", "is denied", "is no longer denied".
fn gains(effect: &str, direction: Direction) -> &'static str {
    match (effect, direction) {
        ("Deny", Direction::Narrows) => "is denied",
        ("Deny", _) => "is no longer denied",
        (_, Direction::Narrows) => "loses",
        _ => "gains",
    }
}

/// The clause a condition change of an Allow is about, as the source
/// writes it, with its verb: `gains keys "ap-south"`, `is no longer limited
/// by `via gw``.
fn clause(what: &What, direction: Direction, names: &Names) -> Option<String> {
    let verb = if direction == Direction::Broadens {
        "gains"
    } else {
        "loses"
    };
    match what {
        What::Values {
            key,
            operator,
            values,
            ..
        } => {
            let (word, shown) = clause_values(key, operator, values, names)?;
            Some(format!("{verb} {word} {shown}"))
        }
        What::Bound { key, old, new, .. } if key == "dynamodb:leadingkeys" => {
            let (low, high) = ordered(old, new);
            Some(format!("{verb} keys {low}..{high}"))
        }
        What::Condition {
            key,
            operator,
            values,
            ..
        } => {
            let word = clause_word(key)?;
            let shown = match word {
                "via" | "from ip" | "until" => clause_values(key, operator, values, names)
                    .map(|(_, shown)| format!(" {shown}"))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let how = if direction == Direction::Broadens {
                "is no longer limited by"
            } else {
                "is now limited by"
            };
            Some(format!("{how} `{word}{shown}`"))
        }
        _ => None,
    }
}

fn ordered<'s>(a: &'s str, b: &'s str) -> (&'s str, &'s str) {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) if y < x => (b, a),
        _ => (a, b),
    }
}

/// The source keyword of a condition key, if it comes from a clause.
fn clause_word(key: &str) -> Option<&'static str> {
    Some(match key {
        "dynamodb:leadingkeys" => "keys",
        "dynamodb:attributes" | "dynamodb:select" | "dynamodb:returnvalues" => "attrs",
        "aws:sourcevpc" | "aws:sourcevpce" => "via",
        "aws:sourceip" => "from ip",
        "aws:currenttime" => "until",
        "aws:multifactorauthpresent" => "with mfa",
        _ => return None,
    })
}

/// A clause's keyword and its values as the source writes them.
fn clause_values(
    key: &str,
    operator: &str,
    values: &[String],
    names: &Names,
) -> Option<(&'static str, String)> {
    let word = clause_word(key)?;
    let shown: Vec<String> = match word {
        "keys" => values.iter().map(|v| key_value(operator, v)).collect(),
        "attrs" if key == "dynamodb:attributes" => values.iter().map(|v| name_value(v)).collect(),
        "via" => values.iter().map(|v| names.network(v)).collect(),
        "from ip" | "until" => values.to_vec(),
        _ => return None,
    };
    Some((word, shown.join(", ")))
}

/// A partition-key value as a `keys` clause writes it: numbers bare, strings
/// quoted, a prefix pattern as `"prefix"*`, a policy variable bare.
fn key_value(operator: &str, value: &str) -> String {
    if operator.contains("Numeric") {
        return value.to_string();
    }
    let variable = value.starts_with("${")
        && value.ends_with('}')
        && !matches!(value, "${*}" | "${?}" | "${$}");
    if variable {
        return value.to_string();
    }
    let (body, star) = match value.strip_suffix('*') {
        Some(body) if operator.contains("Like") => (body, "*"),
        _ => (value, ""),
    };
    let body = body
        .replace("${*}", "*")
        .replace("${?}", "?")
        .replace("${$}", "$");
    format!("{}{star}", serde_json::Value::from(body))
}

/// An attribute name as an `attrs` clause writes it: bare, or quoted when
/// it is not a plain word.
fn name_value(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        name.to_string()
    } else {
        serde_json::Value::from(name).to_string()
    }
}

/// Actions as the verbs that cover them (`reads, updates`), and the rest by
/// name: a verb is named when all of its actions are there.
///
/// Across accounts a verb is named when all of the part of its set that
/// works across accounts is there (that is what a grant across accounts
/// writes into the table's policy).
fn verbs(actions: &[String], effect: &str, across: bool) -> String {
    if actions.iter().any(|a| a == "*" || a == "dynamodb:*") {
        return "every action".to_string();
    }
    let have: BTreeSet<&str> = actions.iter().map(String::as_str).collect();
    let mut covered: BTreeSet<&str> = BTreeSet::new();
    let mut named = Vec::new();
    for (verb, set) in verb_sets(effect == "Deny") {
        let set: Vec<&str> = set
            .iter()
            .map(String::as_str)
            .filter(|a| !across || works_across_accounts(a))
            .collect();
        let whole = !set.is_empty() && set.iter().all(|a| have.contains(a));
        if whole && !set.iter().all(|a| covered.contains(a)) {
            named.push(*verb);
            covered.extend(set);
        }
    }
    named.sort_by_key(|verb| Verb::ALL.iter().position(|v| v == verb));
    let mut words: Vec<String> = named.iter().map(|v| v.keyword().to_string()).collect();
    words.extend(
        actions
            .iter()
            .filter(|a| !covered.contains(a.as_str()))
            .cloned(),
    );
    words.join(", ")
}

/// Whether a lower-case action (`dynamodb:getitem`) works on a table
/// across accounts.
fn works_across_accounts(action: &str) -> bool {
    crate::catalog::cross_account::TABLE_ACTIONS
        .iter()
        .any(|a| a.eq_ignore_ascii_case(action))
}

/// Each verb with the actions it allows (or, for denies, denies), lower
/// case, largest first; empty when the catalogue cannot be read.
fn verb_sets(deny: bool) -> &'static [(Verb, BTreeSet<String>)] {
    static ALLOW: OnceLock<Vec<(Verb, BTreeSet<String>)>> = OnceLock::new();
    static DENY: OnceLock<Vec<(Verb, BTreeSet<String>)>> = OnceLock::new();
    let build = || {
        let Ok(catalog) = crate::catalog::catalog() else {
            return Vec::new();
        };
        let service = &catalog.dynamodb;
        let mut sets: Vec<(Verb, BTreeSet<String>)> = Verb::ALL
            .iter()
            .map(|&verb| {
                // The sets of a verb on one table: most grants name one.
                let actions = if deny {
                    crate::catalog::verbs::deny_actions(service, &[verb], true)
                } else {
                    crate::catalog::verbs::allow_actions(service, &[verb], true)
                };
                let set = actions
                    .iter()
                    .map(|a| format!("dynamodb:{}", a.name.to_lowercase()))
                    .collect();
                (verb, set)
            })
            .collect();
        sets.sort_by_key(|(_, set)| std::cmp::Reverse(set.len()));
        sets
    };
    if deny {
        DENY.get_or_init(build)
    } else {
        ALLOW.get_or_init(build)
    }
}

/// Names from the programs on both sides, else from ARNs.
struct Names<'c> {
    context: &'c Context<'c>,
}

impl Names<'_> {
    fn programs(&self) -> impl Iterator<Item = &Program> {
        self.context.program.into_iter().chain(self.context.base)
    }

    fn principal(&self, arn: &str) -> String {
        self.programs()
            .find_map(|p| p.principal(arn))
            .map_or_else(|| last_segment(arn).to_string(), str::to_string)
    }

    /// The table's name, for a table ARN or anything below it (an index).
    fn table(&self, resource: &str) -> String {
        if resource == "*" {
            return "every table".to_string();
        }
        if let Some(name) = self.programs().find_map(|p| p.global_table(resource)) {
            return name.to_string();
        }
        let Some(table_arn) = table_arn(resource) else {
            return resource.to_string();
        };
        self.programs()
            .find_map(|p| p.table(&table_arn))
            .map_or_else(|| last_segment(&table_arn).to_string(), str::to_string)
    }

    fn network(&self, id: &str) -> String {
        self.programs()
            .find_map(|p| p.endpoint(id))
            .map_or_else(|| id.to_string(), str::to_string)
    }

    fn target(&self, id: &str) -> String {
        self.programs()
            .find_map(|p| p.target(id))
            .map_or_else(|| id.to_string(), str::to_string)
    }

    /// Who the document gives or takes access: the principal of an identity
    /// policy, the endpoint, the table's perimeter.
    fn who(&self, subject: &Subject, grantee: &Grantee) -> String {
        if let Grantee::Named(principals) = grantee {
            let names: Vec<String> = principals.iter().map(|p| self.principal(p)).collect();
            return names.join(", ");
        }
        self.document_who(subject)
    }

    fn document_who(&self, subject: &Subject) -> String {
        let attached = |name: &dyn Fn(&str) -> String| {
            subject
                .attach
                .iter()
                .map(|a| name(a))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match subject.kind {
            DocKind::Identity if !subject.attach.is_empty() => attached(&|a| self.principal(a)),
            DocKind::Identity => subject
                .name
                .strip_prefix("dpol-")
                .unwrap_or(subject.name)
                .to_string(),
            DocKind::VpcEndpoint => format!("endpoint {}", self.network(subject.name)),
            DocKind::Scp => format!("the perimeter on {}", attached(&|a| self.target(a))),
            DocKind::Rcp => format!("the RCP perimeter on {}", attached(&|a| self.target(a))),
            DocKind::Resource => format!("the resource policy of {}", attached(&|a| self.table(a))),
            DocKind::EventRule => format!("alert {}", subject.name),
        }
    }

    /// " on Orders, Sales" (each table once), or nothing.
    fn on_tables(&self, resources: &[String]) -> String {
        let tables: BTreeSet<String> = resources.iter().map(|r| self.table(r)).collect();
        if tables.is_empty() {
            String::new()
        } else {
            format!(" on {}", tables.into_iter().collect::<Vec<_>>().join(", "))
        }
    }

    /// A line that has no words of its own: who, where, and IAM's words.
    fn generic(&self, subject: &Subject, line: &DeltaLine) -> String {
        format!(
            "{}{}: {}",
            self.document_who(subject),
            self.on_tables(&line.fact.resources),
            line.change
        )
    }

    /// The source lines behind a change of `subject` that `fact` says:
    /// the grants of the principal (the document's, or those the statement
    /// names) on its tables, else the document's own lines.
    fn lines(&self, subject: &Subject, grantee: Option<&Grantee>, fact: &Fact) -> Vec<SourceRef> {
        let principals = match grantee {
            Some(Grantee::Named(principals)) => principals.as_slice(),
            _ if subject.kind == DocKind::Identity => subject.attach,
            _ => &[],
        };
        let tables: BTreeSet<String> = fact
            .resources
            .iter()
            .map(|r| table_arn(r).unwrap_or_else(|| "*".to_string()))
            .collect();
        // The grants of that effect in the compiled program, else in the
        // deployed one (what the source no longer has); then of either effect.
        let deny = fact.effect == "Deny";
        let mut found: BTreeSet<SourceRef> = BTreeSet::new();
        for exact in [true, false] {
            for program in self.programs() {
                for principal in principals {
                    for table in &tables {
                        found.extend(program.grant_lines(
                            principal,
                            table,
                            deny,
                            exact,
                            &fact.actions,
                        ));
                    }
                }
                if !found.is_empty() {
                    return found.into_iter().collect();
                }
            }
        }
        let doc = if subject.new_sources.is_empty() {
            subject.old_sources
        } else {
            subject.new_sources
        };
        found.extend(doc.iter().cloned());
        found.into_iter().collect()
    }
}

/// The table ARN of a DynamoDB table or of something below it.
fn table_arn(resource: &str) -> Option<String> {
    crate::iam::table_of(resource).map(|(table, _)| table)
}

/// What follows the last `/` (or `:`) of an ARN: a principal's or table's name.
fn last_segment(arn: &str) -> &str {
    arn.rsplit(['/', ':']).next().unwrap_or(arn)
}

#[cfg(test)]
mod tests {
    use super::{key_value, name_value, verbs};

    #[test]
    fn values_as_the_source_writes_them() {
        assert_eq!(
            key_value("ForAllValues:StringEquals", "ap-south"),
            "\"ap-south\""
        );
        assert_eq!(key_value("ForAllValues:NumericEquals", "7"), "7");
        assert_eq!(
            key_value("ForAllValues:StringLike", "tenant-42#*"),
            "\"tenant-42#\"*"
        );
        assert_eq!(key_value("ForAllValues:StringLike", "a${*}b*"), "\"a*b\"*");
        assert_eq!(
            key_value("ForAllValues:StringEquals", "${aws:userid}"),
            "${aws:userid}"
        );
        assert_eq!(name_value("Price"), "Price");
        assert_eq!(name_value("Sales Rank"), "\"Sales Rank\"");
    }

    #[test]
    fn actions_read_as_verbs() {
        let reads: Vec<String> = super::verb_sets(false)
            .iter()
            .find(|(verb, _)| *verb == crate::vocab::Verb::Read)
            .map(|(_, set)| set.iter().cloned().collect())
            .unwrap();
        assert_eq!(verbs(&reads, "Allow", false), "reads");
        let mut more = reads.clone();
        more.push("kms:decrypt".to_string());
        assert_eq!(verbs(&more, "Allow", false), "reads, kms:decrypt");
        assert_eq!(
            verbs(&["dynamodb:getitem".to_string()], "Allow", false),
            "dynamodb:getitem"
        );
        assert_eq!(verbs(&["*".to_string()], "Allow", false), "every action");
    }
}
