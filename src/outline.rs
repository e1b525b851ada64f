//! What a program declares, and where it names each declaration: the
//! index behind the language server's outline, go-to-definition, references
//! and rename (`dpol lsp`).
//!
//! Built from the syntax tree alone, so it works while the program has
//! semantic errors; in a file that does not parse, the statements that do
//! still count (a line being typed does not hide the rest of its file). Names are
//! matched by their text: the language has one namespace for tables,
//! principals, accounts, OUs, VPCs and endpoints (a name that means two
//! things is E0209). Attribute, index and action names are not in it (a table's attributes are
//! listed apart, for completion).

use crate::ast::{
    Assert, ClauseKind, EndpointRule, Item, Name, PrincipalKind, TableItem, TableTarget,
};
use crate::source::{FileId, SourceMap, Span};

/// What a declaration declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    /// `ou production = ou-…`
    Ou,
    /// `account prod = 111122223333`
    Account,
    /// `vpc prodvpc = vpc-…`
    Vpc,
    /// `endpoint gw = vpce-…`
    Endpoint,
    /// `user alice`
    User,
    /// `role App`, and the roles of `breakglass role`, `exempt role`, `deployer role`
    Role,
    /// `group analysts`
    Group,
    /// `table Orders`
    Table,
}

impl SymbolKind {
    /// The keyword that declares it.
    pub fn keyword(self) -> &'static str {
        match self {
            SymbolKind::Ou => "ou",
            SymbolKind::Account => "account",
            SymbolKind::Vpc => "vpc",
            SymbolKind::Endpoint => "endpoint",
            SymbolKind::User => "user",
            SymbolKind::Role => "role",
            SymbolKind::Group => "group",
            SymbolKind::Table => "table",
        }
    }
}

/// One declaration.
#[derive(Clone, Debug)]
pub struct Declaration {
    /// The declared name.
    pub name: String,
    /// What it declares.
    pub kind: SymbolKind,
    /// Where the name is written in the declaration.
    pub name_span: Span,
    /// The whole declaration statement.
    pub span: Span,
}

/// A place where a declared name is used.
#[derive(Clone, Debug)]
pub struct Reference {
    /// The name as written.
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// A program's declarations and references, in source order per file.
#[derive(Clone, Debug, Default)]
pub struct Outline {
    /// Every declaration.
    pub declarations: Vec<Declaration>,
    /// Every use of a name in a place that names a declaration.
    pub references: Vec<Reference>,
    /// Each table's declared attributes (keys first): `(table, attribute)`.
    pub attributes: Vec<(String, String)>,
}

impl Outline {
    /// The name written at byte `offset` of `file` (a declaration's or a
    /// reference's), if any.
    pub fn name_at(&self, file: FileId, offset: usize) -> Option<&str> {
        // At the name, or just after its last character (where a cursor
        // that has typed it stands).
        let hit = |span: Span| {
            span.file == file && (span.range().contains(&offset) || span.end as usize == offset)
        };
        self.declarations
            .iter()
            .find(|d| hit(d.name_span))
            .map(|d| d.name.as_str())
            .or_else(|| {
                self.references
                    .iter()
                    .find(|r| hit(r.span))
                    .map(|r| r.name.as_str())
            })
    }

    /// The declarations of `name`.
    pub fn declarations_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Declaration> {
        self.declarations.iter().filter(move |d| d.name == name)
    }

    /// Every place `name` is written: its declarations' names, then its
    /// references.
    pub fn occurrences(&self, name: &str) -> Vec<Span> {
        let decls = self.declarations_of(name).map(|d| d.name_span);
        let refs = self
            .references
            .iter()
            .filter(|r| r.name == name)
            .map(|r| r.span);
        decls.chain(refs).collect()
    }
}

/// The outline of every file of `sources`; in a file that does not parse,
/// of the statements that do.
pub fn outline(sources: &SourceMap) -> Outline {
    let mut out = Outline::default();
    for (id, source) in sources.files() {
        for item in &crate::syntax::parse_tolerant(id, &source.text).items {
            add_item(&mut out, item);
        }
    }
    out
}

fn declare(out: &mut Outline, kind: SymbolKind, name: &Name, span: Span) {
    out.declarations.push(Declaration {
        name: name.node.clone(),
        kind,
        name_span: name.span,
        span,
    });
}

fn refer(out: &mut Outline, name: &Name) {
    out.references.push(Reference {
        name: name.node.clone(),
        span: name.span,
    });
}

fn refer_all<'a>(out: &mut Outline, names: impl IntoIterator<Item = &'a Name>) {
    for name in names {
        refer(out, name);
    }
}

fn refer_table(out: &mut Outline, target: Option<&TableTarget>) {
    if let Some(TableTarget::Named(name)) = target {
        refer(out, name);
    }
}

fn principal_kind(kind: PrincipalKind) -> SymbolKind {
    match kind {
        PrincipalKind::User => SymbolKind::User,
        PrincipalKind::Role => SymbolKind::Role,
        PrincipalKind::Group => SymbolKind::Group,
    }
}

