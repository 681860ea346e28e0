//! The employer's verification page: `GET /verify` (the form, or the verdict for
//! `?credential=URL`, the link QR codes on certificates carry) and `POST /verify` (a file upload,
//! a camera photo of a QR code, or pasted text).
//!
//! - Plain HTML forms: link and upload verification work without JavaScript, and the page loads
//!   nothing from anywhere else (no scripts, fonts, images or trackers), so it works on a closed
//!   network. The camera field is `<input type="file" accept="image/*" capture="environment">`:
//!   on a phone it opens the camera, and the photo's QR code is decoded on the server ([`crate::qr`]).
//! - WCAG 2.2 AA: landmarks and headings, every control labelled, a skip link, visible focus,
//!   text contrast above 4.5:1, and the verdict in words and a symbol, never colour alone.
//! - Six languages ([`crate::i18n`]), with `dir="rtl"` for Arabic; language-tagged credential
//!   text (`{"@value", "@language"}`) is shown in the reader's language when the credential has it.
//! - Fetches of `?credential=` links go through the guarded client (DESIGN.md, "Security rules"):
//!   no private or loopback addresses unless allowed, size and time limits.

use std::fmt::Write as _;

use accolade_core::bake;
use accolade_core::verify::{CheckName, Report, Status};
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use serde_json::Value;

use crate::i18n::{Language, Texts};
use crate::{qr, AppState};

/// The largest upload: 16 MiB, room for a full-resolution phone photo of a QR code.
pub const MAX_UPLOAD_BYTES: usize = 16 * 1024 * 1024;

/// The page's routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/verify", get(show).post(submit).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)))
}

/// `GET /verify` query.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    /// The page's language.
    #[serde(default)]
    lang: Option<String>,
    /// A credential's public link, to verify.
    #[serde(default)]
    credential: Option<String>,
}

/// What the page shows under the forms.
enum Outcome {
    /// A verification report.
    Report(Box<Report>, Trust),
    /// Nothing could be verified; the reason, in the reader's language.
    Problem(String),
}

/// What the trusted-issuer list says about the issuer.
enum Trust {
    /// No list is configured.
    NoList,
    /// Listed, under this name.
    Listed(String),
    /// Not listed (or not confirmed).
    NotListed,
}

fn language(query_lang: Option<&str>, headers: &HeaderMap) -> Language {
    query_lang
        .and_then(Language::from_tag)
        .or_else(|| headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Language::negotiate))
        .unwrap_or(Language::English)
}

async fn show(State(state): State<AppState>, Query(query): Query<PageQuery>, headers: HeaderMap) -> Response {
    let lang = language(query.lang.as_deref(), &headers);
    let outcome = match query.credential.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(link) => Some(verify_link(&state, lang, link.to_owned()).await),
    };
    page(lang, query.credential.as_deref().unwrap_or_default(), outcome)
}

async fn submit(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let mut lang = language(query.lang.as_deref(), &headers);
    let mut upload: Option<Vec<u8>> = None;
    let mut text: Option<String> = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_owned();
                let Ok(bytes) = field.bytes().await else {
                    return page(lang, "", Some(Outcome::Problem(lang.texts().unreadable.into())));
                };
                match name.as_str() {
                    "file" | "photo" if !bytes.is_empty() => upload = Some(bytes.to_vec()),
                    "text" if !bytes.iter().all(u8::is_ascii_whitespace) => {
                        text = Some(String::from_utf8_lossy(&bytes).into_owned())
                    }
                    "lang" => lang = Language::from_tag(&String::from_utf8_lossy(&bytes)).unwrap_or(lang),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => return page(lang, "", Some(Outcome::Problem(lang.texts().unreadable.into()))),
        }
    }
    let outcome = match (upload, text) {
        (Some(bytes), _) => verify_bytes(&state, lang, bytes).await,
        (None, Some(text)) => verify_text(&state, text).await,
        (None, None) => Outcome::Problem(lang.texts().nothing_given.into()),
    };
    page(lang, "", Some(outcome))
}

