//! RDF Dataset Canonicalization, [RDFC-1.0](https://www.w3.org/TR/rdf-canon/).
//!
//! Implements §4.4 (the canonicalization algorithm), §4.6 (Hash First Degree Quads), §4.7 (Hash
//! Related Blank Node), §4.8 (Hash N-Degree Quads) and §5 (serialization as canonical N-Quads),
//! with SHA-256 by default and SHA-384 as an alternative hash algorithm (the suite's test075
//! uses it). The issued identifiers map, the algorithm's alternative result (§4.4 step 7), is
//! returned alongside the canonical document.
//!
//! # Poison graphs
//!
//! RDFC-1.0 is exponential on some inputs (the specification's "dataset poisoning" security
//! consideration): Hash N-Degree Quads permutes every group of blank nodes that look alike and
//! recurses into each. The specification leaves the safeguard to implementations; see
//! [`WorkLimit`] for ours.
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

use sha2::{Digest as _, Sha256, Sha384};
use thiserror::Error;

use crate::dataset::{Dataset, InvalidQuad, Part};
use crate::hash::FastSet;
use crate::rdf::{decimal, Quad, Term};

/// Marks "no blank node here" in a quad slot and "no identifier issued" in the canonical map.
const NONE: u32 = u32::MAX;

/// The hash function RDFC-1.0 runs on: SHA-256 unless the caller chooses another.
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
/// The unit is one call of Hash N-Degree Quads (§4.8), top-level or recursive, counted over the
/// whole canonicalization. Calls are a sound measure of the exponential part of the algorithm:
/// a group of two or more distinct related blank nodes sharing a related hash consists only of
/// nodes with neither a canonical nor a temporary identifier (either would make their hashes
/// differ), so every permutation of that group that §4.8 examines recurses at least once.
/// Permutations are therefore bounded by calls too, and each call does work linear in the
/// quads of its node.
///
/// `n` below is the number of blank nodes whose first-degree hash is shared with another blank
/// node: the only ones that reach §4.4 step 5. Datasets where every blank node is distinct at
/// first degree, which is almost every credential, make no calls at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WorkLimit {
    /// At most `min(n^exponent × multiplier, ceiling)` calls.
    Scaled {
        /// The power of `n`.
        exponent: u32,
        /// The factor applied after the power.
        multiplier: u64,
        /// The cap, whatever `n` is, so that a large poison graph still stops in bounded time.
        ceiling: u64,
    },
    /// At most this many calls, whatever the dataset.
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
    /// `min(16·n², 100 000)` calls.
    ///
    /// Every approved test of the W3C suite needs at most `3.25·n²` (test044–046: `n` = 12, 468
    /// calls; rings, chains and double circles need about `n²`, since each of the `n` top-level
    /// calls may walk all `n` nodes), so 16·n² leaves about five times that headroom. The
    /// suite's 10-node clique (test074) needs more than two million calls, over `20 000·n²`.
    /// rdf-canonize's default (`maxWorkFactor` 1, that is `n` calls) refuses 18 approved tests;
    /// since `n ≤ min(16·n², 100 000)` for any `n` up to 100 000, whatever it canonicalizes at
    /// that default, so does this limit. The ceiling caps a maliciously large input: 100 000
    /// calls on the suite's clique take about 12 s unoptimized (2 million took 246 s), so of the
    /// order of a second optimized (estimated, not measured).
    pub const DEFAULT: WorkLimit = WorkLimit::Scaled { exponent: 2, multiplier: 16, ceiling: 100_000 };

    /// The number of calls allowed for a dataset with `shared` look-alike blank nodes.
    fn budget(self, shared: usize) -> u64 {
        match self {
            WorkLimit::Scaled { exponent, multiplier, ceiling } => (shared as u64)
                .checked_pow(exponent)
                .and_then(|p| p.checked_mul(multiplier))
                .map_or(ceiling, |budget| budget.min(ceiling)),
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
    canonicalize_dataset(&Dataset::from_quads(quads)?)
}

/// Canonicalizes a [`Dataset`] with SHA-256 and the default [`WorkLimit`], returning the
/// canonical N-Quads document: the fast path, for quads the JSON-LD processor wrote.
pub fn canonicalize_dataset(dataset: &Dataset) -> Result<String, CanonError> {
    let state = State::run(dataset, &CanonOptions::default())?;
    Ok(state.serialize().1)
}

/// Canonicalizes `quads` with the given options, returning the canonical quads, the issued
/// identifiers map and the canonical N-Quads document.
pub fn canonicalize_with(quads: &[Quad], options: &CanonOptions) -> Result<CanonicalDataset, CanonError> {
    let dataset = Dataset::from_quads(quads)?;
    let state = State::run(&dataset, options)?;
    let (order, nquads) = state.serialize();
    // `Dataset::from_quads` keeps one dataset quad per input quad, in order.
    let canonical_quads = order.iter().map(|&q| state.relabel(&quads[state.quads[q as usize] as usize], q)).collect();
    let issued = state
        .canonical_order
        .iter()
        .enumerate()
        .map(|(n, &b)| (dataset.label(b).into_owned(), format!("c14n{n}")))
        .collect();
    Ok(CanonicalDataset { quads: canonical_quads, issued, nquads, hash_n_degree_calls: state.calls })
}

impl From<InvalidQuad> for CanonError {
    fn from(e: InvalidQuad) -> Self {
        CanonError::InvalidQuad { index: e.index, reason: e.reason }
    }
}

/// The canonicalization state of §4.2, over a [`Dataset`] whose blank nodes are numbered in
/// order of first appearance. That order matters: it breaks ties in §4.4 step 5 as reference
/// implementations do.
struct State<'d> {
    algorithm: HashAlgorithm,
    data: &'d Dataset,
    /// The dataset's quads with duplicates removed, as indices into `data.quads()`.
    quads: Vec<u32>,
    /// For each of `quads`, the blank node number in subject, object and graph position, or `NONE`.
    slots: Vec<[u32; 3]>,
    /// Blank node number → the quads it appears in (the blank node to quads map).
    quads_of: QuadsOf,
    /// The order of the dataset's terms, to sort lines by; `None` where lines must be sorted as
    /// bytes.
    order: Option<TermOrder>,
    /// Blank node number → its first-degree hash.
    first_degree: Vec<Hex>,
    /// Blank node number → canonical number, or `NONE`: the canonical issuer.
    canonical: Vec<u32>,
    /// Blank node numbers in the order canonical identifiers were issued.
    canonical_order: Vec<u32>,
    calls: u64,
    limit: u64,
    shared: usize,
}

