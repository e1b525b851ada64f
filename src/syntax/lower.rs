//! The parse tree ([`super::tree`]) to [`ast`].
//!
//! Each function walks one rule's children and picks them by rule; keyword
//! tokens are skipped. A shape the grammar cannot produce is reported as an
//! internal error (E0999) rather than a panic.

use super::tree::{Pair, Pairs};

use super::parser::Rule;
use crate::ast::*;
use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, Span};

type Result<T> = std::result::Result<T, Diagnostic>;

struct Lower {
    file: FileId,
    /// Where the parsed text starts in the file (a piece of a large file).
    offset: usize,
}

pub fn lower(file: FileId, offset: usize, mut pairs: Pairs<'_>) -> Result<File> {
    let lower = Lower { file, offset };
    let program = pairs
        .next()
        .ok_or_else(|| internal(Span::new(file, offset, offset), "empty parse"))?;
    let mut items = Vec::new();
    for pair in program.into_inner() {
        if pair.as_rule() != Rule::EOI {
            items.push(lower.item(pair)?);
        }
    }
    Ok(File { items })
}

/// E0999: a syntax tree the grammar should not produce.
fn internal(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::Internal,
        span,
        format!("internal error while reading the syntax tree: {what}"),
    )
    .help("this is a bug in dpol; please report it with the input that caused it")
}

impl Lower {
    fn span(&self, pair: &Pair<'_>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.offset + s.start(), self.offset + s.end())
    }

