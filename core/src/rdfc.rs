//! RDF Dataset Canonicalization, [RDFC-1.0](https://www.w3.org/TR/rdf-canon/).
//!
//! Implements §4.4 (the canonicalization algorithm), §4.6 (Hash First Degree Quads), §4.7 (Hash
//! Related Blank Node), §4.8 (Hash N-Degree Quads) and §5 (serialization as canonical N-Quads),
//! with SHA-256 by default and SHA-384 as §4.1 allows. The issued identifiers map of §4.4 step 7
//! is returned as an alternative result.
//!
//! # Poison graphs
//!
//! RDFC-1.0 is exponential on some inputs (§3.3 and §6, "dataset poisoning"): Hash N-Degree
//! Quads permutes every group of blank nodes that look alike and recurses into each. The
//! specification leaves the safeguard to implementations; see [`WorkLimit`] for ours.
//!
//! ```
//! use accolade_core::{rdf::parse_nquads, rdfc::canonicalize};
//!
//! let quads = parse_nquads("_:x <urn:p> _:y .\n_:y <urn:p> \"leaf\" .\n").unwrap();
//! assert_eq!(
//!     canonicalize(&quads).unwrap(),
//!     "_:c14n0 <urn:p> \"leaf\" .\n_:c14n1 <urn:p> _:c14n0 .\n",
//! );
//! ```

use std::collections::HashSet;
use std::fmt::Write as _;

use sha2::{Digest as _, Sha256, Sha384};
use thiserror::Error;

use crate::rdf::{Quad, Term};

/// Marks "no blank node here" in a quad slot and "no identifier issued" in the canonical map.
const NONE: u32 = u32::MAX;

/// The hash function RDFC-1.0 runs on (§4.1: SHA-256 unless the caller chooses another).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// SHA-256, the default.
    #[default]
    Sha256,
    /// SHA-384.
    Sha384,
}

/// How much Hash N-Degree Quads work a canonicalization may do before giving up.
///
/// The unit is one call of Hash N-Degree Quads (§4.8), top-level or recursive: every call
/// costs at least one hash, and the exponential blow-up of a poison graph shows up as an
/// exponential number of calls, because each permutation of look-alike neighbours that
/// survives pruning recurses. The budget is counted over the whole canonicalization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WorkLimit {
    /// At most `max(n, 1)^exponent × multiplier` calls, where `n` is the number of blank nodes
    /// whose first-degree hash is shared with another blank node (the only ones that reach
    /// §4.4 step 5).
    Scaled {
        /// The power of `n`.
        exponent: u32,
        /// The factor applied after the power.
        multiplier: u64,
    },
    /// At most this many calls, whatever the dataset's size.
    Calls(u64),
    /// No limit. Only for trusted input: a poison graph then runs for as long as it takes.
    Unlimited,
}

impl Default for WorkLimit {
    /// [`WorkLimit::DEFAULT`].
    fn default() -> Self {
        WorkLimit::DEFAULT
    }
}

impl WorkLimit {
    /// `n² × 16` calls, at least 16. See the crate's design notes for why: the suite needs at
    /// most FILL_IN, typical credentials need none, and the 10-node clique of the suite's
    /// negative test needs millions.
    pub const DEFAULT: WorkLimit = WorkLimit::Scaled { exponent: 2, multiplier: 16 };

    /// The number of calls allowed for a dataset with `shared` look-alike blank nodes.
    fn budget(self, shared: usize) -> u64 {
        match self {
            WorkLimit::Scaled { exponent, multiplier } => {
                (shared.max(1) as u64).checked_pow(exponent).and_then(|p| p.checked_mul(multiplier)).unwrap_or(u64::MAX)
            }
            WorkLimit::Calls(calls) => calls,
            WorkLimit::Unlimited => u64::MAX,
        }
    }
}

