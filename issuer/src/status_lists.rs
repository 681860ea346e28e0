//! The issuer's side of [W3C Bitstring Status List v1.0](https://www.w3.org/TR/vc-bitstring-status-list/):
//! allocating entries at issuance, flipping bits on revocation and suspension, and publishing
//! each list as a signed `BitstringStatusListCredential`.
//!
//! - §2.1: every credential gets a `BitstringStatusListEntry` for `revocation`, and for
//!   `suspension` when its issuer enables suspension and the credential's schema allows a
//!   second entry (the 1EdTech schemas allow one `credentialStatus`: see [`allocate`]).
//! - §6.1 herd privacy: lists hold [`MIN_LIST_SIZE`] (131,072) entries or more, and indexes are
//!   drawn uniformly at random, so an index says nothing about when or to whom a credential was
//!   issued. A list is closed to new credentials at half its size ([`capacity`]): random probes
//!   then succeed at least half the time, and each credential still hides among 65,536 others.
//!   A full list rolls over to a new one.
//! - Indexes are never reused: the store claims each one with an `INSERT` on the list's
//!   `(list_id, idx)` key, which holds across tasks, crashes and processes sharing a database. An
//!   index claimed for a credential whose signing then failed is simply never used.
//! - §2.2 and §6.3: the list is served at a stable URL with `ttl` and HTTP caching headers, and
//!   re-signed before a change is acknowledged. A list whose stored signature is older than its
//!   bits (a crash between the two) is re-signed when next served.
//! - Revocation is final (§2.1, `revocation`: "cannot be reversed"); suspension is not.

use accolade_core::proof::{add_proof_owned, Cryptosuite, ProofOptions};
use accolade_core::status::Bitstring;
use rand::Rng;
use serde_json::{json, Value};

use crate::store::{Claim, StatusListRow, Store};
use crate::tenants::Issuer;
use crate::{now_rfc3339, AppState, ServiceError};

/// The smallest list this issuer makes: §6.1's 131,072 entries.
pub const MIN_LIST_SIZE: usize = accolade_core::status::MIN_ENTRIES;

/// How many random probes are made in one list before it is treated as full.
const PROBES: usize = 64;

/// How many entries of a list of `size` may be allocated.
pub fn capacity(size: usize) -> usize {
    size / 2
}

/// A status purpose this issuer uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Permanent cancellation.
    Revocation,
    /// Temporary hold.
    Suspension,
}

impl Purpose {
    /// The `statusPurpose` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Revocation => "revocation",
            Purpose::Suspension => "suspension",
        }
    }
}

/// The public URL of a status list.
pub fn list_url(state: &AppState, list_id: &str) -> String {
    format!("{}/status/{list_id}", state.config().public_url)
}

/// Claims an entry in each of the issuer's purposes for `credential_id`, and returns the
/// `credentialStatus` entries to embed. With `single`, only the revocation entry: the 1EdTech
/// schemas (OB 3.0 §B.1.2, CLR 2.0 §B.1.1) allow at most one `credentialStatus`, so Open Badges,
/// CLRs and endorsements can be revoked but not suspended.
pub async fn allocate(
    state: &AppState,
    issuer: &Issuer,
    credential_id: &str,
    single: bool,
) -> Result<Vec<Value>, ServiceError> {
    let mut purposes = vec![Purpose::Revocation];
    if issuer.suspension() && !single {
        purposes.push(Purpose::Suspension);
    }
    let mut entries = Vec::new();
    for purpose in purposes {
        let (list_id, idx) = claim(state, issuer, purpose, credential_id).await?;
        let url = list_url(state, &list_id);
        entries.push(json!({
            "id": format!("{url}#{idx}"),
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose.as_str(),
            "statusListIndex": idx.to_string(),
            "statusListCredential": url,
        }));
    }
    Ok(entries)
}

async fn claim(
    state: &AppState,
    issuer: &Issuer,
    purpose: Purpose,
    credential_id: &str,
) -> Result<(String, i64), ServiceError> {
    loop {
        let list = match state.store().open_status_list(issuer.id(), purpose.as_str()).await? {
            Some(list) => list,
            None => open_list(state, issuer, purpose).await?,
        };
        for _ in 0..PROBES {
            let idx = rand::rngs::OsRng.gen_range(0..list.size);
            match state.store().claim_index(&list.id, idx, credential_id).await? {
                Claim::Claimed => return Ok((list.id, idx)),
                Claim::Taken => continue,
                Claim::Full => break,
            }
        }
        // Full, or unlucky 64 times in a row at under half full (odds below 2^-64): either way,
        // the next open list, or a new one, takes the entry.
        if state.store().open_status_list(issuer.id(), purpose.as_str()).await?.map(|l| l.id) == Some(list.id.clone()) {
            open_list(state, issuer, purpose).await?;
        }
    }
}

/// Makes and signs a new, all-zero list.
async fn open_list(state: &AppState, issuer: &Issuer, purpose: Purpose) -> Result<StatusListRow, ServiceError> {
    let size = state.config().status_list_size.max(MIN_LIST_SIZE);
    let id = crate::credentials::random_id();
    let now = now_rfc3339();
    let mut row = StatusListRow {
        id,
        tenant_id: issuer.id().to_owned(),
        purpose: purpose.as_str().to_owned(),
        size: i64::try_from(size).unwrap_or(i64::MAX),
        capacity: i64::try_from(capacity(size)).unwrap_or(i64::MAX),
        allocated: 0,
        bits: vec![0; size.div_ceil(8)],
        version: 0,
        signed_version: 0,
        credential: None,
        updated_at: now,
    };
    row.credential = Some(sign_list(state, issuer, &row)?);
    state.store().insert_status_list(&row).await?;
    Ok(row)
}

