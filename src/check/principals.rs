//! Principal declarations: users, roles and groups, their ARNs, and names
//! that would collide once case is ignored.

use super::values;
use super::Checker;
use crate::ast::{self, Name};
use crate::diag::{Code, Diagnostic};
use crate::model::{self};
use crate::source::Span;
use std::collections::HashMap;

impl Checker<'_, '_, '_> {
    pub(super) fn principal(&mut self, d: &ast::PrincipalDecl) {
        let kind = d.kind.keyword();
        let (arn, account_id) = match &d.arn {
            Some(arn) => match values::iam_principal_arn(&arn.node, kind) {
                Ok(parsed) => {
                    self.same_partition(
                        parsed.partition,
                        arn.span,
                        &format!("{kind} `{}`", d.name.node),
                    );
                    (arn.node.clone(), parsed.account.to_string())
                }
                Err(help) => {
                    self.error(bad_principal_arn(arn, kind, help));
                    (String::new(), String::new())
                }
            },
            None => {
                self.valid(
                    &d.name,
                    Code::BadName,
                    &format!("{kind} name"),
                    values::iam_name,
                );
                let what = format!("{kind} `{}`", d.name.node);
                let account = self
                    .account_for(d.account.as_ref(), d.span, &what)
                    .unwrap_or_default();
                (
                    format!(
                        "arn:{}:iam::{account}:{kind}/{}",
                        self.model.partition, d.name.node
                    ),
                    account,
                )
            }
        };
        self.same_iam_entity(d, &arn);
        self.model.principals.push(model::Principal {
            name: d.name.node.clone(),
            kind: d.kind,
            arn,
            account_id,
            span: d.span,
        });
    }

    /// Reports principals of one account, and tables of one account and
    /// region, whose names differ only in case: IAM and policy names are
    /// case-insensitive (`dpol-Alice` and `dpol-alice` are one managed
    /// policy name), and their documents' files would collide on
    /// case-insensitive file systems.
    pub(super) fn case_collisions(&mut self) {
        // Looked up by hash; what is reported follows declaration order.
        let mut seen: HashMap<(&str, &str, &str, String), (&str, Span)> = HashMap::new();
        let principals = self.model.principals.iter().map(|p| {
            (
                "principal",
                p.account_id.as_str(),
                "",
                p.name.as_str(),
                p.span,
            )
        });
        let tables = self.model.tables.iter().map(|t| {
            (
                "table",
                t.account_id.as_str(),
                t.region.as_str(),
                t.name.as_str(),
                t.span,
            )
        });
        let mut found = Vec::new();
        for (kind, account, region, name, span) in principals.chain(tables) {
            let key = (kind, account, region, name.to_ascii_lowercase());
            match seen.get(&key) {
                Some(&(first, first_span)) if first != name => {
                    found.push((kind, name.to_string(), span, first.to_string(), first_span));
                }
                Some(_) => {}
                None => {
                    seen.insert(key, (name, span));
                }
            }
        }
        for (kind, name, span, first, first_span) in found {
            self.error(case_collision(kind, &name, span, &first, first_span));
        }
    }

    /// Reports two principal declarations that name the same IAM user, role
    /// or group: IAM names are unique per account and case-insensitive.
    pub(super) fn same_iam_entity(&mut self, d: &ast::PrincipalDecl, arn: &str) {
        if arn.is_empty() {
            return;
        }
        let Some((head, path)) = arn.split_once(&format!(":{}/", d.kind.keyword())) else {
            return;
        };
        let name = path.rsplit('/').next().unwrap_or(path);
        let key = (head.to_string(), d.kind, name.to_ascii_lowercase());
        if let Some((first_name, first_span)) = self.iam_entities.get(&key).cloned() {
            if first_name == d.name.node {
                return; // the same dpol name twice: E0202
            }
            self.error(same_iam_entity(d, name, &first_name, first_span));
        } else {
            self.iam_entities.insert(key, (d.name.node.clone(), d.span));
        }
    }
}

/// E0306: a malformed user, role or group ARN.
fn bad_principal_arn(arn: &Name, kind: &str, help: String) -> Diagnostic {
    Diagnostic::new(
        Code::BadArn,
        arn.span,
        format!("malformed {kind} ARN `{}`", arn.node),
    )
    .label(format!("not a {kind} ARN"))
    .help(help)
}

/// E0210: two names that differ only in case.
fn case_collision(kind: &str, name: &str, span: Span, first: &str, first_span: Span) -> Diagnostic {
    Diagnostic::new(Code::CaseCollision, span, format!("{kind} `{name}` differs from `{first}` only in case"))
        .label("differs only in case")
        .secondary(first_span, "declared here first")
        .note(if kind == "table" {
            "the tables' resource policies would be written to files whose names differ only in case, which collide on macOS and Windows"
        } else {
            "IAM names and managed policy names are case-insensitive within an account (`dpol-Alice` and `dpol-alice` are one policy name)"
        })
        .help("use one name for both, or rename one")
}

/// E0210: two declarations of one IAM identity, whose names are case-insensitive.
fn same_iam_entity(
    d: &ast::PrincipalDecl,
    name: &str,
    first_name: &str,
    first_span: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::CaseCollision,
        d.span,
        format!(
            "`{}` and `{first_name}` are the same IAM {} (IAM names are case-insensitive)",
            d.name.node,
            d.kind.keyword()
        ),
    )
    .label(format!("{} `{name}`", d.kind.keyword()))
    .secondary(first_span, "declared here first")
    .help("declare each IAM identity once, and grant it everything under one name")
}