fn add_item(out: &mut Outline, item: &Item) {
    match item {
        Item::Org(_) | Item::Region(_) => {}
        Item::Ou(d) => declare(out, SymbolKind::Ou, &d.name, d.span),
        Item::Account(d) => {
            declare(out, SymbolKind::Account, &d.name, d.span);
            refer_all(out, &d.ou);
        }
        Item::Vpc(d) => {
            declare(out, SymbolKind::Vpc, &d.name, d.span);
            refer_all(out, &d.account);
        }
        Item::Endpoint(d) => {
            declare(out, SymbolKind::Endpoint, &d.name, d.span);
            refer_all(out, &d.vpc);
            for rule in d.rules.iter().flatten() {
                match rule {
                    EndpointRule::Allow { target, .. } => refer_table(out, Some(target)),
                    EndpointRule::OnlyPrincipal { name, .. }
                    | EndpointRule::OnlyAccount { name, .. } => {
                        refer(out, name);
                    }
                    EndpointRule::FromGrants { .. } | EndpointRule::OnlyOrg { .. } => {}
                }
            }
        }
        Item::Principal(d) => {
            declare(out, principal_kind(d.kind), &d.name, d.span);
            refer_all(out, &d.account);
        }
        Item::Table(d) => {
            declare(out, SymbolKind::Table, &d.name, d.span);
            for item in &d.items {
                let names = match item {
                    TableItem::Key { name, .. } | TableItem::Sort { name, .. } => {
                        std::slice::from_ref(name)
                    }
                    TableItem::Attrs { names, .. } => names.as_slice(),
                    TableItem::Index { .. }
                    | TableItem::Kms { .. }
                    | TableItem::Replicas { .. } => &[],
                };
                for attr in names {
                    out.attributes
                        .push((d.name.node.clone(), attr.node.clone()));
                }
            }
            refer_all(out, &d.account);
            if let Some(private) = &d.private {
                refer_all(out, private.to.iter().chain(&private.scope));
            }
        }
        Item::AllTables(d) => refer_all(out, d.private.to.iter().chain(&d.private.scope)),
        Item::PerimeterRole(d) => {
            declare(out, SymbolKind::Role, &d.name, d.span);
            refer_all(out, d.account.iter().chain(&d.managed_by));
        }
        Item::Alert(d) => refer_table(out, d.table.as_ref()),
        Item::Grant(g) => {
            refer(out, &g.principal);
            refer_table(out, g.table.as_ref());
            refer_vias(out, g.clauses.iter().map(|c| &c.kind));
        }
        Item::Expect(e) => {
            refer(out, &e.principal);
            refer_table(out, e.table.as_ref());
            refer_vias(out, e.clauses.iter().map(|c| &c.kind));
        }
        Item::Assert(a) => match a {
            Assert::Only { allowed, table, .. } => {
                refer_all(out, allowed);
                refer_table(out, Some(table));
            }
            Assert::CanOnly {
                principal, table, ..
            } => {
                refer(out, principal);
                refer_table(out, Some(table));
            }
            Assert::Via {
                table, via, except, ..
            } => {
                refer(out, table);
                refer_all(out, via.iter().chain(except));
            }
        },
    }
}

fn refer_vias<'a>(out: &mut Outline, clauses: impl Iterator<Item = &'a ClauseKind>) {
    for clause in clauses {
        if let ClauseKind::Via(name) = clause {
            refer(out, name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline_of(text: &str) -> (Outline, SourceMap) {
        let mut sources = SourceMap::new();
        sources.add("a.dpol", None, text.to_string());
        (outline(&sources), sources)
    }

    #[test]
    fn declarations_and_references_of_every_kind() {
        let text = "ou prod = ou-ab12-34cd5678\naccount a = 111122223333 in prod\nvpc v = vpc-0abc1234def567890 in a\n\
                    endpoint e = vpce-11aa22bb in v { allow T; only role R; only account a }\n\
                    table T in a private to v in prod\nrole R in a\nbreakglass role B in a managed by R\n\
                    R reads T via e\nexpect R can read T via e\nassert T only via v except B\nalert on DeleteTable for T to arn:aws:sns:us-east-1:111122223333:x\n";
        let (o, sources) = outline_of(text);
        let names: Vec<(&str, SymbolKind)> = o
            .declarations
            .iter()
            .map(|d| (d.name.as_str(), d.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("prod", SymbolKind::Ou),
                ("a", SymbolKind::Account),
                ("v", SymbolKind::Vpc),
                ("e", SymbolKind::Endpoint),
                ("T", SymbolKind::Table),
                ("R", SymbolKind::Role),
                ("B", SymbolKind::Role),
            ]
        );
        let count = |n: &str| o.occurrences(n).len();
        assert_eq!(count("T"), 6, "{:?}", o.occurrences("T"));
        assert_eq!(count("R"), 5);
        assert_eq!(count("prod"), 3);
        assert_eq!(count("a"), 6);
        assert_eq!(count("v"), 4);
        assert_eq!(count("e"), 3);
        for span in o.occurrences("T") {
            assert_eq!(sources.slice(span), "T");
        }
        let at = text.find("R reads").unwrap();
        assert_eq!(o.name_at(FileId(0), at), Some("R"));
        assert_eq!(
            o.name_at(FileId(0), at + 1),
            Some("R"),
            "at the end of the name"
        );
        assert_eq!(o.name_at(FileId(0), at + 3), None, "on the verb");
    }

    #[test]
    fn in_a_file_that_does_not_parse_the_statements_that_do_count() {
        let (o, _) = outline_of("table T {\n  key id: number\n}\nalice raeds T\nuser alice\nalice reads T,\n  Q\nalice writes T\n");
        let names: Vec<&str> = o.declarations.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["T", "alice"]);
        // The two broken grants add nothing; the last one names both.
        assert_eq!(
            o.occurrences("alice").len(),
            2,
            "{:?}",
            o.occurrences("alice")
        );
        assert_eq!(o.occurrences("T").len(), 2, "{:?}", o.occurrences("T"));
    }

    #[test]
    fn tables_list_their_attributes() {
        let (o, _) = outline_of(
            "table T { key id: number; sort s: string; attrs A, B; global index I on A }\n",
        );
        let attrs: Vec<&str> = o.attributes.iter().map(|(_, a)| a.as_str()).collect();
        assert_eq!(attrs, ["id", "s", "A", "B"]);
    }
}