/// Fetches the credential at `link` through the guarded client and verifies it.
async fn verify_link(state: &AppState, lang: Language, link: String) -> Outcome {
    let texts = lang.texts();
    let Some(fetcher) = state.fetcher.clone() else {
        return Outcome::Problem(texts.fetch_failed.replace("{}", "this verifier is offline"));
    };
    let fetched = tokio::task::spawn_blocking(move || fetcher.fetch(&link)).await;
    match fetched {
        Ok(Ok(bytes)) => Box::pin(verify_bytes(state, lang, bytes)).await,
        Ok(Err(reason)) => Outcome::Problem(texts.fetch_failed.replace("{}", &reason)),
        Err(_) => Outcome::Problem(texts.fetch_failed.replace("{}", "internal error")),
    }
}

/// Verifies an upload: a baked badge, a photo of a QR code, or credential text.
async fn verify_bytes(state: &AppState, lang: Language, bytes: Vec<u8>) -> Outcome {
    let texts = lang.texts();
    if bake::detect(&bytes).is_some() {
        match bake::unbake(&bytes) {
            Ok(text) => return verify_text(state, text).await,
            // An image without a baked credential may be a photo of a QR code.
            Err(_) => match qr::decode(&bytes) {
                Ok(content) => return Box::pin(verify_qr(state, lang, content)).await,
                Err(qr::QrError::NoCode) => return Outcome::Problem(texts.no_qr_code.into()),
                Err(_) => return Outcome::Problem(texts.unreadable.into()),
            },
        }
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        return match qr::decode(&bytes) {
            Ok(content) => Box::pin(verify_qr(state, lang, content)).await,
            Err(_) => Outcome::Problem(texts.no_qr_code.into()),
        };
    }
    match String::from_utf8(bytes) {
        Ok(text) => verify_text(state, text).await,
        Err(_) => Outcome::Problem(texts.unreadable.into()),
    }
}

/// A QR code holds a link (to the verifier page or the credential) or the credential itself.
async fn verify_qr(state: &AppState, lang: Language, content: String) -> Outcome {
    let content = content.trim().to_owned();
    if content.starts_with("https://") || content.starts_with("http://") {
        verify_link(state, lang, qr::credential_link(&content)).await
    } else {
        verify_text(state, content).await
    }
}

async fn verify_text(state: &AppState, text: String) -> Outcome {
    let trust_list = state.trust.clone();
    match state.verify(move |verifier| verifier.verify_text(&text)).await {
        Ok(report) => {
            let trust = match (&trust_list, report.check(CheckName::Trust)) {
                (None, _) => Trust::NoList,
                (Some(list), Some(check)) if check.status == Status::Valid => {
                    let issuer = report.credential.pointer("/issuer/id").and_then(Value::as_str).unwrap_or_default();
                    Trust::Listed(list.trusted_name(issuer).unwrap_or_else(|| issuer.to_owned()))
                }
                (Some(_), _) => Trust::NotListed,
            };
            Outcome::Report(Box::new(report), trust)
        }
        Err(_) => Outcome::Problem("the service is busy; try again".into()),
    }
}

/// HTML-escapes text for element content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A credential text in the reader's language: a plain string, or the value object
/// (`{"@value", "@language"}`, VC 2.0 §11.1) in `lang`, else the first one. Returns the text
/// and its language, when tagged.
fn localized(value: &Value, lang: Language) -> Option<(String, Option<String>)> {
    match value {
        Value::String(s) => Some((s.clone(), None)),
        Value::Object(o) => {
            let text = o.get("@value")?.as_str()?.to_owned();
            Some((text, o.get("@language").and_then(Value::as_str).map(str::to_owned)))
        }
        Value::Array(items) => {
            let tagged: Vec<(String, Option<String>)> = items.iter().filter_map(|i| localized(i, lang)).collect();
            let wanted = tagged
                .iter()
                .find(|(_, l)| l.as_deref().and_then(Language::from_tag) == Some(lang))
                .or_else(|| tagged.first());
            wanted.cloned()
        }
        _ => None,
    }
}

