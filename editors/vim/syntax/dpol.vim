" Vim syntax file
" Language:  dpol (DynamoDB access-control policies)
" Filenames: *.dpol
"
" Mirrors grammar/dpol.pest, the source of truth. Keywords end at a character
" that is not [A-Za-z0-9_.-] (pest's ident_char), so `reads` is never `read`
" and `readers`, `vpc-x`, `org.x` are names. tests/editors.rs fails when a
" kw_* rule of the pest grammar is missing from this file.

if exists('b:current_syntax')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syn case match
" Lists continue on the next line after a comma; policy files are small.
syn sync fromstart
" pest's ident_char: A-Z a-z 0-9 _ - .
syn iskeyword 48-57,65-90,97-122,_,45,46

" Names first: every later item that starts at the same column wins over them.
syn match dpolName /\%([A-Za-z0-9_.-]\)\@<![A-Za-z_][A-Za-z0-9_.-]*/

" ---------------------------------------------------------------- keywords
" Declarations. Those that declare a name highlight it as dpolDeclName.
syn keyword dpolDeclaration org region nextgroup=dpolWordValue skipwhite
syn keyword dpolDeclaration ou account vpc endpoint user role group table nextgroup=dpolDeclName skipwhite
syn keyword dpolKeyword index nextgroup=dpolIndexName skipwhite
syn keyword dpolKeyword global local managed by strict grants enforced scp rcp resource replicas
syn keyword dpolKeyword key sort attrs nextgroup=dpolAttr,dpolAttrString skipwhite
syn keyword dpolKeyword to in on with kms keys except via from ip mfa for
syn keyword dpolKeyword until at nextgroup=dpolDate skipwhite
syn keyword dpolKeyword outside
syn keyword dpolEffect allow
" `cannot delete Orders` (a verb) or `cannot DeleteTable on Orders` (actions); a
" keyword beats a match, so verbs stay verbs.
syn keyword dpolEffect cannot nextgroup=dpolVerb,dpolAction skipwhite
syn keyword dpolEffect only nextgroup=dpolOnlyKind skipwhite
syn keyword dpolEffect can nextgroup=dpolCanOnly,dpolVerb,dpolAction skipwhite
" `assert Alice can only read Books`: `only` after `can`, then verbs or actions.
syn keyword dpolCanOnly only contained nextgroup=dpolVerb,dpolAction skipwhite
syn keyword dpolModifier private management encrypted
syn keyword dpolType string number binary
" The access verbs (pest rule `verb`).
syn keyword dpolVerb reads read writes write updates update deletes delete
syn keyword dpolVerb scans scan describes describe scales scale
syn keyword dpolVerb streams stream manages manage
" `breakglass role X`, `exempt role X`, `deployer role X`, `alert on A, B`.
syn keyword dpolDeclaration breakglass exempt deployer nextgroup=dpolBreakglassRole skipwhite
syn keyword dpolDeclaration alert nextgroup=dpolAlertOn skipwhite
" `expect alice can read Orders keys 101`: an expectation `dpol test` checks.
syn keyword dpolDeclaration expect assert
syn keyword dpolEffect nobody
syn keyword dpolBreakglassRole contained role nextgroup=dpolDeclName skipwhite
syn keyword dpolAlertOn contained on nextgroup=dpolAction skipwhite
" `only role App`, `only account prod`, `only org`: references, not declarations.
syn keyword dpolOnlyKind contained user role group account org

syn match dpolDeclName /\%([A-Za-z0-9_.-]\)\@<![A-Za-z_][A-Za-z0-9_.-]*/ contained
syn match dpolIndexName /\%([A-Za-z0-9_.-]\)\@<![A-Za-z_][A-Za-z0-9_.-]*/ contained nextgroup=dpolIndexOn skipwhite
syn keyword dpolIndexOn contained on nextgroup=dpolAttr,dpolAttrString skipwhite

