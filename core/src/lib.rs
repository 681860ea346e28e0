//! Accolade core.
#![forbid(unsafe_code)]

pub mod contexts;
pub mod jcs;
pub mod jsonld;
pub mod model;
pub mod rdf;
pub mod rdfc;
pub mod schema;
pub mod keys;
pub mod did;
pub mod canon;
pub mod proof;
pub mod verify;
