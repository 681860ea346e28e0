//! Delivery of an issued credential: the default badge image (for baking,
//! [OB 3.0 §5.3 "Badge Baking"](https://www.imsglobal.org/spec/ob/v3p0/#baking)) and the printable
//! certificate.
//!
//! - QR codes that link to the verifier page, on the certificate and at `/c/{id}/qr.{svg,png}`,
//!   are drawn by [`accolade_verifier::qr`], next to the code that reads them and shared with the
//!   wallet.
//! - The default badge is what gets baked (`accolade_core::bake`) when an achievement has no image
//!   of its own, so both the PNG and the SVG are plain enough for any baking tool: one `IHDR`,
//!   `IDAT`s and `IEND` for the PNG, a single `<svg>` root for the SVG.
//! - The certificate is one self-contained HTML5 document (no fonts, scripts, images or trackers
//!   fetched from anywhere), which prints on one A4 landscape page.

use std::fmt::Write as _;

use accolade_verifier::markup::escape;
use accolade_verifier::qr::{self, QrError};

/// Side of the default badge, in pixels.
const BADGE_SIZE: u32 = 256;
/// Outer radius of the badge disc, in pixels.
const DISC_RADIUS: u32 = 124;
/// Inner and outer radius of the light ring drawn inside the disc, in pixels.
const RING_INNER: u32 = 104;
const RING_OUTER: u32 = 110;
/// How much of the ring colour is white, in percent.
const RING_TINT: u32 = 55;
/// Visible badge titles longer than this many characters are cut, with an ellipsis.
const MAX_TITLE_CHARS: usize = 40;
/// Characters per line of the badge title, and the most lines that fit inside the disc.
const TITLE_LINE_CHARS: usize = 14;
const MAX_TITLE_LINES: usize = 5;
/// Wording of the certificate when the credential names no learner.
const NEUTRAL_RECIPIENT: &str = "Awarded to the holder of this credential";

/// A default badge image for an achievement that has none: a 256×256 RGBA PNG, a disc with a light
/// ring in a colour derived from `seed` (such as the achievement id), transparent outside.
///
/// Deterministic: the same seed gives the same bytes, so re-issuing does not change the image.
pub fn badge_png(seed: &str) -> Vec<u8> {
    let base = badge_colour(seed);
    let ring = ring_colour(base);
    let size = BADGE_SIZE as usize;
    let mut data = Vec::with_capacity(size * size * 4);
    // 4×4 samples a pixel, in eighths of a pixel so that everything stays in integers (and so
    // bit-for-bit the same on every platform).
    let centre = i64::from(BADGE_SIZE) * 4;
    let r2 = |r: u32| (i64::from(r) * 8).pow(2);
    let (disc, ring_out, ring_in) = (r2(DISC_RADIUS), r2(RING_OUTER), r2(RING_INNER));
    for y in 0..i64::from(BADGE_SIZE) {
        for x in 0..i64::from(BADGE_SIZE) {
            let (mut on_disc, mut on_ring) = (0u32, 0u32);
            for sy in 0..4 {
                for sx in 0..4 {
                    let dx = x * 8 + 2 * sx + 1 - centre;
                    let dy = y * 8 + 2 * sy + 1 - centre;
                    let d2 = dx * dx + dy * dy;
                    if d2 >= disc {
                        continue;
                    }
                    if d2 < ring_out && d2 >= ring_in {
                        on_ring += 1;
                    } else {
                        on_disc += 1;
                    }
                }
            }
            let covered = on_disc + on_ring;
            if covered == 0 {
                data.extend_from_slice(&[0, 0, 0, 0]);
                continue;
            }
            for channel in 0..3 {
                let sum = u32::from(base[channel]) * on_disc + u32::from(ring[channel]) * on_ring;
                data.push(((sum + covered / 2) / covered) as u8);
            }
            data.push(((covered * 255 + 8) / 16) as u8);
        }
    }
    // A 256×256 RGBA image whose buffer has exactly 256 × 256 × 4 bytes, written to memory: the
    // encoder has no reason to fail.
    encode_rgba(BADGE_SIZE, &data).expect("a well-sized RGBA buffer encodes to a Vec")
}

