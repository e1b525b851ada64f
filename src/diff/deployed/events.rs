//! EventBridge: `aws events list-rules` or `describe-rule`, joined with
//! `list-targets-by-rule` for each rule.
//!
//! A rule becomes the document dpol compiles (`Name`, `EventPattern`,
//! `State`, `Targets`), plus what else decides when it fires or where it
//! delivers: `ScheduleExpression`, `RoleArn`, and `EventBusName` when it is
//! not the default bus (CloudTrail events reach only the default bus).
//! `Description`, `ManagedBy` and `CreatedBy` do not, and are left out. Its
//! attachment is `ACCOUNT/REGION` from its ARN.
//!
//! A targets list does not name its rule. It is joined by a wrapper member
//! `Rule` (`{"Rule": "dpol-alert-Orders-1", "Targets": […]}`), else by the
//! file name, which ends with the rule name
//! (`events-list-targets-by-rule-dpol-alert-Orders-1.json`; the longest
//! rule name that ends the file name wins), else, when the set holds exactly
//! one rule and one targets list, to that rule. A rule dpol manages
//! (`dpol-…`) without a targets list is an error: its targets would read as
//! none.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::diag::Diagnostic;
use crate::diff::arn::Arn;
use crate::diff::json_text::parse_json;
use crate::diff::origin_hint::file_stem;
use crate::iam::DocKind;
use crate::iam::Document;
use crate::json::JsonPath;
use crate::json::{as_array, as_object, optional_str, required, required_str};
use crate::json::{InputProblem, Problem};

/// The prefix of the rules dpol writes.
const MANAGED_PREFIX: &str = "dpol-";
/// The bus a rule is on when the output does not say.
const DEFAULT_BUS: &str = "default";

/// The rules and targets lists of one set of files, until they are joined.
#[derive(Default)]
pub(super) struct RuleSet<'a> {
    /// (bus, rule name) → the rule, without targets yet.
    rules: BTreeMap<(String, String), Rule>,
    /// The names of `rules`, on any bus, to find them in file names.
    names: BTreeSet<String>,
    targets: Vec<Targets<'a>>,
}

struct Rule {
    doc: Document,
    /// Where the rule was read (file and JSON path), for errors.
    at: String,
}

struct Targets<'a> {
    origin: &'a str,
    rule: Option<String>,
    bus: Option<String>,
    targets: Vec<Value>,
}

/// Whether `top` is a `list-targets-by-rule` output rather than
/// Organizations' `list-targets-for-policy`: its targets have an `Id`, or it
/// is wrapped with the rule's name. `None` for a bare empty list, which
/// could be either.
pub(super) fn is_rule_targets(top: &Map<String, Value>) -> Option<bool> {
    if top.contains_key("Rule") {
        return Some(true);
    }
    if top.contains_key("PolicyId") {
        return Some(false);
    }
    let first = top.get("Targets")?.as_array()?.first()?;
    Some(first.get("Id").is_some() && first.get("TargetId").is_none())
}

/// Whether `top` is a `describe-rule` output.
pub(super) fn is_describe_rule(top: &Map<String, Value>) -> bool {
    top.contains_key("Name")
        && top
            .get("Arn")
            .and_then(Value::as_str)
            .and_then(Arn::parse)
            .is_some_and(|arn| arn.service == "events" && arn.resource.starts_with("rule/"))
}

impl<'a> RuleSet<'a> {
    /// Adds a `list-rules` output.
    pub(super) fn add_list(
        &mut self,
        top: &Map<String, Value>,
        origin: &str,
    ) -> Result<(), Problem> {
        let rules_at = JsonPath::ROOT.key("Rules");
        for (i, rule) in as_array(required(top, "Rules", &JsonPath::ROOT)?, &rules_at)?
            .iter()
            .enumerate()
        {
            let rule_at = rules_at.index(i);
            self.add_rule(as_object(rule, &rule_at)?, &rule_at, origin)?;
        }
        Ok(())
    }

    /// Adds a `describe-rule` output.
    pub(super) fn add_described(
        &mut self,
        top: &Map<String, Value>,
        origin: &str,
    ) -> Result<(), Problem> {
        self.add_rule(top, &JsonPath::ROOT, origin)
    }

    fn add_rule(
        &mut self,
        rule: &Map<String, Value>,
        at: &JsonPath,
        origin: &str,
    ) -> Result<(), Problem> {
        let name = required_str(rule, "Name", at)?;
        let arn = required_str(rule, "Arn", at)?;
        let parsed = Arn::parse(arn)
            .filter(|p| p.service == "events" && p.resource.starts_with("rule/"))
            .ok_or_else(|| {
                Problem::new(
                    InputProblem::InvalidValue,
                    &at.key("Arn"),
                    format!("`{arn}` is not an EventBridge rule ARN"),
                )
            })?;
        let bus = optional_str(rule, "EventBusName", at)?.unwrap_or(DEFAULT_BUS);
        let mut document = Map::new();
        document.insert("Name".into(), Value::from(name));
        if let Some(pattern) = rule.get("EventPattern") {
            let pattern_at = at.key("EventPattern");
            let pattern = match pattern {
                Value::String(text) => parse_json(
                    text,
                    &pattern_at,
                    InputProblem::EmbeddedNotJson,
                    "the event pattern text",
                )?,
                other => other.clone(),
            };
            as_object(&pattern, &pattern_at)?;
            document.insert("EventPattern".into(), pattern);
        }
        for key in ["State", "ScheduleExpression", "RoleArn"] {
            if let Some(value) = optional_str(rule, key, at)? {
                document.insert(key.into(), Value::from(value));
            }
        }
        if bus != DEFAULT_BUS {
            document.insert("EventBusName".into(), Value::from(bus));
        }
        if !document.contains_key("EventPattern") && !document.contains_key("ScheduleExpression") {
            return Err(Problem::new(
                InputProblem::MissingField,
                &at.key("EventPattern"),
                "a rule with neither `EventPattern` nor `ScheduleExpression`",
            ));
        }
        let doc = Document {
            kind: DocKind::EventRule,
            name: name.to_string(),
            attach: vec![format!("{}/{}", parsed.account, parsed.region)],
            document: Value::Object(document),
            origin: format!("{origin}: {at}"),
            sources: Vec::new(),
        };
        let key = (bus.to_string(), name.to_string());
        match self.rules.get(&key) {
            // The same rule from `list-rules` and `describe-rule`.
            Some(seen) if seen.doc.document == doc.document && seen.doc.attach == doc.attach => {}
            Some(seen) => {
                return Err(Problem::new(
                    InputProblem::InvalidValue,
                    at,
                    format!(
                        "rule `{name}` is read twice and differs from {}: capture both outputs at the same time",
                        seen.at
                    ),
                ))
            }
            None => {
                let at = format!("{origin}: {at}");
                self.names.insert(name.to_string());
                self.rules.insert(key, Rule { doc, at });
            }
        }
        Ok(())
    }

