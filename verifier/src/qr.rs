//! Reading and writing QR codes (ISO/IEC 18004).
//!
//! - Reading, for the page's camera and upload fields: the text of a code in a photo or screenshot
//!   (PNG or JPEG), decoded with `rqrr` on a greyscale copy of the image ([`decode`]), and the
//!   credential link a verifier-page link stands for ([`credential_link`]).
//! - Writing, shared by the issuer's certificates and deliveries and the wallet's `qr` command: the
//!   code for a text (a verifier-page link) as SVG ([`render_svg`]), PNG ([`render_png`]) or
//!   terminal text ([`render_terminal`]). Codes are encoded at error-correction level M in the
//!   smallest version that fits; the SVG and PNG are dark on light with the 4-module quiet zone the
//!   standard requires around a (non-micro) symbol.

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode};

/// Why a QR code could not be read or drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// The bytes are neither PNG nor JPEG.
    #[error("not a PNG or JPEG image")]
    NotAnImage,
    /// The image could not be decoded.
    #[error("the image cannot be decoded: {0}")]
    Decode(String),
    /// The image is larger than [`MAX_PIXELS`].
    #[error("the image is too large ({0} pixels)")]
    TooLarge(u64),
    /// No QR code was found, or it could not be read.
    #[error("no readable QR code in the image")]
    NoCode,
    /// The text to draw, of this many bytes, fits in no QR code version at level M.
    #[error("the text is too long for a QR code ({0} bytes)")]
    TooLong(usize),
}

/// The largest image decoded: 40 megapixels, a modern phone camera's full resolution.
pub const MAX_PIXELS: u64 = 40_000_000;

/// The largest PNG module size, in pixels, so that one request cannot ask for a huge image.
pub const MAX_SCALE: u32 = 32;

/// The quiet zone around a QR symbol in SVG and PNG, in modules, as ISO/IEC 18004 requires.
const QUIET_ZONE: usize = 4;

/// The quiet zone of [`render_terminal`], in modules: half the standard's, so that a verifier link
/// of up to 106 bytes (version 6 at level M, 41 modules: 45 columns, 23 lines) fits an 80×24
/// terminal. The terminal's background beyond it is dark, so this drawn border is the whole quiet
/// zone.
const TERMINAL_QUIET_ZONE: usize = 2;

/// The text of the first readable QR code in a PNG or JPEG image.
pub fn decode(bytes: &[u8]) -> Result<String, QrError> {
    let (width, height, grey) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png_grey(bytes)?
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg_grey(bytes)?
    } else {
        return Err(QrError::NotAnImage);
    };
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    for grid in image.detect_grids() {
        if let Ok((_, content)) = grid.decode() {
            return Ok(content);
        }
    }
    Err(QrError::NoCode)
}

fn check_size(width: usize, height: usize) -> Result<(), QrError> {
    let pixels = (width as u64).saturating_mul(height as u64);
    if pixels > MAX_PIXELS {
        return Err(QrError::TooLarge(pixels));
    }
    Ok(())
}

fn png_grey(bytes: &[u8]) -> Result<(usize, usize, Vec<u8>), QrError> {
    let mut decoder = png::Decoder::new(bytes);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| QrError::Decode(e.to_string()))?;
    let (width, height) = (reader.info().width as usize, reader.info().height as usize);
    check_size(width, height)?;
    let mut buffer = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buffer).map_err(|e| QrError::Decode(e.to_string()))?;
    let data = &buffer[..frame.buffer_size()];
    let channels = frame.color_type.samples();
    let grey = match frame.color_type {
        png::ColorType::Grayscale => data.to_vec(),
        // Transparent pixels count as white: a QR code on a transparent background.
        png::ColorType::GrayscaleAlpha => data.chunks(2).map(|p| if p[1] < 128 { 255 } else { p[0] }).collect(),
        png::ColorType::Rgb => data.chunks(3).map(luma).collect(),
        png::ColorType::Rgba => data.chunks(4).map(|p| if p[3] < 128 { 255 } else { luma(p) }).collect(),
        png::ColorType::Indexed => return Err(QrError::Decode(format!("indexed PNG with {channels} channels"))),
    };
    Ok((width, height, grey))
}

