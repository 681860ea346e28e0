//! Verifying the wallet's credentials with the one engine in `accolade-core`, online or offline.
//!
//! Online, DID documents and status lists are fetched through the guarded client (DESIGN.md,
//! "Security rules"), and every document fetched is saved in the wallet. Offline (the default for
//! `verify`), nothing is fetched: `did:web` documents come from what was saved, and status lists
//! are the saved copies, however old; the output says how old.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use accolade_core::did::{Fetcher, StandardResolver};
use accolade_core::fetch::{FetchPolicy, GuardedClient};
use accolade_core::status::StatusListClient;
use accolade_core::verify::{Report, Verifier};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::store::Saved;

/// A fetcher that remembers every body it fetched, to save for offline use.
struct Recording {
    inner: GuardedClient,
    fetched: Mutex<Vec<(String, Vec<u8>)>>,
}

impl Fetcher for Recording {
    fn fetch(&self, url: &str) -> Result<Vec<u8>, String> {
        let body = self.inner.fetch(url)?;
        self.fetched.lock().unwrap_or_else(PoisonError::into_inner).push((url.to_owned(), body.clone()));
        Ok(body)
    }
}

/// A fetcher that only answers from saved documents.
struct SavedOnly(BTreeMap<String, Vec<u8>>);

impl Fetcher for SavedOnly {
    fn fetch(&self, url: &str) -> Result<Vec<u8>, String> {
        self.0.get(url).cloned().ok_or_else(|| format!("offline, and {url} was not saved; verify with --online"))
    }
}

/// An online verification: the report, and the documents fetched for it.
pub fn online(text: &str, policy: FetchPolicy) -> (Report, BTreeMap<String, Saved>) {
    let recording = Arc::new(Recording { inner: GuardedClient::new(policy), fetched: Mutex::default() });
    let fetcher: Arc<dyn Fetcher> = recording.clone();
    let resolver = StandardResolver::with_fetcher(fetcher.clone());
    let status = StatusListClient::new(fetcher, Arc::new(resolver.clone()));
    let report = Verifier::new(&resolver).with_status(&status).verify_text(text);
    let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let fetched = std::mem::take(&mut *recording.fetched.lock().unwrap_or_else(PoisonError::into_inner));
    let saved = fetched
        .into_iter()
        .map(|(url, body)| {
            (url, Saved { body: base64::engine::general_purpose::STANDARD.encode(body), fetched_at: now.clone() })
        })
        .collect();
    (report, saved)
}

/// An offline verification from saved documents; with the age of the oldest saved status list
/// the credential uses, if any.
pub fn offline(text: &str, credential: &Value, saved: &BTreeMap<String, Saved>) -> (Report, Option<chrono::Duration>) {
    let bodies: BTreeMap<String, Vec<u8>> = saved
        .iter()
        .filter_map(|(url, s)| base64::engine::general_purpose::STANDARD.decode(&s.body).ok().map(|b| (url.clone(), b)))
        .collect();
    let fetcher: Arc<dyn Fetcher> = Arc::new(SavedOnly(bodies.clone()));
    let resolver = StandardResolver::with_fetcher(fetcher.clone());
    let status = StatusListClient::new(fetcher, Arc::new(resolver.clone())).with_offline(true);
    let mut oldest: Option<chrono::Duration> = None;
    for url in status_urls(credential) {
        let (Some(body), Some(entry)) = (bodies.get(&url), saved.get(&url)) else { continue };
        let Ok(fetched_at) = DateTime::parse_from_rfc3339(&entry.fetched_at) else { continue };
        let fetched_at = fetched_at.with_timezone(&Utc);
        if status.preload(&url, body.clone(), fetched_at).is_ok() {
            let age = Utc::now() - fetched_at;
            oldest = Some(oldest.map_or(age, |o| o.max(age)));
        }
    }
    let report = Verifier::new(&resolver).with_status(&status).verify_text(text);
    (report, oldest)
}

/// The status list URLs a credential (JSON) names.
fn status_urls(credential: &Value) -> Vec<String> {
    let entries = match credential.get("credentialStatus") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    entries.iter().filter_map(|e| e.get("statusListCredential").and_then(Value::as_str).map(str::to_owned)).collect()
}

/// "verified", "not verified" or "could not be fully checked".
pub fn verdict(report: &Report) -> &'static str {
    use accolade_core::verify::{CheckName, Status};
    if report.verified {
        "verified"
    } else if report.checks.iter().any(|c| c.check != CheckName::Trust && c.status == Status::Invalid) {
        "not verified"
    } else {
        "could not be fully checked"
    }
}

/// A duration in words: "3 minutes", "2 days".
pub fn age_in_words(age: chrono::Duration) -> String {
    let s = age.num_seconds().max(0);
    let (n, unit) = match s {
        0..=119 => (s, "second"),
        120..=7199 => (s / 60, "minute"),
        7200..=172_799 => (s / 3600, "hour"),
        _ => (s / 86_400, "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}
