//! Helpers shared by the conformance modules: reading vector files from `../shared/conformance`.

use serde_json::Value;

/// The path of a file under the shared conformance corpus.
pub fn path(relative: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance").join(relative)
}

/// A vector file's text.
pub fn text(relative: &str) -> String {
    let p = path(relative);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A vector file, parsed as JSON.
pub fn json(relative: &str) -> Value {
    serde_json::from_str(&text(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}
