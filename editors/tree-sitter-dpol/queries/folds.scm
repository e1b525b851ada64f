; Folds for dpol: a block, and a statement that continues over several lines.

(table_block) @fold
(endpoint_block) @fold
(grant) @fold
(expect_decl) @fold