/// Options for [`canonicalize_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CanonOptions {
    /// The hash function, SHA-256 unless set.
    pub hash_algorithm: HashAlgorithm,
    /// The poison-graph safeguard.
    pub work_limit: WorkLimit,
}

impl CanonOptions {
    /// These options with another hash function.
    pub fn with_hash_algorithm(mut self, hash_algorithm: HashAlgorithm) -> Self {
        self.hash_algorithm = hash_algorithm;
        self
    }

    /// These options with another work limit.
    pub fn with_work_limit(mut self, work_limit: WorkLimit) -> Self {
        self.work_limit = work_limit;
        self
    }
}

/// Why a dataset could not be canonicalized.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CanonError {
    /// Canonicalization needed more Hash N-Degree Quads calls than the [`WorkLimit`] allows;
    /// the dataset is probably a poison graph.
    #[error(
        "RDFC-1.0 work limit exceeded: more than {limit} Hash N-Degree Quads calls needed \
         ({shared_blank_nodes} look-alike blank nodes)"
    )]
    WorkLimitExceeded {
        /// The number of calls the limit allowed.
        limit: u64,
        /// The number of blank nodes whose first-degree hash was not unique.
        shared_blank_nodes: usize,
    },
    /// A quad that RDF's abstract syntax does not allow, so has no canonical form.
    #[error("quad {index} is not an RDF quad: {reason}")]
    InvalidQuad {
        /// The quad's position in the input.
        index: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// The result of [`canonicalize_with`]: the canonicalized dataset and how it was labelled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanonicalDataset {
    quads: Vec<Quad>,
    issued: Vec<(String, String)>,
    nquads: String,
    hash_n_degree_calls: u64,
}

impl CanonicalDataset {
    /// The canonical quads, blank nodes relabelled `c14n0`, `c14n1`…, sorted as their
    /// canonical N-Quads lines are.
    pub fn quads(&self) -> &[Quad] {
        &self.quads
    }

    /// The issued identifiers map as `(input label, canonical label)` pairs, without `_:`, in
    /// the order the labels were issued (so `c14n0` first).
    pub fn issued_identifiers(&self) -> &[(String, String)] {
        &self.issued
    }

    /// The canonical label issued for the input blank node `input` (without `_:`).
    pub fn canonical_label(&self, input: &str) -> Option<&str> {
        self.issued.iter().find(|(from, _)| from == input).map(|(_, to)| to.as_str())
    }

    /// The canonical N-Quads document (§5): one line per quad, sorted, each ending in `\n`.
    pub fn nquads(&self) -> &str {
        &self.nquads
    }

    /// The canonical N-Quads document, by value.
    pub fn into_nquads(self) -> String {
        self.nquads
    }

    /// How many Hash N-Degree Quads calls the canonicalization made, for measuring inputs
    /// against the [`WorkLimit`].
    pub fn hash_n_degree_calls(&self) -> u64 {
        self.hash_n_degree_calls
    }
}

/// Canonicalizes `quads` with SHA-256 and the default [`WorkLimit`], returning the canonical
/// N-Quads document. Duplicate quads count once: the input is a set.
pub fn canonicalize(quads: &[Quad]) -> Result<String, CanonError> {
    let state = State::run(quads, &CanonOptions::default())?;
    Ok(state.serialize().1)
}

/// Canonicalizes `quads` with the given options, returning the canonical quads, the issued
/// identifiers map and the canonical N-Quads document.
pub fn canonicalize_with(quads: &[Quad], options: &CanonOptions) -> Result<CanonicalDataset, CanonError> {
    let state = State::run(quads, options)?;
    let (order, nquads) = state.serialize();
    let canonical_quads = order.iter().map(|&q| state.relabel(q)).collect();
    let issued = state
        .canonical_order
        .iter()
        .enumerate()
        .map(|(n, &b)| (state.labels[b as usize].to_owned(), format!("c14n{n}")))
        .collect();
    Ok(CanonicalDataset { quads: canonical_quads, issued, nquads, hash_n_degree_calls: state.calls })
}

