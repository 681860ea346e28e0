//! Baked badges: a credential carried inside its badge image.
//!
//! [Open Badges 3.0 §5.3 (Baking)](https://www.imsglobal.org/spec/ob/v3p0/#baking):
//! - PNG: an `iTXt` chunk with keyword `openbadgecredential`, holding the credential (JSON or a
//!   compact JWT), uncompressed ([PNG §11.3.4.5](https://www.w3.org/TR/png/#11iTXt)); compressed
//!   text is read too, with a cap on its inflated size.
//! - SVG: an `<openbadges:credential>` element, in the namespace
//!   `https://purl.imsglobal.org/ob/v3p0`, whose text (usually CDATA) is the credential.
//!
//! PNG is walked chunk by chunk rather than decoded with an image library: reading one text
//! chunk needs no pixels, and never inflating image data means a crafted image cannot exhaust
//! memory.

use std::io::Read;

/// The `iTXt` keyword of a baked OB 3.0 credential.
pub const PNG_KEYWORD: &str = "openbadgecredential";
/// The XML namespace of the SVG element.
pub const SVG_NAMESPACE: &str = "https://purl.imsglobal.org/ob/v3p0";
/// The most text a baked credential may inflate to.
pub const MAX_CREDENTIAL_BYTES: usize = 1024 * 1024;

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// What kind of baked image some bytes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BakedFormat {
    /// A PNG image.
    Png,
    /// An SVG image.
    Svg,
}

/// Why a credential could not be baked into, or read out of, an image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BakeError {
    /// Neither a PNG nor an SVG.
    #[error("not a PNG or SVG image")]
    NotAnImage,
    /// The PNG's chunk structure is broken.
    #[error("malformed PNG: {0}")]
    MalformedPng(&'static str),
    /// The SVG has no `<svg>` element to bake into.
    #[error("malformed SVG: {0}")]
    MalformedSvg(&'static str),
    /// The image carries no credential.
    #[error(
        "the image carries no baked credential (no `{PNG_KEYWORD}` iTXt chunk or <openbadges:credential> element)"
    )]
    NoCredential,
    /// The baked text is not UTF-8, or inflates past [`MAX_CREDENTIAL_BYTES`].
    #[error("the baked credential is unreadable: {0}")]
    BadText(String),
    /// The image already carries a credential; bake into the original image instead.
    #[error("the image already carries a baked credential")]
    AlreadyBaked,
    /// The credential text cannot be placed in an SVG CDATA section (it contains `]]>`).
    #[error("the credential contains \"]]>\", which cannot be baked into SVG")]
    UnbakeableText,
}

/// Recognises a PNG by its signature, or an SVG by an `<svg` element near the start.
pub fn detect(bytes: &[u8]) -> Option<BakedFormat> {
    if bytes.starts_with(PNG_SIGNATURE) {
        return Some(BakedFormat::Png);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    head.contains("<svg").then_some(BakedFormat::Svg)
}

/// Reads the baked credential out of a PNG or SVG image.
pub fn unbake(bytes: &[u8]) -> Result<String, BakeError> {
    match detect(bytes).ok_or(BakeError::NotAnImage)? {
        BakedFormat::Png => unbake_png(bytes),
        BakedFormat::Svg => {
            let text = std::str::from_utf8(bytes).map_err(|_| BakeError::MalformedSvg("not UTF-8"))?;
            unbake_svg(text)
        }
    }
}

/// One PNG chunk: type and data.
struct Chunk<'a> {
    kind: [u8; 4],
    data: &'a [u8],
    /// Offset of the chunk's length field in the file.
    start: usize,
}

fn chunks(png: &[u8]) -> Result<Vec<Chunk<'_>>, BakeError> {
    if !png.starts_with(PNG_SIGNATURE) {
        return Err(BakeError::NotAnImage);
    }
    let mut out = Vec::new();
    let mut at = PNG_SIGNATURE.len();
    while at < png.len() {
        let header = png.get(at..at + 8).ok_or(BakeError::MalformedPng("truncated chunk header"))?;
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = [header[4], header[5], header[6], header[7]];
        let data = png.get(at + 8..at + 8 + len).ok_or(BakeError::MalformedPng("chunk runs past the end"))?;
        png.get(at + 8 + len..at + 12 + len).ok_or(BakeError::MalformedPng("missing chunk CRC"))?;
        out.push(Chunk { kind, data, start: at });
        at += 12 + len;
        if &kind == b"IEND" {
            break;
        }
    }
    if out.last().map(|c| &c.kind) != Some(b"IEND") {
        return Err(BakeError::MalformedPng("no IEND chunk"));
    }
    Ok(out)
}

