//! Reading a QR code from a photo or screenshot (PNG or JPEG), for the page's camera and upload
//! fields: decoding with `rqrr` (ISO/IEC 18004), on a greyscale copy of the image.

/// Why no QR code could be read.
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
}

/// The largest image decoded: 40 megapixels, a modern phone camera's full resolution.
pub const MAX_PIXELS: u64 = 40_000_000;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
