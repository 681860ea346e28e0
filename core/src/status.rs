//! The verifier's side of [W3C Bitstring Status List v1.0](https://www.w3.org/TR/vc-bitstring-status-list/)
//! (Recommendation, 15 May 2025): the bitstring codec and a [`StatusChecker`] that fetches, verifies,
//! caches and reads status lists.
//!
//! - §2.1 `BitstringStatusListEntry`: [`StatusListClient`] parses the `credentialStatus` entry.
//!   `statusListIndex` must be a base-10 string of a non-negative integer, nothing else.
//!   `statusSize` defaults to 1. When it is above 1, `statusMessage` must be present with one
//!   message per possible value (`{"status": "0x…", "message": …}`). Both are rows of the §2.1
//!   entry table; the Recommendation has no section of their own.
//! - §2.2 `BitstringStatusListCredential`: the list's `type` must include
//!   `BitstringStatusListCredential`, its `credentialSubject.type` must be `BitstringStatusList`,
//!   and its `statusPurpose` (one string or several) must include the entry's. `ttl` is in
//!   milliseconds and sets how long the cache trusts a copy.
//! - §3.3 and §3.4, the generation and expansion algorithms: the bitstring is GZIP-compressed
//!   (RFC 1952), then multibase-encoded as base64url with no padding (prefix `u`). Index 0 is the
//!   left-most (most significant) bit of the first byte (§2.2 `encodedList`, §7.1). An entry of
//!   `statusSize` bits starts at bit `statusListIndex × statusSize`, most significant bit first.
//! - §3.2, the validate algorithm: dereference the list and require every proof to verify (step
//!   4). Match the purpose (step 5). Refuse a list with fewer than `minimumNumberOfEntries` =
//!   131,072 entries of `statusSize` bits (step 9, `STATUS_LIST_LENGTH_ERROR`). Refuse an index
//!   outside the list (step 10, `RANGE_ERROR`). Status 0 is valid, anything else is set (step 13).
//!   §2.2 also says the uncompressed bitstring MUST be at least 16KB, so [`Bitstring::decode`]
//!   refuses anything shorter whatever the entry size.
//! - §6.1, herd privacy: the minimum length is what keeps a holder in a crowd. A short list is an
//!   error, and it is never padded. §6.3, verifier caching: a cached list means the issuer sees
//!   fewer requests that it could correlate.
//!
//! Two choices go beyond the specification, both to fail closed:
//!
//! - **Same issuer.** §2.2 allows the list's issuer to differ from the credential's issuer. This
//!   client does not: anyone can sign an all-zero list, so a list from anyone else is
//!   [`StatusCheckError::IssuerMismatch`].
//! - **Same URL.** A list whose `id` is present and differs from the URL it was fetched from is
//!   refused, so that a server cannot answer with another of the issuer's lists.
//!
//! The cache, the offline mode and the gzip cap are described on [`StatusListClient`] and
//! [`Bitstring::decode`]. The older `StatusList2021` form (W3C CCG, 2021) is read as well:
//! `StatusList2021Entry` entries, `StatusList2021Credential` lists, and an `encodedList` with or
//! without the multibase `u` prefix.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, TimeDelta, Utc};
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::Value;

use crate::did::{Fetcher, Resolver};
use crate::jose::{self, enveloped_token};
use crate::model::{has_type, id_of};
use crate::verify::{CheckName, Status, StatusChecker, StatusOutcome, Verifier};

/// §3.2 step 2: the least number of entries a list may hold (16 KiB of single-bit entries).
pub const MIN_ENTRIES: usize = 131_072;

/// The default cap on a list's decompressed size: 16 MiB, which holds 134 million single-bit
/// entries. Real lists are 16 KiB to a few MiB, but a few KiB of gzip can expand to gigabytes.
pub const DEFAULT_MAX_DECOMPRESSED: usize = 16 * 1024 * 1024;

/// How long a list without `ttl` is trusted before it is fetched again.
pub const DEFAULT_TTL: Duration = Duration::from_secs(5 * 60);

/// How many lists the cache holds before it evicts the oldest. Each can be up to the
/// decompression cap in memory.
pub const DEFAULT_CACHE_CAPACITY: usize = 256;

/// The widest `statusSize` the client accepts. §1.3 lets processors support only 1. Above 1, an
/// entry carries 2^statusSize messages, so this bound also bounds the work one entry can cause.
pub const MAX_STATUS_SIZE: usize = 16;

/// Why a bitstring could not be decoded, read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatusListError {
    /// `encodedList` lacks the multibase base64url prefix `u` (§2.2).
    #[error("encodedList must be multibase base64url, starting with \"u\"")]
    MissingPrefix,
    /// The text after the prefix is not base64url without padding.
    #[error("encodedList is not base64url without padding: {0}")]
    Base64(String),
    /// The bytes are not a valid GZIP stream (RFC 1952): bad header, corrupt data, or a checksum
    /// that does not match.
    #[error("encodedList is not valid GZIP data: {0}")]
    Gzip(String),
    /// Decompression went past the cap and was stopped, which is the sign of a gzip bomb.
    #[error("encodedList expands beyond the {limit}-byte limit (a possible gzip bomb); decompression was stopped")]
    TooLarge {
        /// The cap in bytes.
        limit: usize,
    },
    /// The list holds fewer entries than herd privacy requires (§3.2 step 9, §6.1).
    #[error(
        "the list holds {entries} entries of {status_size} bit(s), fewer than the {minimum} required for herd privacy (STATUS_LIST_LENGTH_ERROR)"
    )]
    TooShort {
        /// Entries in the list: its bits divided by `status_size`.
        entries: usize,
        /// Bits per entry.
        status_size: usize,
        /// The minimum.
        minimum: usize,
    },
    /// The entry lies outside the list (§3.2 step 10).
    #[error("index {index} is outside the list of {entries} entries of {status_size} bit(s) (RANGE_ERROR)")]
    IndexOutOfRange {
        /// The entry index.
        index: usize,
        /// Bits per entry.
        status_size: usize,
        /// Entries in the list.
        entries: usize,
    },
    /// `statusSize` is zero or wider than a `u64`.
    #[error("statusSize {0} is not supported: it must be between 1 and 64")]
    BadStatusSize(usize),
    /// The value does not fit in `statusSize` bits.
    #[error("value {value} does not fit in {status_size} bit(s)")]
    ValueTooWide {
        /// The value.
        value: u64,
        /// Bits per entry.
        status_size: usize,
    },
}

/// A status bitstring: index 0 is the most significant bit of the first byte (§2.2, §7.1).
#[derive(Clone, PartialEq, Eq)]
pub struct Bitstring {
    bytes: Vec<u8>,
}

impl std::fmt::Debug for Bitstring {
    // A list is 16 KiB or more, so Debug prints its size and set bits, not the bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set: usize = self.bytes.iter().map(|b| b.count_ones() as usize).sum();
        f.debug_struct("Bitstring").field("len", &self.len()).field("set", &set).finish()
    }
}

impl Bitstring {
    /// An all-zero bitstring of at least `len_bits` bits. It is rounded up to whole bytes, since
    /// GZIP carries bytes. Issuers should use [`MIN_ENTRIES`] or more.
    pub fn new(len_bits: usize) -> Self {
        Bitstring { bytes: vec![0; len_bits.div_ceil(8)] }
    }

