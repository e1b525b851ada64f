//! Validation of literal values: account ids, AWS ids, regions, ARNs, CIDRs,
//! dates, names. Each returns `Err(help)` explaining the expected form.

use std::net::{Ipv4Addr, Ipv6Addr};

type Check = Result<(), String>;

fn all(s: &str, f: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(f)
}

fn lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn hex(c: char) -> bool {
    c.is_ascii_digit() || ('a'..='f').contains(&c)
}

pub fn account_id(s: &str) -> Check {
    if s.len() == 12 && all(s, |c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "an AWS account id is exactly 12 digits, such as `111122223333`; `{s}` has {} characters",
            s.chars().count()
        ))
    }
}

fn prefixed_hex(s: &str, prefix: &str, example: &str) -> Check {
    match s.strip_prefix(prefix) {
        Some(rest) if matches!(rest.len(), 8 | 17) && all(rest, hex) => Ok(()),
        _ => Err(format!(
            "expected `{prefix}` followed by 8 or 17 lowercase hexadecimal digits, such as `{example}`"
        )),
    }
}

pub fn vpc_id(s: &str) -> Check {
    prefixed_hex(s, "vpc-", "vpc-0abc1234def567890")
}

pub fn endpoint_id(s: &str) -> Check {
    prefixed_hex(s, "vpce-", "vpce-11aa22bb")
}

pub fn looks_like_vpc_id(s: &str) -> bool {
    vpc_id(s).is_ok()
}

pub fn looks_like_endpoint_id(s: &str) -> bool {
    endpoint_id(s).is_ok()
}

pub fn org_id(s: &str) -> Check {
    match s.strip_prefix("o-") {
        Some(rest) if (10..=32).contains(&rest.len()) && all(rest, lower_alnum) => Ok(()),
        _ => Err("an organization id is `o-` and 10 to 32 lowercase letters or digits, such as `o-a1b2c3d4e5`".into()),
    }
}

pub fn ou_id(s: &str) -> Check {
    let parts: Vec<&str> = s.split('-').collect();
    match parts.as_slice() {
        ["ou", root, unit]
            if (4..=32).contains(&root.len())
                && (8..=32).contains(&unit.len())
                && all(root, lower_alnum)
                && all(unit, lower_alnum) =>
        {
            Ok(())
        }
        _ => Err("an OU id is `ou-`, 4 to 32 lowercase letters or digits, `-`, and 8 to 32 more, such as `ou-ab12-34cd5678`".into()),
    }
}

pub fn region(s: &str) -> Check {
    let parts: Vec<&str> = s.split('-').collect();
    let ok = (3..=4).contains(&parts.len())
        && parts[0].len() == 2
        && parts
            .iter()
            .take(parts.len() - 1)
            .all(|p| all(p, |c| c.is_ascii_lowercase()))
        && parts.last().is_some_and(|p| all(p, |c| c.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err("a region looks like `us-east-1` or `eu-central-2`".into())
    }
}

/// The parts of an ARN: partition, service, region, account, resource.
pub struct Arn<'a> {
    pub partition: crate::partition::Partition,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

/// An ARN as dpol accepts it in a program: a known partition, a service,
/// and no wildcard (`*`, `?`) or policy variable (`${`) anywhere — in a
/// policy's `Resource` or under `ArnEquals`/`ArnLike` those match more than
/// the one resource the program names.
pub fn arn(s: &str) -> Result<Arn<'_>, String> {
    if s.contains(['*', '?']) || s.contains("${") {
        return Err(format!(
            "`{s}` contains a wildcard or a policy variable; name one resource exactly (IAM treats `*` and `?` in ARNs as patterns)"
        ));
    }
    if !s.chars().all(|c| c.is_ascii_graphic()) || s.contains(['"', '\\']) {
        return Err("an ARN is printable ASCII without quotes or backslashes".into());
    }
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, service, region, account, resource]
            if !service.is_empty() && !resource.is_empty() =>
        {
            let Some(partition) = crate::partition::Partition::from_arn_field(partition) else {
                return Err(format!(
                    "`{partition}` is not an AWS partition (`aws`, `aws-cn`, `aws-us-gov`, …)"
                ));
            };
            Ok(Arn {
                partition,
                service,
                region,
                account,
                resource,
            })
        }
        _ => Err("an ARN is `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, such as `arn:aws:iam::111122223333:user/Alice`".into()),
    }
}

