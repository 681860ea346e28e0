//! Issuing one achievement to a cohort from a CSV file (RFC 4180, a header row first).
//!
//! Columns (case-insensitive, any order; unknown columns are refused so a typo is not silently
//! dropped): `name`, `email`, `identifier`, `identifier_type`, `did`, `narrative`, `language`,
//! `valid_until`, `evidence_url`, `evidence_name`, `evidence_description`, `evidence_genre`, and
//! `result:ID` for each of the achievement's result descriptions.
//!
//! [`plan`] parses and checks every row before anything is signed, and reports every bad row with
//! its line number. [`run`] issues the rows in order. Each row is recorded with the batch id and
//! its line, and the store keeps `(batch, line)` unique, so a run stopped at any point (a crash, a
//! `kill -9`) and started again issues each row exactly once: rows already issued are found, not
//! signed again.

use std::collections::HashMap;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::achievements::Achievement;
use crate::credentials::{self, Award, EvidenceInput, IssueOptions, Recipient, ResultInput};
use crate::store::Store;
use crate::tenants::Issuer;
use crate::{AppState, ServiceError};

/// The largest CSV body the API accepts: 16 MiB, some 100,000 rows.
pub const MAX_CSV_BYTES: usize = 16 * 1024 * 1024;

const COLUMNS: &[&str] = &[
    "name",
    "email",
    "identifier",
    "identifier_type",
    "did",
    "narrative",
    "language",
    "valid_until",
    "evidence_url",
    "evidence_name",
    "evidence_description",
    "evidence_genre",
];

/// A bad row.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// The line in the file (the header is line 1).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

/// A checked cohort, ready to issue.
#[derive(Debug)]
pub struct Plan {
    rows: Vec<(u64, Award)>,
    digest: String,
}

impl Plan {
    /// How many rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The dry-run report.
    pub fn report(&self) -> Value {
        json!({"valid": true, "rows": self.rows.len(), "errors": []})
    }

    /// The batch id used when none is given: a digest of the issuer, achievement and file, so
    /// re-running the same file continues the same batch.
    pub fn default_id(&self, issuer: &Issuer, achievement: &Achievement) -> String {
        let mut h = Sha256::new();
        h.update(issuer.id().as_bytes());
        h.update([0]);
        h.update(achievement.definition.id.as_bytes());
        h.update([0]);
        h.update(self.digest.as_bytes());
        hex::encode(&h.finalize()[..16])
    }
}

/// Parses and checks every row. Any bad row fails the whole plan, listing all bad rows.
pub fn plan(
    state: &AppState,
    issuer: &Issuer,
    achievement: &Achievement,
    csv_bytes: &[u8],
) -> Result<Plan, ServiceError> {
    let digest = hex::encode(Sha256::digest(csv_bytes));
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).flexible(false).trim(csv::Trim::All).from_reader(csv_bytes);
    let headers = reader
        .headers()
        .map_err(|e| ServiceError::invalid("INVALID_CSV", format!("line 1: cannot read the header row: {e}")))?
        .clone();
    let mut columns: HashMap<String, usize> = HashMap::new();
    for (i, header) in headers.iter().enumerate() {
        let name = header.to_lowercase();
        let known = COLUMNS.contains(&name.as_str())
            || name
                .strip_prefix("result:")
                .is_some_and(|id| achievement.definition.result_description.iter().any(|rd| rd.id == id));
        if !known {
            return Err(ServiceError::invalid(
                "INVALID_CSV",
                format!(
                    "line 1: unknown column {header:?}; the columns are {} and result:ID for the achievement's result descriptions",
                    COLUMNS.join(", ")
                ),
            ));
        }
        if columns.insert(name, i).is_some() {
            return Err(ServiceError::invalid("INVALID_CSV", format!("line 1: column {header:?} appears twice")));
        }
    }
    if !["email", "identifier", "did"].iter().any(|c| columns.contains_key(*c)) {
        return Err(ServiceError::invalid("INVALID_CSV", "line 1: the file needs an email, identifier or did column"));
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(RowError { line, message: e.to_string() });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let get =
            |name: &str| columns.get(name).and_then(|i| record.get(*i)).filter(|v| !v.is_empty()).map(str::to_owned);
        let evidence: Vec<EvidenceInput> =
            if ["evidence_url", "evidence_name", "evidence_description"].iter().any(|c| get(c).is_some()) {
                vec![EvidenceInput {
                    url: get("evidence_url"),
                    name: get("evidence_name"),
                    description: get("evidence_description"),
                    narrative: None,
                    genre: get("evidence_genre"),
                }]
            } else {
                Vec::new()
            };
        let results: Vec<ResultInput> = columns
            .iter()
            .filter_map(|(name, i)| {
                let id = name.strip_prefix("result:")?;
                let value = record.get(*i).filter(|v| !v.is_empty())?;
                Some(ResultInput { result_description: id.to_owned(), value: value.to_owned() })
            })
            .collect();
        let award = Award {
            achievement: achievement.definition.id.clone(),
            recipient: Recipient {
                name: get("name"),
                email: get("email"),
                identifier: get("identifier"),
                identifier_type: get("identifier_type"),
                did: get("did"),
                plain: false,
            },
            evidence,
            results,
            narrative: get("narrative"),
            language: get("language"),
            valid_until: get("valid_until"),
            options: IssueOptions::default(),
        };
        match credentials::check_award(state, issuer, achievement, &award) {
            Ok(()) => rows.push((line, award)),
            Err(e) => errors.push(RowError { line, message: e.to_string() }),
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::BadRows(errors));
    }
    if rows.is_empty() {
        return Err(ServiceError::invalid("INVALID_CSV", "the file has a header but no rows"));
    }
    Ok(Plan { rows, digest })
}