/// Reads the `openbadgecredential` iTXt chunk of a PNG.
pub fn unbake_png(png: &[u8]) -> Result<String, BakeError> {
    for chunk in chunks(png)? {
        if &chunk.kind != b"iTXt" {
            continue;
        }
        let Some((keyword, rest)) = split_nul(chunk.data) else { continue };
        if keyword != PNG_KEYWORD.as_bytes() {
            continue;
        }
        let (&flag, rest) = rest.split_first().ok_or(BakeError::MalformedPng("short iTXt chunk"))?;
        let (_method, rest) = rest.split_first().ok_or(BakeError::MalformedPng("short iTXt chunk"))?;
        let (_language, rest) = split_nul(rest).ok_or(BakeError::MalformedPng("iTXt without language tag"))?;
        let (_translated, text) = split_nul(rest).ok_or(BakeError::MalformedPng("iTXt without translated keyword"))?;
        let bytes = if flag == 1 { inflate_capped(text)? } else { text.to_vec() };
        return String::from_utf8(bytes).map_err(|_| BakeError::BadText("not UTF-8".into()));
    }
    Err(BakeError::NoCredential)
}

/// Bakes `credential` (JSON text or a compact JWT) into a PNG as an uncompressed iTXt chunk, placed
/// just before `IEND`. Every other byte of the image is kept.
pub fn bake_png(png: &[u8], credential: &str) -> Result<Vec<u8>, BakeError> {
    if unbake_png(png).is_ok() {
        return Err(BakeError::AlreadyBaked);
    }
    let chunks = chunks(png)?;
    let iend = chunks.last().expect("chunks() ends with IEND").start;
    let mut data = Vec::with_capacity(PNG_KEYWORD.len() + 5 + credential.len());
    data.extend_from_slice(PNG_KEYWORD.as_bytes());
    data.extend_from_slice(&[0, 0, 0, 0, 0]); // NUL, no compression, method 0, no language, no translation
    data.extend_from_slice(credential.as_bytes());
    let len = u32::try_from(data.len()).map_err(|_| BakeError::BadText("too long for a PNG chunk".into()))?;
    let mut crc = flate2::Crc::new();
    crc.update(b"iTXt");
    crc.update(&data);
    let mut out = Vec::with_capacity(png.len() + data.len() + 12);
    out.extend_from_slice(&png[..iend]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(b"iTXt");
    out.extend_from_slice(&data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
    out.extend_from_slice(&png[iend..]);
    Ok(out)
}

fn split_nul(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = bytes.iter().position(|&b| b == 0)?;
    Some((&bytes[..i], &bytes[i + 1..]))
}

fn inflate_capped(compressed: &[u8]) -> Result<Vec<u8>, BakeError> {
    let mut out = Vec::new();
    let limit = MAX_CREDENTIAL_BYTES as u64 + 1;
    flate2::read::ZlibDecoder::new(compressed)
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|e| BakeError::BadText(format!("compressed text does not inflate: {e}")))?;
    if out.len() > MAX_CREDENTIAL_BYTES {
        return Err(BakeError::BadText(format!("inflates past {MAX_CREDENTIAL_BYTES} bytes")));
    }
    Ok(out)
}

/// Reads the `<openbadges:credential>` element of an SVG.
pub fn unbake_svg(svg: &str) -> Result<String, BakeError> {
    let open = svg.find("<openbadges:credential").ok_or(BakeError::NoCredential)?;
    let after_open = svg[open..].find('>').map(|i| open + i + 1).ok_or(BakeError::MalformedSvg("unclosed tag"))?;
    if svg[..after_open].ends_with("/>") {
        return Err(BakeError::NoCredential);
    }
    let close = svg[after_open..]
        .find("</openbadges:credential>")
        .map(|i| after_open + i)
        .ok_or(BakeError::MalformedSvg("no </openbadges:credential>"))?;
    let content = svg[after_open..close].trim();
    let text = match content.strip_prefix("<![CDATA[").and_then(|c| c.strip_suffix("]]>")) {
        Some(cdata) => cdata.to_owned(),
        None => unescape_xml(content),
    };
    let text = text.trim().to_owned();
    if text.is_empty() {
        return Err(BakeError::NoCredential);
    }
    Ok(text)
}

/// Bakes `credential` into an SVG: an `<openbadges:credential>` element with the text in CDATA,
/// first inside the `<svg>` element, which gets the namespace declaration if it lacks it.
pub fn bake_svg(svg: &str, credential: &str) -> Result<String, BakeError> {
    if credential.contains("]]>") {
        return Err(BakeError::UnbakeableText);
    }
    if svg.contains("<openbadges:credential") {
        return Err(BakeError::AlreadyBaked);
    }
    let start = svg.find("<svg").ok_or(BakeError::MalformedSvg("no <svg> element"))?;
    let end = svg[start..].find('>').map(|i| start + i).ok_or(BakeError::MalformedSvg("unclosed <svg> tag"))?;
    if svg[..=end].ends_with("/>") {
        return Err(BakeError::MalformedSvg("the <svg> element is empty"));
    }
    let mut out = String::with_capacity(svg.len() + credential.len() + 120);
    out.push_str(&svg[..end]);
    if !svg[start..end].contains("xmlns:openbadges") {
        out.push_str(&format!(" xmlns:openbadges=\"{SVG_NAMESPACE}\""));
    }
    out.push('>');
    out.push_str("<openbadges:credential><![CDATA[");
    out.push_str(credential);
    out.push_str("]]></openbadges:credential>");
    out.push_str(&svg[end + 1..]);
    Ok(out)
}

fn unescape_xml(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 PNG (signature, IHDR, IDAT, IEND), as written by common encoders.
    fn tiny_png() -> Vec<u8> {
        let hex = "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082";
        hex::decode(hex).unwrap()
    }

    #[test]
    fn png_round_trip_keeps_the_image() {
        let png = tiny_png();
        let credential = r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"name":"Ünïcödé ✓"}"#;
        let baked = bake_png(&png, credential).unwrap();
        assert_eq!(unbake(&baked).unwrap(), credential);
        assert_eq!(&baked[..png.len() - 12], &png[..png.len() - 12]);
        assert_eq!(&baked[baked.len() - 12..], &png[png.len() - 12..]);
        assert_eq!(bake_png(&baked, credential).unwrap_err(), BakeError::AlreadyBaked);
    }

    #[test]
    fn compressed_itxt_is_read_and_capped() {
        use std::io::Write;
        let compress = |text: &[u8]| {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            e.write_all(text).unwrap();
            e.finish().unwrap()
        };
        let chunk_with = |text: Vec<u8>| {
            let mut data = b"openbadgecredential\0\x01\x00\0\0".to_vec();
            data.extend(text);
            let png = tiny_png();
            let iend = png.len() - 12;
            let mut crc = flate2::Crc::new();
            crc.update(b"iTXt");
            crc.update(&data);
            let mut out = png[..iend].to_vec();
            out.extend((data.len() as u32).to_be_bytes());
            out.extend(b"iTXt");
            out.extend(&data);
            out.extend(crc.sum().to_be_bytes());
            out.extend(&png[iend..]);
            out
        };
        assert_eq!(unbake_png(&chunk_with(compress(b"eyJhbGciOi.x.y"))).unwrap(), "eyJhbGciOi.x.y");
        let bomb = chunk_with(compress(&vec![b'a'; 8 * 1024 * 1024]));
        assert!(matches!(unbake_png(&bomb), Err(BakeError::BadText(m)) if m.contains("inflates past")));
    }

    #[test]
    fn svg_round_trip_and_plain_text_content() {
        let svg = r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#;
        let baked = bake_svg(svg, r#"{"a":"<b>&"}"#).unwrap();
        assert!(baked.contains(r#"xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0""#));
        assert_eq!(unbake(baked.as_bytes()).unwrap(), r#"{"a":"<b>&"}"#);
        let escaped = r#"<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>{"a":"&lt;b&gt;&amp;"}</openbadges:credential></svg>"#;
        assert_eq!(unbake_svg(escaped).unwrap(), r#"{"a":"<b>&"}"#);
        assert_eq!(bake_svg(svg, "x]]>y").unwrap_err(), BakeError::UnbakeableText);
    }

    #[test]
    fn images_without_credentials_and_non_images() {
        assert_eq!(unbake(&tiny_png()).unwrap_err(), BakeError::NoCredential);
        assert_eq!(unbake(b"<svg></svg>").unwrap_err(), BakeError::NoCredential);
        assert_eq!(unbake(b"GIF89a").unwrap_err(), BakeError::NotAnImage);
        let mut truncated = tiny_png();
        truncated.truncate(45);
        assert_eq!(unbake(&truncated).unwrap_err(), BakeError::MalformedPng("chunk runs past the end"));
    }
}