/// `<span lang=…>` around a credential text when its language is known and differs from the page's.
fn text_in(value: &Value, lang: Language, fallback_lang: Option<&str>) -> Option<String> {
    let (text, tag) = localized(value, lang)?;
    if text.trim().is_empty() {
        return None;
    }
    let tag = tag.or_else(|| fallback_lang.map(str::to_owned));
    // `<bdi>` isolates the credential's text, so that English inside the Arabic page (or Arabic
    // inside an English one) keeps its own direction, punctuation included.
    Some(match tag {
        Some(t) if Language::from_tag(&t) != Some(lang) => {
            format!("<bdi dir=\"auto\" lang=\"{}\">{}</bdi>", esc(&t), esc(&text))
        }
        _ => format!("<bdi dir=\"auto\">{}</bdi>", esc(&text)),
    })
}

fn check_label(texts: &Texts, check: CheckName) -> &'static str {
    match check {
        CheckName::Parse => texts.check_parse,
        CheckName::Context => texts.check_context,
        CheckName::Schema => texts.check_schema,
        CheckName::Proof => texts.check_proof,
        CheckName::Issuer => texts.check_issuer,
        CheckName::Validity => texts.check_validity,
        CheckName::Status => texts.check_status,
        CheckName::Trust => texts.check_trust,
        CheckName::Presentation => texts.check_presentation,
    }
}

fn status_word(texts: &Texts, status: Status) -> (&'static str, &'static str, &'static str) {
    match status {
        Status::Valid => ("valid", "✓", texts.status_valid),
        Status::Invalid => ("invalid", "✗", texts.status_invalid),
        Status::Indeterminate => ("indeterminate", "?", texts.status_indeterminate),
    }
}

fn render_report(out: &mut String, lang: Language, report: &Report, trust: &Trust) {
    let t = lang.texts();
    let deciding = report.checks.iter().filter(|c| c.check != CheckName::Trust);
    let (verdict, symbol, title, explained) = if report.verified {
        ("verified", "✓", t.verified, t.verified_explained)
    } else if deciding.clone().any(|c| c.status == Status::Invalid) {
        ("not-verified", "✗", t.not_verified, t.not_verified_explained)
    } else {
        ("indeterminate", "?", t.indeterminate, t.indeterminate_explained)
    };
    let _ = write!(
        out,
        "<section id=\"result\" class=\"result {verdict}\" aria-labelledby=\"verdict\" tabindex=\"-1\">\
         <h2 id=\"verdict\" data-verdict=\"{verdict}\"><span class=\"symbol\" aria-hidden=\"true\">{symbol}</span> {}</h2>\
         <p>{}</p><dl id=\"summary\">",
        esc(title),
        esc(explained)
    );
    let summary = &report.credential;
    let achievement = summary.get("achievement");
    let achievement_lang = achievement.and_then(|a| a.get("inLanguage")).and_then(Value::as_str);
    let mut row = |label: &str, value: String| {
        let _ = write!(out, "<dt>{}</dt><dd>{value}</dd>", esc(label));
    };
    let learner =
        summary.pointer("/subject/name").and_then(|v| text_in(v, lang, None)).unwrap_or_else(|| esc(t.learner_unnamed));
    row(t.learner, learner);
    let name = achievement.and_then(|a| a.get("name")).or_else(|| summary.get("name"));
    if let Some(name) = name.and_then(|v| text_in(v, lang, achievement_lang)) {
        row(t.achievement, name);
    }
    if let Some(description) =
        achievement.and_then(|a| a.get("description")).and_then(|v| text_in(v, lang, achievement_lang))
    {
        row(t.description, description);
    }
    if let Some(criteria) =
        achievement.and_then(|a| a.pointer("/criteria/narrative")).and_then(|v| text_in(v, lang, achievement_lang))
    {
        row(t.criteria, criteria);
    }
    let issuer_name = summary.pointer("/issuer/name").and_then(|v| text_in(v, lang, None)).unwrap_or_default();
    let issuer_id = summary.pointer("/issuer/id").and_then(Value::as_str).unwrap_or_default();
    let trust_text = match trust {
        Trust::NoList => esc(t.issuer_no_list),
        Trust::Listed(name) => format!("<strong>✓ {}</strong>", esc(&t.issuer_trusted.replace("{}", name))),
        Trust::NotListed => format!("<strong>{}</strong>", esc(t.issuer_not_trusted)),
    };
    row(
        t.issuer,
        format!(
            "{issuer_name}<br><code class=\"did\" dir=\"ltr\">{}</code><br><span id=\"trust\">{trust_text}</span>",
            esc(issuer_id)
        ),
    );
    let date = |key: &str| summary.get(key).and_then(Value::as_str).map(|d| esc(d.get(..10).unwrap_or(d)));
    if let Some(from) = date("validFrom").or_else(|| date("issuanceDate")) {
        row(t.valid_from, format!("<time dir=\"ltr\">{from}</time>"));
    }
    let until = date("validUntil").or_else(|| date("expirationDate"));
    row(t.valid_until, until.map_or_else(|| esc(t.no_end), |u| format!("<time dir=\"ltr\">{u}</time>")));
    let _ = write!(out, "</dl><h3>{}</h3>", esc(t.details));
    if lang != Language::English {
        let _ = write!(out, "<p class=\"note\">{}</p>", esc(t.messages_in_english));
    }
    out.push_str("<ul id=\"checks\">");
    for check in &report.checks {
        let (status, symbol, word) = status_word(t, check.status);
        let name =
            serde_json::to_value(check.check).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        let _ = write!(
            out,
            "<li data-check=\"{name}\" data-status=\"{status}\" class=\"{status}\"><span aria-hidden=\"true\">{symbol}</span> \
             <strong>{}: {}</strong> <span lang=\"en\" dir=\"ltr\">{}</span></li>",
            esc(check_label(t, check.check)),
            esc(word),
            esc(&check.message)
        );
    }
    out.push_str("</ul></section>");
}

