//! `dpol diff`: compiled policies versus what is deployed.
//!
//! The stages, each in its own module:
//!
//! - reading: [`read_deployed_set`] recognizes AWS CLI outputs by their shape,
//!   [`read_build_dir`] reads a `dpol build` output directory; both give
//!   [`crate::iam::Document`]s and check every document against the policy grammar dpol
//!   emits, failing with a diagnostic that names the file and JSON path;
//! - [`normalize()`]: the canonical form of a document, so that formatting,
//!   order, `Sid`s and letter case where AWS ignores it are not changes;
//! - [`compare()`]: pairs compiled and deployed documents into a [`DiffReport`]
//!   with, for each changed document, a unified diff of the canonical JSON and
//!   an access delta whose lines say whether they broaden or narrow access;
//! - renderers: [`render_terminal`], [`render_markdown`] (a sticky PR
//!   comment), [`render_json`].
//!
//! Nothing here panics on bad input; every stage sorts and merges instead of
//! comparing all pairs.

mod arn;
mod build_dir;
mod compare;
mod delta;
mod deployed;
mod document;
mod error;
mod fact;
mod json_locate;
mod json_text;
mod normalize;
mod origin_hint;
mod pairing;
mod percent_decode;
mod program;
pub(crate) mod render;
mod report;
mod words;

pub use build_dir::read_build_dir;
pub use compare::{compare, compare_in, Context};
pub use deployed::{read_deployed, read_deployed_set};
pub use error::locate_in_input;
pub use normalize::normalize;
pub use program::Program;
pub use render::{render_json, render_markdown, render_terminal, MARKDOWN_LIMIT, MARKDOWN_MARKER};
pub use report::{
    AccessChange, DeltaLine, DiffReport, Direction, DocDiff, Inputs, Side, Status, Summary,
};
