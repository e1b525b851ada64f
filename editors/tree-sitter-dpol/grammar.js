/**
 * @file tree-sitter grammar for dpol, the DynamoDB access-control policy language.
 * @license MIT
 *
 * Mirrors grammar/dpol.pest (the source of truth; node names follow its rule names).
 * Statements end at `;` or a newline, so newlines are tokens here, not extras; a list
 * (`a, b`) may go on after a comma on the next line.
 *
 * Keywords: every keyword of the pest grammar is a string literal below and is
 * listed in queries/highlights.scm; tests/editors.rs (in the main crate) fails when
 * a kw_* rule is missing from either file. `word: $ => $.name` gives each keyword
 * the same boundary as pest's `!ident_char`: `reads` never matches `read`, and
 * `readers` or `vpc-x` are names.
 */

/// `item (, item)*`, where a newline may follow each comma.
function commaList($, item) {
  return seq(item, repeat(seq(',', repeat($._newline), item)));
}

/// `{ rule (sep rule)* }` with any number of separators around the rules.
function block($, rule) {
  return seq('{', repeat($._sep), optional(seq(rule, repeat(seq($._sep, optional(rule))))), '}');
}

module.exports = grammar({
  name: 'dpol',

  extras: $ => [/[ \t\r]/, $.comment],

  word: $ => $.name,

  // After a grant, a newline ends the statement unless a clause (`keys`, `attrs`,
  // `via`, ...) follows on a later line; one token of lookahead cannot tell, so the
  // parser tries both (GLR) and keeps the one that parses.
  conflicts: $ => [[$.grant], [$.expect_decl]],

  rules: {
    program: $ => seq(repeat($._sep), optional(seq($._statement, repeat(seq($._sep, optional($._statement)))))),

    _sep: $ => choice(';', $._newline),
    _newline: _ => /\n/,

    _statement: $ => choice(
      $.org_decl,
      $.ou_decl,
      $.account_decl,
      $.region_decl,
      $.vpc_decl,
      $.endpoint_decl,
      $.principal_decl,
      $.table_decl,
      $.perimeter_role_decl,
      $.all_tables_decl,
      $.alert_decl,
      $.expect_decl,
      $.assert_decl,
      $.grant,
    ),

    // ------------------------------------------------------------ declarations

    org_decl: $ => seq('org', field('id', $.word)),

    ou_decl: $ => seq('ou', field('name', $.name), '=', field('id', $.word)),

    account_decl: $ => seq(
      'account', field('name', $.name), '=', field('id', $.word),
      optional($.in_clause), optional($.management),
    ),
    management: _ => seq('management'),

    region_decl: $ => seq('region', field('region', $.word)),

    vpc_decl: $ => seq('vpc', field('name', $.name), '=', field('id', $.word), optional($.in_clause)),

    endpoint_decl: $ => seq(
      'endpoint', field('name', $.name), '=', field('id', $.word),
      optional($.in_clause), optional($.endpoint_block),
    ),
    endpoint_block: $ => block($, choice($.endpoint_allow, $.endpoint_only, $.endpoint_from)),
    endpoint_allow: $ => seq(
      'allow', optional(choice($.endpoint_can, $.verb_list)), optional('on'), $._table_target,
    ),
    endpoint_can: $ => seq('can', $.action_list),
    endpoint_from: _ => seq('from', 'grants'),
    endpoint_only: $ => seq('only', choice($.only_principal, $.only_account, $.only_org)),
    only_principal: $ => seq($.principal_kind, field('name', $.name)),
    only_account: $ => seq('account', field('name', $.name)),
    only_org: _ => seq('org'),

    principal_decl: $ => seq(
      $.principal_kind, field('name', $.name),
      optional(choice(seq('=', $.arn), $.in_clause)),
    ),
    principal_kind: _ => choice('user', 'role', 'group'),

    table_decl: $ => seq(
      'table', field('name', $.name),
      optional($.in_clause), optional($.private_clause), optional($.table_block),
    ),
    // `table * private to prodvpc in production`
    all_tables_decl: $ => seq('table', $.star, $.private_clause),
    private_clause: $ => seq(
      'private', 'to', $.name_list, optional($.scope_clause), optional($.layers_clause), optional('strict'),
    ),
    layers_clause: $ => seq('enforced', 'by', commaList($, $.layer)),
    layer: _ => choice('scp', 'rcp', 'resource'),
    scope_clause: $ => seq('in', $.name_list),
    table_block: $ => block($, choice($.key_item, $.sort_item, $.attrs_item, $.index_item, $.kms_item, $.replicas_item)),
    key_item: $ => seq('key', field('name', $._attr_name), ':', $.key_type),
    sort_item: $ => seq('sort', field('name', $._attr_name), ':', $.key_type),
    key_type: _ => choice('string', 'number', 'binary'),
    attrs_item: $ => seq('attrs', $.attr_list),
    // `global index ByOwner on owner, created`, `local index ByDate on created`
    index_item: $ => seq(
      optional(field('scope', $.index_scope)), 'index', field('name', $.name),
      optional(seq('on', $.attr_list)),
    ),
    index_scope: _ => choice('global', 'local'),
    kms_item: $ => seq('encrypted', 'with', 'kms', choice(commaList($, $.arn), $.aws_managed_key)),
    // `replicas eu-west-1, ap-southeast-2`
    replicas_item: $ => seq('replicas', commaList($, $.word)),
    aws_managed_key: _ => 'aws/dynamodb',

    // `breakglass role Emergency in prod managed by SecurityAdmin`, `exempt role X`, `deployer role X`
    perimeter_role_decl: $ => seq(
      field('use', $.role_use), 'role', field('name', $.name),
      optional(choice(seq('=', $.arn), $.in_clause)),
      optional($.managed_clause),
    ),
    role_use: _ => choice('breakglass', 'exempt', 'deployer'),
    managed_clause: $ => seq('managed', 'by', $.name_list),

    alert_decl: $ => seq(
      'alert', 'on', $.action_list,
      optional(seq('for', $._table_target)),
      'to', $.arn,
    ),

    in_clause: $ => seq('in', field('name', $.name)),

    // ------------------------------------------------------------ grants

    grant: $ => seq(
      field('principal', $.name),
      choice($.deny_verbs, $.can_actions, $.verb_list),
      optional(seq(optional('on'), $._table_target)),
      // each clause may start the next line (pest: `(nl? ~ clause)*`): one line
      // break, no blank line and no comment line in between
      repeat(seq(optional($._newline), $._clause)),
    ),
    // `cannot delete Orders`, `cannot DeleteTable on Orders`
    deny_verbs: $ => seq('cannot', choice($.verb_list, $.action_list)),
    can_actions: $ => seq('can', $.action_list),
    verb_list: $ => commaList($, $.verb),
    // The access verbs (pest rule `verb`).
    verb: _ => choice(
      'reads', 'read', 'writes', 'write', 'updates', 'update', 'deletes', 'delete',
      'scans', 'scan', 'describes', 'describe', 'scales', 'scale',
      'streams', 'stream', 'manages', 'manage',
    ),
    action_list: $ => commaList($, $.action),
    // An IAM action name without its prefix: GetItem, Describe*.
    action: _ => /[A-Za-z*][A-Za-z0-9*]*/,
    _table_target: $ => choice($.star, field('table', $.name)),
    star: _ => '*',

    _clause: $ => choice(
      $.keys_clause, $.attrs_clause, $.except_clause, $.index_clause, $.via_clause,
      $.ip_clause, $.from_clause, $.until_clause, $.mfa_clause,
    ),
    keys_clause: $ => seq('keys', choice($.key_range, $.key_values)),
    key_range: $ => seq($._key_bound, '..', $._key_bound),
    _key_bound: $ => choice($.number, $.variable),
    key_values: $ => commaList($, choice($.prefix, $.string, $.number, $.variable)),
    attrs_clause: $ => seq('attrs', $.attr_list),
    except_clause: $ => seq('except', 'attrs', $.attr_list),
    index_clause: $ => seq('index', field('name', $.name)),
    via_clause: $ => seq('via', field('name', $.name)),
    ip_clause: $ => seq('from', 'ip', commaList($, $.cidr)),
    until_clause: $ => seq('until', $.date),
    from_clause: $ => seq('from', $.date),
    mfa_clause: _ => seq('with', 'mfa'),

    // ------------------------------------------------------------ expectations

    // `expect Alice can read ProductCatalog keys 101 attrs Id, Title`
    expect_decl: $ => seq(
      'expect',
      field('principal', $.name),
      $.expect_sense,
      choice($.verb_list, $.expect_actions),
      optional(seq(optional('on'), $._table_target)),
      repeat(seq(optional($._newline), $._expect_clause)),
    ),
    expect_sense: _ => choice('cannot', 'can'),
    expect_actions: $ => commaList($, $.expect_action),
    // One action, no wildcard: GetItem, dynamodb:Query, kms:Decrypt.
    expect_action: _ => /([A-Za-z]+:)?[A-Za-z][A-Za-z0-9]*/,
    _expect_clause: $ => choice(
      $.keys_clause, $.attrs_clause, $.index_clause, $.via_clause, $.outside_clause,
      $.ip_clause, $.at_clause, $.mfa_clause,
    ),
    outside_clause: _ => seq('outside'),

    // `assert only Emergency can DeleteTable on Orders`, `assert nobody can write Payroll`,
    // `assert Orders only via prodvpc except Pipeline`, `assert Alice can only read Books keys 100..200`
    assert_decl: $ => seq('assert', choice($.assert_only, $.assert_nobody, $.assert_can_only, $.assert_via)),
    assert_only: $ => seq(
      'only', $.name_list, 'can', choice($.verb_list, $.expect_actions), optional('on'), $._table_target,
    ),
    assert_nobody: $ => seq(
      'nobody', 'can', choice($.verb_list, $.expect_actions), optional('on'), $._table_target,
    ),
    assert_can_only: $ => seq(
      field('principal', $.name), 'can', 'only', choice($.verb_list, $.expect_actions), optional('on'),
      $._table_target, optional($.keys_clause),
    ),
    assert_via: $ => seq(
      field('table', $.name), 'only', 'via', $.name_list,
      optional(seq('except', field('except', $.name_list))),
    ),
    at_clause: $ => seq('at', $.date),

    // ------------------------------------------------------------ tokens

    name_list: $ => commaList($, $.name),
    attr_list: $ => commaList($, $._attr_name),
    // an attribute name: any word, keywords included (`key region: string`). It is
    // the `name` token renamed: keywords are only keywords where the grammar allows one.
    _attr_name: $ => choice(alias($.name, $.attr_word), $.string),

    // Orders, alice, vpc-x (pest: !keyword ~ (ASCII_ALPHA | "_") ~ ident_char*)
    name: _ => /[A-Za-z_][A-Za-z0-9_.\-]*/,
    // account ids, vpc-…, vpce-…, o-…, ou-… ids, regions (checked later)
    word: _ => /[A-Za-z0-9_.\-]+/,
    arn: _ => /arn:[^\s;,{}#]+/,
    number: _ => /-?[0-9]+(\.[0-9]+)?/,
    // Any escape is accepted (pest allows only \" and \\; the compiler reports the rest),
    // so one bad escape does not turn the rest of the file into errors.
    string: _ => /"([^"\\\n]|\\.)*"/,
    // "tenant-42#"*: a string immediately followed by `*`
    prefix: _ => /"([^"\\\n]|\\.)*"\*/,
    variable: _ => /\$\{[^}\s]+\}/,
    date: _ => /[0-9][A-Za-z0-9:.+\-]*/,
    cidr: _ => /[0-9A-Fa-f:.]+(\/[0-9]+)?/,

    comment: _ => token(seq('#', /[^\n]*/)),
  },
});