const STYLE: &str = "\
:root{color-scheme:light;--ink:#1a1a1a;--muted:#4a4a4a;--ok:#0b6b2f;--bad:#a3121f;--warn:#7a4a00;--focus:#1a4fd6}\
*{box-sizing:border-box}body{margin:0;font:1.0625rem/1.55 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;color:var(--ink);background:#fff}\
.skip{position:absolute;inset-inline-start:-10000px}.skip:focus{inset-inline-start:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}\
header,main,footer{max-width:46rem;margin-inline:auto;padding:1rem}header nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.75rem;padding:0;margin:0}\
a{color:#0b4bb3}a[aria-current]{font-weight:700;color:var(--ink)}\
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}\
form{border:1px solid #767676;border-radius:.5rem;padding:1rem;margin-block:1rem}label{display:block;font-weight:600;margin-block-end:.25rem}\
input[type=url],textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #595959;border-radius:.25rem}textarea{min-height:6rem}\
input[type=file]{font:inherit;margin-block:.25rem}.hint{color:var(--muted);margin:.25rem 0 .75rem}\
button{font:inherit;font-weight:600;padding:.5rem 1.25rem;border-radius:.25rem;border:2px solid #0b4bb3;background:#0b4bb3;color:#fff;cursor:pointer}\
.result{border-inline-start:.5rem solid;padding:.5rem 1rem;margin-block:1rem}.result.verified{border-color:var(--ok)}\
.result.not-verified{border-color:var(--bad)}.result.indeterminate{border-color:var(--warn)}\
.verified h2{color:var(--ok)}.not-verified h2{color:var(--bad)}.indeterminate h2{color:var(--warn)}\
dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}\
.did{word-break:break-all;font-size:.9em}#checks{padding-inline-start:1.25rem}#checks li{margin-block:.35rem}\
li.valid>span:first-child{color:var(--ok)}li.invalid>span:first-child{color:var(--bad)}li.indeterminate>span:first-child{color:var(--warn)}\
.problem{border:2px solid var(--bad);padding:.75rem 1rem;border-radius:.25rem}.note,footer{color:var(--muted)}";

