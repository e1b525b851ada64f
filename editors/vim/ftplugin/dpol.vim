" Vim filetype plugin for dpol (DynamoDB access-control policies)
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

" `#` comments: gcc / commentary / Neovim's built-in commenting use commentstring.
setlocal commentstring=#\ %s
setlocal comments=:#
setlocal formatoptions-=t formatoptions+=croql
" Names and ids such as vpc-x, us-east-1 and ou-ab12-34cd5678 are one word.
setlocal iskeyword+=-

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< iskeyword<'