/// The canonicalization state of §4.2, with blank nodes interned as indices in order of first
/// appearance. That order matters: it breaks ties in §4.4 step 5 as reference implementations do.
struct State<'q> {
    algorithm: HashAlgorithm,
    /// The input quads, duplicates removed.
    quads: Vec<&'q Quad>,
    /// For each quad, the blank node index in subject, object and graph position, or `NONE`.
    slots: Vec<[u32; 3]>,
    /// Blank node index → input label.
    labels: Vec<&'q str>,
    /// Blank node index → the quads it appears in (the blank node to quads map).
    quads_of: Vec<Vec<u32>>,
    /// Blank node index → its first-degree hash.
    first_degree: Vec<Hex>,
    /// Blank node index → canonical number, or `NONE`: the canonical issuer.
    canonical: Vec<u32>,
    /// Blank node indices in the order canonical identifiers were issued.
    canonical_order: Vec<u32>,
    calls: u64,
    limit: u64,
    shared: usize,
}

impl<'q> State<'q> {
    fn run(input: &'q [Quad], options: &CanonOptions) -> Result<Self, CanonError> {
        let mut state = State::new(input, options.hash_algorithm)?;
        state.canonicalize(options.work_limit)?;
        Ok(state)
    }

    /// §4.4 steps 1–2: dedupe, validate and index the input.
    fn new(input: &'q [Quad], algorithm: HashAlgorithm) -> Result<Self, CanonError> {
        let mut seen = HashSet::with_capacity(input.len());
        let mut quads = Vec::with_capacity(input.len());
        let mut slots = Vec::with_capacity(input.len());
        let mut labels: Vec<&'q str> = Vec::new();
        let mut index = std::collections::HashMap::<&'q str, u32>::new();
        let mut quads_of: Vec<Vec<u32>> = Vec::new();
        for (i, quad) in input.iter().enumerate() {
            validate(i, quad)?;
            if !seen.insert(quad) {
                continue;
            }
            let q = u32::try_from(quads.len())
                .map_err(|_| CanonError::InvalidQuad { index: i, reason: "more than 2^32 quads" })?;
            let mut slot = [NONE; 3];
            let terms = [Some(&quad.subject), Some(&quad.object), quad.graph.as_ref()];
            for (s, term) in slot.iter_mut().zip(terms) {
                if let Some(Term::Blank(label)) = term {
                    let b = *index.entry(label.as_str()).or_insert_with(|| {
                        labels.push(label.as_str());
                        quads_of.push(Vec::new());
                        // Fewer blank nodes than quads, and quads fit in u32.
                        (labels.len() - 1) as u32
                    });
                    *s = b;
                    let list = &mut quads_of[b as usize];
                    // A quad naming the same blank node twice is referenced once, as a set.
                    if list.last() != Some(&q) {
                        list.push(q);
                    }
                }
            }
            quads.push(quad);
            slots.push(slot);
        }
        let blanks = labels.len();
        Ok(State {
            algorithm,
            quads,
            slots,
            labels,
            quads_of,
            first_degree: Vec::with_capacity(blanks),
            canonical: vec![NONE; blanks],
            canonical_order: Vec::with_capacity(blanks),
            calls: 0,
            limit: 0,
            shared: 0,
        })
    }