/// A default badge SVG: the disc and ring of [`badge_png`] in the same colour, the achievement
/// `title` as centred text (wrapped, and cut to about 40 characters with an ellipsis), 256×256 with
/// a `viewBox`, `role="img"` and a `<title>` holding the full title.
pub fn badge_svg(seed: &str, title: &str) -> String {
    let base = badge_colour(seed);
    let ring = ring_colour(base);
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = if title.is_empty() { "Badge".to_owned() } else { escape(&title) };
    let lines = title_lines(&title);
    let mut text = String::new();
    if !lines.is_empty() {
        let count = lines.len() as i64;
        text.push_str(concat!(
            "<text x=\"128\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"#ffffff\" ",
            "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\" font-size=\"18\" ",
            "font-weight=\"600\">"
        ));
        for (i, line) in lines.iter().enumerate() {
            // Lines 22 px apart, centred on the disc's centre.
            let y = 128 + (2 * i as i64 - (count - 1)) * 11;
            let _ = write!(text, "<tspan x=\"128\" y=\"{y}\">{}</tspan>", escape(line));
        }
        text.push_str("</text>");
    }
    let ring_radius = (RING_INNER + RING_OUTER) / 2;
    let ring_width = RING_OUTER - RING_INNER;
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{size}\" height=\"{size}\" ",
            "viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{name}\">",
            "<title>{name}</title>",
            "<circle cx=\"128\" cy=\"128\" r=\"{disc}\" fill=\"{base}\"/>",
            "<circle cx=\"128\" cy=\"128\" r=\"{ring_radius}\" fill=\"none\" stroke=\"{ring}\" ",
            "stroke-width=\"{ring_width}\"/>",
            "{text}",
            "</svg>\n"
        ),
        size = BADGE_SIZE,
        name = name,
        disc = DISC_RADIUS,
        base = hex(base),
        ring_radius = ring_radius,
        ring = hex(ring),
        ring_width = ring_width,
        text = text,
    )
}

/// What the printable certificate shows.
#[derive(Clone, Copy, Debug)]
pub struct Certificate<'a> {
    /// The learner's name; when empty the certificate says neutrally that it was awarded to the
    /// holder of the credential.
    pub learner: &'a str,
    /// The achievement's name.
    pub achievement: &'a str,
    /// The achievement's description.
    pub description: &'a str,
    /// The achievement's criteria narrative, if it has one.
    pub criteria: Option<&'a str>,
    /// The issuer's name.
    pub issuer: &'a str,
    /// When the credential was issued, as an RFC 3339 timestamp; the certificate shows the date.
    pub issued_on: &'a str,
    /// The public link to the credential's JSON.
    pub credential_url: &'a str,
    /// The verifier page link, which the QR code encodes.
    pub verify_url: &'a str,
    /// The BCP 47 language tag of the learner-facing texts, for `<html lang>`.
    pub language: &'a str,
}