impl<'d> State<'d> {
    fn run(data: &'d Dataset, options: &CanonOptions) -> Result<Self, CanonError> {
        let mut state = State::new(data, options.hash_algorithm)?;
        state.canonicalize(options.work_limit)?;
        Ok(state)
    }

    /// §4.4 steps 1–2: dedupe and index the input.
    fn new(data: &'d Dataset, algorithm: HashAlgorithm) -> Result<Self, CanonError> {
        let input = data.quads();
        let mut seen = FastSet::with_capacity_and_hasher(input.len(), Default::default());
        let mut quads = Vec::with_capacity(input.len());
        let mut slots = Vec::with_capacity(input.len());
        for (i, parts) in input.iter().enumerate() {
            // A dataset writes each distinct term once, so equal quads have equal parts. They are
            // packed into numbers for the set, which then hashes 32 bytes in one go.
            if !seen.insert(parts.map(pack)) {
                continue;
            }
            let Ok(index) = u32::try_from(i) else {
                return Err(CanonError::InvalidQuad { index: i, reason: "more than 2^32 quads" });
            };
            let slot = [parts[0], parts[2], parts[3]].map(|p| if let Part::Blank(b) = p { b } else { NONE });
            quads.push(index);
            slots.push(slot);
        }
        let quads_of = QuadsOf::new(&slots, data.blank_count());
        let blanks = data.blank_count();
        Ok(State {
            algorithm,
            data,
            quads,
            slots,
            quads_of,
            order: TermOrder::of(data),
            first_degree: Vec::with_capacity(blanks),
            canonical: vec![NONE; blanks],
            canonical_order: Vec::with_capacity(blanks),
            calls: 0,
            limit: 0,
            shared: 0,
        })
    }

    fn parts(&self, q: u32) -> &[Part; 4] {
        &self.data.quads()[self.quads[q as usize] as usize]
    }