    /// The bitstring with these bytes, index 0 the most significant bit of the first byte.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Bitstring { bytes }
    }

    /// The bytes, index 0 the most significant bit of the first byte.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Decodes an `encodedList` (§3.4): strips the multibase `u` prefix, decodes the base64url
    /// (no padding), then gunzips with a hard cap of `max_decompressed` bytes.
    ///
    /// At most `max_decompressed + 1` bytes are inflated. Past that, decoding stops with
    /// [`StatusListError::TooLarge`], so a gzip bomb costs no more than the cap in memory and time.
    /// The result must hold at least [`MIN_ENTRIES`] bits (§2.2: "at least 16KB"), or
    /// decoding fails with [`StatusListError::TooShort`]. A list of wider entries must also hold
    /// [`MIN_ENTRIES`] entries; [`StatusListClient`] checks that.
    pub fn decode(encoded_list: &str, max_decompressed: usize) -> Result<Bitstring, StatusListError> {
        let body = encoded_list.strip_prefix('u').ok_or(StatusListError::MissingPrefix)?;
        Self::checked(Self::expand(body, max_decompressed)?)
    }

    /// Decodes a `StatusList2021` `encodedList`, which that draft wrote as plain base64url
    /// without the multibase prefix. A `u`-prefixed value is accepted as well. A base64url GZIP
    /// stream starts with `H4sI`, so the two forms cannot be confused. The cap and the minimum
    /// length are those of [`Bitstring::decode`].
    pub fn decode_2021(encoded_list: &str, max_decompressed: usize) -> Result<Bitstring, StatusListError> {
        let body = match encoded_list.strip_prefix('u') {
            Some(rest) if rest.starts_with("H4sI") => rest,
            _ => encoded_list,
        };
        Self::checked(Self::expand(body, max_decompressed)?)
    }

    /// [`Bitstring::decode`] without the minimum-length check. It is for lists that an ecosystem
    /// profile lets be shorter (§3.2 step 2), and for specification examples. Never use it to
    /// judge a credential's status under this specification's defaults.
    pub fn decode_unchecked(encoded_list: &str, max_decompressed: usize) -> Result<Bitstring, StatusListError> {
        let body = encoded_list.strip_prefix('u').ok_or(StatusListError::MissingPrefix)?;
        Self::expand(body, max_decompressed)
    }

    fn checked(bits: Bitstring) -> Result<Bitstring, StatusListError> {
        if bits.len() < MIN_ENTRIES {
            return Err(StatusListError::TooShort { entries: bits.len(), status_size: 1, minimum: MIN_ENTRIES });
        }
        Ok(bits)
    }

    fn expand(base64url: &str, max_decompressed: usize) -> Result<Bitstring, StatusListError> {
        let compressed = URL_SAFE_NO_PAD.decode(base64url).map_err(|e| StatusListError::Base64(e.to_string()))?;
        let limit = u64::try_from(max_decompressed).unwrap_or(u64::MAX).saturating_add(1);
        let mut bytes = Vec::new();
        // `take` stops inflating one byte past the cap. A bomb never reaches its trailer, so
        // the cap is what ends it, not a checksum error.
        GzDecoder::new(compressed.as_slice())
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| StatusListError::Gzip(e.to_string()))?;
        if bytes.len() > max_decompressed {
            return Err(StatusListError::TooLarge { limit: max_decompressed });
        }
        Ok(Bitstring { bytes })
    }

    /// Encodes as an `encodedList` (§3.3 step 3): GZIP, then multibase base64url (`u…`).
    pub fn encode(&self) -> String {
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(&self.bytes).expect("writing to a Vec cannot fail");
        let compressed = gz.finish().expect("finishing a GZIP stream into a Vec cannot fail");
        format!("u{}", URL_SAFE_NO_PAD.encode(compressed))
    }

    /// The length in bits.
    pub fn len(&self) -> usize {
        self.bytes.len() * 8
    }

    /// Whether the bitstring has no bits at all.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// How many entries of `status_size` bits the list holds.
    pub fn entries(&self, status_size: usize) -> usize {
        self.len().checked_div(status_size).unwrap_or(0)
    }

    /// The bit at `index`, or `None` past the end.
    pub fn get(&self, index: usize) -> Option<bool> {
        self.bytes.get(index / 8).map(|b| b & (0x80 >> (index % 8)) != 0)
    }

    /// Sets the bit at `index`.
    pub fn set(&mut self, index: usize, value: bool) -> Result<(), StatusListError> {
        let entries = self.len();
        let byte =
            self.bytes.get_mut(index / 8).ok_or(StatusListError::IndexOutOfRange { index, status_size: 1, entries })?;
        let mask = 0x80 >> (index % 8);
        if value {
            *byte |= mask;
        } else {
            *byte &= !mask;
        }
        Ok(())
    }

    /// The value of entry `index` of `status_size` bits (§3.2 step 10). The entry starts at bit
    /// `index × status_size` and is read most significant bit first.
    pub fn value(&self, index: usize, status_size: usize) -> Result<u64, StatusListError> {
        let start = self.span(index, status_size)?;
        let mut value = 0u64;
        for bit in start..start + status_size {
            value = (value << 1) | u64::from(self.get(bit).expect("span() checked the entry lies within the list"));
        }
        Ok(value)
    }

    /// Writes `value` into entry `index` of `status_size` bits, most significant bit first.
    pub fn set_value(&mut self, index: usize, status_size: usize, value: u64) -> Result<(), StatusListError> {
        let start = self.span(index, status_size)?;
        if status_size < 64 && value >> status_size != 0 {
            return Err(StatusListError::ValueTooWide { value, status_size });
        }
        for (offset, bit) in (start..start + status_size).enumerate() {
            let shift = status_size - 1 - offset;
            self.set(bit, (value >> shift) & 1 == 1).expect("span() checked the entry lies within the list");
        }
        Ok(())
    }

    /// The first bit of entry `index`, once the entry is known to fit.
    fn span(&self, index: usize, status_size: usize) -> Result<usize, StatusListError> {
        if !(1..=64).contains(&status_size) {
            return Err(StatusListError::BadStatusSize(status_size));
        }
        let entries = self.entries(status_size);
        if index >= entries {
            return Err(StatusListError::IndexOutOfRange { index, status_size, entries });
        }
        Ok(index * status_size)
    }
}

/// Why the status of one `credentialStatus` entry could not be established. Through
/// [`StatusChecker`], each becomes [`StatusOutcome::Unknown`] with this text as its reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatusCheckError {
    /// The entry is not a well-formed `BitstringStatusListEntry` (§2.1, `MALFORMED_VALUE_ERROR`).
    #[error("malformed credentialStatus entry: {0}")]
    MalformedEntry(String),
    /// The entry's `type` is not one this client reads.
    #[error("credentialStatus type {0} is not supported; only BitstringStatusListEntry (and StatusList2021Entry) are")]
    UnsupportedEntryType(String),
    /// The credential names no issuer, so the list's issuer cannot be compared with it.
    #[error("the credential names no issuer, so its status list cannot be attributed")]
    NoIssuer,
    /// The client is offline and holds no copy of the list.
    #[error("offline, and no cached copy of the status list {url}")]
    NotCached {
        /// The list's URL.
        url: String,
    },
    /// The fetch failed (§3.2 step 4, `STATUS_RETRIEVAL_ERROR`).
    #[error("could not fetch the status list {url}: {reason}")]
    Unreachable {
        /// The list's URL.
        url: String,
        /// The fetcher's reason.
        reason: String,
    },
    /// The body is not a credential at all: not UTF-8, not JSON, not a decodable JWT.
    #[error("the status list {url} is not a credential: {reason}")]
    NotACredential {
        /// The list's URL.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// The list credential failed verification: an unsigned, tampered or foreign proof, or a
    /// validity window not yet open (§3.2 step 4, `STATUS_VERIFICATION_ERROR`).
    #[error("the status list {url} did not verify: {check} check failed ({code}): {message}")]
    NotVerified {
        /// The list's URL.
        url: String,
        /// The first failing check of the list's report (`proof`, `issuer`, …).
        check: String,
        /// Its code.
        code: String,
        /// Its message.
        message: String,
    },
    /// The list's `validUntil` has passed.
    #[error("the status list {url} has expired: it was valid until {until}")]
    Expired {
        /// The list's URL.
        url: String,
        /// Its `validUntil`, as written.
        until: String,
    },
    /// The credential is a verified credential, but not a well-formed status list (§2.2).
    #[error("the credential at {url} is not a usable status list: {reason}")]
    NotAStatusList {
        /// The list's URL.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// The list was issued by someone other than the credential's issuer.
    #[error("the status list {url} was issued by {list_issuer}, not by the credential's issuer {credential_issuer}")]
    IssuerMismatch {
        /// The list's URL.
        url: String,
        /// The list's issuer.
        list_issuer: String,
        /// The credential's issuer.
        credential_issuer: String,
    },
    /// The list does not serve the entry's purpose (§3.2 step 5, `STATUS_VERIFICATION_ERROR`).
    #[error("the status list {url} is for {list_purposes}, not for {entry_purpose}")]
    PurposeMismatch {
        /// The list's URL.
        url: String,
        /// The list's purposes, comma-separated.
        list_purposes: String,
        /// The entry's purpose.
        entry_purpose: String,
    },
    /// The list's bitstring is unusable: not decodable, a gzip bomb, or too short.
    #[error("the status list {url} is unusable: {source}")]
    BadList {
        /// The list's URL.
        url: String,
        /// The decoding failure.
        #[source]
        source: StatusListError,
    },
    /// `statusListIndex` lies outside the list (§3.2 step 10, `RANGE_ERROR`).
    #[error("statusListIndex {index} is outside the status list {url}, which holds {entries} entries (RANGE_ERROR)")]
    IndexOutOfRange {
        /// The list's URL.
        url: String,
        /// The index, as written.
        index: String,
        /// Entries in the list.
        entries: usize,
    },
}

/// The two list formats the client reads: the Recommendation's and its 2021 predecessor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Bitstring,
    StatusList2021,
}

impl Format {
    fn entry_type(self) -> &'static str {
        match self {
            Format::Bitstring => "BitstringStatusListEntry",
            Format::StatusList2021 => "StatusList2021Entry",
        }
    }

    fn credential_type(self) -> &'static str {
        match self {
            Format::Bitstring => "BitstringStatusListCredential",
            Format::StatusList2021 => "StatusList2021Credential",
        }
    }

    fn subject_type(self) -> &'static str {
        match self {
            Format::Bitstring => "BitstringStatusList",
            Format::StatusList2021 => "StatusList2021",
        }
    }
}

/// A parsed `credentialStatus` entry (§2.1).
#[derive(Debug)]
struct Entry {
    format: Format,
    purpose: String,
    /// As written, for messages.
    index_text: String,
    /// `None` when the index is too large for this machine, so certainly out of range.
    index: Option<usize>,
    url: String,
    size: usize,
    /// By status value; empty when the entry has no `statusMessage`.
    messages: HashMap<u64, String>,
}