/// The certificate as a complete HTML5 document.
///
/// It has `<html lang>` (and `dir="rtl"` for right-to-left languages), `<meta charset>`, a
/// `<title>`, a `<main>` with an `<h1>`, an inline stylesheet whose `@media print` part sets an A4
/// landscape page and keeps the colours, and the QR code of [`qr::render_svg`] inlined with an
/// accessible label and the verify URL printed under it, for readers without a scanner. Every
/// interpolated string is HTML-escaped; links are made only for `http(s)` URLs. Nothing is loaded
/// from elsewhere.
pub fn certificate_html(c: &Certificate<'_>) -> Result<String, DeliveryError> {
    let qr = qr::render_svg(c.verify_url)?;
    // Inline SVG in HTML takes the element, not the XML declaration.
    let qr = qr.find("<svg").map_or(qr.as_str(), |at| &qr[at..]).trim_end();

    let language = language_tag(c.language);
    let dir = if is_rtl(language) { " dir=\"rtl\"" } else { "" };
    // The fixed wording is English; mark it so, so that a screen reader switches voice.
    let en = if primary_subtag(language).eq_ignore_ascii_case("en") { "" } else { " lang=\"en\"" };

    let achievement = escape(c.achievement);
    let issuer = escape(c.issuer);
    let title = if c.issuer.trim().is_empty() {
        format!("Certificate: {achievement}")
    } else {
        format!("Certificate: {achievement} \u{2014} {issuer}")
    };
    let recipient = if c.learner.trim().is_empty() {
        format!("<p class=\"awarded\"{en}>{NEUTRAL_RECIPIENT}</p>\n")
    } else {
        format!("<p class=\"awarded\"{en}>Awarded to</p>\n<p class=\"learner\">{}</p>\n", escape(c.learner.trim()))
    };
    let description = if c.description.trim().is_empty() {
        String::new()
    } else {
        format!("<p class=\"description\">{}</p>\n", escape(c.description.trim()))
    };
    let criteria = match c.criteria.map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => {
            format!("<section class=\"criteria\">\n<h2{en}>Criteria</h2>\n<p>{}</p>\n</section>\n", escape(text))
        }
        None => String::new(),
    };
    let issued = match date_part(c.issued_on) {
        Some(date) => format!("<time datetime=\"{}\">{date}</time>", escape(c.issued_on.trim())),
        None => escape(c.issued_on.trim()),
    };

    let mut html = String::with_capacity(8 * 1024 + qr.len());
    html.push_str("<!DOCTYPE html>\n");
    let _ = writeln!(html, "<html lang=\"{}\"{dir}>", escape(language));
    html.push_str("<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    let _ = writeln!(html, "<title>{title}</title>");
    let _ = writeln!(html, "<style>\n{STYLE}</style>");
    html.push_str("</head>\n<body>\n<main class=\"certificate\">\n<header>\n");
    let _ = writeln!(html, "<p class=\"kicker\"{en}>Certificate of achievement</p>");
    let _ = writeln!(html, "<h1>{achievement}</h1>");
    html.push_str("</header>\n");
    html.push_str(&recipient);
    html.push_str(&description);
    html.push_str(&criteria);
    html.push_str("<dl class=\"facts\">\n");
    let _ = writeln!(html, "<div><dt{en}>Issued by</dt><dd>{issuer}</dd></div>");
    let _ = writeln!(html, "<div><dt{en}>Issued on</dt><dd>{issued}</dd></div>");
    html.push_str("</dl>\n<footer>\n<figure class=\"verify\">\n");
    html.push_str(qr);
    let _ = writeln!(
        html,
        "\n<figcaption><span{en}>Scan the code to verify this credential, or visit:</span><br>{}</figcaption>",
        link(c.verify_url)
    );
    html.push_str("</figure>\n");
    if !c.credential_url.trim().is_empty() {
        let _ = writeln!(html, "<p class=\"data\"><span{en}>Credential data:</span><br>{}</p>", link(c.credential_url));
    }
    html.push_str("</footer>\n</main>\n</body>\n</html>\n");
    Ok(html)
}

/// Why a delivery artefact could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeliveryError {
    /// The verifier link cannot be drawn as a QR code: it is too long.
    #[error(transparent)]
    Qr(#[from] QrError),
}

