//! Prometheus metrics (text exposition format 0.0.4) at `GET /metrics`: verifications by outcome,
//! and a latency histogram of the verification work itself (queueing for a permit included).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use accolade_core::verify::{CheckName, Report, Status};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

/// The counters. All updates are relaxed atomics: each series is independent.
#[derive(Debug, Default)]
pub struct Metrics {
    verified: AtomicU64,
    not_verified: AtomicU64,
    indeterminate: AtomicU64,
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Metrics {
    /// Records one verification and how long it took.
    pub fn record(&self, report: &Report, elapsed: Duration) {
        let outcome = if report.verified {
            &self.verified
        } else if report.checks.iter().any(|c| c.check != CheckName::Trust && c.status == Status::Invalid) {
            &self.not_verified
        } else {
            &self.indeterminate
        };
        outcome.fetch_add(1, Ordering::Relaxed);
        let seconds = elapsed.as_secs_f64();
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            if seconds <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// The exposition text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP accolade_verifications_total Verifications by outcome.\n");
        out.push_str("# TYPE accolade_verifications_total counter\n");
        for (outcome, counter) in
            [("verified", &self.verified), ("not_verified", &self.not_verified), ("indeterminate", &self.indeterminate)]
        {
            let _ = writeln!(
                out,
                "accolade_verifications_total{{outcome=\"{outcome}\"}} {}",
                counter.load(Ordering::Relaxed)
            );
        }
        out.push_str("# HELP accolade_verification_seconds Time to verify one credential or presentation.\n");
        out.push_str("# TYPE accolade_verification_seconds histogram\n");
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            let _ = writeln!(
                out,
                "accolade_verification_seconds_bucket{{le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "accolade_verification_seconds_bucket{{le=\"+Inf\"}} {count}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "accolade_verification_seconds_sum {sum}");
        let _ = writeln!(out, "accolade_verification_seconds_count {count}");
        out
    }
}
