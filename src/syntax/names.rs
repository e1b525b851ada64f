//! User-facing names for grammar rules, and pest errors turned into E0101.
//!
//! `rule_name` has no wildcard arm: adding a rule to the grammar without a
//! name here fails to compile.

use pest::error::{ErrorVariant, InputLocation};

use super::parser::Rule;
use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Every keyword, read from the grammar itself (`kw_x = @{ "x" ~ !ident_char }`),
/// in the grammar's order.
pub fn keywords() -> Vec<&'static str> {
    const GRAMMAR: &str = include_str!("../../grammar/dpol.pest");
    GRAMMAR
        .lines()
        .filter(|line| line.starts_with("kw_"))
        .filter_map(|line| line.split('"').nth(1))
        .collect()
}

/// How a rule is named in "expected …" messages.
///
/// Long on purpose: one arm per grammar rule and no wildcard, so that a rule
/// added to `grammar/dpol.pest` without a name here does not compile. A
/// table, not logic.
fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of input",
        Rule::WHITESPACE | Rule::COMMENT | Rule::ident_char => "whitespace",
        Rule::sep | Rule::nl => "a new line or `;`",
        Rule::statement | Rule::keyword => "a statement",
        Rule::endpoint_rule => "`allow`, `only` or `from grants`",
        Rule::table_item => {
            "`key`, `sort`, `attrs`, `global index`, `local index`, `replicas` or `encrypted with kms`"
        }
        Rule::grant_action => "a verb such as `reads`, `cannot` or `can`",
        Rule::clause => {
            "a clause such as `keys`, `attrs`, `index`, `via`, `from ip`, `until` or `with mfa`"
        }
        Rule::key_bound => "a number",
        Rule::key_value => "a key value",
        Rule::attr_name => "an attribute name",
        Rule::program => "a statement",
        Rule::org_decl => "`org`",
        Rule::ou_decl => "`ou`",
        Rule::account_decl => "`account`",
        Rule::management => "`management`",
        Rule::region_decl => "`region`",
        Rule::vpc_decl => "`vpc`",
        Rule::endpoint_decl => "`endpoint`",
        Rule::endpoint_block => "`{`",
        Rule::endpoint_allow => "`allow`",
        Rule::endpoint_can => "`can`",
        Rule::endpoint_from => "`from grants`",
        Rule::endpoint_only => "`only`",
        Rule::only_principal => "`role`, `user` or `group`",
        Rule::only_account => "`account`",
        Rule::only_org => "`org`",
        Rule::principal_decl => "`user`, `role` or `group`",
        Rule::principal_kind => "`user`, `role` or `group`",
        Rule::table_decl => "`table`",
        Rule::private_clause => "`private to`",
        Rule::scope_clause => "`in`",
        Rule::table_block => "`{`",
        Rule::key_item => "`key`",
        Rule::sort_item => "`sort`",
        Rule::key_type => "a key type (`string`, `number` or `binary`)",
        Rule::attrs_item => "`attrs`",
        Rule::index_item => "`global index` or `local index`",
        Rule::index_scope => "`global` or `local`",
        Rule::index_clause => "`index`",
        Rule::kms_item => "`encrypted with kms`",
        Rule::perimeter_role_decl => "`breakglass`, `exempt` or `deployer`",
        Rule::role_use => "`breakglass`, `exempt` or `deployer`",
        Rule::managed_clause => "`managed by`",
        Rule::strict => "`strict`",
        Rule::all_tables_decl => "`table *`",
        Rule::layers_clause => "`enforced by`",
        Rule::layer => "`scp`, `rcp` or `resource`",
        Rule::alert_decl => "`alert`",
        Rule::in_clause => "`in`",
        Rule::grant => "a grant such as `alice reads Orders`",
        Rule::deny_verbs => "`cannot`",
        Rule::can_actions => "`can`",
        Rule::verb_list | Rule::verb => "a verb such as `reads`, `writes` or `scans`",
        Rule::action_list | Rule::action => "an action name such as `GetItem`",
        Rule::table_target => "a table name or `*`",
        Rule::star => "`*`",
        Rule::keys_clause => "`keys`",
        Rule::key_range => "a key range such as `100..200`",
        Rule::key_values => "key values",
        Rule::prefix => "a prefix such as `\"tenant-\"*`",
        Rule::attrs_clause => "`attrs`",
        Rule::except_clause => "`except attrs`",
        Rule::via_clause => "`via`",
        Rule::ip_clause => "`from ip`",
        Rule::until_clause => "`until`",
        Rule::from_clause => "`from`",
        Rule::aws_managed_key => "`aws/dynamodb`",
        Rule::kms_keys => "a KMS key ARN",
        Rule::replicas_item => "`replicas`",
        Rule::kw_replicas => "`replicas`",
        Rule::mfa_clause => "`with mfa`",
        Rule::expect_decl => "an expectation such as `expect alice can read Orders`",
        Rule::expect_sense => "`can` or `cannot`",
        Rule::expect_actions | Rule::expect_action => {
            "an action name such as `GetItem` or `kms:Decrypt`"
        }
        Rule::expect_clause => {
            "a clause such as `keys`, `attrs`, `index`, `via`, `outside`, `from ip`, `at` or `with mfa`"
        }
        Rule::outside_clause => "`outside`",
        Rule::at_clause => "`at`",
        Rule::kw_expect => "`expect`",
        Rule::kw_outside => "`outside`",
        Rule::kw_at => "`at`",
        Rule::assert_decl => "an assertion such as `assert nobody can write Payroll`",
        Rule::assert_only => "`only`",
        Rule::assert_nobody => "`nobody`",
        Rule::assert_via => "`TABLE only via NETWORK`",
        Rule::assert_except => "`except NAMES`",
        Rule::assert_can_only => "`PRINCIPAL can only …`",
        Rule::kw_assert => "`assert`",
        Rule::kw_nobody => "`nobody`",
        Rule::name_list => "a list of names",
        Rule::attr_list => "a list of attribute names",
        Rule::name => "a name",
        Rule::attr_word => "an attribute name",
        Rule::word => "an id",
        Rule::arn => "an ARN (`arn:aws:…`)",
        Rule::number => "a number",
        Rule::string | Rule::string_inner => "a quoted string",
        Rule::variable => "a policy variable such as `${aws:username}`",
        Rule::date => "a date such as `2026-12-31`",
        Rule::cidr => "an IP address or CIDR block",
        Rule::kw_org => "`org`",
        Rule::kw_ou => "`ou`",
        Rule::kw_account => "`account`",
        Rule::kw_region => "`region`",
        Rule::kw_vpc => "`vpc`",
        Rule::kw_endpoint => "`endpoint`",
        Rule::kw_user => "`user`",
        Rule::kw_role => "`role`",
        Rule::kw_group => "`group`",
        Rule::kw_table => "`table`",
        Rule::kw_breakglass => "`breakglass`",
        Rule::kw_exempt => "`exempt`",
        Rule::kw_deployer => "`deployer`",
        Rule::kw_managed => "`managed`",
        Rule::kw_by => "`by`",
        Rule::kw_strict => "`strict`",
        Rule::kw_enforced => "`enforced`",
        Rule::kw_scp => "`scp`",
        Rule::kw_rcp => "`rcp`",
        Rule::kw_resource => "`resource`",
        Rule::kw_alert => "`alert`",
        Rule::kw_private => "`private`",
        Rule::kw_to => "`to`",
        Rule::kw_in => "`in`",
        Rule::kw_management => "`management`",
        Rule::kw_key => "`key`",
        Rule::kw_sort => "`sort`",
        Rule::kw_attrs => "`attrs`",
        Rule::kw_index => "`index`",
        Rule::kw_global => "`global`",
        Rule::kw_local => "`local`",
        Rule::kw_on => "`on`",
        Rule::kw_encrypted => "`encrypted`",
        Rule::kw_with => "`with`",
        Rule::kw_kms => "`kms`",
        Rule::kw_keys => "`keys`",
        Rule::kw_except => "`except`",
        Rule::kw_via => "`via`",
        Rule::kw_from => "`from`",
        Rule::kw_ip => "`ip`",
        Rule::kw_until => "`until`",
        Rule::kw_mfa => "`mfa`",
        Rule::kw_cannot => "`cannot`",
        Rule::kw_can => "`can`",
        Rule::kw_allow => "`allow`",
        Rule::kw_grants => "`grants`",
        Rule::kw_only => "`only`",
        Rule::kw_for => "`for`",
        Rule::kw_string => "`string`",
        Rule::kw_number => "`number`",
        Rule::kw_binary => "`binary`",
        Rule::kw_reads
        | Rule::kw_read
        | Rule::kw_writes
        | Rule::kw_write
        | Rule::kw_updates
        | Rule::kw_update
        | Rule::kw_deletes
        | Rule::kw_delete
        | Rule::kw_scans
        | Rule::kw_scan
        | Rule::kw_describes
        | Rule::kw_describe
        | Rule::kw_scales
        | Rule::kw_scale
        | Rule::kw_streams
        | Rule::kw_stream
        | Rule::kw_manages
        | Rule::kw_manage => "a verb such as `reads`, `writes` or `scans`",
    }
}