fn page(lang: Language, link: &str, outcome: Option<Outcome>) -> Response {
    let t = lang.texts();
    let tag = lang.tag();
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"{tag}\" dir=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\"><title>{}</title><style>{STYLE}</style></head><body>\
         <a class=\"skip\" href=\"#main\">{}</a><header><nav aria-label=\"{}\"><ul>",
        lang.direction(),
        esc(t.title),
        esc(t.skip_to_content),
        esc(t.languages)
    );
    for other in Language::ALL {
        let mut href = format!("/verify?lang={}", other.tag());
        if !link.is_empty() {
            let _ = write!(href, "&credential={}", qr::percent_encode(link));
        }
        let current = if other == lang { " aria-current=\"true\"" } else { "" };
        let _ = write!(
            out,
            "<li><a href=\"{}\" hreflang=\"{}\" lang=\"{}\"{current}>{}</a></li>",
            esc(&href),
            other.tag(),
            other.tag(),
            other.native_name()
        );
    }
    let _ = write!(out, "</ul></nav></header><main id=\"main\"><h1>{}</h1><p>{}</p>", esc(t.title), esc(t.intro));
    match &outcome {
        Some(Outcome::Report(report, trust)) => render_report(&mut out, lang, report, trust),
        Some(Outcome::Problem(message)) => {
            let _ = write!(
                out,
                "<section id=\"result\" aria-labelledby=\"verdict\"><h2 id=\"verdict\" data-verdict=\"problem\">{}</h2>\
                 <p class=\"problem\" role=\"alert\">{}</p></section>",
                esc(t.result),
                esc(message)
            );
        }
        None => {}
    }
    let _ = write!(
        out,
        "<form id=\"link-form\" method=\"get\" action=\"/verify\"><h2>{by_link}</h2>\
         <input type=\"hidden\" name=\"lang\" value=\"{tag}\">\
         <label for=\"credential-url\">{link_label}</label>\
         <input type=\"url\" id=\"credential-url\" name=\"credential\" value=\"{link}\" dir=\"ltr\" autocomplete=\"off\">\
         <p><button type=\"submit\">{verify}</button></p></form>\
         <form id=\"upload-form\" method=\"post\" action=\"/verify?lang={tag}\" enctype=\"multipart/form-data\"><h2>{by_file}</h2>\
         <label for=\"file\">{file_label}</label>\
         <input type=\"file\" id=\"file\" name=\"file\" aria-describedby=\"file-hint\" \
         accept=\".json,.jwt,.txt,.png,.svg,.jpg,.jpeg,application/json,image/png,image/svg+xml,image/jpeg\">\
         <p class=\"hint\" id=\"file-hint\">{file_hint}</p>\
         <label for=\"photo\">{camera_label}</label>\
         <input type=\"file\" id=\"photo\" name=\"photo\" accept=\"image/*\" capture=\"environment\" aria-describedby=\"photo-hint\">\
         <p class=\"hint\" id=\"photo-hint\">{camera_hint}</p>\
         <p><button type=\"submit\">{verify}</button></p></form>\
         <form id=\"paste-form\" method=\"post\" action=\"/verify?lang={tag}\" enctype=\"multipart/form-data\"><h2>{by_paste}</h2>\
         <label for=\"paste\">{paste_label}</label>\
         <textarea id=\"paste\" name=\"text\" dir=\"ltr\" spellcheck=\"false\"></textarea>\
         <p><button type=\"submit\">{verify}</button></p></form></main><footer><p>{privacy}</p></footer></body></html>",
        by_link = esc(t.by_link),
        link_label = esc(t.link_label),
        link = esc(link),
        verify = esc(t.verify_button),
        by_file = esc(t.by_file),
        file_label = esc(t.file_label),
        file_hint = esc(t.file_hint),
        camera_label = esc(t.camera_label),
        camera_hint = esc(t.camera_hint),
        by_paste = esc(t.by_paste),
        paste_label = esc(t.paste_label),
        privacy = esc(t.privacy),
    );
    (
        [
            (header::CONTENT_LANGUAGE, tag),
            // Nothing from elsewhere, ever: the page works on a closed network and cannot leak.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
            (header::VARY, "Accept-Language"),
        ],
        Html(out),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn language_tagged_text_follows_the_reader() {
        let name = json!([{"@value": "Welding", "@language": "en"}, {"@value": "Soudure", "@language": "fr"}]);
        assert_eq!(localized(&name, Language::French), Some(("Soudure".into(), Some("fr".into()))));
        assert_eq!(localized(&name, Language::Russian), Some(("Welding".into(), Some("en".into()))));
        assert_eq!(text_in(&name, Language::Russian, None).unwrap(), "<bdi dir=\"auto\" lang=\"en\">Welding</bdi>");
        assert_eq!(text_in(&json!("<b>"), Language::English, None).unwrap(), "<bdi dir=\"auto\">&lt;b&gt;</bdi>");
    }
}
