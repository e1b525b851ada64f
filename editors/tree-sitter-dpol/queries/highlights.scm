; Highlights for dpol (Neovim, Helix, Zed, tree-sitter CLI).
; Every keyword of grammar/dpol.pest is listed here as a string; tests/editors.rs in
; the main crate fails when one is missing.

(comment) @comment

; ---------------------------------------------------------------- keywords

[
  "org"
  "ou"
  "account"
  "region"
  "vpc"
  "endpoint"
  "user"
  "role"
  "group"
  "table"
  "breakglass"
  "exempt"
  "deployer"
  "alert"
  "expect"
  "assert"
] @keyword.type

[
  "cannot"
  "can"
  "allow"
  "only"
  "nobody"
] @keyword.conditional

; the access verbs (pest rule `verb`)
[
  "reads"
  "read"
  "writes"
  "write"
  "updates"
  "update"
  "deletes"
  "delete"
  "scans"
  "scan"
  "describes"
  "describe"
  "scales"
  "scale"
  "streams"
  "stream"
  "manages"
  "manage"
] @keyword.operator

[
  "private"
  "management"
  "encrypted"
] @keyword.modifier

[
  "string"
  "number"
  "binary"
] @type.builtin

[
  "to"
  "in"
  "key"
  "sort"
  "attrs"
  "index"
  "global"
  "local"
  "managed"
  "by"
  "strict"
  "grants"
  "enforced"
  "scp"
  "rcp"
  "resource"
  "replicas"
  "on"
  "with"
  "kms"
  "keys"
  "except"
  "via"
  "from"
  "ip"
  "until"
  "mfa"
  "for"
  "outside"
  "at"
] @keyword

; ---------------------------------------------------------------- names
; Every name is captured by exactly one pattern (the crate's tests check this), so
; editors that let the first pattern win (Helix, Zed, the CLI) and those that let
; the last one win (Neovim) show the same colours.

(table_decl name: (name) @type)
(ou_decl name: (name) @type.definition)
(account_decl name: (name) @type.definition)
(vpc_decl name: (name) @type.definition)
(endpoint_decl name: (name) @type.definition)
(principal_decl name: (name) @type.definition)
(perimeter_role_decl name: (name) @type.definition)
(index_item name: (name) @type.definition)

; tables a statement applies to
(grant table: (name) @type)
(endpoint_allow table: (name) @type)
(alert_decl table: (name) @type)
(expect_decl table: (name) @type)
(assert_only table: (name) @type)
(assert_nobody table: (name) @type)
(assert_via table: (name) @type)
(assert_can_only table: (name) @type)

; references to principals, accounts, OUs, VPCs and endpoints
(grant principal: (name) @variable)
(expect_decl principal: (name) @variable)
(assert_can_only principal: (name) @variable)
(in_clause name: (name) @variable)
(name_list (name) @variable)
(only_principal name: (name) @variable)
(only_account name: (name) @variable)
(via_clause name: (name) @variable)
(index_clause name: (name) @type)

(attr_word) @property

(aws_managed_key) @constant.builtin

(action) @function
(expect_action) @function

; ---------------------------------------------------------------- values

((word) @constant.numeric
  (#match? @constant.numeric "^[0-9]{12}$"))

((word) @constant
  (#not-match? @constant "^[0-9]{12}$"))

(arn) @string.special.url

(variable) @variable.builtin

(number) @number

(date) @constant

(cidr) @constant

(string) @string

(prefix) @string.special

(star) @character.special

; ---------------------------------------------------------------- punctuation

[
  ";"
  ","
  ":"
] @punctuation.delimiter

[
  "{"
  "}"
] @punctuation.bracket

[
  "="
  ".."
] @operator
