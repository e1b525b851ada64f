" dpol: DynamoDB access-control policies
autocmd BufNewFile,BufRead *.dpol setfiletype dpol