fn jpeg_grey(bytes: &[u8]) -> Result<(usize, usize, Vec<u8>), QrError> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.read_info().map_err(|e| QrError::Decode(e.to_string()))?;
    let info = decoder.info().ok_or_else(|| QrError::Decode("no JPEG header".into()))?;
    let (width, height) = (usize::from(info.width), usize::from(info.height));
    check_size(width, height)?;
    let pixels = decoder.decode().map_err(|e| QrError::Decode(e.to_string()))?;
    let grey = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => pixels,
        jpeg_decoder::PixelFormat::L16 => pixels.chunks(2).map(|p| p[0]).collect(),
        jpeg_decoder::PixelFormat::RGB24 => pixels.chunks(3).map(luma).collect(),
        jpeg_decoder::PixelFormat::CMYK32 => pixels.chunks(4).map(|p| 255 - p[3]).collect(),
    };
    Ok((width, height, grey))
}

/// ITU-R BT.601 luma of an RGB pixel.
fn luma(p: &[u8]) -> u8 {
    let y = (299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2])) / 1000;
    u8::try_from(y).unwrap_or(u8::MAX)
}

/// The credential link a QR code stands for: the `credential` parameter of a verifier-page
/// link (`…/verify?credential=…`, what Accolade's certificates carry), or the text itself.
pub fn credential_link(content: &str) -> String {
    let query = content.split_once('?').map(|(_, q)| q).unwrap_or_default();
    for pair in query.split('&') {
        if let Some(value) = pair.strip_prefix("credential=") {
            return percent_decode(value);
        }
    }
    content.to_owned()
}

/// Percent-encodes `value` for a URL query parameter: everything but RFC 3986's unreserved
/// characters. The inverse of [`percent_decode`].
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3 / 2);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as a space, as in form encoding).
pub fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit));
                match hex.and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The QR code for `text` (a verifier-page link) as a standalone SVG document.
///
/// Black on white with the 4-module quiet zone, 8 px a module, and a `<title>` (and a matching
/// `aria-label`) naming the link, for accessibility. Dark modules are drawn as one path of
/// horizontal runs, which keeps the document small and free of seams between modules.
pub fn render_svg(text: &str) -> Result<String, QrError> {
    let code = qr_code(text)?;
    let width = code.width();
    let colors = code.to_colors();
    let side = width + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] != Color::Dark {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|&&c| c == Color::Dark).count();
            // Writing to a String cannot fail.
            let _ = write!(path, "M{} {}h{run}v1h-{run}z", x + QUIET_ZONE, y + QUIET_ZONE);
            x += run;
        }
    }
    let label = crate::markup::escape(&format!("QR code linking to {text}"));
    let pixels = side * 8;
    Ok(format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{px}\" height=\"{px}\" ",
            "viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"{label}\">",
            "<title>{label}</title>",
            "<rect x=\"0\" y=\"0\" width=\"{side}\" height=\"{side}\" fill=\"#ffffff\"/>",
            "<path fill=\"#000000\" d=\"{path}\"/>",
            "</svg>\n"
        ),
        px = pixels,
        side = side,
        label = label,
        path = path,
    ))
}