    /// §4.4 steps 3–5: issue a canonical identifier to every blank node.
    fn canonicalize(&mut self, limit: WorkLimit) -> Result<(), CanonError> {
        // Step 3.
        let mut lines = Vec::new();
        for b in 0..self.labels.len() as u32 {
            let hash = self.hash_first_degree(b, &mut lines);
            self.first_degree.push(hash);
        }
        let mut by_hash: Vec<(Hex, u32)> = self.first_degree.iter().copied().zip(0..).collect();
        // Stable, so blank nodes sharing a hash stay in order of first appearance.
        by_hash.sort_by(|a, b| a.0.cmp(&b.0));

        // Step 4.
        let mut shared_groups = Vec::new();
        for group in by_hash.chunk_by(|a, b| a.0 == b.0) {
            if let [(_, b)] = group {
                self.issue_canonical(*b);
            } else {
                shared_groups.push(group);
            }
        }
        self.shared = shared_groups.iter().map(|g| g.len()).sum();
        self.limit = limit.budget(self.shared);

        // Step 5.
        for group in shared_groups {
            let mut results = Vec::with_capacity(group.len());
            for &(_, b) in group {
                if self.canonical[b as usize] != NONE {
                    continue;
                }
                let mut issuer = Issuer::default();
                issuer.issue(b);
                results.push(self.hash_n_degree(b, issuer)?);
            }
            results.sort_by(|a, b| a.0.cmp(&b.0));
            for (_, issuer) in results {
                for &b in &issuer.order {
                    self.issue_canonical(b);
                }
            }
        }
        Ok(())
    }

    /// §4.5 on the canonical issuer.
    fn issue_canonical(&mut self, b: u32) {
        let slot = &mut self.canonical[b as usize];
        if *slot == NONE {
            // At most one identifier per blank node, and blank nodes are counted in u32.
            *slot = self.canonical_order.len() as u32;
            self.canonical_order.push(b);
        }
    }

    /// §4.6: hashes the sorted quads that mention `b`, with `b` as `_:a` and every other blank
    /// node as `_:z`. `lines` is scratch space, kept to reuse its allocations.
    fn hash_first_degree(&self, b: u32, lines: &mut Vec<String>) -> Hex {
        let quads = &self.quads_of[b as usize];
        if lines.len() < quads.len() {
            lines.resize_with(quads.len(), String::new);
        }
        for (line, &q) in lines.iter_mut().zip(quads) {
            line.clear();
            self.write_quad(line, q, |out, other| out.push(if other == b { 'a' } else { 'z' }));
        }
        let lines = &mut lines[..quads.len()];
        lines.sort_unstable();
        let mut hasher = Hasher::new(self.algorithm);
        for line in lines.iter() {
            hasher.update(line.as_bytes());
        }
        hasher.finish()
    }

    /// §4.7: hashes `related`'s role in quad `q` from the point of view of the node being
    /// hashed: its position, the predicate, and the best identifier `related` has so far.
    fn hash_related(&self, related: u32, q: u32, issuer: &Issuer, position: u8) -> Hex {
        let mut hasher = Hasher::new(self.algorithm);
        hasher.update(&[position]);
        if position != b'g' {
            hasher.update(b"<");
            hasher.update(predicate_iri(self.quads[q as usize]).as_bytes());
            hasher.update(b">");
        }
        let mut buf = LabelBuf::new();
        let canonical = self.canonical[related as usize];
        if canonical != NONE {
            hasher.update(buf.format("_:c14n", canonical));
        } else if let Some(n) = issuer.find(related) {
            hasher.update(buf.format("_:b", n));
        } else {
            hasher.update(self.first_degree[related as usize].as_str().as_bytes());
        }
        hasher.finish()
    }