" Attribute names after `attrs`, `key`, `sort` and `index NAME on` (pest attr_word:
" keywords are allowed, `attrs region, key`). A comma continues the list.
syn match dpolAttr /\%([A-Za-z0-9_.-]\)\@<![A-Za-z_][A-Za-z0-9_.-]*/ contained nextgroup=dpolAttrComma skipwhite
syn region dpolAttrString matchgroup=dpolQuote start=/"/ skip=/\\[\\"]/ end=/"/ end=/$/ oneline contained contains=dpolEscape,dpolBadEscape nextgroup=dpolAttrComma skipwhite
syn match dpolAttrComma /,/ contained nextgroup=dpolAttr,dpolAttrString,dpolAttrComment skipwhite skipnl skipempty
syn match dpolAttrComment /#.*$/ contained contains=dpolTodo,@Spell nextgroup=dpolAttr,dpolAttrString,dpolAttrComment skipwhite skipnl skipempty

" IAM actions after `can`, `cannot` and `alert on`: GetItem, Describe*, and in
" expectations kms:Decrypt. A comma continues the list, also on the next line.
syn match dpolAction /\%([A-Za-z]\+:\)\=[A-Za-z*][A-Za-z0-9*]*/ contained nextgroup=dpolActionComma skipwhite
syn match dpolActionComma /,/ contained nextgroup=dpolAction,dpolActionComment skipwhite skipnl skipempty
syn match dpolActionComment /#.*$/ contained contains=dpolTodo,@Spell nextgroup=dpolAction,dpolActionComment skipwhite skipnl skipempty

" ---------------------------------------------------------------- values
" The identifier value of `org`, `region` and `NAME = ...` (pest `word`),
" classified by its shape. The generic id comes first so the shapes win.
syn match dpolAssign /=/ nextgroup=dpolArn,dpolWordValue skipwhite
syn match dpolWordValue /[A-Za-z0-9_.-]\+/ contained contains=dpolAccountId,dpolVpcId,dpolVpceId,dpolOrgId,dpolOuId,dpolRegion
syn match dpolAccountId /\%([A-Za-z0-9_.-]\)\@<!\d\{12}\%([A-Za-z0-9_.-]\)\@!/ contained
syn match dpolVpcId /\%([A-Za-z0-9_.-]\)\@<!vpc-[A-Za-z0-9]\+\%([A-Za-z0-9_.-]\)\@!/ contained
syn match dpolVpceId /\%([A-Za-z0-9_.-]\)\@<!vpce-[A-Za-z0-9]\+\%([A-Za-z0-9_.-]\)\@!/ contained
syn match dpolOrgId /\%([A-Za-z0-9_.-]\)\@<!o-[A-Za-z0-9]\+\%([A-Za-z0-9_.-]\)\@!/ contained
syn match dpolOuId /\%([A-Za-z0-9_.-]\)\@<!ou-[A-Za-z0-9]\+-[A-Za-z0-9]\+\%([A-Za-z0-9_.-]\)\@!/ contained
syn match dpolRegion /\%([A-Za-z0-9_.-]\)\@<![a-z]\{2}\%(-gov\|-iso[a-z]\=\)\=-[a-z]\+-\d\+\%([A-Za-z0-9_.-]\)\@!/ contained

syn match dpolNumber /\%([A-Za-z0-9_.-]\)\@<!-\=\d\+\%(\.\d\+\)\=\%([A-Za-z0-9_.-]\)\@!/

syn match dpolDate /\%([A-Za-z0-9_.:-]\)\@<!\d\{4}-\d\d-\d\d\%(T\d\d:\d\d\%(:\d\d\%(\.\d\+\)\=\)\=\%(Z\|[+-]\d\d:\=\d\d\)\=\)\=\%([A-Za-z0-9_.:+-]\)\@!/
" After `until`, anything shaped like pest's date rule (it is checked later).
syn match dpolDate /\d[A-Za-z0-9:.+-]*/ contained
syn match dpolCidr /\%([A-Za-z0-9_.:-]\)\@<!\d\{1,3}\%(\.\d\{1,3}\)\{3}\%(\/\d\{1,2}\)\=\%([A-Za-z0-9_.:\/-]\)\@!/
syn match dpolCidr /\%([A-Za-z0-9_.:-]\)\@<!\%(\x\{0,4}::\|\%(\x\{1,4}:\)\{2}\)\@=[[:xdigit:]:.]\+\%(\/\d\{1,3}\)\=\%([A-Za-z0-9_.:\/-]\)\@!/

