; Scopes, definitions and references for dpol (nvim-treesitter `locals`, Helix, the
; tree-sitter CLI). A program is one scope: every declared name is visible in every
; statement (the files of a directory form one program; editors see one file).

(program) @local.scope

; ---------------------------------------------------------------- definitions

(ou_decl name: (name) @local.definition.namespace)
(account_decl name: (name) @local.definition.namespace)
(vpc_decl name: (name) @local.definition.var)
(endpoint_decl name: (name) @local.definition.var)
(principal_decl name: (name) @local.definition.var)
(perimeter_role_decl name: (name) @local.definition.var)
(table_decl name: (name) @local.definition.type)

; ---------------------------------------------------------------- references

(in_clause name: (name) @local.reference)
(name_list (name) @local.reference)
(only_principal name: (name) @local.reference)
(only_account name: (name) @local.reference)
(via_clause name: (name) @local.reference)
(grant principal: (name) @local.reference)
(grant table: (name) @local.reference)
(expect_decl principal: (name) @local.reference)
(expect_decl table: (name) @local.reference)
(endpoint_allow table: (name) @local.reference)
(alert_decl table: (name) @local.reference)
(assert_can_only principal: (name) @local.reference)
(assert_can_only table: (name) @local.reference)
(assert_via table: (name) @local.reference)