/// IAM path segments and names: letters, digits and `+=,.@_-` (IAM's set for
/// names; IAM allows more in paths, dpol keeps to the name set there too).
fn iam_chars(s: &str) -> bool {
    all(s, |c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

/// The longest IAM name of each kind (IAM quotas: users and roles 64,
/// groups 128 characters).
fn iam_name_limit(kind: &str) -> usize {
    if kind == "group" {
        128
    } else {
        64
    }
}

/// `arn:PARTITION:iam::ACCOUNT:KIND/[PATH/]NAME` for `kind` user, role or group.
pub fn iam_principal_arn<'a>(s: &'a str, kind: &str) -> Result<Arn<'a>, String> {
    let help = || {
        format!(
            "a {kind} ARN is `arn:aws:iam::ACCOUNT:{kind}/NAME` (or `{kind}/PATH/NAME`) with a 12-digit account; names are 1 to {} letters, digits or `+=,.@_-`",
            iam_name_limit(kind)
        )
    };
    let parsed = arn(s)?;
    let Some(path) = parsed
        .resource
        .strip_prefix(kind)
        .and_then(|r| r.strip_prefix('/'))
    else {
        let found = parsed.resource.split('/').next().unwrap_or_default();
        return Err(format!(
            "this is a `{found}` ARN, not a {kind} ARN; {}",
            help()
        ));
    };
    let segments: Vec<&str> = path.split('/').collect();
    let name = segments.last().copied().unwrap_or_default();
    let ok = parsed.service == "iam"
        && parsed.region.is_empty()
        && account_id(parsed.account).is_ok()
        && segments.iter().all(|seg| iam_chars(seg))
        && name.len() <= iam_name_limit(kind)
        && path.len() <= 512;
    if ok {
        Ok(parsed)
    } else {
        Err(help())
    }
}

/// The key id of a KMS key ARN: a UUID, or `mrk-` and 32 hex digits for a
/// multi-Region key.
fn kms_key_id(id: &str) -> bool {
    let uuid = |s: &str| {
        let groups: Vec<&str> = s.split('-').collect();
        groups.len() == 5
            && groups
                .iter()
                .zip([8, 4, 4, 4, 12])
                .all(|(g, n)| g.len() == n && all(g, |c| c.is_ascii_hexdigit()))
    };
    match id.strip_prefix("mrk-") {
        Some(rest) => rest.len() == 32 && all(rest, |c| c.is_ascii_hexdigit()),
        None => uuid(id),
    }
}

/// `arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID`. An alias ARN names no key
/// that IAM can match: a policy's `Resource` needs the key ARN (KMS
/// Developer Guide, "Using aliases to control access to KMS keys").
pub fn kms_key_arn(s: &str) -> Result<Arn<'_>, String> {
    let parsed = arn(s)?;
    if parsed.service == "kms" && parsed.resource.starts_with("alias/") {
        return Err("this is a KMS alias ARN; IAM policies match the key ARN, not its alias: give `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID` (`aws kms describe-key --key-id alias/NAME` prints it)".into());
    }
    let ok = parsed.service == "kms"
        && region(parsed.region).is_ok()
        && account_id(parsed.account).is_ok()
        && parsed.resource.strip_prefix("key/").is_some_and(kms_key_id);
    if ok {
        Ok(parsed)
    } else {
        Err("a KMS key ARN is `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`, the key id a UUID such as `1234abcd-12ab-34cd-56ef-1234567890ab` or a multi-Region `mrk-…` id".into())
    }
}

/// An EventBridge target dpol can write: an SNS topic, SQS queue, Lambda
/// function (optionally with a version or alias) or event bus, named exactly.
pub fn alert_target_arn(s: &str) -> Result<Arn<'_>, String> {
    let parsed = arn(s)?;
    let word = |s: &str, max: usize| {
        (1..=max).contains(&s.len()) && all(s, |c| c.is_ascii_alphanumeric() || "_-".contains(c))
    };
    let fifo = |s: &str, max: usize| word(s.strip_suffix(".fifo").unwrap_or(s), max);
    let resource_ok = match parsed.service {
        "sns" => fifo(parsed.resource, 256),
        "sqs" => fifo(parsed.resource, 80),
        "lambda" => match parsed
            .resource
            .strip_prefix("function:")
            .map(|r| r.split(':').collect::<Vec<_>>())
        {
            Some(parts) => match parts.as_slice() {
                [name] => word(name, 64),
                [name, qualifier] => {
                    word(name, 64) && (*qualifier == "$LATEST" || word(qualifier, 128))
                }
                _ => false,
            },
            None => false,
        },
        "events" => parsed
            .resource
            .strip_prefix("event-bus/")
            .is_some_and(|name| {
                (1..=256).contains(&name.len())
                    && all(name, |c| c.is_ascii_alphanumeric() || "/._-".contains(c))
            }),
        _ => false,
    };
    if resource_ok && account_id(parsed.account).is_ok() && region(parsed.region).is_ok() {
        Ok(parsed)
    } else {
        Err("use a target ARN such as `arn:aws:sns:us-east-1:111122223333:EmailDelivery`, an SQS queue, a Lambda function or an event bus".into())
    }
}