    /// §4.8: hashes `id` together with the blank nodes reachable from it, choosing among the
    /// ways of labelling look-alike neighbours the one with the least path.
    fn hash_n_degree(&mut self, id: u32, mut issuer: Issuer) -> Result<(Hex, Issuer), CanonError> {
        self.calls += 1;
        if self.calls > self.limit {
            return Err(CanonError::WorkLimitExceeded { limit: self.limit, shared_blank_nodes: self.shared });
        }

        // Steps 1–3: the hash to related blank nodes map, as (hash, node) pairs grouped by
        // sorting. A node related through several quads appears once per quad, as in the spec.
        let mut related: Vec<(Hex, u32)> = Vec::new();
        for &q in &self.quads_of[id as usize] {
            let slot = self.slots[q as usize];
            for (other, position) in slot.into_iter().zip([b's', b'o', b'g']) {
                if other != NONE && other != id {
                    related.push((self.hash_related(other, q, &issuer, position), other));
                }
            }
        }
        related.sort_by(|a, b| a.0.cmp(&b.0));

        // Steps 4–5.
        let mut hasher = Hasher::new(self.algorithm);
        let mut buf = LabelBuf::new();
        let mut permutation = Vec::new();
        for group in related.chunk_by(|a, b| a.0 == b.0) {
            hasher.update(group[0].0.as_str().as_bytes());
            let mut chosen: Option<(String, Issuer)> = None;
            let mut permuter = Permuter::new(group.iter().map(|&(_, b)| b), &self.labels);
            while permuter.next_into(&mut permutation) {
                let mut issuer_copy = issuer.clone();
                let mut path = String::new();
                let mut recursion = Vec::new();
                let mut pruned = false;
                for &r in &permutation {
                    let canonical = self.canonical[r as usize];
                    if canonical != NONE {
                        path.push_str(buf.format_str("_:c14n", canonical));
                    } else {
                        if issuer_copy.find(r).is_none() {
                            recursion.push(r);
                        }
                        path.push_str(buf.format_str("_:b", issuer_copy.issue(r)));
                    }
                    if worse(&path, chosen.as_ref()) {
                        pruned = true;
                        break;
                    }
                }
                if pruned {
                    continue;
                }
                for r in recursion {
                    let (hash, result_issuer) = self.hash_n_degree(r, issuer_copy)?;
                    issuer_copy = result_issuer;
                    path.push_str(buf.format_str("_:b", issuer_copy.issue(r)));
                    path.push('<');
                    path.push_str(hash.as_str());
                    path.push('>');
                    if worse(&path, chosen.as_ref()) {
                        pruned = true;
                        break;
                    }
                }
                if pruned {
                    continue;
                }
                if chosen.as_ref().map_or(true, |(chosen_path, _)| path < *chosen_path) {
                    chosen = Some((path, issuer_copy));
                }
            }
            let (chosen_path, chosen_issuer) =
                chosen.expect("invariant: the first permutation has no chosen path to lose to");
            hasher.update(chosen_path.as_bytes());
            issuer = chosen_issuer;
        }
        Ok((hasher.finish(), issuer))
    }

    /// Writes quad `q` as a canonical N-Quads line, writing each blank node's label (after
    /// `_:`) with `label`.
    fn write_quad(&self, out: &mut String, q: u32, mut label: impl FnMut(&mut String, u32)) {
        let quad = self.quads[q as usize];
        let [s, o, g] = self.slots[q as usize];
        let mut term = |out: &mut String, term: &Term, b: u32| {
            if b == NONE {
                // Writing to a String cannot fail.
                let _ = write!(out, "{term}");
            } else {
                out.push_str("_:");
                label(out, b);
            }
        };
        term(out, &quad.subject, s);
        out.push(' ');
        term(out, &quad.predicate, NONE);
        out.push(' ');
        term(out, &quad.object, o);
        out.push(' ');
        if let Some(graph) = &quad.graph {
            term(out, graph, g);
            out.push(' ');
        }
        out.push_str(".\n");
    }

    /// §4.4 step 6 and §5: the quad indices in canonical order, and the canonical document.
    fn serialize(&self) -> (Vec<u32>, String) {
        let mut lines: Vec<(String, u32)> = (0..self.quads.len() as u32)
            .map(|q| {
                let mut line = String::new();
                self.write_quad(&mut line, q, |out, b| {
                    let _ = write!(out, "c14n{}", self.canonical[b as usize]);
                });
                (line, q)
            })
            .collect();
        lines.sort_unstable();
        let mut document = String::with_capacity(lines.iter().map(|(l, _)| l.len()).sum());
        for (line, _) in &lines {
            document.push_str(line);
        }
        (lines.into_iter().map(|(_, q)| q).collect(), document)
    }

