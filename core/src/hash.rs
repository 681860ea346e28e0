//! Hash maps and sets keyed by document content (IRIs, terms, RDF terms and quads).
//!
//! They are on the hot path of every signature and verification, where std's SipHash-1-3 cost
//! about 12% of the time (BENCHMARKS.md). ahash is several times faster on short keys and is
//! still keyed with per-process random state, so an attacker who crafts a credential cannot
//! predict collisions and flood a table.

/// A `HashMap` with ahash's randomly keyed hasher.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;

/// A `HashSet` with ahash's randomly keyed hasher.
pub(crate) type FastSet<T> = std::collections::HashSet<T, ahash::RandomState>;
