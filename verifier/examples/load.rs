//! A bounded load test against a running verifier: `C` keep-alive connections POST one
//! credential to `/credentials/verify` for `S` seconds; prints verifications per second, p50 and
//! p99 latency, and the error count (any answer other than the expected status).
//!
//! ```sh
//! cargo run --release -p accolade-verifier -- serve --listen 127.0.0.1:9000 &
//! cargo run --release -p accolade-verifier --example load -- http://127.0.0.1:9000 FILE.json [C] [S]
//! ```

use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base, file, rest @ ..] = args.as_slice() else {
        return Err("usage: load BASE_URL CREDENTIAL.json [CONNECTIONS] [SECONDS]".into());
    };
    let connections: usize = rest.first().map(|c| c.parse()).transpose()?.unwrap_or(8);
    let seconds: u64 = rest.get(1).map(|s| s.parse()).transpose()?.unwrap_or(10);
    let credential: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file)?)?;
    let body = serde_json::json!({"verifiableCredential": credential}).to_string();
    let url = format!("{base}/credentials/verify");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (url, body) = (url.clone(), body.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
                let (mut latencies, mut errors, mut statuses) = (Vec::new(), 0u64, std::collections::BTreeMap::new());
                while Instant::now() < deadline {
                    let t = Instant::now();
                    match agent.post(&url).header("Content-Type", "application/json").send(body.as_str()) {
                        Ok(mut response) => {
                            let _ = response.body_mut().read_to_vec();
                            *statuses.entry(response.status().as_u16()).or_insert(0u64) += 1;
                            latencies.push(t.elapsed());
                        }
                        Err(_) => errors += 1,
                    }
                }
                (latencies, errors, statuses)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut statuses = std::collections::BTreeMap::new();
    for worker in workers {
        let (l, e, s) = worker.join().map_err(|_| "a worker panicked")?;
        latencies.extend(l);
        errors += e;
        for (k, v) in s {
            *statuses.entry(k).or_insert(0) += v;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let pct =
        |p: f64| latencies.get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1))).copied();
    println!(
        "{} verifications in {elapsed:.1} s with {connections} connections: {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, statuses {statuses:?}, transport errors {errors}",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        pct(0.50).unwrap_or_default().as_secs_f64() * 1e3,
        pct(0.99).unwrap_or_default().as_secs_f64() * 1e3,
    );
    Ok(())
}