/// Signs the list credential for `row`'s current bits.
fn sign_list(state: &AppState, issuer: &Issuer, row: &StatusListRow) -> Result<String, ServiceError> {
    let url = list_url(state, &row.id);
    let encoded = Bitstring::from_bytes(row.bits.clone()).encode();
    let ttl_ms = state.config().status_ttl_seconds.saturating_mul(1000);
    let credential = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.did(),
        "validFrom": now_rfc3339(),
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": row.purpose,
            "encodedList": encoded,
            "ttl": ttl_ms,
        },
    });
    let (key, method) = issuer.signing_key(state)?;
    let options = ProofOptions::assertion(Cryptosuite::EddsaRdfc2022, method);
    let signed = add_proof_owned(credential, &key, &options, &issuer.resolver()?)
        .map_err(|e| ServiceError::Sign(e.to_string()))?;
    Ok(signed.to_string())
}

/// What a status change asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Revoke, for good.
    Revoke,
    /// Suspend.
    Suspend,
    /// Lift a suspension.
    Unsuspend,
}

impl Change {
    /// Parses `revoked`, `suspended`, `unsuspended` (the DCC shape) or `revoke`, `suspend`,
    /// `unsuspend`.
    pub fn parse(value: &str) -> Option<Change> {
        match value {
            "revoked" | "revoke" => Some(Change::Revoke),
            "suspended" | "suspend" => Some(Change::Suspend),
            "unsuspended" | "unsuspend" => Some(Change::Unsuspend),
            _ => None,
        }
    }

    fn purpose(self) -> Purpose {
        match self {
            Change::Revoke => Purpose::Revocation,
            Change::Suspend | Change::Unsuspend => Purpose::Suspension,
        }
    }
}

/// A credential's status as the issuer records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CurrentStatus {
    /// Revoked (final).
    pub revoked: bool,
    /// Suspended; `None` when the credential has no suspension entry.
    pub suspended: Option<bool>,
}

/// The current status of one of `issuer`'s credentials.
pub async fn current(state: &AppState, credential_id: &str) -> Result<CurrentStatus, ServiceError> {
    let mut status = CurrentStatus { revoked: false, suspended: None };
    for entry in state.store().status_entries(credential_id).await? {
        let list = state
            .store()
            .status_list(&entry.list_id)
            .await?
            .ok_or_else(|| ServiceError::Sign(format!("status list {} is missing", entry.list_id)))?;
        let bit =
            Bitstring::from_bytes(list.bits).get(usize::try_from(entry.idx).unwrap_or(usize::MAX)).unwrap_or(false);
        match entry.purpose.as_str() {
            "revocation" => status.revoked = bit,
            "suspension" => status.suspended = Some(bit),
            _ => {}
        }
    }
    Ok(status)
}

/// Applies `change` to the credential and re-signs the list before returning.
pub async fn apply(
    state: &AppState,
    issuer: &Issuer,
    credential_id: &str,
    change: Change,
) -> Result<CurrentStatus, ServiceError> {
    let before = current(state, credential_id).await?;
    if before.revoked && change != Change::Revoke {
        return Err(ServiceError::conflict(
            "REVOCATION_FINAL",
            format!("credential {credential_id} is revoked; revocation is final and cannot be suspended or lifted"),
        ));
    }
    let purpose = change.purpose();
    let entry = state
        .store()
        .status_entries(credential_id)
        .await?
        .into_iter()
        .find(|e| e.purpose == purpose.as_str())
        .ok_or_else(|| {
            ServiceError::conflict(
                "NO_STATUS_ENTRY",
                format!(
                    "credential {credential_id} has no {} entry (the issuer had suspension off when it was issued)",
                    purpose.as_str()
                ),
            )
        })?;
    let value = change != Change::Unsuspend;
    let list = state
        .store()
        .set_status_bit(&entry.list_id, entry.idx, value, &now_rfc3339())
        .await?
        .ok_or_else(|| ServiceError::Sign(format!("status list {} is missing", entry.list_id)))?;
    let signed = sign_list(state, issuer, &list)?;
    state.store().store_list_credential(&list.id, list.version, &signed, &now_rfc3339()).await?;
    current(state, credential_id).await
}

/// A status list as published: the signed credential and its version (the ETag's basis).
pub struct Published {
    /// The signed `BitstringStatusListCredential`, JSON text.
    pub body: String,
    /// The version of the bits it was signed at.
    pub version: i64,
}

/// The signed list `list_id`, re-signed first if its signature is older than its bits.
pub async fn published(state: &AppState, list_id: &str) -> Result<Published, ServiceError> {
    let not_found = || ServiceError::NotFound(format!("status list {list_id:?}"));
    let list = state.store().status_list(list_id).await?.ok_or_else(not_found)?;
    match &list.credential {
        Some(body) if list.signed_version >= list.version => {
            Ok(Published { body: body.clone(), version: list.signed_version })
        }
        _ => {
            let issuer = crate::tenants::load(state, &list.tenant_id).await?;
            let body = sign_list(state, &issuer, &list)?;
            state.store().store_list_credential(&list.id, list.version, &body, &now_rfc3339()).await?;
            Ok(Published { body, version: list.version })
        }
    }
}
