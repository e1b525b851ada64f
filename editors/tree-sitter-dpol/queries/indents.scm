; Indentation for dpol (nvim-treesitter `indents`, Helix): a block's items are
; indented, its `}` is not; a grant's or an expectation's continuation lines are.

(table_block) @indent.begin
(endpoint_block) @indent.begin
(table_block "}" @indent.end @indent.branch)
(endpoint_block "}" @indent.end @indent.branch)
(grant) @indent.begin
(expect_decl) @indent.begin
