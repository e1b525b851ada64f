//! A request as AWS evaluates it: who, what action, on which resource, and
//! its context keys.

use std::collections::BTreeMap;

use crate::iam::account_of;

/// The values of one context key. `multi`: a multivalued key (given as a
/// list: `dynamodb:Attributes`), which the set qualifiers `ForAllValues` and
/// `ForAnyValue` range over; a single-valued key has one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextValue {
    /// The values, in request order.
    pub values: Vec<String>,
    /// Whether the key is multivalued.
    pub multi: bool,
}

/// The request context. Key names are case-insensitive (IAM User Guide,
/// "IAM JSON policy elements: Condition": "Context key names are not
/// case-sensitive"); values keep their case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// Lowercase key → the key as given, and its values.
    keys: BTreeMap<String, (String, ContextValue)>,
}

impl Context {
    /// Sets `key` (any case) to `values`; `multi` for a multivalued key.
    pub fn insert(&mut self, key: &str, values: Vec<String>, multi: bool) {
        self.keys.insert(
            key.to_ascii_lowercase(),
            (key.to_string(), ContextValue { values, multi }),
        );
    }

    /// The values of `key` (any case), when the request has it.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.keys.get(&key.to_ascii_lowercase()).map(|(_, v)| v)
    }

    /// Every key as given, with its values, sorted without regard to case.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.keys.values().map(|(key, value)| (key.as_str(), value))
    }

    /// Whether the request has `key` (any case).
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

/// One request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The caller's ARN: a user, a role, an assumed-role session
    /// (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`), or an AWS service
    /// principal (`dynamodb.amazonaws.com`).
    pub principal: String,
    /// `dynamodb:GetItem`.
    pub action: String,
    /// The resource ARN, or `*` for actions on no resource (`ListTables`).
    pub resource: String,
    /// The request's condition keys and their values.
    pub context: Context,
}

impl Request {
    /// A signed request by `principal`: the context gets the keys AWS adds
    /// to every signed request unless `context` has them already —
    /// `aws:PrincipalArn` (for a role session, the role's ARN) and
    /// `aws:PrincipalAccount` (IAM User Guide, "AWS global condition context
    /// keys": both "always included in the request context" for a signed
    /// request). A role's path is not in a session ARN, so the role ARN of a
    /// session is given without one.
    pub fn signed(principal: &str, action: &str, resource: &str, mut context: Context) -> Request {
        let mut request = Request {
            principal: principal.to_string(),
            action: action.to_string(),
            resource: resource.to_string(),
            context: Context::default(),
        };
        if principal.starts_with("arn:") {
            let arn = match request.session_role() {
                Some((account, role)) => {
                    let partition = principal.split(':').nth(1).unwrap_or("aws");
                    format!("arn:{partition}:iam::{account}:role/{role}")
                }
                None => principal.to_string(),
            };
            let account = request.principal_account().to_string();
            if !context.has("aws:PrincipalArn") {
                context.insert("aws:PrincipalArn", vec![arn], false);
            }
            if !context.has("aws:PrincipalAccount") {
                context.insert("aws:PrincipalAccount", vec![account], false);
            }
        }
        request.context = context;
        request
    }

    /// The account the caller belongs to (empty for a service principal).
    pub fn principal_account(&self) -> &str {
        account_of(&self.principal)
    }

    /// The account that owns the resource; for `*`, the caller's own.
    pub fn resource_account(&self) -> &str {
        match account_of(&self.resource) {
            "" => self.principal_account(),
            account => account,
        }
    }

    /// For an assumed-role session
    /// (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`), the role's
    /// account and name (a session ARN does not carry the role's path).
    pub fn session_role(&self) -> Option<(&str, &str)> {
        let mut parts = self.principal.splitn(6, ':');
        let service = parts.nth(2)?;
        let account = parts.nth(1)?;
        let resource = parts.next()?;
        if service != "sts" {
            return None;
        }
        let role = resource.strip_prefix("assumed-role/")?.split('/').next()?;
        Some((account, role))
    }
}
