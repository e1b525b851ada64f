//! `ast` to [`Model`]: name resolution, value and type checks, policy
//! semantics and lints. Records every problem it finds and keeps going;
//! returns a model only when there is no error.

mod asserts;
mod cross_account;
mod decls;
mod deny_lists;
mod endpoints;
mod expects;
mod grants;
mod names;
mod perimeter_roles;
mod perimeters;
mod principals;
mod tables;
mod values;

pub use crate::iam::eval::now;

use std::collections::{BTreeMap, HashMap};

use crate::ast::{self, Item, Name};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Model;
use crate::source::{FileId, Span};

/// The context a statement was written in: the `region` above it in its file
/// and the table declared last before it (for grants that name no table).
#[derive(Clone, Copy, Debug, Default)]
struct Ctx<'a> {
    region: Option<&'a Name>,
    last_table: Option<usize>,
}

/// Every declaration of the program, in source order, with its context.
#[derive(Default)]
struct Program<'a> {
    orgs: Vec<&'a ast::OrgDecl>,
    ous: Vec<&'a ast::OuDecl>,
    accounts: Vec<&'a ast::AccountDecl>,
    regions: Vec<&'a ast::RegionDecl>,
    vpcs: Vec<(&'a ast::VpcDecl, Ctx<'a>)>,
    endpoints: Vec<(&'a ast::EndpointDecl, Ctx<'a>)>,
    principals: Vec<&'a ast::PrincipalDecl>,
    tables: Vec<(&'a ast::TableDecl, Ctx<'a>)>,
    all_tables: Vec<&'a ast::AllTablesDecl>,
    perimeter_roles: Vec<&'a ast::PerimeterRoleDecl>,
    alerts: Vec<(&'a ast::AlertDecl, Ctx<'a>)>,
    grants: Vec<(&'a ast::Grant, Ctx<'a>)>,
    expects: Vec<(&'a ast::Expect, Ctx<'a>)>,
    asserts: Vec<&'a ast::Assert>,
}