syn match dpolArn /\%([A-Za-z0-9_.-]\)\@<!arn:[^[:space:];,{}#]\+/
syn match dpolVariable /\${[^}[:space:]]\+}/
" Key ranges (after dpolVariable and dpolNumber, so a range starting at the same column wins): 100..200, -5 .. 1.5, ${aws:a}..${aws:b}
syn match dpolRange /\%([A-Za-z0-9_.-]\)\@<!\%(-\=\d\+\%(\.\d\+\)\=\|\${[^}[:space:]]\+}\)\s*\.\.\s*\%(-\=\d\+\%(\.\d\+\)\=\%([A-Za-z0-9_.-]\)\@!\|\${[^}[:space:]]\+}\)/ transparent contains=dpolRangeBound,dpolRangeOp,dpolVariable
syn match dpolRangeBound /-\=\d\+\%(\.\d\+\)\=/ contained
syn match dpolRangeOp /\.\./ contained
syn match dpolWildcard /\*/

syn region dpolString matchgroup=dpolQuote start=/"/ skip=/\\[\\"]/ end=/"/ end=/$/ oneline contains=dpolEscape,dpolBadEscape nextgroup=dpolPrefixStar
syn match dpolBadEscape /\\./ contained
syn match dpolEscape /\\[\\"]/ contained
" `"tenant-42#"*`: a key prefix (no space before the star).
syn match dpolPrefixStar /\*/ contained

syn match dpolDelimiter /[;,:{}]/
syn match dpolComment /#.*$/ contains=dpolTodo,@Spell
syn keyword dpolTodo contained TODO FIXME XXX NOTE

" ---------------------------------------------------------------- colours
hi def link dpolComment      Comment
hi def link dpolActionComment dpolComment
hi def link dpolActionComma  dpolDelimiter
hi def link dpolTodo         Todo
hi def link dpolDeclaration  Structure
hi def link dpolBreakglassRole dpolDeclaration
hi def link dpolKeyword      Keyword
hi def link dpolAlertOn      dpolKeyword
hi def link dpolOnlyKind     dpolDeclaration
hi def link dpolEffect       Conditional
hi def link dpolCanOnly      dpolEffect
hi def link dpolVerb         Statement
hi def link dpolModifier     StorageClass
hi def link dpolType         Type
hi def link dpolDeclName     Identifier
hi def link dpolIndexName    dpolDeclName
hi def link dpolIndexOn      dpolKeyword
hi def link dpolAttrString   dpolString
hi def link dpolAttrComma    dpolDelimiter
hi def link dpolAttrComment  dpolComment
hi def link dpolAction       Function
hi def link dpolString       String
hi def link dpolQuote        dpolString
hi def link dpolEscape       SpecialChar
hi def link dpolBadEscape    Error
hi def link dpolPrefixStar   Special
hi def link dpolWildcard     Special
hi def link dpolVariable     PreProc
hi def link dpolArn          Constant
hi def link dpolWordValue    Constant
hi def link dpolAccountId    Constant
hi def link dpolVpcId        Constant
hi def link dpolVpceId       Constant
hi def link dpolOrgId        Constant
hi def link dpolOuId         Constant
hi def link dpolRegion       Constant
hi def link dpolDate         Constant
hi def link dpolCidr         Constant
hi def link dpolNumber       Number
hi def link dpolRangeBound   Number
hi def link dpolRangeOp      Operator
hi def link dpolAssign       Operator
hi def link dpolDelimiter    Delimiter

let b:current_syntax = 'dpol'
let &cpo = s:cpo_save
unlet s:cpo_save