/// What happened to one row.
#[derive(Clone, Debug)]
pub struct RowOutcome {
    /// Its line.
    pub line: u64,
    /// The credential's public id.
    pub credential: String,
    /// Whether it had been issued by an earlier run.
    pub already: bool,
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Rows issued by this run.
    pub issued: usize,
    /// Rows an earlier run had issued.
    pub already: usize,
    /// Every row's outcome, in file order.
    pub rows: Vec<RowOutcome>,
}

impl Summary {
    /// The API's answer.
    pub fn to_json(&self, state: &AppState) -> Value {
        json!({
            "issued": self.issued,
            "alreadyIssued": self.already,
            "credentials": self.rows.iter().map(|r| json!({
                "line": r.line,
                "id": r.credential,
                "url": credentials::credential_url(state, &r.credential),
            })).collect::<Vec<_>>(),
        })
    }
}

/// Issues every row of `plan` not yet issued in batch `batch_id`, calling `progress` after each.
///
/// Rows are issued a few at a time ([`concurrency`]): signing is CPU work and the store's round
/// trips are latency, so overlapping them keeps both busy. Outcomes are reported in completion
/// order and returned in file order. The first failure stops the run; rows already issued stay
/// issued and a re-run continues after them.
pub async fn run(
    state: &AppState,
    issuer: &Issuer,
    achievement: &Achievement,
    plan: &Plan,
    batch_id: &str,
    progress: impl Fn(&RowOutcome),
) -> Result<Summary, ServiceError> {
    let mut summary = Summary::default();
    let mut pending = plan.rows.iter();
    let mut running = tokio::task::JoinSet::new();
    let mut failure = None;
    loop {
        while failure.is_none() && running.len() < concurrency() {
            let Some((line, award)) = pending.next() else { break };
            let (state, issuer, achievement, award) =
                (state.clone(), issuer.clone(), achievement.clone(), award.clone());
            let (line, batch_id) = (*line, batch_id.to_owned());
            running.spawn(async move { issue_row(&state, &issuer, &achievement, &award, &batch_id, line).await });
        }
        let Some(done) = running.join_next().await else { break };
        match done {
            Ok(Ok(outcome)) => {
                if outcome.already {
                    summary.already += 1;
                } else {
                    summary.issued += 1;
                }
                progress(&outcome);
                summary.rows.push(outcome);
            }
            Ok(Err(e)) => failure = failure.or(Some(e)),
            Err(e) => failure = failure.or(Some(ServiceError::Sign(format!("a batch task failed: {e}")))),
        }
    }
    if let Some(e) = failure {
        return Err(e);
    }
    summary.rows.sort_by_key(|r| r.line);
    Ok(summary)
}

/// How many rows are in flight at once: two per core, at most eight.
pub fn concurrency() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get() * 2).min(8)
}

async fn issue_row(
    state: &AppState,
    issuer: &Issuer,
    achievement: &Achievement,
    award: &Award,
    batch_id: &str,
    line: u64,
) -> Result<RowOutcome, ServiceError> {
    let row = i64::try_from(line).unwrap_or(i64::MAX);
    match state.store().batch_credential(batch_id, row).await? {
        Some(existing) => Ok(RowOutcome { line, credential: existing, already: true }),
        None => {
            let issued =
                credentials::award(state, issuer, achievement, award, Some((batch_id.to_owned(), row))).await?;
            // A concurrent run may have issued the row first; its credential is the one kept.
            Ok(RowOutcome { line, already: !issued.fresh, credential: issued.id })
        }
    }
}