impl<'a> Program<'a> {
    fn collect(files: &'a [(FileId, ast::File)]) -> Program<'a> {
        let mut p = Program::default();
        for (_, parsed) in files {
            let mut ctx = Ctx::default();
            for item in &parsed.items {
                match item {
                    Item::Org(d) => p.orgs.push(d),
                    Item::Ou(d) => p.ous.push(d),
                    Item::Account(d) => p.accounts.push(d),
                    Item::Region(d) => {
                        p.regions.push(d);
                        ctx.region = Some(&d.region);
                    }
                    Item::Vpc(d) => p.vpcs.push((d, ctx)),
                    Item::Endpoint(d) => p.endpoints.push((d, ctx)),
                    Item::Principal(d) => p.principals.push(d),
                    Item::Table(d) => {
                        ctx.last_table = Some(p.tables.len());
                        p.tables.push((d, ctx));
                    }
                    Item::PerimeterRole(d) => p.perimeter_roles.push(d),
                    Item::AllTables(d) => p.all_tables.push(d),
                    Item::Alert(d) => p.alerts.push((d, ctx)),
                    Item::Grant(d) => p.grants.push((d, ctx)),
                    Item::Expect(d) => p.expects.push((d, ctx)),
                    Item::Assert(d) => p.asserts.push(d),
                }
            }
        }
        p
    }
}

/// Checks a program made of several parsed files.
pub fn check(files: &[(FileId, ast::File)], diags: &mut Diagnostics) -> Option<Model> {
    let program = Program::collect(files);
    let statements: usize = files.iter().map(|(_, f)| f.items.len()).sum();
    if statements == 0 {
        let span = files
            .first()
            .map_or(Span::default(), |(f, _)| Span::new(*f, 0, 0));
        diags.push(empty_program(span));
        return None;
    }
    let catalog = match crate::catalog::catalog() {
        Ok(c) => c,
        Err(e) => {
            diags.push(Diagnostic::internal(e));
            return None;
        }
    };
    let names = names::Names::collect(&program, diags);
    let mut checker = Checker {
        program: &program,
        names,
        catalog,
        diags,
        model: Model::default(),
        vpc_regions: BTreeMap::new(),
        now: now(),
        verb_actions: BTreeMap::new(),
        suggestions: BTreeMap::new(),
        iam_entities: HashMap::new(),
        unknown: Vec::new(),
        unknown_names: HashMap::new(),
    };
    checker.declarations();
    checker.grants();
    checker.via_reachability();
    checker.expectations();
    checker.assertions();
    checker.deny_list_overlaps();
    let unknown = std::mem::take(&mut checker.unknown);
    checker
        .diags
        .extend(unknown.into_iter().map(Unknown::finish));
    let failed = checker.diags.has_errors();
    let model = checker.model;
    (!failed).then_some(model)
}

struct Checker<'p, 'a, 'd> {
    program: &'p Program<'a>,
    names: names::Names<'a>,
    catalog: &'static crate::catalog::Catalog,
    diags: &'d mut Diagnostics,
    model: Model,
    /// VPC id → (account id, region), for endpoints declared `in` a VPC.
    vpc_regions: BTreeMap<String, (Option<String>, Option<String>)>,
    /// The current UTC time (`DPOL_TODAY` fixes it for tests).
    now: String,
    /// (deny, verbs as a bit set, one table) → the grant's catalogue
    /// actions, memoized.
    verb_actions: VerbActions,
    /// (kinds as a bit set, unknown name) → the "did you mean" suggestion.
    suggestions: BTreeMap<(u8, String), Option<&'a str>>,
    /// (ARN up to the kind, kind, lowercase IAM name) → the first principal
    /// declaring that IAM identity (its dpol name and span).
    iam_entities: IamEntities,
    /// E0201, one per missing declaration, in the order first used.
    unknown: Vec<Unknown>,
    /// An E0201's message → its index in `unknown`.
    unknown_names: HashMap<String, usize>,
}

/// One missing declaration's E0201: the diagnostic at its first use, and
/// the fixes of its later uses, set once at the end (so that many uses stay
/// linear: the diagnostic's fixes are a boxed slice).
struct Unknown {
    diagnostic: Diagnostic,
    more_fixes: Vec<crate::diag::Fix>,
}

impl Unknown {
    fn new(diagnostic: Diagnostic) -> Unknown {
        Unknown {
            diagnostic,
            more_fixes: Vec::new(),
        }
    }

    /// Another use at `span`: a secondary label, and a fix to `close`.
    fn also_used(&mut self, span: Span, close: Option<&str>) {
        self.diagnostic.labels.push(crate::diag::Label {
            span,
            message: "also used here".to_string(),
        });
        if let Some(close) = close {
            self.more_fixes.push(crate::diag::Fix {
                span,
                replacement: close.to_string(),
            });
        }
    }

    fn finish(self) -> Diagnostic {
        let mut diagnostic = self.diagnostic;
        if !self.more_fixes.is_empty() {
            let mut fixes = std::mem::take(&mut diagnostic.fixes).into_vec();
            fixes.extend(self.more_fixes);
            diagnostic.fixes = fixes.into_boxed_slice();
        }
        diagnostic
    }
}

type IamEntities = HashMap<(String, crate::ast::PrincipalKind, String), (String, Span)>;

type VerbActions = BTreeMap<(bool, u16, bool), Vec<&'static crate::catalog::Action>>;

impl Checker<'_, '_, '_> {
    fn error(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
    }
}

/// E0103: a program of no statements (`span`: the start of its first file).
fn empty_program(span: Span) -> Diagnostic {
    Diagnostic::new(Code::EmptyProgram, span, "the program has no statements")
        .label("nothing to compile")
        .help("start with a table and a grant, such as `table Orders in prod` and `alice reads Orders`")
}
