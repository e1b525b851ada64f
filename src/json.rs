//! Reading JSON values with the path of every problem: the layer below the
//! policy grammar ([`crate::iam`]) and the readers of deployed and built
//! documents ([`crate::diff`]).

mod fields;
mod path;
mod problem;

pub(crate) use fields::{
    as_array, as_object, as_str, optional_str, required, required_str, string_set, type_name,
    wrong_type,
};
pub(crate) use path::JsonPath;
pub use problem::InputProblem;
pub use problem::Problem;
