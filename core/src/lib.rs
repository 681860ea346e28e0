//! Accolade core.
#![forbid(unsafe_code)]

pub mod contexts;
pub mod jcs;
pub mod jsonld;
pub mod rdf;
pub mod rdfc;