/// The keywords a statement can start with (a grant starts with a name).
pub const STATEMENT_KEYWORDS: [&str; 16] = [
    "org",
    "ou",
    "account",
    "region",
    "vpc",
    "endpoint",
    "user",
    "role",
    "group",
    "table",
    "breakglass",
    "exempt",
    "deployer",
    "alert",
    "expect",
    "assert",
];

/// Rules that can start a statement: reported together as one phrase.
fn starts_statement(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_org
            | Rule::kw_ou
            | Rule::kw_account
            | Rule::kw_region
            | Rule::kw_vpc
            | Rule::kw_endpoint
            | Rule::kw_user
            | Rule::kw_role
            | Rule::kw_group
            | Rule::kw_table
            | Rule::kw_breakglass
            | Rule::kw_exempt
            | Rule::kw_deployer
            | Rule::role_use
            | Rule::kw_alert
            | Rule::kw_expect
            | Rule::kw_assert
            | Rule::principal_kind
            | Rule::org_decl
            | Rule::ou_decl
            | Rule::account_decl
            | Rule::region_decl
            | Rule::vpc_decl
            | Rule::endpoint_decl
            | Rule::principal_decl
            | Rule::table_decl
            | Rule::all_tables_decl
            | Rule::perimeter_role_decl
            | Rule::alert_decl
            | Rule::expect_decl
            | Rule::assert_decl
            | Rule::grant
    )
}

