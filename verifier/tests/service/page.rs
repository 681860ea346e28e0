//! The employer's page through the router: languages, the forms' inputs (link, upload, QR photo,
//! paste), and what the page says for each outcome.

use std::sync::Arc;

use accolade_core::did::{Fetcher, StandardResolver};
use accolade_verifier::{router, AppState};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

const CMD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cmd");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{CMD}/{name}")).unwrap()
}

/// Serves fixed documents by URL, as the network would.
struct Documents(Vec<(String, Vec<u8>)>);

impl Fetcher for Documents {
    fn fetch(&self, url: &str) -> Result<Vec<u8>, String> {
        self.0.iter().find(|(u, _)| u == url).map(|(_, b)| b.clone()).ok_or_else(|| format!("HTTP 404 for {url}"))
    }
}

fn state() -> AppState {
    let documents = Documents(vec![("https://issuer.example/c/abc".into(), fixture("ob3-signed-by-vc-js.json"))]);
    AppState::new(StandardResolver::offline()).with_fetcher(Arc::new(documents))
}

async fn get(path: &str, accept_language: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::get(path);
    if let Some(l) = accept_language {
        request = request.header("accept-language", l);
    }
    let response = router(state()).oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    (status, String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap())
}

async fn post_form(fields: &[(&str, Option<&str>, &[u8])]) -> (StatusCode, String) {
    let boundary = "accolade-test-boundary";
    let mut body = Vec::new();
    for (name, filename, content) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match filename {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let request = Request::post("/verify")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    let response = router(state()).oneshot(request).await.unwrap();
    let status = response.status();
    (status, String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap())
}

fn verdict(html: &str) -> &str {
    let start = html.find("data-verdict=\"").map(|i| i + 14).expect("no verdict on the page");
    &html[start..start + html[start..].find('"').unwrap()]
}

#[tokio::test]
async fn the_form_is_in_the_readers_language_and_arabic_is_right_to_left() {
    let (status, html) = get("/verify", Some("ar, en;q=0.5")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\">"), "{}", &html[..80]);
    assert!(html.contains(&format!("<title>{}</title>", accolade_verifier::i18n::AR.title)));
    for tag in ["ar", "zh", "en", "fr", "ru", "es"] {
        assert!(html.contains(&format!("hreflang=\"{tag}\"")), "switcher lacks {tag}");
    }
    let (_, html) = get("/verify?lang=zh", Some("ar")).await;
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"zh\" dir=\"ltr\">"));
    let (_, html) = get("/verify", Some("de")).await;
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"en\" dir=\"ltr\">"));
    assert!(!html.contains("<script"), "the page needs no JavaScript");
    for id in ["credential-url", "file", "photo", "paste"] {
        assert!(html.contains(&format!("<label for=\"{id}\">")), "{id} is not labelled");
    }
}

#[tokio::test]
async fn a_link_is_fetched_and_its_verdict_shown() {
    let (_, html) = get("/verify?credential=https%3A%2F%2Fissuer.example%2Fc%2Fabc", None).await;
    assert_eq!(verdict(&html), "verified");
    assert!(html.contains("<dd><bdi dir=\"auto\">Teamwork</bdi></dd>"), "the achievement is shown");
    assert!(html.contains("Example Corp"));
    assert!(html.contains("value=\"https://issuer.example/c/abc\""), "the link stays in its field");
    let (_, html) = get("/verify?credential=https%3A%2F%2Fissuer.example%2Fc%2Fgone", None).await;
    assert_eq!(verdict(&html), "problem");
    assert!(
        html.contains("The credential could not be fetched from the link: HTTP 404 for https://issuer.example/c/gone")
    );
}

#[tokio::test]
async fn uploads_baked_badges_pasted_text_and_tampering() {
    let (status, html) = post_form(&[("file", Some("badge.png"), &fixture("ob3-baked.png"))]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(verdict(&html), "verified");
    let (_, html) = post_form(&[("file", Some("badge.svg"), &fixture("ob3-baked.svg"))]).await;
    assert_eq!(verdict(&html), "verified");
    let (_, html) = post_form(&[("text", None, &fixture("ob3-signed-by-vc-js.json")), ("lang", None, b"fr")]).await;
    assert_eq!(verdict(&html), "verified");
    assert!(html.contains("lang=\"fr\""));
    let (_, html) = post_form(&[("text", None, &fixture("ob3-tampered.json"))]).await;
    assert_eq!(verdict(&html), "not-verified");
    assert!(html.contains("data-check=\"proof\" data-status=\"invalid\""));
    let (_, html) = post_form(&[("text", None, b"   ")]).await;
    assert!(html.contains("Give a link, a file or pasted text to check."));
    let (_, html) = post_form(&[("file", Some("x.bin"), &[0xFF, 0xFE, 0x00, 0x01])]).await;
    assert!(html.contains("This is not a credential, a baked badge or a QR code this page can read."));
    let (_, html) = post_form(&[("photo", Some("plain.png"), &fixture("plain.png"))]).await;
    assert!(html.contains("No QR code could be read in this image. Try a sharper, closer photo."), "{html}");
}

#[tokio::test]
async fn a_photo_of_a_certificate_qr_code_is_read_and_followed() {
    let link = "https://verifier.example/verify?credential=https%3A%2F%2Fissuer.example%2Fc%2Fabc";
    let code = qrcode::QrCode::new(link).unwrap();
    let (width, scale, quiet) = (code.width(), 6, 4);
    let side = (width + 2 * quiet) * scale;
    let colors = code.to_colors();
    // An RGB "photo": dark modules near-black, light ones off-white.
    let mut pixels = vec![235u8; side * side * 3];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / scale).wrapping_sub(quiet), (y / scale).wrapping_sub(quiet));
            if mx < width && my < width && colors[my * width + mx] == qrcode::Color::Dark {
                pixels[(y * side + x) * 3..(y * side + x) * 3 + 3].copy_from_slice(&[20, 24, 30]);
            }
        }
    }
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, side as u32, side as u32);
        encoder.set_color(png::ColorType::Rgb);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&pixels).unwrap();
    }
    let (_, html) = post_form(&[("photo", Some("photo.png"), &png)]).await;
    assert_eq!(verdict(&html), "verified", "{html}");
}

#[tokio::test]
async fn the_page_loads_nothing_from_elsewhere() {
    let response = router(state()).oneshot(Request::get("/verify").body(Body::empty()).unwrap()).await.unwrap();
    let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    let html = String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"), "no external URL in the empty page");
}