    /// Quad `q` with its blank nodes relabelled canonically.
    fn relabel(&self, q: u32) -> Quad {
        let quad = self.quads[q as usize];
        let [s, o, g] = self.slots[q as usize];
        let relabel = |term: &Term, b: u32| {
            if b == NONE {
                term.clone()
            } else {
                Term::Blank(format!("c14n{}", self.canonical[b as usize]))
            }
        };
        Quad {
            subject: relabel(&quad.subject, s),
            predicate: quad.predicate.clone(),
            object: relabel(&quad.object, o),
            graph: quad.graph.as_ref().map(|graph| relabel(graph, g)),
        }
    }
}

/// Refuses quads outside RDF 1.1's abstract syntax, which canonical N-Quads cannot express.
fn validate(index: usize, quad: &Quad) -> Result<(), CanonError> {
    let reason = if matches!(quad.subject, Term::Literal(_)) {
        "literal subject"
    } else if !matches!(quad.predicate, Term::Iri(_)) {
        "predicate is not an IRI"
    } else if matches!(quad.graph, Some(Term::Literal(_))) {
        "literal graph name"
    } else {
        return Ok(());
    };
    Err(CanonError::InvalidQuad { index, reason })
}

fn predicate_iri(quad: &Quad) -> &str {
    match &quad.predicate {
        Term::Iri(iri) => iri,
        _ => unreachable!("invariant: State::new validated every predicate as an IRI"),
    }
}

/// §4.8 steps 5.4.4.3 and 5.4.5.5: whether `path` can no longer beat the chosen path. Paths
/// only grow, so once one is longer-or-equal and greater it stays greater.
fn worse(path: &str, chosen: Option<&(String, Issuer)>) -> bool {
    chosen.is_some_and(|(chosen, _)| path.len() >= chosen.len() && path > chosen.as_str())
}

/// A temporary identifier issuer (§4.3) with prefix `b`: the nodes it has issued to, in order.
/// Paths rarely involve more than a handful of nodes, so a linear scan beats a map, and cloning
/// (once per permutation) is one small copy.
#[derive(Clone, Debug, Default)]
struct Issuer {
    order: Vec<u32>,
}

impl Issuer {
    /// The identifier number issued to `b`, if any.
    fn find(&self, b: u32) -> Option<u32> {
        // The issuer never holds more entries than there are blank nodes, counted in u32.
        self.order.iter().position(|&x| x == b).map(|n| n as u32)
    }

    /// §4.5: the identifier number for `b`, issuing the next one if needed.
    fn issue(&mut self, b: u32) -> u32 {
        self.find(b).unwrap_or_else(|| {
            self.order.push(b);
            (self.order.len() - 1) as u32
        })
    }
}

/// Steinhaus–Johnson–Trotter permutations of a blank node list, starting from the list sorted
/// by input label. §4.8 leaves the order open; it only decides between permutations whose
/// paths tie, which is where the issued identifiers map could differ, so we follow the order of
/// the reference implementation (rdf-canonize) to match the suite's map tests.
struct Permuter {
    /// The current permutation, as ranks into `nodes`.
    ranks: Vec<u32>,
    /// Rank → blank node; equal nodes (listed twice) share a rank.
    nodes: Vec<u32>,
    /// Rank → whether that element is moving left.
    left: Vec<bool>,
    done: bool,
}

impl Permuter {
    fn new(list: impl Iterator<Item = u32>, labels: &[&str]) -> Self {
        let mut sorted: Vec<u32> = list.collect();
        sorted.sort_by(|&a, &b| labels[a as usize].cmp(labels[b as usize]));
        let mut nodes: Vec<u32> = sorted.clone();
        nodes.dedup();
        let ranks = sorted
            .iter()
            .map(|b| nodes.iter().position(|n| n == b).expect("invariant: every node was kept once") as u32)
            .collect();
        let left = vec![true; nodes.len()];
        Permuter { ranks, nodes, left, done: false }
    }

