//! The dpol grammar for [tree-sitter](https://tree-sitter.github.io/).
//!
//! ```
//! let code = "alice reads Orders keys 100..200\n";
//! let mut parser = tree_sitter::Parser::new();
//! let language = tree_sitter_dpol::LANGUAGE;
//! parser.set_language(&language.into()).expect("Error loading dpol parser");
//! let tree = parser.parse(code, None).unwrap();
//! assert!(!tree.root_node().has_error());
//! ```

use tree_sitter_language::LanguageFn;

extern "C" {
    fn tree_sitter_dpol() -> *const ();
}

/// The tree-sitter [`LanguageFn`] for dpol.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_dpol) };

/// The content of the [`node-types.json`] file for this grammar.
///
/// [`node-types.json`]: https://tree-sitter.github.io/tree-sitter/using-parsers/6-static-node-types
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// The syntax highlighting query for dpol.
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

#[cfg(test)]
mod tests {
    #[test]
    fn test_can_load_grammar() {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&super::LANGUAGE.into())
            .expect("Error loading dpol parser");
    }
}
