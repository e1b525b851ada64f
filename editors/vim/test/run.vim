" Headless syntax test for editors/vim; run it through run.sh.
"
" The sample file holds dpol lines followed by assertion lines:
"   #     ^^^^^ dpolVerb       the columns under the carets, on the nearest line
"                              above that is not an assertion, have this group
"   # <---- dpolDeclaration    the same for the first 4 columns (one per dash)
"   #     ^^^^^ - dpolVerb     ... do NOT have this group
" The group is synIDattr(synID(line, col, 1), 'name'): the innermost syntax item.
let s:root = fnamemodify(resolve(expand('<sfile>:p')), ':h:h')
let s:sample = empty($DPOL_VIM_SAMPLE) ? s:root . '/test/sample.dpol' : $DPOL_VIM_SAMPLE
let s:out = empty($DPOL_VIM_TEST_OUT) ? '/dev/stdout' : $DPOL_VIM_TEST_OUT
let s:errors = []
let s:passed = 0

function! s:Check(ok, msg) abort
  if a:ok
    let s:passed += 1
  else
    call add(s:errors, a:msg)
  endif
endfunction

try
  let &runtimepath = s:root . ',' . $VIMRUNTIME
  filetype plugin on
  syntax on
  execute 'edit ' . fnameescape(s:sample)
  let s:name = fnamemodify(s:sample, ':t')

  " ftdetect and ftplugin
  call s:Check(&filetype ==# 'dpol', 'ftdetect: filetype is "' . &filetype . '", expected "dpol"')
  call s:Check(&commentstring ==# '# %s', 'ftplugin: commentstring is "' . &commentstring . '", expected "# %s"')
  call s:Check(index(split(&iskeyword, ','), '-') >= 0, 'ftplugin: iskeyword "' . &iskeyword . '" lacks "-"')
  call s:Check(exists('b:current_syntax') && b:current_syntax ==# 'dpol', 'syntax/dpol.vim was not loaded')

  let s:target = 0
  let s:asserts = 0
  for s:lnum in range(1, line('$'))
    let s:m = matchlist(getline(s:lnum), '^#\(\s*\)\(\^\+\|<-\+\)\s\+\(-\s\+\)\=\(\w\+\)\s*$')
    if empty(s:m)
      let s:target = s:lnum
      continue
    endif
    let s:asserts += 1
    if s:m[2][0] ==# '<'
      let [s:first, s:last] = [1, len(s:m[2]) - 1]
    else
      let s:first = 2 + len(s:m[1])
      let s:last = s:first + len(s:m[2]) - 1
    endif
    let s:negated = !empty(s:m[3])
    let s:want = s:m[4]
    let s:text = getline(s:target)
    for s:col in range(s:first, s:last)
      let s:got = synIDattr(synID(s:target, s:col, 1), 'name')
      let s:where = printf('%s:%d:%d (%s)', s:name, s:target, s:col, strpart(s:text, s:col - 1, 1))
      if s:negated
        call s:Check(s:got !=# s:want, printf('%s: expected not %s, got %s  | %s', s:where, s:want, s:got, s:text))
      else
        call s:Check(s:got ==# s:want, printf('%s: expected %s, got %s  | %s', s:where, s:want, empty(s:got) ? '(none)' : s:got, s:text))
      endif
    endfor
  endfor
  call s:Check(s:asserts > 0, 'no assertions found in ' . s:sample)
catch
  call add(s:errors, 'run.vim: ' . v:exception . ' at ' . v:throwpoint)
endtry

call writefile(s:errors + [printf('vim syntax: %d passed, %d failed', s:passed, len(s:errors))], s:out, 'a')
if empty(s:errors)
  qall!
else
  cquit 1
endif