    /// Writes the next permutation into `out`; false when there are no more.
    fn next_into(&mut self, out: &mut Vec<u32>) -> bool {
        if self.done {
            return false;
        }
        out.clear();
        out.extend(self.ranks.iter().map(|&r| self.nodes[r as usize]));

        // The largest mobile element: one greater than the neighbour it is facing.
        let len = self.ranks.len();
        let mut mobile: Option<(u32, usize)> = None;
        for (i, &e) in self.ranks.iter().enumerate() {
            let facing = if self.left[e as usize] { i.checked_sub(1) } else { Some(i + 1).filter(|&j| j < len) };
            if facing.is_some_and(|j| e > self.ranks[j]) && mobile.map_or(true, |(k, _)| e > k) {
                mobile = Some((e, i));
            }
        }
        match mobile {
            None => self.done = true,
            Some((k, pos)) => {
                let swap = if self.left[k as usize] { pos - 1 } else { pos + 1 };
                self.ranks.swap(pos, swap);
                for &e in &self.ranks {
                    if e > k {
                        self.left[e as usize] = !self.left[e as usize];
                    }
                }
            }
        }
        true
    }
}

/// A digest in lower-case hex, inline: hashes are compared, sorted and concatenated as text
/// (§4.6–4.8), and there are many of them in Hash N-Degree Quads.
#[derive(Clone, Copy)]
struct Hex {
    buf: [u8; 96],
    len: u8,
}

impl Hex {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len as usize]).expect("invariant: hex::encode_to_slice writes ASCII")
    }
}

impl PartialEq for Hex {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Hex {}

impl PartialOrd for Hex {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Hex {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::fmt::Debug for Hex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

enum Hasher {
    Sha256(Sha256),
    Sha384(Sha384),
}

impl Hasher {
    fn new(algorithm: HashAlgorithm) -> Self {
        match algorithm {
            HashAlgorithm::Sha256 => Hasher::Sha256(Sha256::new()),
            HashAlgorithm::Sha384 => Hasher::Sha384(Sha384::new()),
        }
    }

    fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha384(h) => h.update(data),
        }
    }

    fn finish(self) -> Hex {
        let mut hex = Hex { buf: [0; 96], len: 0 };
        let written = match self {
            Hasher::Sha256(h) => encode(&h.finalize(), &mut hex.buf),
            Hasher::Sha384(h) => encode(&h.finalize(), &mut hex.buf),
        };
        hex.len = written as u8;
        hex
    }
}

/// Writes `digest` as hex into the front of `buf`, returning the length written.
fn encode(digest: &[u8], buf: &mut [u8; 96]) -> usize {
    let len = digest.len() * 2;
    hex::encode_to_slice(digest, &mut buf[..len]).expect("invariant: SHA-384 hex (96 bytes) is the longest digest");
    len
}

/// Formats `prefix` + number on the stack, for the identifiers hashed and appended to paths.
struct LabelBuf {
    buf: [u8; 24],
}

impl LabelBuf {
    fn new() -> Self {
        LabelBuf { buf: [0; 24] }
    }

    fn format(&mut self, prefix: &str, n: u32) -> &[u8] {
        let p = prefix.len();
        self.buf[..p].copy_from_slice(prefix.as_bytes());
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        let mut n = n;
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let d = digits.len() - i;
        self.buf[p..p + d].copy_from_slice(&digits[i..]);
        &self.buf[..p + d]
    }

    fn format_str(&mut self, prefix: &str, n: u32) -> &str {
        std::str::from_utf8(self.format(prefix, n)).expect("invariant: an ASCII prefix and decimal digits")
    }
}