    fn name(&self, pair: &Pair<'_>) -> Name {
        Spanned {
            node: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    /// A string literal's content, unescaped, spanned over the whole literal.
    fn string(&self, pair: &Pair<'_>) -> Name {
        let inner = (*pair).into_inner().next().map_or("", |p| p.as_str());
        Spanned {
            node: inner.replace("\\\"", "\"").replace("\\\\", "\\"),
            span: self.span(pair),
        }
    }

    /// A name or a quoted string (attribute names may be either).
    fn attr(&self, pair: &Pair<'_>) -> Name {
        if pair.as_rule() == Rule::string {
            self.string(pair)
        } else {
            self.name(pair)
        }
    }

    fn list(&self, pair: Pair<'_>) -> Vec<Name> {
        pair.into_inner().map(|p| self.attr(&p)).collect()
    }

    fn item(&self, pair: Pair<'_>) -> Result<Item> {
        let span = self.span(&pair);
        Ok(match pair.as_rule() {
            Rule::org_decl => Item::Org(OrgDecl {
                id: self.required(&pair, Rule::word)?,
                span,
            }),
            Rule::ou_decl => Item::Ou(OuDecl {
                name: self.required(&pair, Rule::name)?,
                id: self.required(&pair, Rule::word)?,
                span,
            }),
            Rule::account_decl => Item::Account(AccountDecl {
                name: self.required(&pair, Rule::name)?,
                id: self.required(&pair, Rule::word)?,
                ou: self.in_clause(&pair),
                management: has(&pair, Rule::management),
                span,
            }),
            Rule::region_decl => Item::Region(RegionDecl {
                region: self.required(&pair, Rule::word)?,
                span,
            }),
            Rule::vpc_decl => Item::Vpc(VpcDecl {
                name: self.required(&pair, Rule::name)?,
                id: self.required(&pair, Rule::word)?,
                account: self.in_clause(&pair),
                span,
            }),
            Rule::endpoint_decl => self.endpoint(pair, span)?,
            Rule::principal_decl => Item::Principal(PrincipalDecl {
                kind: principal_kind(&pair),
                name: self.required(&pair, Rule::name)?,
                arn: self.optional(&pair, Rule::arn),
                account: self.in_clause(&pair),
                span,
            }),
            Rule::table_decl => self.table(pair, span)?,
            Rule::all_tables_decl => Item::AllTables(AllTablesDecl {
                private: child(&pair, Rule::private_clause)
                    .map(|p| self.private_clause(&p))
                    .ok_or_else(|| internal(span, "`table *` without `private to`"))?,
                span,
            }),
            Rule::perimeter_role_decl => Item::PerimeterRole(PerimeterRoleDecl {
                role_use: match child(&pair, Rule::role_use) {
                    Some(u) if has(&u, Rule::kw_exempt) => RoleUse::Exempt,
                    Some(u) if has(&u, Rule::kw_deployer) => RoleUse::Deployer,
                    _ => RoleUse::Breakglass,
                },
                name: self.required(&pair, Rule::name)?,
                arn: self.optional(&pair, Rule::arn),
                account: self.in_clause(&pair),
                managed_by: child(&pair, Rule::managed_clause)
                    .and_then(|m| child(&m, Rule::name_list))
                    .map(|l| self.list(l))
                    .unwrap_or_default(),
                span,
            }),
            Rule::alert_decl => self.alert(pair, span)?,
            Rule::grant => self.grant(pair, span)?,
            Rule::expect_decl => self.expect(pair, span)?,
            Rule::assert_decl => self.assertion(pair, span)?,
            _ => return Err(internal(span, "unexpected statement")),
        })
    }

    fn required(&self, pair: &Pair<'_>, rule: Rule) -> Result<Name> {
        self.optional(pair, rule)
            .ok_or_else(|| internal(self.span(pair), "missing token"))
    }

    fn optional(&self, pair: &Pair<'_>, rule: Rule) -> Option<Name> {
        child(pair, rule).map(|p| self.name(&p))
    }

    fn in_clause(&self, pair: &Pair<'_>) -> Option<Name> {
        child(pair, Rule::in_clause).and_then(|c| self.optional(&c, Rule::name))
    }

    fn endpoint(&self, pair: Pair<'_>, span: Span) -> Result<Item> {
        let rules = match child(&pair, Rule::endpoint_block) {
            Some(block) => Some(
                block
                    .into_inner()
                    .map(|r| self.endpoint_rule(r))
                    .collect::<Result<Vec<_>>>()?,
            ),
            None => None,
        };
        Ok(Item::Endpoint(EndpointDecl {
            name: self.required(&pair, Rule::name)?,
            id: self.required(&pair, Rule::word)?,
            vpc: self.in_clause(&pair),
            rules,
            span,
        }))
    }

    fn endpoint_rule(&self, pair: Pair<'_>) -> Result<EndpointRule> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::endpoint_allow => Ok(EndpointRule::Allow {
                verbs: child(&pair, Rule::verb_list)
                    .map(|v| self.verbs(v))
                    .unwrap_or_default(),
                actions: child(&pair, Rule::endpoint_can)
                    .and_then(|c| child(&c, Rule::action_list))
                    .map(|l| l.into_inner().map(|a| self.name(&a)).collect())
                    .unwrap_or_default(),
                target: self.table_target(&pair)?,
                span,
            }),
            Rule::endpoint_from => Ok(EndpointRule::FromGrants { span }),
            Rule::endpoint_only => {
                let only = pair
                    .into_inner()
                    .find(|p| p.as_rule() != Rule::kw_only)
                    .ok_or_else(|| internal(span, "empty `only`"))?;
                match only.as_rule() {
                    Rule::only_principal => Ok(EndpointRule::OnlyPrincipal {
                        kind: principal_kind(&only),
                        name: self.required(&only, Rule::name)?,
                        span,
                    }),
                    Rule::only_account => Ok(EndpointRule::OnlyAccount {
                        name: self.required(&only, Rule::name)?,
                        span,
                    }),
                    _ => Ok(EndpointRule::OnlyOrg { span }),
                }
            }
            _ => Err(internal(span, "unexpected endpoint rule")),
        }
    }

    fn table_target(&self, pair: &Pair<'_>) -> Result<TableTarget> {
        let target = child(pair, Rule::table_target)
            .ok_or_else(|| internal(self.span(pair), "missing table"))?;
        self.target(target)
    }

    fn target(&self, target: Pair<'_>) -> Result<TableTarget> {
        let inner = target
            .into_inner()
            .next()
            .ok_or_else(|| internal(Span::default(), "empty table target"))?;
        Ok(match inner.as_rule() {
            Rule::star => TableTarget::All(self.span(&inner)),
            _ => TableTarget::Named(self.name(&inner)),
        })
    }

    fn private_clause(&self, p: &Pair<'_>) -> PrivateClause {
        let to = child(p, Rule::name_list)
            .map(|l| self.list(l))
            .unwrap_or_default();
        let scope = child(p, Rule::scope_clause)
            .and_then(|s| child(&s, Rule::name_list))
            .map(|l| self.list(l))
            .unwrap_or_default();
        let layers = child(p, Rule::layers_clause)
            .map(|l| {
                l.into_inner()
                    .filter(|x| x.as_rule() == Rule::layer)
                    .map(|x| Spanned {
                        node: if has(&x, Rule::kw_scp) {
                            Layer::Scp
                        } else if has(&x, Rule::kw_rcp) {
                            Layer::Rcp
                        } else {
                            Layer::Resource
                        },
                        span: self.span(&x),
                    })
                    .collect()
            })
            .unwrap_or_default();
        PrivateClause {
            to,
            scope,
            layers,
            strict: child(p, Rule::strict).map(|s| self.span(&s)),
            span: self.span(p),
        }
    }

    fn table(&self, pair: Pair<'_>, span: Span) -> Result<Item> {
        let private = child(&pair, Rule::private_clause).map(|p| self.private_clause(&p));
        let mut items = Vec::new();
        if let Some(block) = child(&pair, Rule::table_block) {
            for item in block.into_inner() {
                items.push(self.table_item(item)?);
            }
        }
        Ok(Item::Table(TableDecl {
            name: self.required(&pair, Rule::name)?,
            account: self.in_clause(&pair),
            private,
            items,
            span,
        }))
    }

    fn table_item(&self, pair: Pair<'_>) -> Result<TableItem> {
        let span = self.span(&pair);
        let first_attr = |p: &Pair<'_>| {
            (*p).into_inner()
                .find(|c| matches!(c.as_rule(), Rule::attr_word | Rule::string))
                .map(|c| self.attr(&c))
                .ok_or_else(|| internal(span, "missing attribute name"))
        };
        Ok(match pair.as_rule() {
            Rule::key_item => TableItem::Key {
                name: first_attr(&pair)?,
                ty: self.key_type(&pair)?,
                span,
            },
            Rule::sort_item => TableItem::Sort {
                name: first_attr(&pair)?,
                ty: self.key_type(&pair)?,
                span,
            },
            Rule::attrs_item => TableItem::Attrs {
                names: child(&pair, Rule::attr_list)
                    .map(|l| self.list(l))
                    .unwrap_or_default(),
                span,
            },
            Rule::index_item => TableItem::Index {
                scope: child(&pair, Rule::index_scope).map(|s| Spanned {
                    node: if has(&s, Rule::kw_global) {
                        IndexScope::Global
                    } else {
                        IndexScope::Local
                    },
                    span: self.span(&s),
                }),
                name: self.required(&pair, Rule::name)?,
                keys: child(&pair, Rule::attr_list)
                    .map(|l| self.list(l))
                    .unwrap_or_default(),
                span,
            },
            Rule::kms_item => TableItem::Kms {
                arns: child(&pair, Rule::kms_keys)
                    .map(|l| l.into_inner().map(|a| self.name(&a)).collect())
                    .unwrap_or_default(),
                span,
            },
            Rule::replicas_item => TableItem::Replicas {
                regions: pair
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::word)
                    .map(|p| self.name(&p))
                    .collect(),
                span,
            },
            _ => return Err(internal(span, "unexpected table item")),
        })
    }

    fn key_type(&self, pair: &Pair<'_>) -> Result<Spanned<KeyType>> {
        let ty =
            child(pair, Rule::key_type).ok_or_else(|| internal(self.span(pair), "key type"))?;
        let node = match ty.as_str() {
            "string" => KeyType::String,
            "number" => KeyType::Number,
            _ => KeyType::Binary,
        };
        Ok(Spanned {
            node,
            span: self.span(&ty),
        })
    }

    fn alert(&self, pair: Pair<'_>, span: Span) -> Result<Item> {
        let actions = child(&pair, Rule::action_list)
            .map(|l| l.into_inner().map(|a| self.name(&a)).collect())
            .unwrap_or_default();
        let table = match child(&pair, Rule::table_target) {
            Some(t) => Some(self.target(t)?),
            None => None,
        };
        Ok(Item::Alert(AlertDecl {
            actions,
            table,
            target: self.required(&pair, Rule::arn)?,
            span,
        }))
    }

    fn verbs(&self, list: Pair<'_>) -> Vec<Spanned<Verb>> {
        list.into_inner()
            .filter_map(|v| {
                let word = v.as_str().trim_end_matches('s');
                let verb = Verb::ALL
                    .into_iter()
                    .find(|verb| verb.keyword().trim_end_matches('s') == word)?;
                Some(Spanned {
                    node: verb,
                    span: self.span(&v),
                })
            })
            .collect()
    }

    fn grant(&self, pair: Pair<'_>, span: Span) -> Result<Item> {
        let mut principal = None;
        let mut action = None;
        let mut table = None;
        let mut clauses = Vec::new();
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::name => principal = Some(self.name(&part)),
                Rule::verb_list => action = Some(GrantAction::Verbs(self.verbs(part))),
                Rule::deny_verbs => {
                    action = Some(match child(&part, Rule::verb_list) {
                        Some(list) => GrantAction::Deny(self.verbs(list)),
                        None => {
                            let list = child(&part, Rule::action_list)
                                .ok_or_else(|| internal(span, "`cannot` without verbs"))?;
                            GrantAction::DenyActions(
                                list.into_inner().map(|a| self.name(&a)).collect(),
                            )
                        }
                    });
                }
                Rule::can_actions => {
                    let list = child(&part, Rule::action_list)
                        .ok_or_else(|| internal(span, "`can` without actions"))?;
                    action = Some(GrantAction::Actions(
                        list.into_inner().map(|a| self.name(&a)).collect(),
                    ));
                }
                Rule::table_target => table = Some(self.target(part)?),
                Rule::kw_on => {}
                _ => clauses.push(self.clause(part)?),
            }
        }
        Ok(Item::Grant(Grant {
            principal: principal.ok_or_else(|| internal(span, "grant without principal"))?,
            action: action.ok_or_else(|| internal(span, "grant without verb"))?,
            table,
            clauses,
            span,
        }))
    }

    fn expect(&self, pair: Pair<'_>, span: Span) -> Result<Item> {
        let mut principal = None;
        let mut allowed = None;
        let mut what = None;
        let mut table = None;
        let mut clauses = Vec::new();
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::name => principal = Some(self.name(&part)),
                Rule::expect_sense => allowed = Some(has(&part, Rule::kw_can)),
                Rule::verb_list => what = Some(ExpectWhat::Verbs(self.verbs(part))),
                Rule::expect_actions => {
                    what = Some(ExpectWhat::Actions(
                        part.into_inner().map(|a| self.name(&a)).collect(),
                    ));
                }
                Rule::table_target => table = Some(self.target(part)?),
                Rule::kw_expect | Rule::kw_on => {}
                _ => clauses.push(self.clause(part)?),
            }
        }
        Ok(Item::Expect(Expect {
            principal: principal.ok_or_else(|| internal(span, "expectation without principal"))?,
            allowed: allowed.ok_or_else(|| internal(span, "expectation without `can`"))?,
            what: what.ok_or_else(|| internal(span, "expectation without actions"))?,
            table,
            clauses,
            span,
        }))
    }

    fn assertion(&self, pair: Pair<'_>, span: Span) -> Result<Item> {
        let form = pair
            .into_inner()
            .find(|p| p.as_rule() != Rule::kw_assert)
            .ok_or_else(|| internal(span, "`assert` without a property"))?;
        if form.as_rule() == Rule::assert_via {
            return Ok(Item::Assert(Assert::Via {
                table: self.required(&form, Rule::name)?,
                via: child(&form, Rule::name_list)
                    .map(|l| self.list(l))
                    .unwrap_or_default(),
                except: child(&form, Rule::assert_except)
                    .and_then(|e| child(&e, Rule::name_list))
                    .map(|l| self.list(l))
                    .unwrap_or_default(),
                span,
            }));
        }
        let what = match (
            child(&form, Rule::verb_list),
            child(&form, Rule::expect_actions),
        ) {
            (Some(verbs), _) => ExpectWhat::Verbs(self.verbs(verbs)),
            (None, Some(actions)) => {
                ExpectWhat::Actions(actions.into_inner().map(|a| self.name(&a)).collect())
            }
            (None, None) => return Err(internal(span, "assertion without actions")),
        };
        let table = child(&form, Rule::table_target)
            .ok_or_else(|| internal(span, "assertion without a table"))?;
        let table = self.target(table)?;
        if form.as_rule() == Rule::assert_can_only {
            let keys = match child(&form, Rule::keys_clause) {
                Some(clause) => {
                    let at = self.span(&clause);
                    let set = clause
                        .into_inner()
                        .find(|p| p.as_rule() != Rule::kw_keys)
                        .ok_or_else(|| internal(at, "`keys` without values"))?;
                    Some((self.key_set(set)?, at))
                }
                None => None,
            };
            return Ok(Item::Assert(Assert::CanOnly {
                principal: self.required(&form, Rule::name)?,
                what,
                table,
                keys,
                span,
            }));
        }
        let allowed = child(&form, Rule::name_list)
            .map(|l| self.list(l))
            .unwrap_or_default();
        Ok(Item::Assert(Assert::Only {
            allowed,
            what,
            table,
            span,
        }))
    }

    fn clause(&self, pair: Pair<'_>) -> Result<Clause> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::keys_clause => {
                let set = pair
                    .into_inner()
                    .find(|p| p.as_rule() != Rule::kw_keys)
                    .ok_or_else(|| internal(span, "`keys` without values"))?;
                ClauseKind::Keys(self.key_set(set)?)
            }
            Rule::attrs_clause => ClauseKind::Attrs(
                child(&pair, Rule::attr_list)
                    .map(|l| self.list(l))
                    .unwrap_or_default(),
            ),
            Rule::except_clause => ClauseKind::ExceptAttrs(
                child(&pair, Rule::attr_list)
                    .map(|l| self.list(l))
                    .unwrap_or_default(),
            ),
            Rule::index_clause => ClauseKind::Index(self.required(&pair, Rule::name)?),
            Rule::via_clause => ClauseKind::Via(self.required(&pair, Rule::name)?),
            Rule::ip_clause => ClauseKind::FromIp(
                pair.into_inner()
                    .filter(|p| p.as_rule() == Rule::cidr)
                    .map(|p| self.name(&p))
                    .collect(),
            ),
            Rule::until_clause => ClauseKind::Until(self.required(&pair, Rule::date)?),
            Rule::from_clause => ClauseKind::From(self.required(&pair, Rule::date)?),
            Rule::mfa_clause => ClauseKind::WithMfa,
            Rule::outside_clause => ClauseKind::Outside,
            Rule::at_clause => ClauseKind::At(self.required(&pair, Rule::date)?),
            _ => return Err(internal(span, "unexpected clause")),
        };
        Ok(Clause { kind, span })
    }

    fn key_set(&self, set: Pair<'_>) -> Result<KeySet> {
        let span = self.span(&set);
        let rule = set.as_rule();
        let values: Vec<Spanned<KeyValue>> = set.into_inner().map(|v| self.key_value(&v)).collect();
        match rule {
            Rule::key_range => {
                let mut it = values.into_iter();
                match (it.next(), it.next()) {
                    (Some(low), Some(high)) => Ok(KeySet::Range { low, high }),
                    _ => Err(internal(span, "range without bounds")),
                }
            }
            _ => Ok(KeySet::Values(values)),
        }
    }

    fn key_value(&self, pair: &Pair<'_>) -> Spanned<KeyValue> {
        let span = self.span(pair);
        let node = match pair.as_rule() {
            Rule::number => KeyValue::Number(pair.as_str().to_string()),
            Rule::variable => KeyValue::Variable(pair.as_str().to_string()),
            Rule::prefix => KeyValue::Prefix(
                child(pair, Rule::string)
                    .map(|s| self.string(&s).node)
                    .unwrap_or_default(),
            ),
            _ => KeyValue::String(self.string(pair).node),
        };
        Spanned { node, span }
    }
}

fn child<'i>(pair: &Pair<'i>, rule: Rule) -> Option<Pair<'i>> {
    (*pair).into_inner().find(|p| p.as_rule() == rule)
}

fn has(pair: &Pair<'_>, rule: Rule) -> bool {
    child(pair, rule).is_some()
}

fn principal_kind(pair: &Pair<'_>) -> PrincipalKind {
    match child(pair, Rule::principal_kind)
        .as_ref()
        .map(|p| p.as_str())
    {
        Some("role") => PrincipalKind::Role,
        Some("group") => PrincipalKind::Group,
        _ => PrincipalKind::User,
    }
}
