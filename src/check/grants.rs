//! Grants, denies and alerts: action sets from the catalogue, key sets,
//! attribute restrictions, network and time conditions, and their checks.

use super::names::Kind;
use super::values;
use super::{Checker, Ctx};
use crate::ast::{self, ClauseKind, GrantAction, KeyValue, Name, Spanned, TableTarget, Verb};
use crate::catalog::{verbs, Action};
use crate::diag::{suggest::did_you_mean, Code, Diagnostic};
use crate::model::{self, Attrs, Effect, KeyAttr, KeyKind, KeySet};
use crate::source::Span;
use std::collections::hash_map::{DefaultHasher, Entry};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// A grant's effect, its verbs as written, and its catalogue actions.
type GrantActions<'v> = (Effect, &'v [Spanned<Verb>], Vec<&'static Action>);

impl Checker<'_, '_, '_> {
    pub(super) fn grants(&mut self) {
        let p = self.program;
        // Identical grants compile to the same statements: each is kept
        // once (its first occurrence), and W0013 names the copies. Keyed by
        // a hash of everything a grant means (no text is built), confirmed
        // field by field, so the check is one hash per grant.
        let mut seen: HashMap<u64, usize> = HashMap::new();
        // Kept grants whose hash an earlier, different grant already has.
        let mut collided: Vec<usize> = Vec::new();
        let mut copies: Vec<(usize, usize, Vec<Span>)> = Vec::new();
        let mut copy_of: HashMap<usize, usize> = HashMap::new();
        for (grant, ctx) in &p.grants {
            let Some(g) = self.grant(grant, ctx) else {
                continue;
            };
            let hash = meaning_hash(&g);
            let kept = &self.model.grants;
            let same = |i: &usize| kept.get(*i).is_some_and(|k| same_meaning(k, &g));
            let first = match seen.get(&hash) {
                Some(i) if same(i) => Some(*i),
                Some(_) => collided.iter().copied().find(|i| same(i)),
                None => None,
            };
            match first {
                Some(i) => match copy_of.get(&i).and_then(|&c| copies.get_mut(c)) {
                    Some(c) => {
                        c.1 += 1;
                        if c.2.len() < 3 {
                            c.2.push(g.span);
                        }
                    }
                    None => {
                        copy_of.insert(i, copies.len());
                        copies.push((i, 1, vec![g.span]));
                    }
                },
                None => {
                    let index = self.model.grants.len();
                    match seen.entry(hash) {
                        Entry::Occupied(_) => collided.push(index),
                        Entry::Vacant(slot) => {
                            slot.insert(index);
                        }
                    }
                    self.model.grants.push(g);
                }
            }
        }
        for (i, count, spans) in copies {
            let Some(first) = self.model.grants.get(i).map(|g| g.span) else {
                continue;
            };
            let mut d = Diagnostic::new(
                Code::DuplicateGrant,
                spans.first().copied().unwrap_or(first),
                format!("this grant is written {} times", count + 1),
            )
            .label("the same grant again")
            .secondary(first, "first written here");
            for more in spans.iter().skip(1) {
                d = d.secondary(*more, "and again");
            }
            self.diags.push(
                d.note("identical grants compile to the same statements; dpol keeps the first")
                    .help("delete the copies"),
            );
        }
        self.cross_account_grants();
        for (alert, ctx) in &p.alerts {
            if let Some(a) = self.alert(alert, ctx) {
                self.model.alerts.push(a);
            }
        }
    }

    fn table_target(
        &mut self,
        target: Option<&TableTarget>,
        ctx: &Ctx,
        at: Span,
    ) -> Option<Option<usize>> {
        match target {
            Some(TableTarget::All(_)) => Some(None),
            Some(TableTarget::Named(name)) => self
                .lookup_or(name, &[Kind::Table], || {
                    format!("table {} in prod", name.node)
                })
                .map(|(_, i)| Some(i)),
            None => match ctx.last_table {
                Some(i) => Some(Some(i)),
                None => {
                    self.error(
                        Diagnostic::new(Code::NoTable, at, "this grant names no table, and no table is declared before it")
                            .label("which table?")
                            .help("name the table (`alice reads Orders`) or declare it above (`table Orders`)"),
                    );
                    None
                }
            },
        }
    }

    fn grant(&mut self, g: &ast::Grant, ctx: &Ctx) -> Option<model::Grant> {
        let principal = self
            .lookup_or(&g.principal, &[Kind::Principal], || {
                format!("user {} in prod", g.principal.node)
            })
            .map(|(_, i)| i);
        let table = self.table_target(g.table.as_ref(), ctx, g.principal.span);
        let (effect, verb_list, actions) = self.grant_actions(g, table.flatten().is_some())?;
        let verbs: Vec<Verb> = verb_list.iter().map(|v| v.node).collect();
        let table = table?;
        let principal = principal?;
        let mut grant = model::Grant {
            principal,
            effect,
            verbs: verbs.clone(),
            actions: actions.clone(),
            table,
            index: None,
            keys: None,
            attrs: None,
            via: Vec::new(),
            source_ips: Vec::new(),
            from: None,
            until: None,
            mfa: false,
            span: g.span,
        };
        let actions = self.index_clause(g, &mut grant, actions);
        grant.actions = actions.clone();
        self.clauses(g, &mut grant, &actions);
        if effect == Effect::Allow && verbs.contains(&Verb::Scale) {
            self.diags.push(
                Diagnostic::new(Code::UpdateTableIsBroad, g.span, "`scales` grants UpdateTable, which also changes indexes, encryption, streams and deletion protection")
                    .label("UpdateTable is all or nothing")
                    .note("IAM has no condition key that limits which settings an UpdateTable request changes: the same call deletes global secondary indexes, switches the encryption key, disables streams and turns off deletion protection")
                    .help("let Application Auto Scaling change capacity, or name the actions (`can UpdateTable, DescribeTable on TABLE`) to say that the principal may change all of them"),
            );
        }
        if effect == Effect::Allow && table.is_none() && verbs.contains(&Verb::Manage) {
            self.diags.push(
                Diagnostic::new(Code::FullAdmin, g.span, format!("`{}` may administer every DynamoDB table", g.principal.node))
                    .label("full administration of `*`")
                    .note("this includes deleting any table (rewriting resource policies and exporting tables still need `can`)")
                    .help("name the tables to manage (`admin manages Orders`), or grant narrower verbs on `*`"),
            );
        }
        Some(grant)
    }

    /// The grant's effect, verbs and catalogue actions.
    fn grant_actions<'v>(
        &mut self,
        g: &'v ast::Grant,
        one_table: bool,
    ) -> Option<GrantActions<'v>> {
        let (effect, verb_list) = match &g.action {
            GrantAction::Verbs(v) => (Effect::Allow, v.as_slice()),
            GrantAction::Deny(v) => (Effect::Deny, v.as_slice()),
            GrantAction::Actions(names) | GrantAction::DenyActions(names) => {
                let effect = match g.action {
                    GrantAction::DenyActions(_) => Effect::Deny,
                    _ => Effect::Allow,
                };
                let mut actions = Vec::new();
                for name in names {
                    actions.extend(self.actions_named(name, one_table)?);
                }
                return Some((effect, &[], dedup(actions)));
            }
        };
        // A verb set's actions depend on the verbs, the effect and `one_table`
        // only: computed once per program, not once per grant.
        // The sets are unions over the verbs, so the set of verbs (a bit
        // per verb) is the key.
        let verb_bits = verb_list
            .iter()
            .fold(0u16, |bits, v| bits | 1 << v.node as u16);
        let key = (effect == Effect::Deny, verb_bits, one_table);
        if let Some(actions) = self.verb_actions.get(&key) {
            return Some((effect, verb_list, actions.clone()));
        }
        let service = &self.catalog.dynamodb;
        let verbs: Vec<Verb> = verb_list.iter().map(|s| s.node).collect();
        let actions = if effect == Effect::Deny {
            verbs::deny_actions(service, &verbs, one_table)
        } else {
            verbs::allow_actions(service, &verbs, one_table)
        };
        self.verb_actions.insert(key, actions.clone());
        Some((effect, verb_list, actions))
    }

    /// `GetItem` or `Describe*` against the catalogue. On one table
    /// (`on_table`), patterns expand only to actions that act on a table
    /// (or its indexes, streams, backups, exports), and a name without a
    /// table resource is E0414: IAM could grant it only on `*`.
    pub(super) fn actions_named(
        &mut self,
        name: &Name,
        on_table: bool,
    ) -> Option<Vec<&'static Action>> {
        let service = &self.catalog.dynamodb;
        let bare = name.node.strip_prefix("dynamodb:").unwrap_or(&name.node);
        let pattern = bare.contains(['*', '?']);
        let mut found: Vec<&'static Action> = if pattern {
            service.matching(bare)
        } else {
            service.action(bare).into_iter().collect()
        };
        if on_table {
            if let [action] = found.as_slice() {
                if !pattern && action.resourceless() {
                    self.error(
                        Diagnostic::new(
                            Code::ActionNotOnTable,
                            name.span,
                            format!("`{}` does not act on a table", action.name),
                        )
                        .label("IAM grants it only on `\"Resource\": \"*\"`")
                        .note("granting it on one table would grant it for the whole account")
                        .help(format!(
                            "grant it on every table: `can {} on *`",
                            action.name
                        )),
                    );
                    return None;
                }
            }
            found.retain(|a| !a.resourceless());
        }
        if found.is_empty() {
            let d = Diagnostic::new(
                Code::UnknownAction,
                name.span,
                format!("unknown DynamoDB action `{bare}`"),
            )
            .label("not in the DynamoDB action catalogue");
            self.error(match did_you_mean(bare, service.names()) {
                // The fix keeps a written `dynamodb:` prefix.
                Some(close) => {
                    let prefix = &name.node[..name.node.len() - bare.len()];
                    d.did_you_mean(name.span, &format!("{prefix}{close}"))
                }
                None => d.help(
                    "the DynamoDB actions dpol knows are in data/iam-data/actions/dynamodb.json",
                ),
            });
            return None;
        }
        Some(found)
    }

    /// `index NAME`: resolves the index of the grant's table and keeps the
    /// actions that work on an index (E0416 when none does). Read before
    /// the other clauses, which check the remaining actions.
    fn index_clause(
        &mut self,
        g: &ast::Grant,
        grant: &mut model::Grant,
        actions: Vec<&'static Action>,
    ) -> Vec<&'static Action> {
        let Some((name, span)) = g.clauses.iter().find_map(|c| match &c.kind {
            ClauseKind::Index(name) => Some((name, c.span)),
            _ => None,
        }) else {
            return actions;
        };
        if grant.effect == Effect::Deny {
            return actions; // E0405, reported with the other clauses
        }
        let Some(table) = self.restricted_table(grant, span, "index") else {
            return actions;
        };
        let Some(i) = table.indexes.iter().position(|x| x.name == name.node) else {
            self.error(unknown_index(&table, name));
            return actions;
        };
        let on_index: Vec<&'static Action> = actions
            .iter()
            .copied()
            .filter(|a| a.resource_types.iter().any(|r| r.name == "index"))
            .collect();
        if on_index.is_empty() {
            self.error(
                Diagnostic::new(Code::IndexGrant, span, format!("none of this grant's actions works on index `{}`", name.node))
                    .label("no action on an index")
                    .secondary(g.span, "in this grant")
                    .note("Query, Scan, PartiQL SELECT and contributor insights work on indexes; reads and writes by key act on the table")
                    .help("grant `reads` or `scans` on the index, and the other verbs on the table"),
            );
            return actions;
        }
        grant.index = Some(i);
        on_index
    }

    fn clauses(&mut self, g: &ast::Grant, grant: &mut model::Grant, actions: &[&'static Action]) {
        let mut seen: Vec<(&'static str, Span)> = Vec::new();
        let mut via_span = None;
        let mut ip_span = None;
        for clause in &g.clauses {
            let keyword = match clause.kind {
                ClauseKind::Attrs(_) | ClauseKind::ExceptAttrs(_) => "attrs",
                _ => clause.kind.keyword(),
            };
            if let Some(&(_, first)) = seen.iter().find(|(k, _)| *k == keyword) {
                self.error(
                    Diagnostic::new(
                        Code::DuplicateClause,
                        clause.span,
                        format!("`{}` is given twice in one grant", clause.kind.keyword()),
                    )
                    .label("given again here")
                    .secondary(first, "first given here")
                    .help("merge the two into one clause"),
                );
                continue;
            }
            seen.push((keyword, clause.span));
            if grant.effect == Effect::Deny {
                self.error(
                    Diagnostic::new(Code::ConditionOnDeny, clause.span, format!("`cannot` takes no `{}` clause", clause.kind.keyword()))
                        .label("condition on a deny")
                        .note("a conditional deny fails open when a request lacks the condition's key")
                        .help("deny the whole table (`bob cannot read Payroll`) and grant narrower access separately"),
                );
                continue;
            }
            match &clause.kind {
                ClauseKind::Keys(set) => {
                    grant.keys = self.keys(g, grant, set, clause.span, actions)
                }
                ClauseKind::Attrs(names) => {
                    grant.attrs = self.attrs(g, grant, names, clause.span, actions, false)
                }
                ClauseKind::ExceptAttrs(names) => {
                    grant.attrs = self.attrs(g, grant, names, clause.span, actions, true);
                }
                ClauseKind::Index(_) => {} // read first, by `index_clause`
                ClauseKind::Via(name) => {
                    if let Some((network, region)) = self.network(name) {
                        if let Some(t) = grant.table {
                            self.same_region(name, region.as_deref(), t);
                        }
                        grant.via.push(network);
                    }
                    via_span = Some(clause.span);
                }
                ClauseKind::FromIp(cidrs) => {
                    for cidr in cidrs {
                        if self.valid(
                            cidr,
                            Code::BadCidr,
                            "IP address or CIDR block",
                            values::cidr,
                        ) {
                            grant.source_ips.push(cidr.node.clone());
                        }
                    }
                    grant.source_ips.sort();
                    grant.source_ips.dedup();
                    ip_span = Some(clause.span);
                }
                ClauseKind::Until(date) => grant.until = self.until(date),
                ClauseKind::From(date) => grant.from = self.from(date),
                ClauseKind::WithMfa => grant.mfa = true,
                // The grammar gives these to expectations only.
                ClauseKind::Outside | ClauseKind::At(_) => {}
            }
        }
        self.clause_combinations(g, grant, ip_span, via_span);
    }

    /// Clauses that cannot hold together: a `from … until` window with no
    /// instant in it, `from ip` with `via`.
    fn clause_combinations(
        &mut self,
        g: &ast::Grant,
        grant: &model::Grant,
        ip_span: Option<Span>,
        via_span: Option<Span>,
    ) {
        if let (Some(from), Some(until)) = (&grant.from, &grant.until) {
            if from >= until {
                let span = g
                    .clauses
                    .iter()
                    .find(|c| matches!(c.kind, ClauseKind::From(_)))
                    .map_or(g.span, |c| c.span);
                self.error(
                    Diagnostic::new(Code::EmptyWindow, span, format!("the time window from {from} until {until} contains no instant"))
                        .label("starts when it ends, or later")
                        .note("`from` is the first instant allowed, `until` a date's whole day or a time's instant")
                        .help("move `from` before `until`"),
                );
            }
        }
        if let (Some(ip), Some(via)) = (ip_span, via_span) {
            self.error(
                Diagnostic::new(Code::IpWithVia, ip, "`from ip` can never match together with `via`")
                    .label("aws:SourceIp is absent here")
                    .secondary(via, "requests come through a VPC endpoint")
                    .note("requests through a VPC endpoint carry no public source IP, so `aws:SourceIp` conditions never match them")
                    .help("keep `via` for traffic from the VPC and grant `from ip` in a separate line"),
            );
        }
    }

    /// `from DATE`: the start of that day, UTC; a time is that instant.
    fn from(&mut self, date: &Name) -> Option<String> {
        match values::date(&date.node) {
            Ok(stamp) => Some(stamp),
            Err(help) => {
                self.error(
                    Diagnostic::new(
                        Code::BadDate,
                        date.span,
                        format!("malformed date `{}`", date.node),
                    )
                    .label("not a date")
                    .help(help),
                );
                None
            }
        }
    }

    fn until(&mut self, date: &Name) -> Option<String> {
        match values::until(&date.node) {
            Ok(stamp) => {
                if stamp <= self.now {
                    self.diags.push(
                        Diagnostic::new(
                            Code::Expired,
                            date.span,
                            format!("this grant ended at {stamp}"),
                        )
                        .label("in the past")
                        .note(format!("it is now {}; the grant allows nothing", self.now))
                        .help("extend the date, or delete the grant"),
                    );
                }
                Some(stamp)
            }
            Err(help) => {
                self.error(
                    Diagnostic::new(
                        Code::BadDate,
                        date.span,
                        format!("malformed date `{}`", date.node),
                    )
                    .label("not a date")
                    .help(help),
                );
                None
            }
        }
    }

    /// Reports item restrictions on actions that cannot carry them; true when
    /// every item action of the grant carries `key`.
    fn carried_by_all(
        &mut self,
        g: &ast::Grant,
        span: Span,
        actions: &[&'static Action],
        key: &str,
        what: &str,
    ) -> bool {
        let item_actions: Vec<&&Action> =
            actions.iter().filter(|a| verbs::touches_items(a)).collect();
        let missing: Vec<&str> = item_actions
            .iter()
            .filter(|a| !a.has_key(key))
            .map(|a| a.name.as_str())
            .collect();
        if item_actions.is_empty() || !missing.is_empty() {
            let scan = missing.contains(&"Scan");
            let names = if missing.is_empty() {
                actions
                    .iter()
                    .map(|a| a.name.as_str())
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                missing.join(", ")
            };
            let mut d = Diagnostic::new(
                Code::KeysOnScan,
                span,
                format!("{names} cannot be restricted by {what}"),
            )
            .label(format!("`{key}` is never set for {names}"))
            .secondary(g.span, "in this grant");
            d = if scan {
                d.note("Scan ignores `dynamodb:LeadingKeys`: it reads every partition of the table, so a key restriction cannot limit it")
                    .help("grant `reads` with the key restriction, and `scans` only to principals that may read the whole table")
            } else {
                d.help(format!(
                    "remove the {what} restriction, or grant an action that carries it"
                ))
            };
            self.error(d);
            return false;
        }
        true
    }

    fn keys(
        &mut self,
        g: &ast::Grant,
        grant: &model::Grant,
        set: &ast::KeySet,
        span: Span,
        actions: &[&'static Action],
    ) -> Option<KeySet> {
        let table = self.restricted_table(grant, span, "key")?;
        if !self.carried_by_all(g, span, actions, "dynamodb:LeadingKeys", "partition key") {
            return None;
        }
        // On a global index the leading key is the index's partition key,
        // typed when it is one of the table's typed keys.
        let key = match grant.index.and_then(|i| table.indexes.get(i)) {
            Some(index) if !index.shares_partition_key() => index.keys.first().and_then(|k| {
                table
                    .partition
                    .iter()
                    .chain(table.sort.iter())
                    .find(|t| &t.name == k)
                    .cloned()
            }),
            _ => table.partition.clone(),
        };
        let key = LeadingKey {
            table: &table,
            key: key.as_ref(),
        };
        match set {
            ast::KeySet::Range { low, high } => self.key_range(&key, low, high, span),
            ast::KeySet::Values(values) => self.key_values(&key, values, span),
        }
    }

    /// The key set of an assertion's `keys` on table `t`'s partition key,
    /// checked as a grant's are.
    pub(super) fn assertion_keys(
        &mut self,
        t: usize,
        set: &ast::KeySet,
        span: Span,
    ) -> Option<KeySet> {
        let table = self.model.tables.get(t)?.clone();
        let key = LeadingKey {
            table: &table,
            key: table.partition.as_ref(),
        };
        match set {
            ast::KeySet::Range { low, high } => self.key_range(&key, low, high, span),
            ast::KeySet::Values(values) => self.key_values(&key, values, span),
        }
    }

    /// `keys LOW..HIGH`: numbers, on a numeric key, low below high.
    fn key_range(
        &mut self,
        key: &LeadingKey<'_>,
        low: &Spanned<KeyValue>,
        high: &Spanned<KeyValue>,
        span: Span,
    ) -> Option<KeySet> {
        let mut bound = |v: &Spanned<KeyValue>| match &v.node {
            KeyValue::Number(n) => n.parse::<f64>().ok().map(|f| (n.clone(), f)),
            _ => {
                self.error(
                    Diagnostic::new(
                        Code::VariableInRange,
                        v.span,
                        "a policy variable cannot bound a numeric range",
                    )
                    .label("not a number")
                    .note("IAM does not substitute policy variables in numeric condition operators")
                    .help("use a number, or `keys ${…}` alone to match the variable exactly"),
                );
                None
            }
        };
        let (low, high_v) = (bound(low), bound(high));
        let ((low_text, lo), (high_text, hi)) = (low?, high_v?);
        if key.kind().is_some_and(|k| k != KeyKind::Number) {
            self.key_mismatch(key, span, "a numeric range");
            return None;
        }
        if lo >= hi {
            self.error(
                Diagnostic::new(
                    Code::EmptyRange,
                    span,
                    format!("the range {low_text}..{high_text} contains no key"),
                )
                .label(if lo == hi {
                    "empty range"
                } else {
                    "inverted range"
                })
                .note("ranges are half-open: `100..200` means 100 <= key < 200")
                .help(if lo == hi {
                    "a range needs its upper bound above the lower one".to_string()
                } else {
                    format!("did you mean `{high_text}..{low_text}`?")
                }),
            );
            return None;
        }
        Some(KeySet::Range {
            low: low_text,
            high: high_text,
        })
    }

    /// `keys V, …`: numbers on a numeric key, or strings, prefixes and
    /// policy variables on a string key, never mixed.
    fn key_values(
        &mut self,
        key: &LeadingKey<'_>,
        values: &[Spanned<KeyValue>],
        span: Span,
    ) -> Option<KeySet> {
        let numbers = values.iter().all(|v| matches!(v.node, KeyValue::Number(_)));
        let any_number = values.iter().any(|v| matches!(v.node, KeyValue::Number(_)));
        if any_number && !numbers {
            self.error(
                Diagnostic::new(
                    Code::KeyTypeMismatch,
                    span,
                    "numbers and strings mixed in one key set",
                )
                .label("mixed key types")
                .help("a partition key has one type: quote every value, or none"),
            );
            return None;
        }
        for v in values {
            if let KeyValue::String(text) | KeyValue::Prefix(text) = &v.node {
                if !self.policy_text(
                    &Spanned {
                        node: text.clone(),
                        span: v.span,
                    },
                    "key value",
                ) {
                    return None;
                }
            }
            if let KeyValue::Variable(text) = &v.node {
                self.valid(
                    &Spanned {
                        node: text.clone(),
                        span: v.span,
                    },
                    Code::BadVariable,
                    "policy variable",
                    values::policy_variable,
                );
            }
        }
        if numbers {
            if key.kind().is_some_and(|k| k != KeyKind::Number) {
                self.key_mismatch(key, span, "numeric values");
                return None;
            }
            let mut list: Vec<String> = values.iter().map(|v| key_text(&v.node)).collect();
            list.sort();
            list.dedup();
            return Some(KeySet::Numbers(list));
        }
        let literal = values
            .iter()
            .any(|v| matches!(v.node, KeyValue::String(_) | KeyValue::Prefix(_)));
        if literal && key.kind() == Some(KeyKind::Number) {
            self.key_mismatch(key, span, "string values");
            return None;
        }
        let patterns = values.iter().any(|v| matches!(v.node, KeyValue::Prefix(_)));
        let mut list: Vec<String> = values
            .iter()
            .map(|v| match &v.node {
                KeyValue::Prefix(p) => format!("{}*", escape_like(p)),
                KeyValue::String(s) if patterns => escape_like(s),
                other => key_text(other),
            })
            .collect();
        list.sort();
        list.dedup();
        Some(if patterns {
            KeySet::Patterns(list)
        } else {
            KeySet::Strings(list)
        })
    }

    /// E0311: key values of the wrong type for the leading key.
    fn key_mismatch(&mut self, key: &LeadingKey<'_>, at: Span, found: &str) {
        let (name, kind) = key.key.map_or(("", ""), |k| {
            (
                k.name.as_str(),
                match k.kind {
                    KeyKind::String => "string",
                    KeyKind::Number => "number",
                    KeyKind::Binary => "binary",
                },
            )
        });
        let table = key.table;
        self.error(
            Diagnostic::new(Code::KeyTypeMismatch, at, format!("{found} on the {kind} key `{name}` of table `{}`", table.name))
                .label(format!("the key is a {kind}"))
                .secondary(table.span, "table declared here")
                .help(if kind == "number" {
                    "use a numeric range (`keys 100..200`) or numbers (`keys 1, 2`)"
                } else {
                    "use quoted strings (`keys \"us-east\"`), prefixes (`keys \"tenant-\"*`) or a policy variable"
                }),
        );
    }

    fn restricted_table(
        &mut self,
        grant: &model::Grant,
        span: Span,
        what: &str,
    ) -> Option<model::Table> {
        match grant.table.and_then(|t| self.model.tables.get(t)) {
            Some(t) => Some(t.clone()),
            None => {
                self.error(
                    Diagnostic::new(
                        Code::RestrictionOnAll,
                        span,
                        format!("a {what} restriction needs one table, not `*`"),
                    )
                    .label(format!("{what}s of which table?"))
                    .help("name the table the restriction is about"),
                );
                None
            }
        }
    }

    fn attrs(
        &mut self,
        g: &ast::Grant,
        grant: &model::Grant,
        names: &[Name],
        span: Span,
        actions: &[&'static Action],
        except: bool,
    ) -> Option<Attrs> {
        let table = self.restricted_table(grant, span, "attribute")?;
        if !self.carried_by_all(g, span, actions, "dynamodb:Attributes", "attribute") {
            return None;
        }
        let replacing: Vec<&str> = actions
            .iter()
            .filter(|a| {
                verbs::touches_items(a) && a.level_is("Write") && !a.name.contains("Update")
            })
            .map(|a| a.name.as_str())
            .collect();
        if !replacing.is_empty() {
            self.error(
                Diagnostic::new(Code::AttrsOnItemReplace, span, format!("an attribute restriction cannot limit {}", replacing.join(", ")))
                    .label("these actions replace or remove whole items")
                    .secondary(g.span, "in this grant")
                    .note("PutItem, DeleteItem and BatchWriteItem always replace the entire item, whatever attributes the request names")
                    .help("grant `updates` to change listed attributes in place, and `writes`/`deletes` without `attrs`"),
            );
            return None;
        }
        let mut declared: Vec<String> = table.key_attributes();
        declared.extend(table.attrs.iter().cloned());
        let mut ok = true;
        if !table.attrs.is_empty() {
            for name in names {
                ok &= self.known_attribute(&table.name, &declared, name);
            }
        }
        for name in names {
            ok &= self.policy_text(name, "attribute name");
        }
        let mut list: Vec<String> = names.iter().map(|n| n.node.clone()).collect();
        list.sort();
        list.dedup();
        if except {
            self.diags.push(
                Diagnostic::new(Code::AttributeDenyList, span, "an attribute deny-list lets every new attribute through")
                    .label("deny-list")
                    .note("AWS recommends allow-lists: an attribute added to the table later is readable by default under a deny-list")
                    .help(format!("list what may be read instead: `attrs {}`", allowed_hint(&table, &list))),
            );
            return ok.then_some(Attrs::Except(list));
        }
        if table.partition.is_none() {
            self.diags.push(
                Diagnostic::new(Code::NoKeyDeclared, span, format!("table `{}` declares no key, so its key attributes cannot be allowed", table.name))
                    .label("requests always name the key attributes")
                    .secondary(table.span, "table declared here")
                    .note("DynamoDB checks every attribute a request names, the key attributes included; without them every request is denied")
                    .help(format!("declare the key: `table {} {{ key id: number }}`", table.name)),
            );
        }
        ok.then_some(Attrs::Only(list))
    }

    fn alert(&mut self, a: &ast::AlertDecl, ctx: &Ctx) -> Option<model::Alert> {
        let mut actions = Vec::new();
        for name in &a.actions {
            for action in self.actions_named(name, false)? {
                if verbs::touches_items(action) || !action.level_is("Write") {
                    self.diags.push(
                        Diagnostic::new(Code::DataEventAlert, name.span, format!("`{}` is not a write management event", action.name))
                            .label("needs extra CloudTrail setup")
                            .note(if verbs::touches_items(action) {
                                "item operations are data events: the trail must log DynamoDB data events for the rule to see them"
                            } else {
                                "read-only management events reach EventBridge only when the rule is ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, which dpol sets"
                            })
                            .help("alert on write management events such as `DeleteTable` or `UpdateTable`"),
                    );
                }
                actions.push(action.name.clone());
            }
        }
        actions.sort();
        actions.dedup();
        // Without `for`, the rule watches every table.
        let table = match &a.table {
            Some(target) => self.table_target(Some(target), ctx, a.span),
            None => Some(None),
        };
        let target = values::alert_target_arn(&a.target.node);
        if let Err(help) = &target {
            self.error(
                Diagnostic::new(
                    Code::BadAlertTarget,
                    a.target.span,
                    format!("`{}` cannot receive alerts", a.target.node),
                )
                .label("not an SNS topic, SQS queue, Lambda function or event bus ARN")
                .help(help.clone()),
            );
        }
        let target = target.ok();
        if let Some(t) = &target {
            self.same_partition(t.partition, a.target.span, "the alert target");
        }
        let target_ok = target.is_some();
        let table = table?;
        let (account_id, region) = match table.and_then(|t| self.model.tables.get(t)) {
            Some(t) => (t.account_id.clone(), t.region.clone()),
            None => target
                .map(|t| (t.account.to_string(), t.region.to_string()))
                .unwrap_or_default(),
        };
        target_ok.then(|| model::Alert {
            actions,
            table,
            account_id,
            region,
            target: a.target.node.clone(),
            span: a.span,
        })
    }
}

/// E0201 for an index `table` does not declare, with a did-you-mean or the
/// declaration to add.
pub(super) fn unknown_index(table: &model::Table, name: &Name) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UnknownName,
        name.span,
        format!("table `{}` has no index `{}`", table.name, name.node),
    )
    .label("not an index of the table")
    .secondary(table.span, "table declared here");
    match did_you_mean(&name.node, table.indexes.iter().map(|x| x.name.as_str())) {
        Some(close) => d.did_you_mean(name.span, close),
        None => d.help(format!(
            "declare it in the table: `global index {} on ATTRIBUTE`",
            name.node
        )),
    }
}

/// What a grant means: every field but its span. Two grants with equal
/// meanings compile to the same statements (W0013).
#[derive(PartialEq, Eq, Hash)]
struct Meaning<'g> {
    principal: model::PrincipalIdx,
    effect: Effect,
    verbs: &'g [Verb],
    actions: ActionNames<'g>,
    table: Option<model::TableIdx>,
    index: Option<usize>,
    keys: &'g Option<KeySet>,
    attrs: &'g Option<Attrs>,
    via: &'g [model::Network],
    source_ips: &'g [String],
    from: &'g Option<String>,
    until: &'g Option<String>,
    mfa: bool,
}

impl<'g> Meaning<'g> {
    fn of(g: &'g model::Grant) -> Meaning<'g> {
        // Listed field by field, without `..`: a new field of `Grant` must
        // be placed here (or deliberately left out) to compile.
        let model::Grant {
            principal,
            effect,
            verbs,
            actions,
            table,
            index,
            keys,
            attrs,
            via,
            source_ips,
            from,
            until,
            mfa,
            span: _,
        } = g;
        Meaning {
            principal: *principal,
            effect: *effect,
            verbs,
            actions: ActionNames(actions),
            table: *table,
            index: *index,
            keys,
            attrs,
            via,
            source_ips,
            from,
            until,
            mfa: *mfa,
        }
    }
}

/// Catalogue actions compared and hashed by name.
struct ActionNames<'g>(&'g [&'static Action]);

impl PartialEq for ActionNames<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(other.0).all(|(a, b)| a.name == b.name)
    }
}

impl Eq for ActionNames<'_> {}

impl Hash for ActionNames<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        for a in self.0 {
            a.name.hash(h);
        }
    }
}