/// The QR code for `text` as a PNG: each module `scale` pixels (clamped to 1..=[`MAX_SCALE`]),
/// 1-bit greyscale, with the 4-module quiet zone.
pub fn render_png(text: &str, scale: u32) -> Result<Vec<u8>, QrError> {
    let code = qr_code(text)?;
    let width = code.width();
    let colors = code.to_colors();
    let scale = scale.clamp(1, MAX_SCALE) as usize;
    let side = (width + 2 * QUIET_ZONE) * scale;
    let row_bytes = side.div_ceil(8);
    // 1-bit greyscale: a set bit is white, and the quiet zone is white, so start from all ones.
    let light_row = vec![0xFF_u8; row_bytes];
    let mut data = Vec::with_capacity(row_bytes * side);
    for _ in 0..QUIET_ZONE * scale {
        data.extend_from_slice(&light_row);
    }
    for modules in colors.chunks(width) {
        let mut row = light_row.clone();
        for (x, _) in modules.iter().enumerate().filter(|(_, &c)| c == Color::Dark) {
            let first = (x + QUIET_ZONE) * scale;
            for px in first..first + scale {
                row[px / 8] &= !(0x80 >> (px % 8));
            }
        }
        for _ in 0..scale {
            data.extend_from_slice(&row);
        }
    }
    for _ in 0..QUIET_ZONE * scale {
        data.extend_from_slice(&light_row);
    }
    // At most (177 + 8) × 32 pixels a side, far inside u32.
    let side = side as u32;
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        // A square 1-bit image whose buffer holds exactly `side` rows of `row_bytes`, written to
        // memory: the encoder has no reason to fail.
        let mut writer = encoder.write_header().expect("a PNG header encodes to a Vec");
        writer.write_image_data(&data).expect("a well-sized 1-bit buffer encodes to a Vec");
        writer.finish().expect("a complete PNG finishes in a Vec");
    }
    Ok(out)
}

/// The QR code for `text` as terminal text: Unicode half blocks (`▀`, `▄`, `█` and space), two
/// module rows a line, with a 2-module quiet zone; each line ends with `\n`.
///
/// Light modules are the block characters and dark modules are spaces, so the code reads correctly
/// printed as-is on a terminal with a dark background: the terminal's text colour is the code's
/// light colour and its background the dark one. On a light-background terminal the code comes out
/// inverted, which not every scanner reads. Printing no colour escapes keeps the output plain text,
/// safe to pipe or paste. A symbol has an odd number of rows, so the last line's lower half is the
/// terminal's background.
pub fn render_terminal(text: &str) -> Result<String, QrError> {
    let code = qr_code(text)?;
    let width = code.width();
    let colors = code.to_colors();
    let side = width + 2 * TERMINAL_QUIET_ZONE;
    // Whether the module at (x, y) of the symbol with its quiet zone is light; rows below it are not.
    let light = |x: usize, y: usize| {
        if y >= side {
            return false;
        }
        match (x.checked_sub(TERMINAL_QUIET_ZONE), y.checked_sub(TERMINAL_QUIET_ZONE)) {
            (Some(mx), Some(my)) if mx < width && my < width => colors[my * width + mx] != Color::Dark,
            _ => true,
        }
    };
    let lines = side.div_ceil(2);
    // Each block character is 3 bytes of UTF-8.
    let mut out = String::with_capacity(lines * (3 * side + 1));
    for y in (0..side).step_by(2) {
        for x in 0..side {
            out.push(match (light(x, y), light(x, y + 1)) {
                (true, true) => '\u{2588}',  // █ full block
                (true, false) => '\u{2580}', // ▀ upper half block
                (false, true) => '\u{2584}', // ▄ lower half block
                (false, false) => ' ',
            });
        }
        out.push('\n');
    }
    Ok(out)
}

/// Encodes `text` at error-correction level M, choosing the smallest version that fits.
fn qr_code(text: &str) -> Result<QrCode, QrError> {
    // With automatic version selection the only failure is data that fits no version; qrcode's
    // other errors concern explicit versions or character sets we never ask for.
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| QrError::TooLong(text.len()))
}

#[cfg(test)]
mod tests {
    use accolade_testkit::{assert_well_formed, png_pixels};

    use super::*;

    const URL: &str = "https://verify.example.org/c/3f9a1c2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";

    /// The module matrix from qrcode's own text renderer, which is independent of our reading of
    /// `to_colors()`'s layout: `true` is dark.
    fn matrix(text: &str) -> Vec<Vec<bool>> {
        let code = QrCode::with_error_correction_level(text, EcLevel::M).unwrap();
        code.to_debug_str('#', '.').lines().map(|l| l.chars().map(|c| c == '#').collect()).collect()
    }