    /// §4.4 steps 3–5: issue a canonical identifier to every blank node.
    fn canonicalize(&mut self, limit: WorkLimit) -> Result<(), CanonError> {
        // Step 3.
        let mut lines = Lines::default();
        for b in 0..self.data.blank_count() as u32 {
            let hash = self.hash_first_degree(b, &mut lines);
            self.first_degree.push(hash);
        }
        // A blank node made for a node that states nothing is in no quad, so not in the dataset.
        let mut by_hash: Vec<(Hex, u32)> =
            (self.first_degree.iter().copied().zip(0..)).filter(|&(_, b)| !self.quads_of.get(b).is_empty()).collect();
        // Stable, so blank nodes sharing a hash stay in order of first appearance.
        sort_by_hash(&mut by_hash);

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
            sort_by_hash(&mut results);
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
    /// node as `_:z`. `lines` is scratch space, kept to reuse its allocation.
    fn hash_first_degree(&self, b: u32, lines: &mut Lines) -> Hex {
        lines.clear();
        let label = |out: &mut String, other: u32| out.push(if other == b { 'a' } else { 'z' });
        let mut hasher = Hasher::new(self.algorithm);
        if let Some(order) = &self.order {
            // `_:a` sorts before `_:z`, and both after every IRI and literal.
            let blank = |other: u32| u32::from(other != b);
            lines.ends.extend(self.quads_of.get(b).iter().map(|&q| (order.key(self.parts(q), blank), 0, 0, q)));
            lines.ends.sort_unstable_by_key(|line| line.0);
            for &(_, _, _, q) in &lines.ends {
                self.write_quad(&mut lines.text, q, label);
            }
            hasher.update(lines.text.as_bytes());
            return hasher.finish();
        }
        for &q in self.quads_of.get(b) {
            self.write_quad(&mut lines.text, q, label);
            lines.end_line(q);
        }
        lines.sort();
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
            // The predicate's text is its `<iri>` form, brackets included, as §4.7 hashes it.
            hasher.update(self.data.text(self.parts(q)[1]).as_bytes());
        }
        let mut buf = LabelBuf::new();
        let canonical = self.canonical[related as usize];
        if canonical != NONE {
            hasher.update(buf.format("_:c14n", canonical));
        } else if let Some(n) = issuer.find(related) {
            hasher.update(buf.format("_:b", n));
        } else {
            hasher.update(self.first_degree[related as usize].as_bytes());
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
        for &q in self.quads_of.get(id) {
            let slot = self.slots[q as usize];
            for (other, position) in slot.into_iter().zip([b's', b'o', b'g']) {
                if other != NONE && other != id {
                    related.push((self.hash_related(other, q, &issuer, position), other));
                }
            }
        }
        sort_by_hash(&mut related);

        // Steps 4–5.
        let mut hasher = Hasher::new(self.algorithm);
        let mut buf = LabelBuf::new();
        let mut permutation = Vec::new();
        for group in related.chunk_by(|a, b| a.0 == b.0) {
            hasher.update(group[0].0.as_bytes());
            let mut chosen: Option<(String, Issuer)> = None;
            let mut permuter = Permuter::new(group.iter().map(|&(_, b)| b), self.data);
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
                if chosen.as_ref().is_none_or(|(chosen_path, _)| path < *chosen_path) {
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
        let [s, p, o, g] = *self.parts(q);
        let mut part = |out: &mut String, part: Part| match part {
            Part::Blank(b) => {
                out.push_str("_:");
                label(out, b);
            }
            other => out.push_str(self.data.text(other)),
        };
        part(out, s);
        out.push(' ');
        part(out, p);
        out.push(' ');
        part(out, o);
        out.push(' ');
        if g != Part::Default {
            part(out, g);
            out.push(' ');
        }
        out.push_str(".\n");
    }

    /// §4.4 step 6 and §5: the quad indices (into `quads`) in canonical order, and the
    /// canonical document.
    fn serialize(&self) -> (Vec<u32>, String) {
        let label = |out: &mut String, b: u32| {
            out.push_str("c14n");
            push_decimal(out, self.canonical[b as usize]);
        };
        if let Some(order) = &self.order {
            // Canonical labels sort as their decimal numbers' digits do, after every term.
            let issued = self.canonical_order.len() as u32;
            let mut by_label: Vec<u32> = (0..issued).collect();
            let (mut x, mut y) = ([0u8; 20], [0u8; 20]);
            by_label.sort_unstable_by(|&a, &b| decimal(a.into(), &mut x).cmp(decimal(b.into(), &mut y)));
            let mut rank = vec![0u32; by_label.len()];
            for (r, &c) in by_label.iter().enumerate() {
                rank[c as usize] = r as u32;
            }
            let blank = |b: u32| rank[self.canonical[b as usize] as usize];
            let mut keyed: Vec<(u128, u32)> =
                (0..self.quads.len() as u32).map(|q| (order.key(self.parts(q), blank), q)).collect();
            keyed.sort_unstable_by_key(|&(key, _)| key);
            let mut document = String::with_capacity(self.quads.len() * 160);
            for &(_, q) in &keyed {
                self.write_quad(&mut document, q, label);
            }
            return (keyed.into_iter().map(|(_, q)| q).collect(), document);
        }
        let lines = self.sorted_lines(label);
        let mut document = String::with_capacity(lines.text.len());
        for line in lines.iter() {
            document.push_str(line);
        }
        (lines.ends.iter().map(|&(_, _, _, q)| q).collect(), document)
    }

    /// The canonical N-Quads lines of §5, relabelled (§4.4 step 6) by `label`, sorted as bytes.
    fn sorted_lines(&self, label: impl Fn(&mut String, u32)) -> Lines {
        let mut lines = Lines::default();
        lines.text.reserve(self.quads.len() * 160);
        for q in 0..self.quads.len() as u32 {
            self.write_quad(&mut lines.text, q, &label);
            lines.end_line(q);
        }
        lines.sort();
        lines
    }

    /// Input quad `quad`, which is `q` here, with its blank nodes relabelled canonically.
    fn relabel(&self, quad: &Quad, q: u32) -> Quad {
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

/// A part as one number, distinct for distinct parts: the tag above the part's number.
fn pack(part: Part) -> u64 {
    match part {
        Part::Term(n) => u64::from(n),
        Part::Blank(n) => 1 << 32 | u64::from(n),
        Part::Default => 2 << 32,
    }
}

/// The blank node to quads map of §4.4 step 2, as one list of quad indices (into
/// `State::quads`) grouped by blank node, in quad order: two allocations, however many blank
/// nodes there are.
struct QuadsOf {
    /// Blank node `b`'s quads are `members[starts[b]..starts[b + 1]]`.
    starts: Vec<u32>,
    members: Vec<u32>,
}

impl QuadsOf {
    fn new(slots: &[[u32; 3]], blanks: usize) -> Self {
        // The distinct blank nodes of a quad: one naming the same node twice is listed once, as a set.
        let distinct = |slot: &[u32; 3]| {
            let [s, o, g] = *slot;
            [s, if o == s { NONE } else { o }, if g == s || g == o { NONE } else { g }]
        };
        let mut starts = vec![0u32; blanks + 1];
        for slot in slots {
            for b in distinct(slot).into_iter().filter(|&b| b != NONE) {
                starts[b as usize + 1] += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut members = vec![0u32; starts[blanks] as usize];
        for (q, slot) in slots.iter().enumerate() {
            for b in distinct(slot).into_iter().filter(|&b| b != NONE) {
                // Quads are counted in u32 (`State::new`).
                members[next[b as usize] as usize] = q as u32;
                next[b as usize] += 1;
            }
        }
        QuadsOf { starts, members }
    }

    fn get(&self, b: u32) -> &[u32] {
        &self.members[self.starts[b as usize] as usize..self.starts[b as usize + 1] as usize]
    }
}

/// The order of a dataset's IRIs and literals, so that N-Quads lines can be sorted by their terms'
/// ranks instead of their bytes.
///
/// A line is `S P O .` or `S P O G .`: each term's text followed by a space, then `.`. Compare
/// two lines byte by byte, and the first term where they differ decides, by its text followed
/// by a space, unless one of those two texts-and-space begins the other. Then the comparison
/// would run on into the next term. So if no term's text followed by a space begins another's
/// (only a space inside an IRI or a language tag could make one), lines sort as their terms'
/// ranks do: [`TermOrder::of`] ranks the texts and checks that. A line without a graph sorts
/// before the same line with one (`.` is below `<` and `_`), and blank node labels (`_:…`)
/// sort after every IRI (`<`) and literal (`"`), among themselves as their own texts do.
struct TermOrder {
    /// Term number → its rank among the dataset's terms.
    ranks: Vec<u32>,
}

impl TermOrder {
    /// The order of `data`'s terms, or `None` if lines cannot be sorted by it (see above), or
    /// if its terms and blank nodes are too many to rank in a `u32`.
    fn of(data: &Dataset) -> Option<Self> {
        let terms = data.term_count();
        u32::try_from(terms + data.blank_count() + 2).ok()?;
        let mut texts = Lines::default();
        for t in 0..terms as u32 {
            texts.text.push_str(data.text(Part::Term(t)));
            texts.text.push(' ');
            texts.end_line(t);
        }
        texts.sort();
        let mut ranks = vec![0; terms];
        let mut previous: Option<&str> = None;
        for (rank, &(_, start, end, t)) in texts.ends.iter().enumerate() {
            let text = &texts.text[start as usize..end as usize];
            // Sorted, a text that begins others comes just before them: checking neighbours
            // checks every pair.
            if previous.is_some_and(|p| text.starts_with(p)) {
                return None;
            }
            ranks[t as usize] = rank as u32;
            previous = Some(text);
        }
        Some(TermOrder { ranks })
    }

    /// The sort key of a quad's line: its subject, predicate, object and graph ranks, with blank
    /// node `b` ranked `blank(b)` among the blank nodes (after every term).
    fn key(&self, parts: &[Part; 4], blank: impl Fn(u32) -> u32) -> u128 {
        let terms = self.ranks.len() as u32;
        let rank = |part: Part| match part {
            Part::Term(n) => self.ranks[n as usize],
            Part::Blank(b) => terms + blank(b),
            Part::Default => 0,
        };
        let [s, p, o, g] = *parts;
        // No graph ranks lowest; a graph is one above its rank.
        let graph = if g == Part::Default { 0 } else { rank(g) + 1 };
        u128::from(rank(s)) << 96 | u128::from(rank(p)) << 64 | u128::from(rank(o)) << 32 | u128::from(graph)
    }
}

/// N-Quads lines written one after another into one buffer, then sorted as strings: one
/// allocation for all of them instead of one per line.
#[derive(Default)]
struct Lines {
    text: String,
    /// Each line's first 16 bytes as a big-endian number (so that comparing numbers compares
    /// those bytes), its start and end in `text`, and the quad it was written from.
    ends: Vec<(u128, u32, u32, u32)>,
}

impl Lines {
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// Marks the end of the line just written, for quad `q`.
    fn end_line(&mut self, q: u32) {
        let start = self.ends.last().map_or(0, |&(_, _, end, _)| end);
        let key = prefix_key(&self.text.as_bytes()[start as usize..], 0);
        // Lines are written by `State`, whose dataset text is under 4 GiB; so is each line.
        self.ends.push((key, start, self.text.len() as u32, q));
    }

    /// Sorts the lines in code point order (which is byte order in UTF-8), 16 bytes at a time:
    /// by the first 16, then each run of lines that tie on those by the next 16, and so on (a
    /// most-significant-digit radix sort). Lines share long prefixes (a subject and a predicate
    /// IRI often come to 80 bytes), and this reads each byte of those prefixes once per run
    /// rather than once per comparison. (Skipping a run's common prefix in one go measured
    /// slower: runs are short.)
    ///
    /// Keys are big-endian, so comparing keys compares bytes, and a line that ends inside a key
    /// is padded with zeros. Padding looks like a NUL byte, which a line almost never holds
    /// (literals escape U+0000; only an IRI could carry one). So lines whose keys tie are told
    /// apart by the next 16 bytes unless their key's last byte is zero: those have ended, or hold
    /// a NUL, and are compared whole from there.
    fn sort(&mut self) {
        let text = self.text.as_bytes();
        let line = |&(_, start, end, _): &(u128, u32, u32, u32)| &text[start as usize..end as usize];
        // Runs still to sort, as (start, end, depth): the lines in `ends[start..end]` agree on
        // their first `depth` bytes, and their keys hold the 16 after those. A loop, not
        // recursion, since lines sharing a long literal would recurse once per 16 bytes of it.
        let mut runs = vec![(0, self.ends.len(), 0)];
        while let Some((start, end, depth)) = runs.pop() {
            let lines = &mut self.ends[start..end];
            lines.sort_unstable_by_key(|line| line.0);
            let mut i = 0;
            while i < lines.len() {
                let key = lines[i].0;
                let tied = lines[i..].iter().take_while(|line| line.0 == key).count();
                let run = &mut lines[i..i + tied];
                if tied > 1 && key as u8 != 0 {
                    for entry in run.iter_mut() {
                        entry.0 = prefix_key(line(entry), depth + 16);
                    }
                    runs.push((start + i, start + i + tied, depth + 16));
                } else if tied > 1 {
                    run.sort_unstable_by(|a, b| line(a)[depth..].cmp(&line(b)[depth..]));
                }
                i += tied;
            }
        }
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        self.ends.iter().map(|&(_, start, end, _)| &self.text[start as usize..end as usize])
    }
}

/// The 16 bytes of `line` from `depth` on as a big-endian number, zero-padded past its end: the
/// sort key of [`Lines::sort`].
fn prefix_key(line: &[u8], depth: usize) -> u128 {
    let rest = line.get(depth..).unwrap_or_default();
    let mut prefix = [0u8; 16];
    let n = rest.len().min(16);
    prefix[..n].copy_from_slice(&rest[..n]);
    u128::from_be_bytes(prefix)
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
    fn new(list: impl Iterator<Item = u32>, data: &Dataset) -> Self {
        let mut sorted: Vec<u32> = list.collect();
        sorted.sort_by(|&a, &b| data.cmp_labels(a, b));
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
            if facing.is_some_and(|j| e > self.ranks[j]) && mobile.is_none_or(|(k, _)| e > k) {
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

/// Sorts `items` by their hashes, stably. `sort_by_key` would copy each 97-byte key for every
/// comparison.
#[allow(clippy::unnecessary_sort_by)]
fn sort_by_hash<T>(items: &mut [(Hex, T)]) {
    items.sort_by(|a, b| a.0.cmp(&b.0));
}

/// A digest in lower-case hex, inline: hashes are compared, sorted and concatenated as text
/// (§4.6–4.8), and there are many of them in Hash N-Degree Quads.
#[derive(Clone, Copy)]
struct Hex {
    buf: [u8; 96],
    len: u8,
}

impl Hex {
    /// The hex digits, as bytes: what is hashed and compared (the same order as the text's).
    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len as usize]
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).expect("invariant: hex::encode_to_slice writes ASCII")
    }
}

impl PartialEq for Hex {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
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
        self.as_bytes().cmp(other.as_bytes())
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
        let mut digits = [0u8; 20];
        let digits = decimal(n.into(), &mut digits);
        let d = digits.len();
        self.buf[p..p + d].copy_from_slice(digits);
        &self.buf[..p + d]
    }

    fn format_str(&mut self, prefix: &str, n: u32) -> &str {
        std::str::from_utf8(self.format(prefix, n)).expect("invariant: an ASCII prefix and decimal digits")
    }
}

/// Appends `n` in decimal, without going through `fmt`.
fn push_decimal(out: &mut String, n: impl Into<u64>) {
    let mut digits = [0u8; 20];
    for &d in decimal(n.into(), &mut digits) {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::rdf::{parse_nquads, to_nquads, Literal};

    fn quads(text: &str) -> Vec<Quad> {
        parse_nquads(text).unwrap()
    }

    fn first_degree_hashes(text: &str) -> Vec<(String, String)> {
        let input = Dataset::from_quads(&quads(text)).unwrap();
        let state = State::run(&input, &CanonOptions::default()).unwrap();
        (0..input.blank_count() as u32)
            .zip(&state.first_degree)
            .map(|(b, hash)| (input.label(b).into_owned(), hash.as_str().to_owned()))
            .collect()
    }

    /// RDFC-1.0 §4.4.3, "unique hashes" example: every blank node is told apart at first degree.
    const UNIQUE: &str = "\
<http://example.com/#p> <http://example.com/#q> _:e0 .
<http://example.com/#p> <http://example.com/#r> _:e1 .
_:e0 <http://example.com/#s> <http://example.com/#u> .
_:e1 <http://example.com/#t> <http://example.com/#u> .
";

    /// RDFC-1.0 §4.4.3, "shared hashes" example: `e0` and `e1` need Hash N-Degree Quads.
    const SHARED: &str = "\
<http://example.com/#p> <http://example.com/#q> _:e0 .
<http://example.com/#p> <http://example.com/#q> _:e1 .
_:e0 <http://example.com/#p> _:e2 .
_:e1 <http://example.com/#p> _:e3 .
_:e2 <http://example.com/#r> _:e3 .
";

    #[test]
    fn a_duplicate_that_would_tell_two_blank_nodes_apart_is_ignored() {
        // With the duplicate kept, _:a's first-degree hash would differ from _:b's; as a set,
        // the two look alike and Hash N-Degree Quads must decide.
        let set = quads("_:a <urn:p> \"1\" .\n_:b <urn:p> \"1\" .\n_:a <urn:q> _:b .\n");
        let mut with_duplicate = set.clone();
        with_duplicate.push(set[0].clone());
        let expected = canonicalize_with(&set, &CanonOptions::default()).unwrap();
        let got = canonicalize_with(&with_duplicate, &CanonOptions::default()).unwrap();
        assert_eq!(got.nquads(), expected.nquads());
        assert_eq!(got.nquads().lines().count(), 3);
        assert_eq!(got.issued_identifiers(), expected.issued_identifiers());
    }

    #[test]
    fn spec_example_unique_hashes() {
        // The first-degree hashes printed in the specification's walk-through of this example.
        assert_eq!(
            first_degree_hashes(UNIQUE),
            [
                ("e0".into(), "21d1dd5ba21f3dee9d76c0c00c260fa6f5d5d65315099e553026f4828d0dc77a".into()),
                ("e1".into(), "6fa0b9bdb376852b5743ff39ca4cbf7ea14d34966b2828478fbf222e7c764473".into()),
            ]
        );
        let dataset = canonicalize_with(&quads(UNIQUE), &CanonOptions::default()).unwrap();
        assert_eq!(
            dataset.nquads(),
            "\
<http://example.com/#p> <http://example.com/#q> _:c14n0 .
<http://example.com/#p> <http://example.com/#r> _:c14n1 .
_:c14n0 <http://example.com/#s> <http://example.com/#u> .
_:c14n1 <http://example.com/#t> <http://example.com/#u> .
"
        );
        assert_eq!(dataset.hash_n_degree_calls(), 0);
    }

    #[test]
    fn spec_example_shared_hashes() {
        let hashes = first_degree_hashes(SHARED);
        let shared = "3b26142829b8887d011d779079a243bd61ab53c3990d550320a17b59ade6ba36";
        assert_eq!(hashes[0].1, shared);
        assert_eq!(hashes[1].1, shared);
        assert_eq!(hashes[2].1, "15973d39de079913dac841ac4fa8c4781c0febfba5e83e5c6e250869587f8659");
        assert_eq!(hashes[3].1, "7e790a99273eed1dc57e43205d37ce232252c85b26ca4a6ff74ff3b5aea7bccd");

        let dataset = canonicalize_with(&quads(SHARED), &CanonOptions::default()).unwrap();
        let issued: Vec<(&str, &str)> =
            dataset.issued_identifiers().iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(issued, [("e2", "c14n0"), ("e3", "c14n1"), ("e1", "c14n2"), ("e0", "c14n3")]);
        assert_eq!(dataset.canonical_label("e0"), Some("c14n3"));
        assert_eq!(dataset.canonical_label("nope"), None);
        assert_eq!(
            dataset.nquads(),
            "\
<http://example.com/#p> <http://example.com/#q> _:c14n2 .
<http://example.com/#p> <http://example.com/#q> _:c14n3 .
_:c14n0 <http://example.com/#r> _:c14n1 .
_:c14n2 <http://example.com/#p> _:c14n1 .
_:c14n3 <http://example.com/#p> _:c14n0 .
"
        );
        assert_eq!(dataset.hash_n_degree_calls(), 2);
    }

    #[test]
    fn canonical_quads_match_the_document() {
        let dataset = canonicalize_with(&quads(SHARED), &CanonOptions::default()).unwrap();
        assert_eq!(to_nquads(dataset.quads()), dataset.nquads());
        assert_eq!(canonicalize(&quads(SHARED)).unwrap(), dataset.into_nquads());
    }

    #[test]
    fn sha384_changes_hashes_not_structure() {
        let options = CanonOptions::default().with_hash_algorithm(HashAlgorithm::Sha384);
        let dataset = canonicalize_with(&quads(UNIQUE), &options).unwrap();
        assert_eq!(dataset.quads().len(), 4);
        let input = Dataset::from_quads(&quads(UNIQUE)).unwrap();
        let state = State::run(&input, &options).unwrap();
        assert_eq!(state.first_degree[0].as_str().len(), 96);
    }

    #[test]
    fn duplicates_count_once() {
        let text = "_:a <urn:p> _:a .\n_:a <urn:p> _:a .\n";
        assert_eq!(canonicalize(&quads(text)).unwrap(), "_:c14n0 <urn:p> _:c14n0 .\n");
    }

    #[test]
    fn work_limit_stops_a_clique() {
        // Every node of a 5-clique is linked to every other: all look alike at every degree.
        let mut text = String::new();
        for a in 0..5 {
            for b in 0..5 {
                if a != b {
                    text.push_str(&format!("_:n{a} <urn:p> _:n{b} .\n"));
                }
            }
        }
        let input = quads(&text);
        let limited = CanonOptions::default().with_work_limit(WorkLimit::Calls(10));
        assert_eq!(
            canonicalize_with(&input, &limited),
            Err(CanonError::WorkLimitExceeded { limit: 10, shared_blank_nodes: 5 })
        );
        let dataset =
            canonicalize_with(&input, &CanonOptions::default().with_work_limit(WorkLimit::Unlimited)).unwrap();
        assert!(dataset.hash_n_degree_calls() > 25);
        assert!(matches!(canonicalize(&input), Err(CanonError::WorkLimitExceeded { limit: 400, .. })));
    }

    #[test]
    fn scaled_budget_saturates_at_the_ceiling() {
        assert_eq!(WorkLimit::DEFAULT.budget(12), 2304);
        assert_eq!(WorkLimit::DEFAULT.budget(1_000), 100_000);
        assert_eq!(WorkLimit::DEFAULT.budget(usize::MAX), 100_000);
        assert_eq!(WorkLimit::Calls(7).budget(1_000), 7);
    }

    #[test]
    fn refuses_generalized_quads() {
        let quad = |subject, predicate, graph| Quad { subject, predicate, object: Term::Iri("urn:o".into()), graph };
        let iri = || Term::Iri("urn:x".into());
        let lit = || Term::Literal(Literal::string("x"));
        for bad in [
            quad(lit(), iri(), None),
            quad(iri(), Term::Blank("p".into()), None),
            quad(iri(), lit(), None),
            quad(iri(), iri(), Some(lit())),
        ] {
            assert!(matches!(
                canonicalize(&[quad(iri(), iri(), None), bad]),
                Err(CanonError::InvalidQuad { index: 1, .. })
            ));
        }
    }

    #[test]
    fn permuter_enumerates_every_order_once() {
        let labels = Dataset::from_quads(&quads("_:a <urn:p> _:b .\n_:c <urn:p> _:d .\n")).unwrap();
        let mut permuter = Permuter::new([3, 1, 0, 2].into_iter(), &labels);
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        let mut first = None;
        while permuter.next_into(&mut out) {
            first.get_or_insert_with(|| out.clone());
            assert!(seen.insert(out.clone()), "repeated {out:?}");
        }
        assert_eq!(seen.len(), 24);
        assert_eq!(first, Some(vec![0, 1, 2, 3]), "starts from the label-sorted list");

        // A node listed twice (related through two quads) yields each distinct order once.
        let mut permuter = Permuter::new([1, 0, 1].into_iter(), &labels);
        let mut count = 0;
        while permuter.next_into(&mut out) {
            count += 1;
        }
        assert_eq!(count, 3);
    }

    #[test]
    fn label_buf_formats_numbers() {
        let mut buf = LabelBuf::new();
        assert_eq!(buf.format_str("_:b", 0), "_:b0");
        assert_eq!(buf.format_str("_:c14n", 42), "_:c14n42");
        assert_eq!(buf.format_str("_:c14n", u32::MAX), "_:c14n4294967295");
    }

    /// Small datasets over few labels, so blank nodes often look alike and Hash N-Degree
    /// Quads runs.
    fn dataset() -> impl Strategy<Value = Vec<Quad>> {
        let blank = (0..5u8).prop_map(|n| Term::Blank(format!("b{n}")));
        let iri = prop::sample::select(vec!["urn:x", "urn:y"]).prop_map(|i| Term::Iri(i.into()));
        let literal = prop::sample::select(vec!["", "v", "a\"\\\n"]).prop_map(|v| Term::Literal(Literal::string(v)));
        let subject = prop_oneof![3 => blank.clone(), 1 => iri.clone()];
        let predicate = prop::sample::select(vec!["urn:p", "urn:q"]).prop_map(|i| Term::Iri(i.into()));
        let object = prop_oneof![3 => blank.clone(), 1 => iri.clone(), 1 => literal];
        let graph = prop_oneof![3 => Just(None), 1 => iri.prop_map(Some), 1 => blank.prop_map(Some)];
        quads_from(subject, predicate, object, graph, 10)
    }

    /// Lists of fewer than `most` quads, their terms drawn from the strategies given.
    fn quads_from(
        subject: impl Strategy<Value = Term>,
        predicate: impl Strategy<Value = Term>,
        object: impl Strategy<Value = Term>,
        graph: impl Strategy<Value = Option<Term>>,
        most: usize,
    ) -> impl Strategy<Value = Vec<Quad>> {
        let quad = (subject, predicate, object, graph).prop_map(|(subject, predicate, object, graph)| Quad {
            subject,
            predicate,
            object,
            graph,
        });
        prop::collection::vec(quad, 0..most)
    }

    /// Quads whose terms test the order of lines: an IRI that, followed by a space, begins
    /// another (so that lines cannot be sorted by their terms' ranks), and IRIs and literals
    /// with spaces, control characters and NUL.
    fn awkward_dataset() -> impl Strategy<Value = Vec<Quad>> {
        let blank = (0..4u8).prop_map(|n| Term::Blank(format!("b{n}")));
        let iri = prop::sample::select(vec!["urn:x", "urn:x> <urn:y", "urn:x\t", "urn:x\0", "urn:x y", "urn:z"])
            .prop_map(|i| Term::Iri(i.into()));
        let literal =
            prop::sample::select(vec!["a", "a b", "a\u{1}", "a\0"]).prop_map(|v| Term::Literal(Literal::string(v)));
        let subject = prop_oneof![blank.clone(), iri.clone()];
        let object = prop_oneof![blank.clone(), iri.clone(), literal];
        let graph = prop_oneof![Just(None), iri.clone().prop_map(Some), blank.prop_map(Some)];
        quads_from(subject, iri, object, graph, 12)
    }

    #[test]
    fn term_order_needs_texts_that_do_not_begin_each_other_with_a_space() {
        let iri = |i: &str| Term::Iri(i.into());
        let quad = |o: &str| Quad { subject: iri("urn:s"), predicate: iri("urn:p"), object: iri(o), graph: None };
        let plain = Dataset::from_quads(&[quad("urn:x"), quad("urn:xy")]).unwrap();
        assert!(TermOrder::of(&plain).is_some());
        let awkward = Dataset::from_quads(&[quad("urn:x"), quad("urn:x> <urn:y")]).unwrap();
        assert!(TermOrder::of(&awkward).is_none());
        // Such lines are sorted as bytes: after `<urn:x> `, `.` (0x2E) sorts below `<` (0x3C).
        let canonical = canonicalize(&[quad("urn:x> <urn:y"), quad("urn:x")]).unwrap();
        assert_eq!(canonical, "<urn:s> <urn:p> <urn:x> .\n<urn:s> <urn:p> <urn:x> <urn:y> .\n");
    }

    /// `quads` with every blank node label `bN` renamed through `names`.
    fn rename(quads: &[Quad], names: &[usize]) -> Vec<Quad> {
        let term = |t: &Term| match t {
            Term::Blank(label) => {
                let n: usize = label[1..].parse().unwrap();
                Term::Blank(format!("other{}", names[n]))
            }
            other => other.clone(),
        };
        quads
            .iter()
            .map(|q| Quad {
                subject: term(&q.subject),
                predicate: q.predicate.clone(),
                object: term(&q.object),
                graph: q.graph.as_ref().map(term),
            })
            .collect()
    }

    fn unlimited(quads: &[Quad]) -> CanonicalDataset {
        let options = CanonOptions::default().with_work_limit(WorkLimit::Unlimited);
        canonicalize_with(quads, &options).unwrap()
    }

    proptest! {
        #[test]
        fn invariant_under_order_and_relabelling(
            (quads, shuffled, names) in dataset().prop_flat_map(|quads| {
                let shuffled = Just(quads.clone()).prop_shuffle();
                let names = Just((0..5).collect::<Vec<usize>>()).prop_shuffle();
                (Just(quads), shuffled, names)
            })
        ) {
            let expected = unlimited(&quads);
            let renamed = rename(&shuffled, &names);
            let got = unlimited(&renamed);
            prop_assert_eq!(got.nquads(), expected.nquads());
        }

        #[test]
        fn duplicates_never_change_the_result(quads in dataset(), repeat in prop::collection::vec(0..10usize, 1..4)) {
            let mut with_duplicates = quads.clone();
            with_duplicates.extend(repeat.iter().filter_map(|&i| quads.get(i).cloned()));
            let (expected, got) = (unlimited(&quads), unlimited(&with_duplicates));
            prop_assert_eq!(got.nquads(), expected.nquads());
            prop_assert_eq!(got.issued_identifiers(), expected.issued_identifiers());
        }

        #[test]
        fn lines_sort_as_strings_do(lines in prop::collection::vec(
            prop::collection::vec(prop::sample::select(vec!["<urn:a>", "<urn:a/b>", " ", "_:c14n1", "_:c14n12", "\"literal with spaces and more than sixteen bytes\"", "x", "\0", "<urn:\0>"]), 1..12)
                .prop_map(|parts| parts.concat() + " .\n"),
            0..40,
        )) {
            let mut sorted = Lines::default();
            for (q, line) in lines.iter().enumerate() {
                sorted.text.push_str(line);
                sorted.end_line(q as u32);
            }
            sorted.sort();
            let mut expected = lines.clone();
            expected.sort();
            prop_assert_eq!(sorted.iter().collect::<Vec<_>>(), expected.iter().map(String::as_str).collect::<Vec<_>>());
        }

        #[test]
        fn canonical_lines_are_in_byte_order(quads in awkward_dataset()) {
            let canonical = unlimited(&quads);
            let lines: Vec<&str> = canonical.nquads().split_inclusive('\n').collect();
            let mut sorted = lines.clone();
            sorted.sort_unstable();
            prop_assert_eq!(lines, sorted);
        }

        #[test]
        fn idempotent(quads in dataset()) {
            let once = unlimited(&quads);
            let again = unlimited(&parse_nquads(once.nquads()).unwrap());
            prop_assert_eq!(again.nquads(), once.nquads());
            prop_assert_eq!(again.quads(), once.quads());
        }
    }
}