/// The hash of what a grant means (see [`Meaning`]).
fn meaning_hash(g: &model::Grant) -> u64 {
    let mut h = DefaultHasher::new();
    Meaning::of(g).hash(&mut h);
    h.finish()
}

/// True when two grants mean the same (they differ at most in their span).
fn same_meaning(a: &model::Grant, b: &model::Grant) -> bool {
    Meaning::of(a) == Meaning::of(b)
}

fn key_text(v: &KeyValue) -> String {
    match v {
        KeyValue::Number(s) | KeyValue::String(s) | KeyValue::Prefix(s) | KeyValue::Variable(s) => {
            s.clone()
        }
    }
}

/// Escapes IAM wildcard characters in a literal used with `StringLike`.
fn escape_like(s: &str) -> String {
    s.replace('$', "${$}")
        .replace('*', "${*}")
        .replace('?', "${?}")
}

fn allowed_hint(table: &model::Table, denied: &[String]) -> String {
    let allowed: Vec<&str> = table
        .attrs
        .iter()
        .filter(|a| !denied.contains(a))
        .map(String::as_str)
        .collect();
    if allowed.is_empty() {
        "Title, Price".to_string()
    } else {
        allowed.join(", ")
    }
}

fn dedup(mut actions: Vec<&'static Action>) -> Vec<&'static Action> {
    actions.sort_by(|a, b| a.name.cmp(&b.name));
    actions.dedup_by(|a, b| a.name == b.name);
    actions
}

/// The key a grant's `keys` restrict: the table's partition key, or a
/// global index's.
struct LeadingKey<'t> {
    table: &'t model::Table,
    /// `None` when the table declares no typed key of that name.
    key: Option<&'t KeyAttr>,
}

impl LeadingKey<'_> {
    fn kind(&self) -> Option<KeyKind> {
        self.key.map(|k| k.kind)
    }
}
