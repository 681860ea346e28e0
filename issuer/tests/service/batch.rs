//! CSV cohorts through the API: dry runs that list every bad row, and exactly-once re-runs.

use axum::http::{Method, StatusCode};

use crate::support::{service, TOKEN};

fn cohort(rows: usize) -> String {
    let mut csv = String::from("name,email,result:grade,evidence_url\n");
    for i in 0..rows {
        csv.push_str(&format!("Learner {i},learner{i}@example.org,B,https://portfolio.example/{i}\n"));
    }
    csv
}

#[tokio::test]
async fn a_dry_run_reports_every_bad_row_and_issues_nothing() {
    let s = service().await;
    s.create_issuer("uni", "web").await;
    s.create_achievement("uni", "welding-1").await;
    let csv = "name,email,result:grade\n\
               Ada,ada@example.org,A\n\
               Bad Email,not-an-email,A\n\
               Carol,carol@example.org,Z\n\
               Dan,dan@example.org\n\
               ,,\n";
    let path = "/admin/issuers/uni/batches?achievement=welding-1&dry_run=true";
    let answer = s.request(Method::POST, path, Some(TOKEN), "text/csv", csv.as_bytes().to_vec()).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let body = answer.json();
    assert_eq!(body["error"]["code"], "INVALID_ROWS");
    let rows: Vec<(u64, String)> = body["error"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["message"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        rows,
        [
            (3, "recipient email \"not-an-email\" is not an email address".to_owned()),
            (4, "result \"grade\": \"Z\" is not one of [\"A\", \"B\", \"C\"]".to_owned()),
            (5, "CSV error: record 4 (line: 5, byte: 97): found record with 2 fields, but the previous record has 3 fields".to_owned()),
            (6, "the recipient needs an email, an identifier or a did".to_owned()),
        ]
    );
    // The same file without dry_run issues nothing either.
    let answer = s
        .request(
            Method::POST,
            "/admin/issuers/uni/batches?achievement=welding-1",
            Some(TOKEN),
            "text/csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let (_, audit) = s.call(Method::GET, "/admin/audit", None).await;
    assert!(audit.as_array().unwrap().iter().all(|a| a["action"] != "batch.issue"));

    let answer =
        s.request(Method::POST, path, Some(TOKEN), "text/csv", b"name,mail\nAda,ada@example.org\n".to_vec()).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.json()["error"]["message"].as_str().unwrap().starts_with("line 1: unknown column \"mail\""));
}

#[tokio::test]
async fn a_batch_issues_each_row_once_even_when_sent_again() {
    let s = service().await;
    s.create_issuer("uni", "web").await;
    s.create_achievement("uni", "welding-1").await;
    let csv = cohort(25);
    let path = "/admin/issuers/uni/batches?achievement=welding-1";
    let dry = s
        .request(Method::POST, &format!("{path}&dry_run=true"), Some(TOKEN), "text/csv", csv.clone().into_bytes())
        .await;
    assert_eq!(dry.json(), serde_json::json!({"valid": true, "rows": 25, "errors": []}));

    let first = s.request(Method::POST, path, Some(TOKEN), "text/csv", csv.clone().into_bytes()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", String::from_utf8_lossy(&first.body));
    let first = first.json();
    assert_eq!((first["issued"].as_u64(), first["alreadyIssued"].as_u64()), (Some(25), Some(0)));
    let again = s.request(Method::POST, path, Some(TOKEN), "text/csv", csv.into_bytes()).await.json();
    assert_eq!((again["issued"].as_u64(), again["alreadyIssued"].as_u64()), (Some(0), Some(25)));
    assert_eq!(first["credentials"], again["credentials"]);

    let line2 = first["credentials"][0]["id"].as_str().unwrap();
    let vc = s.get(&format!("/c/{line2}")).await.json();
    assert_eq!(vc["credentialSubject"]["identifier"][1]["identityHash"], "Learner 0");
    assert!(s.verify(&vc).await.verified);
}
