//! Name tables: one namespace per kind of declaration, duplicates reported,
//! lookups with "did you mean" and the line to add.

use std::collections::{BTreeSet, HashMap};

use super::{Checker, Program};
use crate::ast::Name;
use crate::diag::{suggest::did_you_mean, Code, Diagnostic, Diagnostics};
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Ou,
    Account,
    Vpc,
    Endpoint,
    Principal,
    Table,
}

impl Kind {
    /// The noun with its article: "an account", "a table".
    pub fn with_article(self) -> String {
        let noun = self.noun();
        let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {noun}")
    }

    pub fn noun(self) -> &'static str {
        match self {
            Kind::Ou => "organizational unit",
            Kind::Account => "account",
            Kind::Vpc => "VPC",
            Kind::Endpoint => "endpoint",
            Kind::Principal => "principal",
            Kind::Table => "table",
        }
    }
}

const KINDS: [Kind; 6] = [
    Kind::Ou,
    Kind::Account,
    Kind::Vpc,
    Kind::Endpoint,
    Kind::Principal,
    Kind::Table,
];

/// Name → index of its declaration in [`Program`]'s list of that kind.
/// Looked up by hash; kept in name order too, for suggestions that do not
/// depend on hash order.
#[derive(Default)]
pub struct Names<'a> {
    tables: [HashMap<&'a str, (usize, Span)>; 6],
    sorted: [BTreeSet<&'a str>; 6],
}

impl<'a> Names<'a> {
    pub fn collect(program: &Program<'a>, diags: &mut Diagnostics) -> Names<'a> {
        let mut names = Names::default();
        let mut add = |kind: Kind, i: usize, name: &'a Name| {
            let table = &mut names.tables[kind as usize];
            if let Some(&(_, first)) = table.get(name.node.as_str()) {
                diags.push(defined_twice(kind, name, first));
            } else {
                table.insert(name.node.as_str(), (i, name.span));
                names.sorted[kind as usize].insert(name.node.as_str());
            }
        };
        for (i, d) in program.ous.iter().enumerate() {
            add(Kind::Ou, i, &d.name);
        }
        for (i, d) in program.accounts.iter().enumerate() {
            add(Kind::Account, i, &d.name);
        }
        for (i, (d, _)) in program.vpcs.iter().enumerate() {
            add(Kind::Vpc, i, &d.name);
        }
        for (i, (d, _)) in program.endpoints.iter().enumerate() {
            add(Kind::Endpoint, i, &d.name);
        }
        for (i, d) in program.principals.iter().enumerate() {
            add(Kind::Principal, i, &d.name);
        }
        for (i, (d, _)) in program.tables.iter().enumerate() {
            add(Kind::Table, i, &d.name);
        }
        names
    }

    pub fn get(&self, kind: Kind, name: &str) -> Option<usize> {
        self.tables[kind as usize].get(name).map(|&(i, _)| i)
    }

    fn names_of(&self, kind: Kind) -> impl Iterator<Item = &'a str> + '_ {
        self.sorted[kind as usize].iter().copied()
    }
}

impl Checker<'_, '_, '_> {
    /// Resolves `name` to one of `kinds`, reporting unknown, ambiguous and
    /// wrong-kind names. `declare` is the line to add when nothing is close.
    pub(super) fn lookup(
        &mut self,
        name: &Name,
        kinds: &[Kind],
        declare: &str,
    ) -> Option<(Kind, usize)> {
        self.lookup_or(name, kinds, || declare.to_string())
    }

    /// [`Self::lookup`] with the line to add built only when it is needed
    /// (the lookups of every grant).
    pub(super) fn lookup_or(
        &mut self,
        name: &Name,
        kinds: &[Kind],
        declare: impl FnOnce() -> String,
    ) -> Option<(Kind, usize)> {
        let mut found = kinds
            .iter()
            .filter_map(|&k| self.names.get(k, &name.node).map(|i| (k, i)));
        match (found.next(), found.next()) {
            (Some(one), None) => return Some(one),
            (Some(first), Some(second)) => {
                self.error(ambiguous_name(name, first.0, second.0));
                return None;
            }
            (None, _) => {}
        }
        let wanted = kinds
            .iter()
            .map(|k| k.noun())
            .collect::<Vec<_>>()
            .join(" or ");
        let wanted_article = kinds
            .iter()
            .map(|k| k.with_article())
            .collect::<Vec<_>>()
            .join(" or ");
        if let Some(other) = KINDS
            .iter()
            .find(|&&k| !kinds.contains(&k) && self.names.get(k, &name.node).is_some())
        {
            self.error(wrong_kind(name, *other, &wanted_article));
            return None;
        }
        let close = self.closest(name, kinds);
        let message = format!("unknown {wanted} `{}`", name.node);
        // One diagnostic per missing declaration: its later uses are
        // secondary labels, each with its own fix.
        if let Some(&first) = self.unknown_names.get(&message) {
            if let Some(unknown) = self.unknown.get_mut(first) {
                unknown.also_used(name.span, close);
            }
            return None;
        }
        let d = unknown_name(name, message.clone(), close, declare);
        self.unknown_names.insert(message, self.unknown.len());
        self.unknown.push(super::Unknown::new(d));
        None
    }
}

impl<'a> Checker<'a, '_, '_> {
    /// The declared name of one of `kinds` closest to unknown `name`; the
    /// same unknown name is often used many times, so each is looked up once.
    fn closest(&mut self, name: &Name, kinds: &[Kind]) -> Option<&'a str> {
        let key = (
            kinds.iter().fold(0u8, |m, &k| m | 1 << (k as u8)),
            name.node.clone(),
        );
        if let Some(close) = self.suggestions.get(&key) {
            return *close;
        }
        let names = &self.names;
        let close = did_you_mean(&name.node, kinds.iter().flat_map(|&k| names.names_of(k)));
        self.suggestions.insert(key, close);
        close
    }
}

/// E0202: a name defined twice as one kind.
fn defined_twice(kind: Kind, name: &Name, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateDefinition,
        name.span,
        format!("{} `{}` is defined twice", kind.noun(), name.node),
    )
    .label("defined again here")
    .secondary(first, "first defined here")
    .help("remove one of the definitions, or rename one")
}

/// E0209: a name declared as two of the kinds a use accepts.
fn ambiguous_name(name: &Name, first: Kind, second: Kind) -> Diagnostic {
    Diagnostic::new(
        Code::AmbiguousName,
        name.span,
        format!(
            "`{}` is both {} and {}",
            name.node,
            first.with_article(),
            second.with_article()
        ),
    )
    .label("ambiguous name")
    .help("rename one of the two declarations so that each name means one thing")
}

/// E0203: a name declared as another kind than its use wants.
fn wrong_kind(name: &Name, other: Kind, wanted_article: &str) -> Diagnostic {
    Diagnostic::new(
        Code::WrongKind,
        name.span,
        format!(
            "`{}` is {}, not {wanted_article}",
            name.node,
            other.with_article()
        ),
    )
    .label(format!("expected {wanted_article}"))
}

/// E0201: the first use of an undeclared name, with the closest declared
/// name or the declaration to add (its later uses are added by
/// [`super::Unknown::also_used`]).
fn unknown_name(
    name: &Name,
    message: String,
    close: Option<&str>,
    declare: impl FnOnce() -> String,
) -> Diagnostic {
    let d = Diagnostic::new(Code::UnknownName, name.span, message).label("not declared");
    match close {
        Some(close) => d.did_you_mean(name.span, close),
        None => d.help(format!("declare it: `{}`", declare())),
    }
}
