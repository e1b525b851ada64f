//! Grants, denies and alerts: action sets from the catalogue, key sets,
//! attribute restrictions, network and time conditions, and their checks.

mod report;

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
            self.diags
                .push(report::duplicate_grant(first, count, &spans));
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
                    self.error(report::no_table(at));
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
            self.diags.push(report::scales_is_broad(g.span));
        }
        if effect == Effect::Allow && table.is_none() && verbs.contains(&Verb::Manage) {
            self.diags.push(report::full_admin(g));
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
                    self.error(report::action_not_on_table(name, action));
                    return None;
                }
            }
            found.retain(|a| !a.resourceless());
        }
        if found.is_empty() {
            self.error(report::unknown_action(name, bare, service.names()));
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
            self.error(report::index_grant(g, name, span));
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
                self.error(report::duplicate_clause(clause, first));
                continue;
            }
            seen.push((keyword, clause.span));
            if grant.effect == Effect::Deny {
                self.error(report::condition_on_deny(clause));
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
                self.error(report::empty_window(span, from, until));
            }
        }
        if let (Some(ip), Some(via)) = (ip_span, via_span) {
            self.error(report::ip_with_via(ip, via));
        }
    }

    /// `from DATE`: the start of that day, UTC; a time is that instant.
    fn from(&mut self, date: &Name) -> Option<String> {
        match values::date(&date.node) {
            Ok(stamp) => Some(stamp),
            Err(help) => {
                self.error(report::bad_date(date, help));
                None
            }
        }
    }

    fn until(&mut self, date: &Name) -> Option<String> {
        match values::until(&date.node) {
            Ok(stamp) => {
                if stamp <= self.now {
                    self.diags.push(report::expired(date, &stamp, &self.now));
                }
                Some(stamp)
            }
            Err(help) => {
                self.error(report::bad_date(date, help));
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
            self.error(report::keys_on_scan(g, span, &names, key, what, scan));
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
                self.error(report::variable_in_range(v.span));
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
            self.error(report::empty_range(span, &low_text, &high_text, lo == hi));
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
            self.error(report::mixed_key_types(span));
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
        self.error(report::key_mismatch(table, name, kind, at, found));
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
                self.error(report::restriction_on_all(span, what));
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
            self.error(report::attrs_on_item_replace(g, span, &replacing));
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
            self.diags
                .push(report::attribute_deny_list(span, &table, &list));
            return ok.then_some(Attrs::Except(list));
        }
        if table.partition.is_none() {
            self.diags.push(report::no_key_declared(span, &table));
        }
        ok.then_some(Attrs::Only(list))
    }

    fn alert(&mut self, a: &ast::AlertDecl, ctx: &Ctx) -> Option<model::Alert> {
        let mut actions = Vec::new();
        for name in &a.actions {
            for action in self.actions_named(name, false)? {
                if verbs::touches_items(action) || !action.level_is("Write") {
                    self.diags.push(report::data_event_alert(name, action));
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
            self.error(report::bad_alert_target(a, help.clone()));
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