    #[test]
    fn verifier_links_give_the_credential_link() {
        assert_eq!(
            credential_link("https://v.example/verify?credential=https%3A%2F%2Fissuer.example%2Fc%2Fabc"),
            "https://issuer.example/c/abc"
        );
        assert_eq!(credential_link("https://issuer.example/c/abc"), "https://issuer.example/c/abc");
        assert_eq!(percent_decode("a%2Fb%zz%4"), "a/b%zz%4");
    }

    #[test]
    fn non_images_and_images_without_codes() {
        assert_eq!(decode(b"hello"), Err(QrError::NotAnImage));
        let mut png = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut png, 64, 64);
            encoder.set_color(png::ColorType::Grayscale);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().unwrap();
            writer.write_image_data(&[255; 64 * 64]).unwrap();
        }
        assert_eq!(decode(&png), Err(QrError::NoCode));
    }

    #[test]
    fn a_rendered_code_reads_back() {
        let text = "https://v.example/verify?credential=https%3A%2F%2Fissuer.example%2Fc%2Fabc";
        let code = qrcode::QrCode::new(text).unwrap();
        let width = code.width();
        let (scale, quiet) = (4, 4);
        let side = (width + 2 * quiet) * scale;
        let colors = code.to_colors();
        let mut pixels = vec![255u8; side * side];
        for y in 0..width {
            for x in 0..width {
                if colors[y * width + x] == qrcode::Color::Dark {
                    for dy in 0..scale {
                        for dx in 0..scale {
                            pixels[((y + quiet) * scale + dy) * side + (x + quiet) * scale + dx] = 0;
                        }
                    }
                }
            }
        }
        let mut png = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut png, side as u32, side as u32);
            encoder.set_color(png::ColorType::Grayscale);
            let mut writer = encoder.write_header().unwrap();
            writer.write_image_data(&pixels).unwrap();
        }
        assert_eq!(decode(&png).unwrap(), text);
        assert_eq!(credential_link(&decode(&png).unwrap()), "https://issuer.example/c/abc");
    }

    #[test]
    fn render_png_pixels_are_the_module_matrix() {
        let m = matrix(URL);
        let modules = m.len();
        for scale in [1, 3, 8] {
            let (w, h, color, pixels) = png_pixels(&render_png(URL, scale).unwrap());
            let side = (modules as u32 + 8) * scale;
            assert_eq!((w, h, color), (side, side, png::ColorType::Grayscale));
            let at = |x: u32, y: u32| pixels[(y * side + x) as usize];
            // Every pixel: quiet zone white, module pixels black exactly where the module is dark.
            for y in 0..side {
                for x in 0..side {
                    let (mx, my) = ((x / scale) as usize, (y / scale) as usize);
                    let dark = (4..modules + 4).contains(&mx) && (4..modules + 4).contains(&my) && m[my - 4][mx - 4];
                    assert_eq!(at(x, y), if dark { 0 } else { 255 }, "pixel ({x}, {y}) at scale {scale}");
                }
            }
            // The top-left finder pattern's corner is dark, just inside the quiet zone.
            assert_eq!(at(4 * scale, 4 * scale), 0);
            assert_eq!(at(4 * scale - 1, 4 * scale - 1), 255);
        }
    }

    #[test]
    fn render_png_clamps_the_scale() {
        let modules = matrix(URL).len() as u32;
        let (w, ..) = png_pixels(&render_png(URL, 0).unwrap());
        assert_eq!(w, modules + 8);
        let (w, ..) = png_pixels(&render_png(URL, 1000).unwrap());
        assert_eq!(w, (modules + 8) * MAX_SCALE);
    }

    #[test]
    fn a_rendered_png_reads_back() {
        let text = "https://v.example/verify?credential=https%3A%2F%2Fissuer.example%2Fc%2Fabc";
        assert_eq!(decode(&render_png(text, 4).unwrap()).unwrap(), text);
    }

    #[test]
    fn render_svg_draws_exactly_the_dark_modules() {
        let m = matrix(URL);
        let side = m.len() + 8;
        let svg = render_svg(URL).unwrap();
        assert!(
            svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"")
        );
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains(&format!("viewBox=\"0 0 {side} {side}\"")));
        assert!(svg.contains(&format!("<title>QR code linking to {URL}</title>")));
        assert!(svg.contains("role=\"img\""));
        assert_well_formed(&svg, &[]);

        let d = svg.split("<path fill=\"#000000\" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let mut drawn = vec![vec![false; m.len()]; m.len()];
        for segment in d.split('z').filter(|s| !s.is_empty()) {
            // M{x} {y}h{run}v1h-{run}
            let (xy, rest) = segment.strip_prefix('M').unwrap().split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let (run, tail) = rest.split_once("v1h-").unwrap();
            assert_eq!(run, tail);
            for dx in 0..run.parse::<usize>().unwrap() {
                let cell = &mut drawn[y - 4][x + dx - 4];
                assert!(!*cell, "module drawn twice");
                *cell = true;
            }
        }
        assert_eq!(drawn, m);
    }

    #[test]
    fn render_svg_escapes_the_text_in_its_title() {
        let svg = render_svg("https://example.org/?a=1&b=<2>\"'\u{1}").unwrap();
        assert!(svg.contains("<title>QR code linking to https://example.org/?a=1&amp;b=&lt;2&gt;&quot;&#39;</title>"));
        assert_well_formed(&svg, &[]);
    }

    #[test]
    fn render_terminal_draws_light_modules_as_blocks() {
        let m = matrix(URL);
        let side = m.len() + 4;
        let text = render_terminal(URL).unwrap();
        assert!(text.ends_with('\n'));
        let lines: Vec<&str> = text.split_terminator('\n').collect();
        assert_eq!(lines.len(), side.div_ceil(2));
        assert!(lines.iter().all(|l| l.chars().count() == side), "every line is {side} characters");
        assert!(lines[0].chars().all(|c| c == '\u{2588}'), "the quiet zone's first two rows are light");
        // A symbol has an odd number of rows: the last line's upper half is quiet zone, its lower
        // half the terminal's background.
        assert!(lines[lines.len() - 1].chars().all(|c| c == '\u{2580}'));

        // Unfolding the half blocks gives back the module matrix inside the quiet zone.
        let mut light = vec![vec![false; side]; 2 * lines.len()];
        for (row, line) in lines.iter().enumerate() {
            for (x, c) in line.chars().enumerate() {
                let (upper, lower) = match c {
                    '\u{2588}' => (true, true),
                    '\u{2580}' => (true, false),
                    '\u{2584}' => (false, true),
                    ' ' => (false, false),
                    other => panic!("unexpected {other:?}"),
                };
                light[2 * row][x] = upper;
                light[2 * row + 1][x] = lower;
            }
        }
        for (y, row) in light.iter().take(side).enumerate() {
            for (x, &is_light) in row.iter().enumerate() {
                let inside = (2..m.len() + 2).contains(&x) && (2..m.len() + 2).contains(&y);
                let dark = inside && m[y - 2][x - 2];
                assert_eq!(is_light, !dark, "module ({x}, {y})");
            }
        }
    }

    #[test]
    fn too_long_a_text_is_an_error() {
        let url = format!("https://example.org/{}", "a".repeat(5000 - 20));
        assert_eq!(url.len(), 5000);
        assert_eq!(render_svg(&url), Err(QrError::TooLong(5000)));
        assert_eq!(render_png(&url, 4), Err(QrError::TooLong(5000)));
        assert_eq!(render_terminal(&url), Err(QrError::TooLong(5000)));
        assert_eq!(QrError::TooLong(5000).to_string(), "the text is too long for a QR code (5000 bytes)");
    }
}