/// Turns a pest error into one E0101 diagnostic in the user's words.
pub fn syntax_error(file: FileId, text: &str, error: &pest::error::Error<Rule>) -> Diagnostic {
    let offset = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((start, _)) => start,
    };
    let found = found_token(text, offset);
    let span = Span::new(file, offset, offset + found.len());
    let (expected, words) = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            (describe_expected(positives), expected_words(positives))
        }
        ErrorVariant::CustomError { message } => (message.clone(), Vec::new()),
    };
    let shown = if found.is_empty() {
        if offset >= text.len() {
            "end of input".to_string()
        } else {
            "end of line".to_string()
        }
    } else {
        format!("`{found}`")
    };
    let mut diagnostic = Diagnostic::new(
        Code::SyntaxError,
        span,
        format!("expected {expected}, found {shown}"),
    )
    .label(format!("expected {expected}"));
    if let Some(help) = keyword_typo_help(text, offset) {
        diagnostic = diagnostic.help(help);
    } else if let Some(close) = misspelt_word(found, &words) {
        diagnostic = diagnostic.did_you_mean(span, close);
    }
    diagnostic
}

/// The keywords the parser would have accepted at the error: each `kw_*`
/// rule's word (the rule is named after it), the key types for `key_type`,
/// the verbs for `verb`.
fn expected_words(positives: &[Rule]) -> Vec<&'static str> {
    let known = keywords();
    let mut words = Vec::new();
    for rule in positives {
        if *rule == Rule::key_type {
            words.extend(["string", "number", "binary"]);
            continue;
        }
        if matches!(rule, Rule::verb | Rule::verb_list) {
            // `reads` in grants, `read` in expectations: the grammar takes both.
            for verb in crate::vocab::Verb::ALL {
                words.extend([verb.keyword(), verb.singular()]);
            }
            continue;
        }
        let name = format!("{rule:?}");
        if let Some(word) = name.strip_prefix("kw_") {
            if let Some(&word) = known.iter().find(|k| **k == word) {
                words.push(word);
            }
        }
    }
    words
}

/// The expected keyword a bare word at the error (`raeds`, `strng`) is a
/// misspelling of, if one is close.
fn misspelt_word<'w>(found: &str, words: &[&'w str]) -> Option<&'w str> {
    if found.is_empty() || !found.chars().all(|c| c.is_ascii_alphabetic()) || words.contains(&found)
    {
        return None;
    }
    crate::diag::suggest::did_you_mean(found, words.iter().copied())
}

fn describe_expected(positives: &[Rule]) -> String {
    let mut phrases: Vec<&'static str> = Vec::new();
    let mut statement = false;
    for &rule in positives {
        if starts_statement(rule) {
            statement = true;
            continue;
        }
        let phrase = rule_name(rule);
        if !phrases.contains(&phrase) {
            phrases.push(phrase);
        }
    }
    if statement {
        phrases.insert(
            0,
            "a declaration (`table`, `user`, `account`, …) or a grant such as `alice reads Orders`",
        );
    }
    match phrases.len() {
        0 => "something else".to_string(),
        1 => phrases[0].to_string(),
        n => format!("{} or {}", phrases[..n - 1].join(", "), phrases[n - 1]),
    }
}

/// The token at `offset`: up to the next whitespace or separator, at most 40 bytes.
fn found_token(text: &str, offset: usize) -> &str {
    let rest = text.get(offset..).unwrap_or("");
    let end = rest
        .char_indices()
        .find(|&(i, c)| c.is_whitespace() || (i > 0 && matches!(c, ';' | ',' | '{' | '}')))
        .map_or(rest.len(), |(i, c)| if i == 0 { c.len_utf8() } else { i })
        .min(40);
    let mut end = end;
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    if rest.starts_with(char::is_whitespace) {
        ""
    } else {
        &rest[..end]
    }
}

/// When the statement that failed starts with a misspelt keyword (`tabel`),
/// name the keyword.
fn keyword_typo_help(text: &str, offset: usize) -> Option<String> {
    let line_start = text.get(..offset)?.rfind(['\n', ';']).map_or(0, |i| i + 1);
    let first = text
        .get(line_start..offset)?
        .split_whitespace()
        .next()?
        .trim_end_matches(',');
    if keywords().contains(&first) {
        return None;
    }
    let suggestion = crate::diag::suggest::did_you_mean(first, STATEMENT_KEYWORDS)?;
    Some(format!(
        "`{first}` is read as a principal's name; did you mean the keyword `{suggestion}`?"
    ))
}
