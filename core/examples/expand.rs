//! Prints the expanded form and the N-Quads of a JSON-LD file, using the bundled contexts.
//!
//! `cargo run -p accolade-core --example expand -- FILE`
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: expand FILE")?;
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let expanded = accolade_core::jsonld::expand(&doc)?;
    println!("{}", serde_json::to_string_pretty(&expanded)?);
    let quads = accolade_core::jsonld::to_rdf(&doc)?;
    print!("{}", accolade_core::rdf::to_nquads(&quads));
    Ok(())
}
