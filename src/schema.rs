//! The JSON Schemas (draft 2020-12) of dpol's machine-readable outputs,
//! derived from the very types that serialize them. They are published as
//! `docs/schemas/NAME.schema.json`; `tests/schemas.rs` fails when a type
//! changes and the published schema does not, and validates the outputs of
//! the test suite against them. Each output names its `format_version`,
//! bumped (and marked ★J in CHANGELOG.md) when its shape changes
//! incompatibly; members may be added without a bump.

/// The schema of what `T` serializes to: a member serde leaves out when it
/// is empty (`skip_serializing_if`) is not required.
pub(crate) fn of<T: schemars::JsonSchema>() -> schemars::Schema {
    schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>()
}

/// Every schema: its name (`manifest`: `docs/schemas/manifest.schema.json`)
/// and its JSON text, pretty-printed with a final newline.
pub fn all() -> Vec<(&'static str, String)> {
    [
        ("manifest", crate::emit::write::schema()),
        ("diagnostics", crate::diag::render::json::schema()),
        ("diff", crate::diff::render::json::schema()),
        ("why", of::<crate::why::JsonAnswer<'static>>()),
    ]
    .into_iter()
    .map(|(name, schema)| {
        let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        (name, text + "\n")
    })
    .collect()
}