impl Entry {
    fn parse(entry: &Value) -> Result<Entry, StatusCheckError> {
        let malformed = |m: &str| StatusCheckError::MalformedEntry(m.to_owned());
        let Value::Object(map) = entry else { return Err(malformed("it is not a JSON object")) };
        let format = match map.get("type") {
            Some(Value::String(t)) if t == "BitstringStatusListEntry" => Format::Bitstring,
            Some(Value::String(t)) if t == "StatusList2021Entry" => Format::StatusList2021,
            Some(Value::String(t)) => return Err(StatusCheckError::UnsupportedEntryType(t.clone())),
            Some(other) => return Err(StatusCheckError::UnsupportedEntryType(other.to_string())),
            None => return Err(malformed("it has no type")),
        };
        let purpose = match map.get("statusPurpose") {
            Some(Value::String(p)) if !p.is_empty() => p.clone(),
            _ => return Err(malformed("statusPurpose must be a non-empty string")),
        };
        let index_text = match map.get("statusListIndex") {
            Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.clone(),
            Some(Value::String(s)) => {
                return Err(StatusCheckError::MalformedEntry(format!(
                    "statusListIndex {s:?} is not a non-negative base-10 integer"
                )))
            }
            Some(other) => {
                return Err(StatusCheckError::MalformedEntry(format!(
                    "statusListIndex must be a string of base-10 digits, found {other}"
                )))
            }
            None => return Err(malformed("statusListIndex is missing")),
        };
        let index = index_text.parse::<usize>().ok();
        let url = match map.get("statusListCredential") {
            Some(Value::String(u)) if has_scheme(u) => u.clone(),
            _ => return Err(malformed("statusListCredential must be a URL")),
        };
        if map.get("id").and_then(Value::as_str) == Some(url.as_str()) {
            return Err(malformed("the entry's id must not be the status list's URL (§2.1)"));
        }
        let size = match map.get("statusSize") {
            None => 1,
            Some(v) => match v.as_u64() {
                Some(n @ 1..) => usize::try_from(n).unwrap_or(usize::MAX),
                _ => return Err(malformed("statusSize must be an integer greater than zero")),
            },
        };
        if size > MAX_STATUS_SIZE {
            return Err(StatusCheckError::MalformedEntry(format!(
                "statusSize {size} is not supported: at most {MAX_STATUS_SIZE} bits"
            )));
        }
        let messages = match map.get("statusMessage") {
            None if size > 1 => return Err(malformed("statusMessage must be present when statusSize is above 1")),
            None => HashMap::new(),
            Some(list) => parse_messages(list, size)?,
        };
        Ok(Entry { format, purpose, index_text, index, url, size, messages })
    }
}

/// `statusMessage` (§2.1): exactly one `{status: "0x…", message}` for each of the 2^size values.
fn parse_messages(list: &Value, size: usize) -> Result<HashMap<u64, String>, StatusCheckError> {
    let malformed = |m: String| StatusCheckError::MalformedEntry(m);
    let Value::Array(items) = list else { return Err(malformed("statusMessage must be an array".into())) };
    let values = 1u64 << size;
    if items.len() as u64 != values {
        return Err(malformed(format!(
            "statusMessage has {} messages, but statusSize {size} allows {values} values",
            items.len()
        )));
    }
    let mut messages = HashMap::new();
    for item in items {
        let status = item.get("status").and_then(Value::as_str).unwrap_or_default();
        let value = status
            .strip_prefix("0x")
            .or_else(|| status.strip_prefix("0X"))
            .and_then(|hex| u64::from_str_radix(hex, 16).ok())
            .filter(|v| *v < values)
            .ok_or_else(|| malformed(format!("statusMessage status {status:?} is not a hex value below {values}")))?;
        let Some(message) = item.get("message").and_then(Value::as_str) else {
            return Err(malformed(format!("statusMessage {status} has no message string")));
        };
        if messages.insert(value, message.to_owned()).is_some() {
            return Err(malformed(format!("statusMessage lists status {status} twice")));
        }
    }
    Ok(messages)
}

fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// A verified status list, as the cache keeps it.
#[derive(Debug)]
struct StatusList {
    format: Format,
    issuer: String,
    purposes: Vec<String>,
    bits: Bitstring,
    /// `validUntil` (or VC 1.1's `expirationDate`), parsed and as written.
    valid_until: Option<(DateTime<Utc>, String)>,
    ttl: Option<Duration>,
}

#[derive(Debug, Clone)]
struct Cached {
    list: Arc<StatusList>,
    body: Arc<Vec<u8>>,
    fetched_at: DateTime<Utc>,
    /// When the copy stops being trusted online: `ttl` (or the default) after the fetch, never
    /// after `validUntil`.
    fresh_until: DateTime<Utc>,
}

type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Checks `BitstringStatusListEntry` entries by fetching their lists through a [`Fetcher`].
///
/// **Verification.** Each list is verified with the engine ([`Verifier`]) and the client's
/// [`Resolver`], at the client's clock. Every deciding check must pass, so an unsigned, tampered,
/// expired or not-yet-valid list is refused. The inner verifier has no status checker, and a list
/// that carries its own `credentialStatus` is refused before that, so checks cannot recurse.
///
/// **Cache.** Verified lists are kept in memory by URL. A copy is fresh for the list's `ttl`
/// (§2.2, milliseconds), or for [`DEFAULT_TTL`] when it has none, and never past its `validUntil`.
/// Online, a fresh copy is used without a fetch. A stale copy is fetched again, and if that fetch
/// fails the status is unknown: the stale copy is not used. Failures are not cached, so the next
/// check tries again. Two checks racing on a cold URL may both fetch. The lock is not held while
/// fetching, so one slow issuer does not stall the others.
///
/// **Offline.** [`StatusListClient::with_offline`] never fetches. It answers from any cached copy,
/// stale or not, that is still within its `validUntil`. Otherwise the status is unknown. Copies
/// get into the cache through earlier online checks, or through
/// [`StatusListClient::preload`] from a copy the caller saved ([`StatusListClient::cached_body`]).
/// [`StatusOutcome`] has no room for the copy's age, so callers that show it call
/// [`StatusListClient::cached_age`].
pub struct StatusListClient {
    fetcher: Arc<dyn Fetcher>,
    resolver: Arc<dyn Resolver>,
    clock: Clock,
    default_ttl: Duration,
    max_decompressed: usize,
    capacity: usize,
    offline: bool,
    cache: Mutex<HashMap<String, Cached>>,
}

