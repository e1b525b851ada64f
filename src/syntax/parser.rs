//! The pest parser generated from grammar/dpol.pest.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/dpol.pest"]
pub struct DpolParser;