/// The certificate's stylesheet. Colours are kept in print (`print-color-adjust`) and nothing is
/// hidden; the QR code keeps a physical size that phone cameras read at arm's length.
const STYLE: &str = r#":root { color-scheme: light; }
* { box-sizing: border-box; }
html { background: #f4f1ea; }
body { margin: 0; padding: 2rem 1rem; color: #1d1b16; font-family: Georgia, "Times New Roman", serif;
  line-height: 1.45; }
main { max-width: 64rem; margin: 0 auto; padding: 2.5rem 3rem; background: #ffffff;
  border: 0.5rem double #7a6a3a; text-align: center; }
.kicker { margin: 0; font-size: 0.95rem; letter-spacing: 0.18em; text-transform: uppercase; color: #5c4d22; }
h1 { margin: 0.3rem 0 1.2rem; font-size: 2.4rem; line-height: 1.2; }
h2 { margin: 1rem 0 0.2rem; font-size: 1.05rem; letter-spacing: 0.08em; text-transform: uppercase; color: #5c4d22; }
.awarded { margin: 0; font-style: italic; }
.learner { margin: 0.2rem 0 1rem; font-size: 2rem; font-weight: bold; overflow-wrap: anywhere; }
.description, .criteria p { margin: 0.4rem auto; max-width: 46rem; white-space: pre-line; }
.facts { display: flex; justify-content: center; gap: 3rem; margin: 1.5rem 0 0; }
.facts dt { font-size: 0.85rem; letter-spacing: 0.08em; text-transform: uppercase; color: #5c4d22; }
.facts dd { margin: 0; font-weight: bold; }
footer { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: flex-end; gap: 1.5rem;
  margin-top: 1.5rem; text-align: start; }
.verify { margin: 0; max-width: 24rem; }
.verify svg { display: block; width: 36mm; height: 36mm; }
figcaption, .data { margin: 0.4rem 0 0; font-size: 0.85rem; }
.data { max-width: 24rem; }
code { font-family: ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", "Courier New", monospace;
  font-size: 0.8rem; overflow-wrap: anywhere; }
a { color: #1d3f8a; }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  html, body { background: #ffffff; }
  body { padding: 0; font-size: 11pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; margin: 0; padding: 12mm 16mm; break-inside: avoid; page-break-inside: avoid; }
  h1 { font-size: 26pt; }
  .learner { font-size: 22pt; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// A square 8-bit RGBA PNG, `size` pixels a side.
fn encode_rgba(size: u32, data: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, size, size);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(data)?;
        writer.finish()?;
    }
    Ok(out)
}

/// The badge colour for `seed`: a hue picked by a stable hash, at a fixed saturation and lightness
/// dark enough for white text (WCAG contrast of at least 4.5:1 for every hue).
fn badge_colour(seed: &str) -> [u8; 3] {
    // FNV-1a, not std's DefaultHasher, whose output may change between Rust releases.
    let hash = seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    hue_colour((hash % 360) as u16)
}

/// HSL(`hue`, 60 %, 30 %) in sRGB.
fn hue_colour(hue: u16) -> [u8; 3] {
    let (s, l) = (0.60_f64, 0.30_f64);
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let h = f64::from(hue % 360) / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match hue % 360 / 60 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let channel = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    [channel(r), channel(g), channel(b)]
}

/// The ring colour: the badge colour mixed with white.
fn ring_colour(base: [u8; 3]) -> [u8; 3] {
    base.map(|v| ((u32::from(v) * (100 - RING_TINT) + 255 * RING_TINT + 50) / 100) as u8)
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The visible lines of a badge title: cut to [`MAX_TITLE_CHARS`] with an ellipsis, then wrapped
/// at spaces (or inside words longer than a line) into at most [`MAX_TITLE_LINES`] lines.
fn title_lines(title: &str) -> Vec<String> {
    let title = truncate(title, MAX_TITLE_CHARS);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in title.split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        while !word.is_empty() {
            let used = line.chars().count();
            if used > 0 && used + 1 + word.len() <= TITLE_LINE_CHARS {
                line.push(' ');
                line.extend(&word);
                word.clear();
            } else if used > 0 {
                lines.push(std::mem::take(&mut line));
            } else {
                let take = word.len().min(TITLE_LINE_CHARS);
                line.extend(word.drain(..take));
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > MAX_TITLE_LINES {
        lines.truncate(MAX_TITLE_LINES);
        if let Some(last) = lines.last_mut() {
            *last = format!("{}\u{2026}", truncate(last, TITLE_LINE_CHARS - 1).trim_end_matches('\u{2026}'));
        }
    }
    lines
}

/// `text` cut to at most `max` characters, the last of them an ellipsis when anything was cut; the
/// cut falls between words when one ends in the second half of what is kept.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let keep = max.saturating_sub(1);
    let mut kept: String = text.chars().take(keep).collect();
    let mid_word = text.chars().nth(keep).is_some_and(|c| c != ' ');
    if let Some(space) = kept.rfind(' ').filter(|_| mid_word) {
        if kept[..space].chars().count() >= keep / 2 {
            kept.truncate(space);
        }
    }
    format!("{}\u{2026}", kept.trim_end())
}

/// The `YYYY-MM-DD` date at the start of an RFC 3339 timestamp, if it has one.
fn date_part(timestamp: &str) -> Option<&str> {
    let date = timestamp.trim().get(..10)?;
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)).then_some(date)
}

/// `tag` if it looks like a BCP 47 tag (ASCII letters, digits and hyphens), otherwise `und`
/// ("undetermined"), so that a bad value cannot mislabel the whole page.
fn language_tag(tag: &str) -> &str {
    let tag = tag.trim();
    let plausible = !tag.is_empty()
        && tag.len() <= 64
        && tag.split('-').all(|sub| (1..=8).contains(&sub.len()) && sub.bytes().all(|b| b.is_ascii_alphanumeric()));
    if plausible {
        tag
    } else {
        "und"
    }
}

fn primary_subtag(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

/// Whether text in `tag` runs right to left: by its script subtag if it has one, else by language.
fn is_rtl(tag: &str) -> bool {
    const RTL_SCRIPTS: &[&str] = &["arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "mand", "samr"];
    const RTL_LANGUAGES: &[&str] =
        &["ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug", "ur", "yi", "nqo"];
    let mut subtags = tag.split('-');
    let primary = subtags.next().unwrap_or_default();
    if let Some(script) = subtags.find(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic())) {
        return RTL_SCRIPTS.iter().any(|s| s.eq_ignore_ascii_case(script));
    }
    RTL_LANGUAGES.iter().any(|l| l.eq_ignore_ascii_case(primary))
}

/// `url` as escaped text, linked only when it is an http(s) URL (never `javascript:` and the like).
fn link(url: &str) -> String {
    let url = url.trim();
    let text = format!("<code dir=\"ltr\">{}</code>", escape(url));
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        format!("<a href=\"{}\">{text}</a>", escape(url))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use accolade_core::bake::{bake_png, bake_svg, detect, unbake_png, unbake_svg, BakedFormat};

    use accolade_testkit::{assert_well_formed, png_pixels};

    use super::*;

    #[test]
    fn badge_png_is_a_deterministic_rgba_disc() {
        let png_bytes = badge_png("urn:uuid:0b1e7c5a-achievement");
        assert_eq!(png_bytes, badge_png("urn:uuid:0b1e7c5a-achievement"));
        assert_ne!(png_bytes, badge_png("urn:uuid:another-achievement"));

        let (w, h, color, pixels) = png_pixels(&png_bytes);
        assert_eq!((w, h, color), (256, 256, png::ColorType::Rgba));
        let at = |x: usize, y: usize| &pixels[(y * 256 + x) * 4..(y * 256 + x) * 4 + 4];
        let [r, g, b] = badge_colour("urn:uuid:0b1e7c5a-achievement");
        assert_eq!(at(128, 128), [r, g, b, 255], "the centre is the badge colour");
        assert_eq!(at(128, 128 - 107), [ring_colour([r, g, b]).as_slice(), &[255]].concat(), "the ring");
        for (x, y) in [(0, 0), (255, 0), (0, 255), (255, 255), (128, 1), (2, 128)] {
            assert_eq!(at(x, y)[3], 0, "({x}, {y}) is outside the disc");
        }
        // The edge is anti-aliased: partly covered pixels exist.
        assert!(pixels.chunks(4).any(|p| (1..255).contains(&p[3])));
    }

    #[test]
    fn badge_png_is_a_base_for_baking() {
        let png_bytes = badge_png("seed");
        let credential = "{\"a\":1}";
        let baked = bake_png(&png_bytes, credential).unwrap();
        assert_eq!(unbake_png(&baked).unwrap(), credential);
        assert_eq!(detect(&baked), Some(BakedFormat::Png));
        // Baking keeps the picture.
        assert_eq!(png_pixels(&baked).3, png_pixels(&png_bytes).3);
    }

    #[test]
    fn badge_colours_are_distinct_and_readable_under_white_text() {
        fn luminance([r, g, b]: [u8; 3]) -> f64 {
            let lin = |v: u8| {
                let v = f64::from(v) / 255.0;
                if v <= 0.04045 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
        }
        for hue in 0..360 {
            let colour = hue_colour(hue);
            let contrast = 1.05 / (luminance(colour) + 0.05);
            assert!(contrast >= 4.5, "hue {hue}: {} has contrast {contrast:.2} with white", hex(colour));
        }
        assert_ne!(hue_colour(0), hue_colour(180));
        assert_ne!(badge_colour("a"), badge_colour("b"));
    }

    #[test]
    fn badge_svg_escapes_the_title_and_bakes() {
        let svg = badge_svg("seed", "<script>alert(1)</script> & co");
        assert!(!svg.contains("<script"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>"));
        assert!(svg.contains("width=\"256\" height=\"256\" viewBox=\"0 0 256 256\" role=\"img\""));
        assert!(svg.contains(&format!("fill=\"{}\"", hex(badge_colour("seed")))), "same colour as the PNG");
        assert_well_formed(&svg, &[]);

        let credential = "{\"a\":1}";
        let baked = bake_svg(&svg, credential).unwrap();
        assert_eq!(unbake_svg(&baked).unwrap(), credential);
        assert_eq!(detect(baked.as_bytes()), Some(BakedFormat::Svg));
        assert_well_formed(&baked, &[]);
    }

    #[test]
    fn badge_svg_wraps_and_truncates_long_titles() {
        let title = "Advanced Certificate in Distributed Systems Engineering and Operations";
        let svg = badge_svg("seed", title);
        assert!(svg.contains(&format!("<title>{title}</title>")), "the accessible name is the full title");
        let visible: Vec<&str> =
            svg.split("<tspan").skip(1).map(|t| t.split('>').nth(1).unwrap().trim_end_matches("</tspan")).collect();
        assert!(visible.len() > 1 && visible.len() <= MAX_TITLE_LINES, "{visible:?}");
        assert!(visible.iter().all(|l| l.chars().count() <= TITLE_LINE_CHARS), "{visible:?}");
        let shown = visible.join(" ");
        assert!(shown.ends_with('\u{2026}'), "{shown}");
        assert!(shown.chars().count() <= MAX_TITLE_CHARS, "{shown}");
        assert!(title.starts_with(shown.trim_end_matches('\u{2026}')));
        assert_eq!(truncate(title, 40), "Advanced Certificate in Distributed\u{2026}", "cut between words");
        assert_eq!(truncate(&"x".repeat(50), 40), format!("{}\u{2026}", "x".repeat(39)));

        // A short title stays whole, on one line at the centre; an empty one draws no text.
        let short = badge_svg("seed", "Rust");
        assert!(short.contains("<tspan x=\"128\" y=\"128\">Rust</tspan>"));
        let empty = badge_svg("seed", "  ");
        assert!(!empty.contains("<text") && empty.contains("<title>Badge</title>"));
        // A word longer than a line is split rather than overflowing the disc.
        assert!(title_lines("Supercalifragilisticexpialidocious").iter().all(|l| l.chars().count() <= 14));
    }

    fn certificate() -> Certificate<'static> {
        Certificate {
            learner: "Amina Haddad",
            achievement: "Introduction to Rust",
            description: "Completed the eight-week course.",
            criteria: Some("Pass all assignments."),
            issuer: "Example University",
            issued_on: "2024-05-01T09:30:00Z",
            credential_url: "https://issuer.example.org/credentials/42.json",
            verify_url: "https://verify.example.org/c/42",
            language: "en",
        }
    }

    #[test]
    fn certificate_escapes_everything_it_shows() {
        let c = Certificate {
            learner: "<img src=x onerror=alert(1)>",
            achievement: "\"quotes\" & 'apostrophes'",
            ..certificate()
        };
        let html = certificate_html(&c).unwrap();
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(!html.contains("\"quotes\""));
        assert!(html.contains("<h1>&quot;quotes&quot; &amp; &#39;apostrophes&#39;</h1>"));
        assert!(html.contains("<title>Certificate: &quot;quotes&quot; &amp; &#39;apostrophes&#39;"));
        assert_well_formed(&html, &["meta", "br"]);
    }

    #[test]
    fn certificate_is_a_printable_self_contained_document() {
        let html = certificate_html(&certificate()).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(html.contains("<main") && html.contains("<h1>Introduction to Rust</h1>"));
        assert!(html.contains("@media print") && html.contains("size: A4 landscape"));
        assert!(html.contains("print-color-adjust: exact"));
        assert!(!html.contains("display: none") && !html.contains("visibility: hidden"));
        // The QR code is inline, labelled, and the link is printed for people without a scanner.
        assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(!html.contains("<?xml"));
        assert!(html.contains("aria-label=\"QR code linking to https://verify.example.org/c/42\""));
        assert!(html.contains("<code dir=\"ltr\">https://verify.example.org/c/42</code>"));
        assert!(html.contains("<code dir=\"ltr\">https://issuer.example.org/credentials/42.json</code>"));
        // The date, not the whole timestamp, is shown.
        assert!(html.contains("<time datetime=\"2024-05-01T09:30:00Z\">2024-05-01</time>"));
        assert!(html.contains("<p class=\"learner\">Amina Haddad</p>"));
        assert!(html.contains("<p>Pass all assignments.</p>"));
        // Nothing is fetched: no scripts, stylesheets, images, frames or fonts from elsewhere.
        for needle in ["<script", "<link", "<img", "<iframe", " src=", "@import", "url(", "@font-face"] {
            assert!(!html.contains(needle), "found {needle}");
        }
        assert_well_formed(&html, &["meta", "br"]);
    }

    #[test]
    fn certificate_takes_the_language_and_direction() {
        let html = certificate_html(&Certificate { language: "ar", ..certificate() }).unwrap();
        assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
        assert!(html.contains("<p class=\"kicker\" lang=\"en\">"), "the fixed English wording is marked");
        let html = certificate_html(&Certificate { language: "de-CH", ..certificate() }).unwrap();
        assert!(html.contains("<html lang=\"de-CH\">"));
        let html = certificate_html(&Certificate { language: "\"><script>", ..certificate() }).unwrap();
        assert!(html.contains("<html lang=\"und\">"));
        assert!(is_rtl("ur-PK") && is_rtl("az-Arab") && !is_rtl("ku-Latn") && !is_rtl("en"));
    }

    #[test]
    fn certificate_without_a_learner_is_neutral() {
        let html = certificate_html(&Certificate { learner: " ", criteria: None, ..certificate() }).unwrap();
        assert!(html.contains("Awarded to the holder of this credential"));
        assert!(!html.contains("class=\"learner\""));
        assert!(!html.contains("Criteria"));
        assert_well_formed(&html, &["meta", "br"]);
    }

    #[test]
    fn certificate_links_only_web_urls() {
        let c = Certificate { credential_url: "javascript:alert(1)", issued_on: "sometime", ..certificate() };
        let html = certificate_html(&c).unwrap();
        assert!(!html.contains("href=\"javascript:"));
        assert!(html.contains("<code dir=\"ltr\">javascript:alert(1)</code>"), "still shown as text");
        assert!(html.contains("<a href=\"https://verify.example.org/c/42\">"));
        assert!(html.contains("<dd>sometime</dd>"), "a timestamp without a date is shown as given");
    }

    #[test]
    fn certificate_with_too_long_a_link_is_an_error() {
        let url = format!("https://example.org/{}", "a".repeat(5000 - 20));
        let err = certificate_html(&Certificate { verify_url: &url, ..certificate() }).unwrap_err();
        assert!(matches!(err, DeliveryError::Qr(QrError::TooLong(5000))));
        assert_eq!(err.to_string(), "the text is too long for a QR code (5000 bytes)");
    }

    #[test]
    fn date_part_reads_only_a_leading_date() {
        assert_eq!(date_part("2024-05-01T09:30:00+02:00"), Some("2024-05-01"));
        assert_eq!(date_part("2024-05-01"), Some("2024-05-01"));
        assert_eq!(date_part("2024-5-1T00:00:00Z"), None);
        assert_eq!(date_part("é2024-05-01"), None);
        assert_eq!(date_part(""), None);
    }
}