impl StatusListClient {
    /// A client that fetches lists with `fetcher` and resolves their signers' keys with
    /// `resolver`. It uses the system clock, [`DEFAULT_TTL`] and [`DEFAULT_MAX_DECOMPRESSED`].
    pub fn new(fetcher: Arc<dyn Fetcher>, resolver: Arc<dyn Resolver>) -> Self {
        StatusListClient {
            fetcher,
            resolver,
            clock: Arc::new(Utc::now),
            default_ttl: DEFAULT_TTL,
            max_decompressed: DEFAULT_MAX_DECOMPRESSED,
            capacity: DEFAULT_CACHE_CAPACITY,
            offline: false,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Reads the time from `clock`. The clock judges each list's validity window and its cache
    /// freshness, so tests can move time without sleeping.
    pub fn with_clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Trusts a list without `ttl` for `ttl` (instead of [`DEFAULT_TTL`]).
    pub fn with_default_ttl(mut self, ttl: Duration) -> Self {
        self.default_ttl = ttl;
        self
    }

    /// Caps each list's decompressed size at `bytes` (instead of [`DEFAULT_MAX_DECOMPRESSED`]).
    pub fn with_max_decompressed(mut self, bytes: usize) -> Self {
        self.max_decompressed = bytes;
        self
    }

    /// Keeps at most `lists` lists in the cache (instead of [`DEFAULT_CACHE_CAPACITY`]).
    pub fn with_cache_capacity(mut self, lists: usize) -> Self {
        self.capacity = lists.max(1);
        self
    }

    /// In offline mode (`true`), nothing is fetched and cached copies are used however stale,
    /// as long as they are within their `validUntil`.
    pub fn with_offline(mut self, offline: bool) -> Self {
        self.offline = offline;
        self
    }

    /// The status of `entry`, one of `credential`'s `credentialStatus` entries. `Ok` is always
    /// [`StatusOutcome::Clear`] or [`StatusOutcome::Set`].
    ///
    /// A set `refresh` bit is reported as `Clear`: §2.1 says it "does not invalidate" the
    /// credential, and the engine treats every `Set` as invalid.
    pub fn status(&self, credential: &Value, entry: &Value) -> Result<StatusOutcome, StatusCheckError> {
        let entry = Entry::parse(entry)?;
        let issuer = id_of(credential.get("issuer")).ok_or(StatusCheckError::NoIssuer)?;
        let list = self.list(&entry.url)?;
        let url = entry.url.as_str();
        if list.format != entry.format {
            return Err(StatusCheckError::NotAStatusList {
                url: url.to_owned(),
                reason: format!(
                    "it is a {}, but the entry is a {}",
                    list.format.credential_type(),
                    entry.format.entry_type()
                ),
            });
        }
        if list.issuer != issuer {
            return Err(StatusCheckError::IssuerMismatch {
                url: url.to_owned(),
                list_issuer: list.issuer.clone(),
                credential_issuer: issuer,
            });
        }
        if !list.purposes.contains(&entry.purpose) {
            return Err(StatusCheckError::PurposeMismatch {
                url: url.to_owned(),
                list_purposes: list.purposes.join(", "),
                entry_purpose: entry.purpose,
            });
        }
        let entries = list.bits.entries(entry.size);
        if entries < MIN_ENTRIES {
            let source = StatusListError::TooShort { entries, status_size: entry.size, minimum: MIN_ENTRIES };
            return Err(StatusCheckError::BadList { url: url.to_owned(), source });
        }
        let out_of_range =
            || StatusCheckError::IndexOutOfRange { url: url.to_owned(), index: entry.index_text.clone(), entries };
        let index = entry.index.ok_or_else(out_of_range)?;
        let value = list.bits.value(index, entry.size).map_err(|_| out_of_range())?;
        let message = entry.messages.get(&value).cloned();
        Ok(match (value, entry.purpose.as_str()) {
            (0, _) | (_, "refresh") => StatusOutcome::Clear { purpose: entry.purpose },
            // §2.1: without statusMessage, a set bit's message is "set".
            (_, "message") => StatusOutcome::Set { purpose: entry.purpose, message: message.or(Some("set".into())) },
            _ => StatusOutcome::Set { purpose: entry.purpose, message },
        })
    }

    /// How old the cached copy of the list at `url` is, by the client's clock.
    pub fn cached_age(&self, url: &str) -> Option<Duration> {
        let fetched_at = self.lock().get(url)?.fetched_at;
        Some((self.now() - fetched_at).to_std().unwrap_or(Duration::ZERO))
    }

    /// The cached list's body as fetched, and when it was fetched, for callers that save lists
    /// for later offline use ([`StatusListClient::preload`]).
    pub fn cached_body(&self, url: &str) -> Option<(Vec<u8>, DateTime<Utc>)> {
        self.lock().get(url).map(|c| (c.body.as_ref().clone(), c.fetched_at))
    }

    /// Verifies `body` as the list at `url`, as if it had been fetched at `fetched_at`, and
    /// caches it. A wallet uses this on start-up for lists it saved. A `fetched_at` in the future
    /// counts as now.
    pub fn preload(&self, url: &str, body: Vec<u8>, fetched_at: DateTime<Utc>) -> Result<(), StatusCheckError> {
        let now = self.now();
        self.admit(url, body, fetched_at.min(now), now).map(|_| ())
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cached>> {
        // The map only ever has whole entries inserted or removed, so a panic elsewhere while
        // it was held cannot have left it inconsistent.
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The verified list at `url`, from the cache or the network.
    fn list(&self, url: &str) -> Result<Arc<StatusList>, StatusCheckError> {
        let now = self.now();
        let cached = self.lock().get(url).cloned();
        if let Some(cached) = cached {
            let expired = cached.list.valid_until.as_ref().filter(|(until, _)| *until < now);
            match (self.offline, expired) {
                (true, Some((_, text))) => {
                    return Err(StatusCheckError::Expired { url: url.to_owned(), until: text.clone() })
                }
                (true, None) => return Ok(cached.list),
                (false, None) if now < cached.fresh_until => return Ok(cached.list),
                (false, _) => {}
            }
        } else if self.offline {
            return Err(StatusCheckError::NotCached { url: url.to_owned() });
        }
        let body =
            self.fetcher.fetch(url).map_err(|reason| StatusCheckError::Unreachable { url: url.to_owned(), reason })?;
        self.admit(url, body, now, now)
    }

    /// Verifies and parses a fetched body and caches the result.
    fn admit(
        &self,
        url: &str,
        body: Vec<u8>,
        fetched_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Arc<StatusList>, StatusCheckError> {
        let list = Arc::new(self.verify_list(url, &body, now)?);
        let ttl = list.ttl.unwrap_or(self.default_ttl);
        let mut fresh_until = TimeDelta::from_std(ttl)
            .ok()
            .and_then(|ttl| fetched_at.checked_add_signed(ttl))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        if let Some((until, _)) = &list.valid_until {
            fresh_until = fresh_until.min(*until);
        }
        let mut cache = self.lock();
        if cache.len() >= self.capacity && !cache.contains_key(url) {
            let oldest = cache.iter().min_by_key(|(_, c)| c.fetched_at).map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                cache.remove(&oldest);
            }
        }
        cache.insert(url.to_owned(), Cached { list: list.clone(), body: Arc::new(body), fetched_at, fresh_until });
        Ok(list)
    }

    fn verify_list(&self, url: &str, body: &[u8], now: DateTime<Utc>) -> Result<StatusList, StatusCheckError> {
        let not_credential = |reason: String| StatusCheckError::NotACredential { url: url.to_owned(), reason };
        let text = std::str::from_utf8(body).map_err(|_| not_credential("the body is not UTF-8 text".into()))?;
        let text = text.trim();
        let verifier = Verifier::new(self.resolver.as_ref()).at(now);
        // §4: a list may come as JSON with embedded proofs, enveloped, or as a bare JWT.
        let (report, doc) = if text.starts_with('{') {
            let value: Value =
                serde_json::from_str(text).map_err(|e| not_credential(format!("not valid JSON: {e}")))?;
            match enveloped_token(&value) {
                Some(token) => (verifier.verify_jwt(token), decode_jwt(token).map_err(not_credential)?),
                None => (verifier.verify_credential(&value), value),
            }
        } else {
            let doc =
                decode_jwt(text).map_err(|e| not_credential(format!("neither JSON nor a credential JWT: {e}")))?;
            (verifier.verify_jwt(text), doc)
        };
        refuse_nested_status(url, &doc)?;
        if !report.verified {
            let failed = report.checks.iter().find(|c| c.check != CheckName::Trust && c.status != Status::Valid);
            let Some(failed) = failed else {
                return Err(StatusCheckError::NotVerified {
                    url: url.to_owned(),
                    check: "any".into(),
                    code: "NO_CHECKS".into(),
                    message: "no check ran".into(),
                });
            };
            if failed.code == "VALIDITY_EXPIRED" {
                let until = doc.get("validUntil").or_else(|| doc.get("expirationDate"));
                let until = until.and_then(Value::as_str).unwrap_or_default();
                return Err(StatusCheckError::Expired { url: url.to_owned(), until: until.to_owned() });
            }
            let check = serde_json::to_value(failed.check).ok().and_then(|v| v.as_str().map(str::to_owned));
            return Err(StatusCheckError::NotVerified {
                url: url.to_owned(),
                check: check.unwrap_or_else(|| format!("{:?}", failed.check)),
                code: failed.code.clone(),
                message: failed.message.clone(),
            });
        }
        self.parse_list(url, &doc)
    }

    /// Reads a verified credential as a status list (§2.2).
    fn parse_list(&self, url: &str, doc: &Value) -> Result<StatusList, StatusCheckError> {
        let bad = |reason: String| StatusCheckError::NotAStatusList { url: url.to_owned(), reason };
        let Value::Object(doc) = doc else { return Err(bad("it is not a JSON object".into())) };
        let format = if has_type(doc.get("type"), Format::Bitstring.credential_type()) {
            Format::Bitstring
        } else if has_type(doc.get("type"), Format::StatusList2021.credential_type()) {
            Format::StatusList2021
        } else {
            return Err(bad("its type does not include BitstringStatusListCredential".into()));
        };
        if let Some(id) = doc.get("id") {
            if id.as_str() != Some(url) {
                return Err(bad(format!("its id is {id}, not the URL it was fetched from")));
            }
        }
        let issuer = id_of(doc.get("issuer")).ok_or_else(|| bad("it names no issuer".into()))?;
        let subject = match doc.get("credentialSubject") {
            Some(Value::Object(s)) => s,
            _ => return Err(bad("credentialSubject must be one object, the list".into())),
        };
        if !has_type(subject.get("type"), format.subject_type()) {
            return Err(bad(format!("credentialSubject.type must be {}", format.subject_type())));
        }
        let purposes: Vec<String> = match subject.get("statusPurpose") {
            Some(Value::String(p)) => vec![p.clone()],
            Some(Value::Array(ps)) if !ps.is_empty() && ps.iter().all(Value::is_string) => {
                ps.iter().filter_map(Value::as_str).map(str::to_owned).collect()
            }
            _ => return Err(bad("credentialSubject.statusPurpose must be one or more strings".into())),
        };
        let Some(encoded) = subject.get("encodedList").and_then(Value::as_str) else {
            return Err(bad("credentialSubject.encodedList must be a string".into()));
        };
        let bits = match format {
            Format::Bitstring => Bitstring::decode(encoded, self.max_decompressed),
            Format::StatusList2021 => Bitstring::decode_2021(encoded, self.max_decompressed),
        }
        .map_err(|source| StatusCheckError::BadList { url: url.to_owned(), source })?;
        let ttl = match subject.get("ttl") {
            None => None,
            Some(v) => match v.as_u64() {
                Some(ms) => Some(Duration::from_millis(ms)),
                None => return Err(bad(format!("ttl must be a non-negative integer of milliseconds, found {v}"))),
            },
        };
        let valid_until = match doc.get("validUntil").or_else(|| doc.get("expirationDate")) {
            None => None,
            Some(v) => {
                let text = v.as_str().unwrap_or_default();
                // The engine's validity check has already parsed this, so failure is unexpected.
                let parsed = DateTime::parse_from_rfc3339(text)
                    .map_err(|_| bad(format!("validUntil is not a date-time: {v}")))?
                    .with_timezone(&Utc);
                Some((parsed, text.to_owned()))
            }
        };
        Ok(StatusList { format, issuer, purposes, bits, valid_until, ttl })
    }
}

impl StatusChecker for StatusListClient {
    fn check(&self, credential: &Value, entry: &Value) -> StatusOutcome {
        self.status(credential, entry).unwrap_or_else(|e| StatusOutcome::Unknown { reason: e.to_string() })
    }
}

impl std::fmt::Debug for StatusListClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatusListClient")
            .field("default_ttl", &self.default_ttl)
            .field("max_decompressed", &self.max_decompressed)
            .field("offline", &self.offline)
            .field("cached", &self.lock().len())
            .finish_non_exhaustive()
    }
}

/// A list that itself has `credentialStatus` would need a status check of its own, which could
/// loop. §2.2 does not give lists a status, so such a list is refused.
fn refuse_nested_status(url: &str, doc: &Value) -> Result<(), StatusCheckError> {
    if doc.get("credentialStatus").is_some() {
        return Err(StatusCheckError::NotAStatusList {
            url: url.to_owned(),
            reason: "a status list must not carry its own credentialStatus (it is not followed)".into(),
        });
    }
    Ok(())
}

fn decode_jwt(token: &str) -> Result<Value, String> {
    jose::decode(token).map(jose::DecodedJwt::into_credential).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Instant;

    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::contexts;
    use crate::did::{did_key, did_key_method_id, StandardResolver};
    use crate::keys::SigningKey;
    use crate::proof::{add_proof, Cryptosuite, ProofOptions};

    const LIST: &str = "https://example.edu/status/1";

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    /// A fetcher over a map of URL to body, counting fetches; a missing URL is a 404.
    #[derive(Default)]
    struct MapFetcher {
        bodies: Mutex<HashMap<String, Vec<u8>>>,
        fetches: AtomicUsize,
    }

    impl MapFetcher {
        fn put(&self, url: &str, body: Vec<u8>) {
            self.bodies.lock().unwrap().insert(url.to_owned(), body);
        }
        fn fetches(&self) -> usize {
            self.fetches.load(Ordering::SeqCst)
        }
    }

    impl Fetcher for MapFetcher {
        fn fetch(&self, url: &str) -> Result<Vec<u8>, String> {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            self.bodies.lock().unwrap().get(url).cloned().ok_or_else(|| "HTTP 404 Not Found".to_owned())
        }
    }

    fn sign(key: &SigningKey, doc: &Value) -> Value {
        let mut options = ProofOptions::assertion(Cryptosuite::EddsaRdfc2022, did_key_method_id(&key.public()));
        options.created = Some("2024-01-01T00:00:00Z".into());
        add_proof(doc, key, &options, &StandardResolver::offline()).unwrap()
    }

    fn list_doc(key: &SigningKey, purpose: Value, bits: &Bitstring) -> Value {
        json!({
            "@context": [contexts::CREDENTIALS_V2],
            "id": LIST,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": did_key(&key.public()),
            "validFrom": "2024-01-01T00:00:00Z",
            "credentialSubject": {
                "id": format!("{LIST}#list"),
                "type": "BitstringStatusList",
                "statusPurpose": purpose,
                "encodedList": bits.encode()
            }
        })
    }

    fn body(doc: &Value) -> Vec<u8> {
        serde_json::to_vec(doc).unwrap()
    }

    /// A signed revocation list with the bits at `set` set.
    fn revocation_list(key: &SigningKey, set: &[usize]) -> Vec<u8> {
        let mut bits = Bitstring::new(MIN_ENTRIES);
        for &i in set {
            bits.set(i, true).unwrap();
        }
        body(&sign(key, &list_doc(key, json!("revocation"), &bits)))
    }

    fn entry(purpose: &str, index: &str) -> Value {
        json!({
            "id": format!("{LIST}#{index}"),
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": index,
            "statusListCredential": LIST
        })
    }

    /// What the checker needs of the credential: its issuer.
    fn credential_of(key: &SigningKey) -> Value {
        json!({"issuer": {"id": did_key(&key.public()), "type": ["Profile"]}})
    }

    struct Env {
        key: SigningKey,
        fetcher: Arc<MapFetcher>,
        clock: Arc<Mutex<DateTime<Utc>>>,
        client: StatusListClient,
    }

    impl Env {
        fn new() -> Env {
            let fetcher = Arc::new(MapFetcher::default());
            let clock = Arc::new(Mutex::new(at("2025-06-01T00:00:00Z")));
            let client = client(fetcher.clone(), &clock);
            Env { key: SigningKey::generate(), fetcher, clock, client }
        }
        fn advance(&self, seconds: i64) {
            *self.clock.lock().unwrap() += TimeDelta::seconds(seconds);
        }
        fn check(&self, entry: &Value) -> StatusOutcome {
            self.client.check(&credential_of(&self.key), entry)
        }
    }

    fn client(fetcher: Arc<dyn Fetcher>, clock: &Arc<Mutex<DateTime<Utc>>>) -> StatusListClient {
        let clock = clock.clone();
        StatusListClient::new(fetcher, Arc::new(StandardResolver::offline())).with_clock(move || *clock.lock().unwrap())
    }

    fn unknown(outcome: StatusOutcome) -> String {
        match outcome {
            StatusOutcome::Unknown { reason } => reason,
            other => panic!("expected Unknown, got {other:?}"),
        }
    }

    fn revoked() -> StatusOutcome {
        StatusOutcome::Set { purpose: "revocation".into(), message: None }
    }

    fn clear(purpose: &str) -> StatusOutcome {
        StatusOutcome::Clear { purpose: purpose.into() }
    }

    // --- the bitstring codec ---

    #[test]
    fn index_zero_is_the_most_significant_bit_of_the_first_byte() {
        let mut bits = Bitstring::new(16);
        bits.set(0, true).unwrap();
        bits.set(9, true).unwrap();
        assert_eq!(bits.bytes, [0x80, 0x40]);
        assert_eq!((bits.get(0), bits.get(1), bits.get(9), bits.get(16)), (Some(true), Some(false), Some(true), None));
        assert_eq!(bits.len(), 16);
        assert_eq!(Bitstring::new(10).len(), 16, "rounded up to whole bytes");
        assert!(matches!(bits.set(16, true), Err(StatusListError::IndexOutOfRange { index: 16, .. })));
    }

    #[test]
    fn multi_bit_entries_are_read_most_significant_bit_first() {
        let mut bits = Bitstring::new(64);
        bits.set_value(0, 2, 0b10).unwrap();
        bits.set_value(1, 2, 0b01).unwrap();
        bits.set_value(3, 2, 0b11).unwrap();
        assert_eq!(bits.bytes[0], 0b1001_0011);
        assert_eq!([0, 1, 2, 3].map(|i| bits.value(i, 2).unwrap()), [2, 1, 0, 3]);
        // A 3-bit entry straddling a byte boundary: bits 6, 7, 8.
        let mut bits = Bitstring::new(64);
        bits.set_value(2, 3, 0b101).unwrap();
        assert_eq!(&bits.bytes[..2], &[0b0000_0010, 0b1000_0000]);
        assert_eq!(bits.value(2, 3).unwrap(), 5);
        // Every width up to 64 round-trips its largest value in the last slot.
        for size in 1..=64 {
            let mut bits = Bitstring::new(256);
            let last = bits.entries(size) - 1;
            let max = if size == 64 { u64::MAX } else { (1 << size) - 1 };
            bits.set_value(last, size, max).unwrap();
            assert_eq!(bits.value(last, size).unwrap(), max, "size {size}");
            assert_eq!(bits.value(0, size).unwrap(), if last == 0 { max } else { 0 });
        }
        let bits = Bitstring::new(64);
        assert_eq!(bits.value(32, 2), Err(StatusListError::IndexOutOfRange { index: 32, status_size: 2, entries: 32 }));
        assert_eq!(bits.value(0, 0), Err(StatusListError::BadStatusSize(0)));
        assert_eq!(bits.value(0, 65), Err(StatusListError::BadStatusSize(65)));
        let mut bits = bits;
        assert_eq!(bits.set_value(0, 2, 4), Err(StatusListError::ValueTooWide { value: 4, status_size: 2 }));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn encode_then_decode_gives_back_the_same_bits(
            extra_bytes in 0usize..4096,
            set in proptest::collection::vec(any::<prop::sample::Index>(), 0..200),
        ) {
            let mut bits = Bitstring::new(MIN_ENTRIES + extra_bytes * 8);
            let len = bits.len();
            let indices: Vec<usize> = set.iter().map(|i| i.index(len)).collect();
            for &i in &indices {
                bits.set(i, true).unwrap();
            }
            let encoded = bits.encode();
            prop_assert!(encoded.starts_with("uH4sI"), "{}", &encoded[..8]);
            let decoded = Bitstring::decode(&encoded, DEFAULT_MAX_DECOMPRESSED).unwrap();
            prop_assert_eq!(&decoded, &bits);
            for &i in &indices {
                prop_assert_eq!(decoded.get(i), Some(true));
            }
        }
    }

    #[test]
    fn a_list_shorter_than_131072_entries_is_refused() {
        let short = Bitstring::new(MIN_ENTRIES - 8).encode();
        assert_eq!(
            Bitstring::decode(&short, DEFAULT_MAX_DECOMPRESSED),
            Err(StatusListError::TooShort { entries: MIN_ENTRIES - 8, status_size: 1, minimum: MIN_ENTRIES })
        );
        assert_eq!(Bitstring::decode_unchecked(&short, DEFAULT_MAX_DECOMPRESSED).unwrap().len(), MIN_ENTRIES - 8);
        assert!(Bitstring::decode(&Bitstring::new(MIN_ENTRIES).encode(), DEFAULT_MAX_DECOMPRESSED).is_ok());
    }

    #[test]
    fn malformed_encodings_are_distinct_errors() {
        let good = Bitstring::new(MIN_ENTRIES).encode();
        let bare = &good[1..];
        assert_eq!(Bitstring::decode(bare, DEFAULT_MAX_DECOMPRESSED), Err(StatusListError::MissingPrefix));
        // The 2021 form is bare base64url; it also accepts the prefixed form.
        assert!(Bitstring::decode_2021(bare, DEFAULT_MAX_DECOMPRESSED).is_ok());
        assert!(Bitstring::decode_2021(&good, DEFAULT_MAX_DECOMPRESSED).is_ok());
        assert!(matches!(Bitstring::decode("u!!!", 1 << 20), Err(StatusListError::Base64(_))));
        assert!(matches!(Bitstring::decode(&format!("{good}=="), 1 << 20), Err(StatusListError::Base64(_))));
        let not_gzip = format!("u{}", URL_SAFE_NO_PAD.encode(b"plain bytes, not gzip"));
        assert!(matches!(Bitstring::decode(&not_gzip, 1 << 20), Err(StatusListError::Gzip(_))));
        // A flipped byte inside the deflate data, or in the CRC, is caught by GZIP's checks.
        let mut compressed = URL_SAFE_NO_PAD.decode(bare).unwrap();
        let n = compressed.len();
        compressed[n - 6] ^= 0xff;
        let corrupt = format!("u{}", URL_SAFE_NO_PAD.encode(&compressed));
        assert!(matches!(Bitstring::decode(&corrupt, 1 << 20), Err(StatusListError::Gzip(_))), "{corrupt}");
    }

    /// A valid GZIP stream of 1 GiB of zeros, about 1 MiB long. Compressing a gigabyte takes
    /// seconds, so one 1 MiB chunk is compressed with a sync flush (which ends on a byte
    /// boundary) and its deflate blocks are repeated 1024 times.
    fn gigabyte_of_zeros_gzipped() -> Vec<u8> {
        use flate2::{Compress, FlushCompress};
        const CHUNK: usize = 1 << 20;
        let zeros = vec![0u8; CHUNK];
        let mut deflate = Compress::new(Compression::best(), false);
        let mut blocks = Vec::with_capacity(CHUNK / 512);
        deflate.compress_vec(&zeros, &mut blocks, FlushCompress::Sync).unwrap();
        assert_eq!(deflate.total_in(), CHUNK as u64, "the whole chunk went in");
        let mut crc = flate2::Crc::new();
        let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
        for _ in 0..1024 {
            gz.extend_from_slice(&blocks);
            crc.update(&zeros);
        }
        gz.extend_from_slice(&[0x03, 0x00]); // an empty final block
        gz.extend_from_slice(&crc.sum().to_le_bytes());
        gz.extend_from_slice(&crc.amount().to_le_bytes()); // ISIZE: 2^30 mod 2^32
        gz
    }

    #[test]
    fn the_crafted_bomb_is_a_real_gigabyte() {
        // Check the crafted stream inflates to exactly 1 GiB, reading it through a small buffer.
        let mut decoder = GzDecoder::new(std::io::Cursor::new(gigabyte_of_zeros_gzipped()));
        let copied = std::io::copy(&mut decoder, &mut std::io::sink()).unwrap();
        assert_eq!(copied, 1 << 30);
    }

    #[test]
    fn a_gzip_bomb_fails_fast_at_the_cap() {
        let bomb = format!("u{}", URL_SAFE_NO_PAD.encode(gigabyte_of_zeros_gzipped()));
        assert!(bomb.len() < 2 << 20, "the bomb is {} bytes encoded", bomb.len());
        let started = Instant::now();
        let result = Bitstring::decode(&bomb, DEFAULT_MAX_DECOMPRESSED);
        let elapsed = started.elapsed();
        assert_eq!(result, Err(StatusListError::TooLarge { limit: DEFAULT_MAX_DECOMPRESSED }));
        // Inflating 16 MiB takes milliseconds; inflating the whole gigabyte would take seconds.
        assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
        // A list of exactly the cap is fine; one byte over is not.
        let exact = Bitstring::new(MIN_ENTRIES).encode();
        assert!(Bitstring::decode(&exact, MIN_ENTRIES / 8).is_ok());
        assert_eq!(
            Bitstring::decode(&exact, MIN_ENTRIES / 8 - 1),
            Err(StatusListError::TooLarge { limit: MIN_ENTRIES / 8 - 1 })
        );
    }

    // --- the client ---

    #[test]
    fn clear_and_revoked_entries() {
        let env = Env::new();
        env.fetcher.put(LIST, revocation_list(&env.key, &[42]));
        assert_eq!(env.check(&entry("revocation", "41")), clear("revocation"));
        assert_eq!(env.check(&entry("revocation", "42")), revoked());
        assert_eq!(env.fetcher.fetches(), 1, "the second check is served from the cache");
        let last = (MIN_ENTRIES - 1).to_string();
        assert_eq!(env.check(&entry("revocation", &last)), clear("revocation"));
        assert_eq!(
            unknown(env.check(&entry("revocation", &MIN_ENTRIES.to_string()))),
            format!(
                "statusListIndex 131072 is outside the status list {LIST}, which holds 131072 entries (RANGE_ERROR)"
            )
        );
        let huge = "340282366920938463463374607431768211456";
        assert!(
            unknown(env.check(&entry("revocation", huge))).starts_with(&format!("statusListIndex {huge} is outside"))
        );
    }

    #[test]
    fn suspension_lists_and_lists_with_several_purposes() {
        let env = Env::new();
        let mut bits = Bitstring::new(MIN_ENTRIES);
        bits.set(7, true).unwrap();
        let doc = sign(&env.key, &list_doc(&env.key, json!(["revocation", "suspension"]), &bits));
        env.fetcher.put(LIST, body(&doc));
        assert_eq!(
            env.check(&entry("suspension", "7")),
            StatusOutcome::Set { purpose: "suspension".into(), message: None }
        );
        assert_eq!(env.check(&entry("suspension", "8")), clear("suspension"));
        assert_eq!(env.check(&entry("revocation", "7")), revoked());
    }

    #[test]
    fn a_list_for_another_purpose_is_unknown() {
        let env = Env::new();
        env.fetcher.put(LIST, revocation_list(&env.key, &[]));
        assert_eq!(
            unknown(env.check(&entry("suspension", "3"))),
            format!("the status list {LIST} is for revocation, not for suspension")
        );
    }

    #[test]
    fn a_list_signed_by_another_issuer_is_unknown_and_names_both() {
        let env = Env::new();
        let other = SigningKey::generate();
        env.fetcher.put(LIST, revocation_list(&other, &[]));
        assert_eq!(
            unknown(env.check(&entry("revocation", "3"))),
            format!(
                "the status list {LIST} was issued by {}, not by the credential's issuer {}",
                did_key(&other.public()),
                did_key(&env.key.public())
            )
        );
    }

    #[test]
    fn an_unreachable_list_is_unknown_with_the_fetchers_reason() {
        let env = Env::new();
        assert_eq!(
            unknown(env.check(&entry("revocation", "3"))),
            format!("could not fetch the status list {LIST}: HTTP 404 Not Found")
        );
        env.fetcher.put(LIST, b"<html>Not here</html>".to_vec());
        let reason = unknown(env.check(&entry("revocation", "3")));
        assert!(
            reason.starts_with(&format!("the status list {LIST} is not a credential: neither JSON nor")),
            "{reason}"
        );
        env.fetcher.put(LIST, b"{\"truncated\": ".to_vec());
        let reason = unknown(env.check(&entry("revocation", "3")));
        assert!(reason.starts_with(&format!("the status list {LIST} is not a credential: not valid JSON")), "{reason}");
        assert_eq!(env.fetcher.fetches(), 3, "failures are not cached");
    }

    #[test]
    fn a_tampered_or_unsigned_list_is_unknown() {
        let env = Env::new();
        let clean = Bitstring::new(MIN_ENTRIES);
        let mut doc = sign(&env.key, &list_doc(&env.key, json!("revocation"), &clean));
        // The issuer revoked 42, then someone served the list with the bit cleared again.
        let mut flipped = clean.clone();
        flipped.set(42, true).unwrap();
        doc["credentialSubject"]["encodedList"] = flipped.encode().into();
        env.fetcher.put(LIST, body(&doc));
        let reason = unknown(env.check(&entry("revocation", "42")));
        assert!(
            reason.starts_with(&format!(
                "the status list {LIST} did not verify: proof check failed (PROOF_SIGNATURE_MISMATCH)"
            )),
            "{reason}"
        );
        let unsigned = list_doc(&env.key, json!("revocation"), &clean);
        env.fetcher.put(LIST, body(&unsigned));
        let reason = unknown(env.check(&entry("revocation", "42")));
        assert!(reason.starts_with(&format!("the status list {LIST} did not verify: proof check failed")), "{reason}");
    }

    #[test]
    fn a_revocation_shows_once_the_ttl_runs_out_and_not_before() {
        let env = Env::new();
        let with_ttl = |set: &[usize]| {
            let mut bits = Bitstring::new(MIN_ENTRIES);
            for &i in set {
                bits.set(i, true).unwrap();
            }
            let mut doc = list_doc(&env.key, json!("revocation"), &bits);
            doc["credentialSubject"]["ttl"] = json!(60_000);
            body(&sign(&env.key, &doc))
        };
        env.fetcher.put(LIST, with_ttl(&[]));
        assert_eq!(env.check(&entry("revocation", "5")), clear("revocation"));
        env.fetcher.put(LIST, with_ttl(&[5]));
        env.advance(59);
        assert_eq!(env.check(&entry("revocation", "5")), clear("revocation"), "still within the ttl");
        assert_eq!(env.client.cached_age(LIST), Some(Duration::from_secs(59)));
        assert_eq!(env.fetcher.fetches(), 1);
        env.advance(2);
        assert_eq!(env.check(&entry("revocation", "5")), revoked());
        assert_eq!(env.fetcher.fetches(), 2);
        assert_eq!(env.client.cached_age(LIST), Some(Duration::ZERO));
    }

    #[test]
    fn without_ttl_the_default_applies_and_a_stale_copy_is_not_used_when_the_fetch_fails() {
        let env = Env::new();
        env.fetcher.put(LIST, revocation_list(&env.key, &[]));
        assert_eq!(env.check(&entry("revocation", "5")), clear("revocation"));
        env.advance(DEFAULT_TTL.as_secs() as i64 - 1);
        assert_eq!(env.check(&entry("revocation", "5")), clear("revocation"));
        assert_eq!(env.fetcher.fetches(), 1);
        env.fetcher.bodies.lock().unwrap().clear();
        env.advance(2);
        assert_eq!(
            unknown(env.check(&entry("revocation", "5"))),
            format!("could not fetch the status list {LIST}: HTTP 404 Not Found")
        );
    }

    #[test]
    fn an_expired_list_is_unknown_and_the_cache_never_outlives_valid_until() {
        let env = Env::new();
        let mut doc = list_doc(&env.key, json!("revocation"), &Bitstring::new(MIN_ENTRIES));
        doc["validUntil"] = "2025-01-01T00:00:00Z".into();
        env.fetcher.put(LIST, body(&sign(&env.key, &doc)));
        assert_eq!(
            unknown(env.check(&entry("revocation", "5"))),
            format!("the status list {LIST} has expired: it was valid until 2025-01-01T00:00:00Z")
        );

        // Valid for two more minutes, with a ttl of an hour: the copy lapses with validUntil.
        doc["validUntil"] = "2025-06-01T00:02:00Z".into();
        doc["credentialSubject"]["ttl"] = json!(3_600_000);
        env.fetcher.put(LIST, body(&sign(&env.key, &doc)));
        assert_eq!(env.check(&entry("revocation", "5")), clear("revocation"));
        env.advance(60);
        assert_eq!(env.check(&entry("revocation", "5")), clear("revocation"));
        assert_eq!(env.fetcher.fetches(), 2);
        env.advance(120);
        assert_eq!(
            unknown(env.check(&entry("revocation", "5"))),
            format!("the status list {LIST} has expired: it was valid until 2025-06-01T00:02:00Z")
        );
        assert_eq!(env.fetcher.fetches(), 3, "an expired copy is fetched again, not used");
    }

    #[test]
    fn offline_mode_answers_from_the_cache_and_reports_its_age() {
        let env = Env::new();
        env.fetcher.put(LIST, revocation_list(&env.key, &[9]));
        assert_eq!(env.check(&entry("revocation", "9")), revoked());
        let (saved, fetched_at) = env.client.cached_body(LIST).unwrap();
        assert_eq!(fetched_at, at("2025-06-01T00:00:00Z"));

        // Another process, with no network: it never fetches.
        let nowhere = Arc::new(MapFetcher::default());
        let offline = client(nowhere.clone(), &env.clock).with_offline(true);
        let credential = credential_of(&env.key);
        assert_eq!(
            unknown(offline.check(&credential, &entry("revocation", "9"))),
            format!("offline, and no cached copy of the status list {LIST}")
        );
        offline.preload(LIST, saved, fetched_at).unwrap();
        env.advance(3 * 24 * 3600);
        assert_eq!(offline.check(&credential, &entry("revocation", "9")), revoked());
        assert_eq!(offline.check(&credential, &entry("revocation", "10")), clear("revocation"));
        assert_eq!(offline.cached_age(LIST), Some(Duration::from_secs(3 * 24 * 3600)));
        assert_eq!(nowhere.fetches(), 0);

        // A preloaded copy is verified like a fetched one.
        let mut forged: Value = serde_json::from_slice(&revocation_list(&env.key, &[9])).unwrap();
        forged["credentialSubject"]["encodedList"] = Bitstring::new(MIN_ENTRIES).encode().into();
        let err = offline.preload(LIST, body(&forged), fetched_at).unwrap_err();
        assert!(
            matches!(err, StatusCheckError::NotVerified { ref code, .. } if code == "PROOF_SIGNATURE_MISMATCH"),
            "{err}"
        );
    }

    #[test]
    fn offline_mode_refuses_an_expired_copy() {
        let env = Env::new();
        let mut doc = list_doc(&env.key, json!("revocation"), &Bitstring::new(MIN_ENTRIES));
        doc["validUntil"] = "2025-06-02T00:00:00Z".into();
        env.fetcher.put(LIST, body(&sign(&env.key, &doc)));
        let offline = client(env.fetcher.clone(), &env.clock);
        assert_eq!(offline.check(&credential_of(&env.key), &entry("revocation", "1")), clear("revocation"));
        let offline = offline.with_offline(true);
        env.advance(2 * 24 * 3600);
        assert_eq!(
            unknown(offline.check(&credential_of(&env.key), &entry("revocation", "1"))),
            format!("the status list {LIST} has expired: it was valid until 2025-06-02T00:00:00Z")
        );
    }

    #[test]
    fn status_messages_for_multi_bit_entries() {
        let env = Env::new();
        let mut bits = Bitstring::new(2 * MIN_ENTRIES);
        bits.set_value(7, 2, 2).unwrap();
        bits.set_value(8, 2, 1).unwrap();
        env.fetcher.put(LIST, body(&sign(&env.key, &list_doc(&env.key, json!("message"), &bits))));
        let message_entry = |index: &str| {
            let mut e = entry("message", index);
            e["statusSize"] = json!(2);
            e["statusMessage"] = json!([
                {"status": "0x0", "message": "pending_review"},
                {"status": "0x1", "message": "accepted"},
                {"status": "0x2", "message": "rejected"},
                {"status": "0x3", "message": "undefined"}
            ]);
            e
        };
        let set = |m: &str| StatusOutcome::Set { purpose: "message".into(), message: Some(m.into()) };
        assert_eq!(env.check(&message_entry("7")), set("rejected"));
        assert_eq!(env.check(&message_entry("8")), set("accepted"));
        assert_eq!(env.check(&message_entry("9")), clear("message"));

        let mut missing = message_entry("7");
        missing.as_object_mut().unwrap().remove("statusMessage");
        assert_eq!(
            unknown(env.check(&missing)),
            "malformed credentialStatus entry: statusMessage must be present when statusSize is above 1"
        );
        let mut three = message_entry("7");
        three["statusMessage"].as_array_mut().unwrap().pop();
        assert_eq!(
            unknown(env.check(&three)),
            "malformed credentialStatus entry: statusMessage has 3 messages, but statusSize 2 allows 4 values"
        );

        // 16 KiB holds 131,072 one-bit entries but only 65,536 two-bit ones (§3.2 step 9).
        let short = Bitstring::new(MIN_ENTRIES);
        env.fetcher.put(LIST, body(&sign(&env.key, &list_doc(&env.key, json!("message"), &short))));
        env.advance(DEFAULT_TTL.as_secs() as i64 + 1);
        assert_eq!(
            unknown(env.check(&message_entry("7"))),
            format!(
                "the status list {LIST} is unusable: the list holds 65536 entries of 2 bit(s), fewer than the 131072 required for herd privacy (STATUS_LIST_LENGTH_ERROR)"
            )
        );
    }

    #[test]
    fn too_short_and_oversized_lists_are_unknown() {
        let env = Env::new();
        let short = Bitstring::new(MIN_ENTRIES / 2);
        env.fetcher.put(LIST, body(&sign(&env.key, &list_doc(&env.key, json!("revocation"), &short))));
        assert_eq!(
            unknown(env.check(&entry("revocation", "1"))),
            format!(
                "the status list {LIST} is unusable: the list holds 65536 entries of 1 bit(s), fewer than the 131072 required for herd privacy (STATUS_LIST_LENGTH_ERROR)"
            )
        );
        let big = Bitstring::new(8 * MIN_ENTRIES);
        env.fetcher.put(LIST, body(&sign(&env.key, &list_doc(&env.key, json!("revocation"), &big))));
        let capped = client(env.fetcher.clone(), &env.clock).with_max_decompressed(64 * 1024);
        assert_eq!(
            unknown(capped.check(&credential_of(&env.key), &entry("revocation", "1"))),
            format!(
                "the status list {LIST} is unusable: encodedList expands beyond the 65536-byte limit (a possible gzip bomb); decompression was stopped"
            )
        );
    }

    #[test]
    fn malformed_entries_are_unknown_and_name_the_field() {
        let env = Env::new();
        let reason = |change: &dyn Fn(&mut Value)| {
            let mut e = entry("revocation", "5");
            change(&mut e);
            unknown(env.check(&e))
        };
        assert_eq!(
            reason(&|e| e["statusListIndex"] = json!(5)),
            "malformed credentialStatus entry: statusListIndex must be a string of base-10 digits, found 5"
        );
        for bad in ["-1", " 5", "5.0", "0x5", ""] {
            assert!(
                reason(&|e| e["statusListIndex"] = json!(bad)).contains("is not a non-negative base-10 integer"),
                "{bad:?}"
            );
        }
        assert_eq!(
            reason(&|e| e["type"] = json!("RevocationList2020Status")),
            "credentialStatus type RevocationList2020Status is not supported; only BitstringStatusListEntry (and StatusList2021Entry) are"
        );
        assert_eq!(
            reason(&|e| e["statusSize"] = json!(0)),
            "malformed credentialStatus entry: statusSize must be an integer greater than zero"
        );
        assert_eq!(
            reason(&|e| e["statusListCredential"] = json!("not a url")),
            "malformed credentialStatus entry: statusListCredential must be a URL"
        );
        assert_eq!(
            reason(&|e| e["id"] = json!(LIST)),
            "malformed credentialStatus entry: the entry's id must not be the status list's URL (§2.1)"
        );
        assert_eq!(env.fetcher.fetches(), 0, "nothing is fetched for a malformed entry");
        let no_issuer = env.client.check(&json!({}), &entry("revocation", "5"));
        assert_eq!(unknown(no_issuer), "the credential names no issuer, so its status list cannot be attributed");
    }

    #[test]
    fn lists_of_the_wrong_shape_are_unknown() {
        let env = Env::new();
        let bits = Bitstring::new(MIN_ENTRIES);
        let reason = |change: &dyn Fn(&mut Value)| {
            let mut doc = list_doc(&env.key, json!("revocation"), &bits);
            change(&mut doc);
            env.fetcher.put(LIST, body(&sign(&env.key, &doc)));
            env.advance(DEFAULT_TTL.as_secs() as i64 + 1);
            unknown(env.check(&entry("revocation", "5")))
        };
        let prefix = format!("the credential at {LIST} is not a usable status list: ");
        assert_eq!(
            reason(&|d| d["type"] = json!(["VerifiableCredential"])),
            format!("{prefix}its type does not include BitstringStatusListCredential")
        );
        assert_eq!(
            reason(&|d| {
                d["@context"] = json!([contexts::CREDENTIALS_V2, "https://w3id.org/vc/status-list/2021/v1"]);
                d["credentialSubject"]["type"] = json!("StatusList2021");
            }),
            format!("{prefix}credentialSubject.type must be BitstringStatusList")
        );
        assert_eq!(
            reason(&|d| d["id"] = json!("https://example.edu/status/2")),
            format!("{prefix}its id is \"https://example.edu/status/2\", not the URL it was fetched from")
        );
        assert_eq!(
            reason(&|d| d["credentialSubject"]["ttl"] = json!(-5)),
            format!("{prefix}ttl must be a non-negative integer of milliseconds, found -5")
        );
        assert_eq!(
            reason(&|d| d["credentialStatus"] = entry("revocation", "1")),
            format!("{prefix}a status list must not carry its own credentialStatus (it is not followed)")
        );
        let bare = bits.encode()[1..].to_owned();
        assert_eq!(
            reason(&|d| d["credentialSubject"]["encodedList"] = json!(bare)),
            format!("the status list {LIST} is unusable: encodedList must be multibase base64url, starting with \"u\"")
        );
    }

    #[test]
    fn status_list_2021_lists_are_read_too() {
        let env = Env::new();
        let mut bits = Bitstring::new(MIN_ENTRIES);
        bits.set(11, true).unwrap();
        let doc = json!({
            "@context": [
                contexts::CREDENTIALS_V1,
                "https://w3id.org/vc/status-list/2021/v1",
                contexts::DATA_INTEGRITY_V2
            ],
            "id": LIST,
            "type": ["VerifiableCredential", "StatusList2021Credential"],
            "issuer": did_key(&env.key.public()),
            "issuanceDate": "2024-01-01T00:00:00Z",
            "credentialSubject": {
                "id": format!("{LIST}#list"),
                "type": "StatusList2021",
                "statusPurpose": "revocation",
                "encodedList": bits.encode()[1..].to_owned()
            }
        });
        env.fetcher.put(LIST, body(&sign(&env.key, &doc)));
        let mut e = entry("revocation", "11");
        e["type"] = "StatusList2021Entry".into();
        assert_eq!(env.check(&e), revoked());
        // A Bitstring entry may not be answered from a 2021 list.
        assert_eq!(
            unknown(env.check(&entry("revocation", "11"))),
            format!(
                "the credential at {LIST} is not a usable status list: it is a StatusList2021Credential, but the entry is a BitstringStatusListEntry"
            )
        );
    }

    #[test]
    fn a_vc_jwt_status_list_is_verified_too() {
        let env = Env::new();
        let mut bits = Bitstring::new(MIN_ENTRIES);
        bits.set(3, true).unwrap();
        let doc = list_doc(&env.key, json!("revocation"), &bits);
        let token = jose::sign_vc_jwt(&doc, &env.key, &did_key_method_id(&env.key.public())).unwrap();
        env.fetcher.put(LIST, token.clone().into_bytes());
        assert_eq!(env.check(&entry("revocation", "3")), revoked());
        assert_eq!(env.check(&entry("revocation", "4")), clear("revocation"));

        // A token signed by someone else's key, claiming our issuer.
        let other = SigningKey::generate();
        let forged = jose::sign_vc_jwt(&doc, &other, &did_key_method_id(&other.public()));
        if let Ok(forged) = forged {
            env.fetcher.put(LIST, forged.into_bytes());
            env.advance(DEFAULT_TTL.as_secs() as i64 + 1);
            let reason = unknown(env.check(&entry("revocation", "3")));
            assert!(
                reason.starts_with(&format!("the status list {LIST} did not verify: issuer check failed")),
                "{reason}"
            );
        }
    }

    #[test]
    fn the_engine_reports_revoked_and_clear_credentials() {
        let key = SigningKey::generate();
        let fetcher = Arc::new(MapFetcher::default());
        fetcher.put(LIST, revocation_list(&key, &[42]));
        let clock = Arc::new(Mutex::new(at("2025-06-01T00:00:00Z")));
        let client = client(fetcher, &clock);
        let badge = |index: &str| {
            let mut badge = crate::verify::tests::badge(&did_key(&key.public()));
            badge["credentialStatus"] = entry("revocation", index);
            sign(&key, &badge)
        };
        let resolver = StandardResolver::offline();
        let verifier = Verifier::new(&resolver).with_status(&client).at(at("2025-06-01T00:00:00Z"));

        let report = verifier.verify_credential(&badge("42"));
        assert!(!report.verified);
        let status = report.check(CheckName::Status).unwrap();
        assert_eq!(
            (status.status, status.code.as_str(), status.message.as_str()),
            (Status::Invalid, "STATUS_REVOKED", "the issuer has revoked this credential")
        );

        let report = verifier.verify_credential(&badge("43"));
        assert!(report.verified, "{report:#?}");
        let status = report.check(CheckName::Status).unwrap();
        assert_eq!(
            (status.status, status.code.as_str(), status.message.as_str()),
            (Status::Valid, "STATUS_OK", "not revoked")
        );

        let mut elsewhere = badge("43");
        elsewhere["credentialStatus"]["statusListCredential"] = "https://example.edu/status/404".into();
        let elsewhere = sign(&key, &{
            let mut unsigned = elsewhere.clone();
            unsigned.as_object_mut().unwrap().remove("proof");
            unsigned
        });
        let report = verifier.verify_credential(&elsewhere);
        let status = report.check(CheckName::Status).unwrap();
        assert_eq!(
            (status.status, status.code.as_str(), status.message.as_str()),
            (
                Status::Indeterminate,
                "STATUS_UNAVAILABLE",
                "the status could not be checked: could not fetch the status list https://example.edu/status/404: HTTP 404 Not Found"
            )
        );
        assert!(!report.verified);
    }
}
