//! `breakglass`, `exempt` and `deployer` roles: their ARNs (pinned to an
//! account, or any account of a perimeter's scope), paths and managers.

use super::names::Kind;
use super::values;
use super::Checker;
use crate::ast::{self, Name, RoleUse};
use crate::diag::{Code, Diagnostic};
use crate::model::{self, PerimeterRole};

impl Checker<'_, '_, '_> {
    pub(super) fn perimeter_roles(&mut self) {
        let p = self.program;
        for d in &p.perimeter_roles {
            if let Some(role) = self.perimeter_role(d) {
                self.model.perimeter_roles.push(role);
            }
        }
    }

    fn perimeter_role(&mut self, d: &ast::PerimeterRoleDecl) -> Option<PerimeterRole> {
        let what = format!("{} role `{}`", d.role_use.keyword(), d.name.node);
        let (account_id, path, name) = match &d.arn {
            Some(arn) => {
                let parsed = match values::iam_principal_arn(&arn.node, "role") {
                    Ok(parsed) => parsed,
                    Err(help) => {
                        self.error(bad_role_arn(arn, help));
                        return None;
                    }
                };
                self.same_partition(parsed.partition, arn.span, &what);
                let path_and_name = parsed.resource.strip_prefix("role").unwrap_or("/");
                let (path, name) = match path_and_name.rfind('/') {
                    Some(i) => (&path_and_name[..=i], &path_and_name[i + 1..]),
                    None => ("/", path_and_name),
                };
                (
                    Some(parsed.account.to_string()),
                    path.to_string(),
                    name.to_string(),
                )
            }
            None => {
                self.valid(&d.name, Code::BadName, "role name", values::iam_name);
                let account = match (d.role_use, &d.account) {
                    (_, Some(a)) => self.account_named(a),
                    // Exempt and deployer roles are always pinned: one
                    // account's role, never every account's role of that name.
                    (RoleUse::Exempt | RoleUse::Deployer, None) => {
                        Some(self.account_for(None, d.span, &what)?)
                    }
                    (RoleUse::Breakglass, None) => None,
                };
                (account, "/".to_string(), d.name.node.clone())
            }
        };
        if d.role_use == RoleUse::Breakglass && account_id.is_none() {
            self.diags.push(unpinned_breakglass(&d.name));
        }
        let mut managers = Vec::new();
        for manager in &d.managed_by {
            let declare = format!("role {} in prod", manager.node);
            if let Some((_, i)) = self.lookup(manager, &[Kind::Principal], &declare) {
                if let Some(p) = self.model.principals.get(i) {
                    managers.push(p.arn.clone());
                }
            }
        }
        managers.sort();
        managers.dedup();
        Some(model::PerimeterRole {
            role_use: d.role_use,
            name,
            partition: self.model.partition,
            account_id,
            path,
            managers,
            span: d.span,
        })
    }
}

/// E0306: a malformed role ARN of a perimeter role.
fn bad_role_arn(arn: &Name, help: String) -> Diagnostic {
    Diagnostic::new(
        Code::BadArn,
        arn.span,
        format!("malformed role ARN `{}`", arn.node),
    )
    .label("not a role ARN")
    .help(help)
}

/// W0010: a break-glass role of no one account.
fn unpinned_breakglass(name: &Name) -> Diagnostic {
    Diagnostic::new(Code::UnpinnedBreakglass, name.span, format!("break-glass role `{}` is exempt in every account of each perimeter's scope", name.node))
        .label("any account's role of this name")
        .note("SCPs exempt `arn:aws:iam::*:role/NAME`: whoever can create a role of that name in any account of the scope can reach the private tables from anywhere")
        .help(format!("pin it: `breakglass role {} in ACCOUNT`, or give its ARN", name.node))
}