    /// Adds a `list-targets-by-rule` output.
    pub(super) fn add_targets(
        &mut self,
        top: &Map<String, Value>,
        origin: &'a str,
    ) -> Result<(), Problem> {
        let root = JsonPath::ROOT;
        let targets_at = root.key("Targets");
        let targets = as_array(required(top, "Targets", &root)?, &targets_at)?;
        for (i, target) in targets.iter().enumerate() {
            let target_at = targets_at.index(i);
            let target = as_object(target, &target_at)?;
            required_str(target, "Id", &target_at)?;
            required_str(target, "Arn", &target_at)?;
        }
        self.targets.push(Targets {
            origin,
            rule: optional_str(top, "Rule", &root)?.map(str::to_string),
            bus: optional_str(top, "EventBusName", &root)?.map(str::to_string),
            targets: targets.to_vec(),
        });
        Ok(())
    }

    /// Whether an ambiguous empty targets list in `origin` belongs to a rule
    /// of this set (by its file name).
    pub(super) fn claims(&self, origin: &str) -> bool {
        self.rule_in_file_name(origin).is_some()
    }

    /// The name of the longest rule that ends the file name of `origin`:
    /// each ending of the name is looked up once, longest first.
    fn rule_in_file_name(&self, origin: &str) -> Option<&str> {
        let stem = file_stem(origin);
        stem.char_indices()
            .map(|(at, _)| &stem[at..])
            .find_map(|ending| self.names.get(ending).map(String::as_str))
    }

    /// The rules with their targets, sorted.
    pub(super) fn join(mut self) -> Result<Vec<Document>, Diagnostic> {
        let only_pair = self.rules.len() == 1 && self.targets.len() == 1;
        let mut joined: BTreeMap<(String, String), &str> = BTreeMap::new();
        let targets = std::mem::take(&mut self.targets);
        for list in targets {
            let name = list
                .rule
                .clone()
                .or_else(|| self.rule_in_file_name(list.origin).map(str::to_string))
                .or_else(|| {
                    self.rules
                        .keys()
                        .next()
                        .filter(|_| only_pair)
                        .map(|(_, name)| name.clone())
                });
            let Some(name) = name else {
                return Err(unjoined(None).in_file(list.origin));
            };
            let bus = list.bus.unwrap_or_else(|| DEFAULT_BUS.to_string());
            let key = (bus, name);
            let Some(rule) = self.rules.get_mut(&key) else {
                return Err(unjoined(Some(&key.1)).in_file(list.origin));
            };
            if let Some(first) = joined.insert(key.clone(), list.origin) {
                return Err(Problem::new(
                    InputProblem::InvalidValue,
                    &JsonPath::ROOT.key("Targets"),
                    format!("rule `{}` has a targets list in `{first}` already", key.1),
                )
                .in_file(list.origin));
            }
            if let Value::Object(document) = &mut rule.doc.document {
                document.insert("Targets".into(), Value::Array(list.targets));
            }
        }
        let mut docs = Vec::new();
        for (key, rule) in self.rules {
            if rule.doc.name.starts_with(MANAGED_PREFIX) && !joined.contains_key(&key) {
                return Err(crate::diff::error::input_error(
                    InputProblem::Incomplete,
                    &rule.doc.origin,
                    &JsonPath::ROOT.to_string(),
                    &format!(
                        "rule `{}` has no `aws events list-targets-by-rule --rule {}` output in this set, \
                         so its targets are not known: add it (name the file after the rule)",
                        rule.doc.name, rule.doc.name
                    ),
                ));
            }
            docs.push(rule.doc);
        }
        Ok(docs)
    }
}

fn unjoined(rule: Option<&str>) -> Problem {
    let at = JsonPath::ROOT.key("Targets");
    let message = match rule {
        Some(name) => format!(
            "these targets belong to rule `{name}`, but no `list-rules` or `describe-rule` output has it"
        ),
        None => "cannot tell which rule these targets belong to: end the file name with the rule name \
                 (`events-list-targets-by-rule-dpol-alert-Orders-1.json`) or wrap it as \
                 {\"Rule\": \"NAME\", \"Targets\": […]}"
            .to_string(),
    };
    Problem::new(InputProblem::UnresolvedAttachment, &at, message)
}