/// `203.0.113.0/24`, `198.51.100.7`, `2001:db8::/32`.
pub fn cidr(s: &str) -> Check {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let max = if addr.parse::<Ipv4Addr>().is_ok() {
        32
    } else if addr.parse::<Ipv6Addr>().is_ok() {
        128
    } else {
        return Err("expected an IPv4 or IPv6 address, optionally with a prefix length, such as `203.0.113.0/24`".into());
    };
    match prefix.map(|p| p.parse::<u32>()) {
        None => Ok(()),
        Some(Ok(n)) if n <= max => Ok(()),
        _ => Err(format!(
            "the prefix length must be a number from 0 to {max}"
        )),
    }
}

/// A calendar date `YYYY-MM-DD` or a UTC time `YYYY-MM-DDTHH:MM:SSZ`;
/// returns the normalized ISO 8601 UTC timestamp.
pub fn date(s: &str) -> Result<String, String> {
    let help = || "expected a date `2026-12-31` or a UTC time `2026-12-31T18:00:00Z`".to_string();
    let (day, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let nums: Vec<&str> = day.split('-').collect();
    let [y, m, d] = nums.as_slice() else {
        return Err(help());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(help());
    }
    let (year, month, dom) = match (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) {
        (Ok(y), Ok(m), Ok(d)) => (y, m, d),
        _ => return Err(help()),
    };
    if !(1..=12).contains(&month) || dom == 0 || dom > days_in_month(year, month) {
        return Err(format!("{year:04}-{month:02} has no day {dom}"));
    }
    let clock = match time {
        None => "00:00:00".to_string(),
        Some(t) => {
            let t = t.strip_suffix('Z').ok_or_else(help)?;
            let hms: Vec<&str> = t.split(':').collect();
            let valid = hms.len() == 3
                && hms
                    .iter()
                    .all(|p| p.len() == 2 && all(p, |c| c.is_ascii_digit()))
                && hms[0] < "24"
                && hms[1] < "60"
                && hms[2] < "60";
            if !valid {
                return Err(help());
            }
            t.to_string()
        }
    };
    Ok(format!("{year:04}-{month:02}-{dom:02}T{clock}Z"))
}

/// The first instant `until VALUE` no longer allows (`DateLessThan`'s
/// bound): a date means the whole of that day, UTC, so `until 2030-12-31`
/// ends at `2031-01-01T00:00:00Z`; a time is that instant.
pub fn until(s: &str) -> Result<String, String> {
    let stamp = date(s)?;
    if s.contains('T') {
        return Ok(stamp);
    }
    let num = |range: std::ops::Range<usize>| stamp.get(range).and_then(|p| p.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return Err(format!("cannot read the date `{s}`"));
    };
    let (y, m, d) = if d < days_in_month(y, m) {
        (y, m, d + 1)
    } else if m < 12 {
        (y, m + 1, 1)
    } else {
        (y + 1, 1, 1)
    };
    Ok(format!("{y:04}-{m:02}-{d:02}T00:00:00Z"))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let days = crate::iam::eval::days_in_month(i64::from(year), i64::from(month));
    u32::try_from(days).unwrap_or(31)
}

/// DynamoDB table and index names: 3 to 255 of `[A-Za-z0-9_.-]`.
pub fn table_name(s: &str) -> Check {
    if (3..=255).contains(&s.len()) && all(s, |c| c.is_ascii_alphanumeric() || "_.-".contains(c)) {
        Ok(())
    } else {
        Err("DynamoDB table and index names are 3 to 255 letters, digits, `_`, `-` or `.`".into())
    }
}

/// IAM user, role and group names: 1 to 64 of `[A-Za-z0-9+=,.@_-]`.
pub fn iam_name(s: &str) -> Check {
    if s.len() <= 64 && iam_chars(s) {
        Ok(())
    } else {
        Err("IAM names are 1 to 64 letters, digits or `+=,.@_-`".into())
    }
}

/// `${aws:username}`, `${cognito-identity.amazonaws.com:sub}`, `${aws:PrincipalTag/team}`.
pub fn policy_variable(s: &str) -> Check {
    let inner = s.strip_prefix("${").and_then(|r| r.strip_suffix('}'));
    let ok = inner.is_some_and(|v| {
        v.split_once(':').is_some_and(|(service, key)| {
            all(service, |c| c.is_ascii_alphanumeric() || "-._".contains(c))
                && all(key, |c| c.is_ascii_alphanumeric() || "-._/".contains(c))
        })
    });
    if ok {
        Ok(())
    } else {
        Err("a policy variable is `${SERVICE:KEY}`, such as `${aws:username}` or `${cognito-identity.amazonaws.com:sub}`".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(account_id("111122223333").is_ok());
        assert!(account_id("11112222333").is_err());
        assert!(vpc_id("vpc-0abc1234def567890").is_ok());
        assert!(vpc_id("vpc-x").is_err());
        assert!(endpoint_id("vpce-11aa22bb").is_ok());
        assert!(org_id("o-a1b2c3d4e5").is_ok());
        assert!(ou_id("ou-ab12-34cd5678").is_ok());
        assert!(ou_id("ou-ab12").is_err());
        assert!(region("us-east-1").is_ok());
        assert!(region("us-gov-west-1").is_ok());
        assert!(region("useast1").is_err());
    }

    #[test]
    fn arns_cidrs_dates() {
        assert!(iam_principal_arn("arn:aws:iam::111122223333:user/Alice", "user").is_ok());
        assert!(iam_principal_arn("arn:aws:iam::111122223333:role/Alice", "user").is_err());
        assert!(kms_key_arn(
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        )
        .is_ok());
        assert!(kms_key_arn(
            "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
        )
        .is_ok());
        assert!(kms_key_arn("arn:aws:kms:us-east-1:111122223333:key/abc").is_err());
        assert!(kms_key_arn("arn:aws:kms:us-east-1:111122223333:key/*").is_err());
        assert!(kms_key_arn("arn:aws:kms:us-east-1:111122223333:alias/x")
            .is_err_and(|e| e.contains("alias")));
        assert!(iam_principal_arn("arn:aws:iam::111122223333:role/Some?ole", "role").is_err());
        assert!(iam_principal_arn("arn:aws:iam::111122223333:role/ops/Admin", "role").is_ok());
        assert!(iam_principal_arn("arn:aws:iam::111122223333:user/a\"b", "user").is_err());
        assert!(iam_principal_arn("arn:aws-cn:iam::111122223333:user/a", "user").is_ok());
        assert!(iam_principal_arn("arn:aws:iam::111122223333:user/", "user").is_err());
        assert!(alert_target_arn("arn:aws:sns:us-east-1:111122223333:Topic").is_ok());
        assert!(alert_target_arn("arn:aws:sns:us-east-1:111122223333:Topic*").is_err());
        assert!(
            alert_target_arn("arn:aws:lambda:us-east-1:111122223333:function:f:$LATEST").is_ok()
        );
        assert!(
            alert_target_arn("arn:aws:events:us-east-1:111122223333:event-bus/default").is_ok()
        );
        assert!(alert_target_arn("arn:aws:s3:::bucket").is_err());
        assert!(cidr("203.0.113.0/24").is_ok());
        assert!(cidr("203.0.113.0/33").is_err());
        assert!(cidr("2001:db8::/32").is_ok());
        assert!(cidr("300.1.1.1").is_err());
        assert_eq!(date("2026-12-31").unwrap(), "2026-12-31T00:00:00Z");
        assert_eq!(
            date("2024-02-29T18:30:00Z").unwrap(),
            "2024-02-29T18:30:00Z"
        );
        assert!(date("2025-02-29").is_err());
        assert_eq!(until("2030-12-31").unwrap(), "2031-01-01T00:00:00Z");
        assert_eq!(until("2024-02-28").unwrap(), "2024-02-29T00:00:00Z");
        assert_eq!(until("2025-02-28").unwrap(), "2025-03-01T00:00:00Z");
        assert_eq!(until("2026-04-30").unwrap(), "2026-05-01T00:00:00Z");
        assert_eq!(until("2026-04-29").unwrap(), "2026-04-30T00:00:00Z");
        assert_eq!(
            until("2030-12-31T18:00:00Z").unwrap(),
            "2030-12-31T18:00:00Z"
        );
        assert!(date("2026-13-01").is_err());
        assert!(date("2026-12-31T25:00:00Z").is_err());
    }

    #[test]
    fn variables() {
        assert!(policy_variable("${aws:username}").is_ok());
        assert!(policy_variable("${cognito-identity.amazonaws.com:sub}").is_ok());
        assert!(policy_variable("${nope}").is_err());
    }
}
