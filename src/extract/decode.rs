//! Bytes to text: tells pages from other files and decodes any encoding to UTF-8.
//!
//! Order of trust: a byte-order mark, then valid UTF-8 (a `<meta charset>` that says
//! latin-1 over valid UTF-8 is wrong far more often than the bytes are), then the
//! charset the HTML declares, then chardetng's guess. windows-1252 is common on Dutch sites.

use encoding_rs::Encoding;

/// What kind of page the bytes are, decided from the name and the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A text export: one paragraph per line.
    Text,
    /// A saved HTML page.
    Html,
}

/// Why the bytes are not a page we can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotText {
    /// The content is binary (an image, PDF, archive, ...): not a page at all.
    Binary(&'static str),
    /// Text that decodes to mostly control characters or replacement characters.
    Garbled,
}

/// How much of the start we sniff for signatures and NUL bytes.
const SNIFF_BYTES: usize = 8 * 1024;

/// Signatures of common non-page files that people keep next to saved pages.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a zip archive"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"RIFF", "a RIFF media file"),
    (b"\x7FELF", "a program"),
    (b"BZh", "a bzip2 archive"),
    (b"\xFD7zXZ", "an xz archive"),
    (b"7z\xBC\xAF", "a 7z archive"),
    (b"\x00\x00\x00", "a binary file"),
];

/// Decodes a page's bytes into text and tells whether it is HTML.
pub fn decode(bytes: &[u8], extension: Option<&str>) -> Result<(String, Format), NotText> {
    let (bom_encoding, body) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => (Some(encoding), &bytes[bom_len..]),
        None => (None, bytes),
    };
    if bom_encoding.is_none() {
        check_not_binary(bytes)?;
    }
    let html_by_name = matches!(extension, Some("html" | "htm" | "xhtml" | "shtml"));
    let text = match bom_encoding {
        Some(encoding) => encoding.decode_without_bom_handling(body).0.into_owned(),
        None => match std::str::from_utf8(body) {
            Ok(text) => text.to_string(),
            Err(_) => {
                let encoding = declared_charset(body).unwrap_or_else(|| guess_encoding(body));
                encoding.decode_without_bom_handling(body).0.into_owned()
            }
        },
    };
    if is_garbled(&text) {
        return Err(NotText::Garbled);
    }
    let format = if html_by_name || looks_like_html(&text) {
        Format::Html
    } else {
        Format::Text
    };
    Ok((text, format))
}

fn check_not_binary(bytes: &[u8]) -> Result<(), NotText> {
    for (signature, what) in SIGNATURES {
        if bytes.starts_with(signature) {
            return Err(NotText::Binary(what));
        }
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if head.contains(&0) {
        return Err(NotText::Binary("a binary file"));
    }
    Ok(())
}

/// The charset an HTML page declares in its first bytes (`<meta charset="...">` or the
/// `http-equiv` form); both put `charset=` before the name.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let name: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    Encoding::for_label(name.as_bytes())
}

fn guess_encoding(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    // The Dutch top-level domain steers the guess towards windows-1252 where it is unsure.
    detector.guess(Some(b"nl"), chardetng::Utf8Detection::Deny)
}

/// Text with many control or replacement characters is not a page, whatever its name.
fn is_garbled(text: &str) -> bool {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars().take(SNIFF_BYTES) {
        total += 1;
        if c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()) {
            bad += 1;
        }
    }
    total > 0 && bad * 10 > total
}

fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start();
    let head: String = start
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
        || head.starts_with('<') && (head.contains("<head") || head.contains("<body"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_text_stays_as_it_is() {
        let (text, format) = decode("Oekraïne".as_bytes(), Some("txt")).unwrap();
        assert_eq!((text.as_str(), format), ("Oekraïne", Format::Text));
    }

    #[test]
    fn windows_1252_is_decoded() {
        let bytes = b"<html><body><p>Oekra\xEFne en Belgi\xEB</p></body></html>";
        let (text, format) = decode(bytes, None).unwrap();
        assert!(text.contains("Oekraïne en België"), "{text}");
        assert_eq!(format, Format::Html);
    }

    #[test]
    fn declared_charset_is_used_for_non_utf8() {
        let bytes = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xE9</body></html>";
        let (text, _) = decode(bytes, Some("html")).unwrap();
        assert!(text.contains("café"), "{text}");
    }

    #[test]
    fn valid_utf8_wins_over_a_lying_charset() {
        let page = "<html><head><meta charset=\"latin-1\"></head><body>Oekraïne</body></html>";
        let (text, _) = decode(page.as_bytes(), Some("html")).unwrap();
        assert!(text.contains("Oekraïne"), "{text}");
    }

    #[test]
    fn byte_order_marks_are_honoured() {
        let mut utf8 = b"\xEF\xBB\xBF".to_vec();
        utf8.extend_from_slice("Oekraïne".as_bytes());
        assert_eq!(decode(&utf8, None).unwrap().0, "Oekraïne");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Oekraïne".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16, None).unwrap().0, "Oekraïne");
    }

    #[test]
    fn binaries_are_not_pages() {
        assert_eq!(
            decode(b"%PDF-1.7 ...", Some("html")),
            Err(NotText::Binary("a PDF"))
        );
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n", Some("txt")),
            Err(NotText::Binary("a PNG image"))
        );
        assert_eq!(
            decode(b"abc\x00def", Some("txt")),
            Err(NotText::Binary("a binary file"))
        );
        let noise: Vec<u8> = (0..4000u32).map(|i| (i * 7 % 32) as u8 | 1).collect();
        assert_eq!(decode(&noise, Some("txt")), Err(NotText::Garbled));
    }

    #[test]
    fn html_is_recognised_by_content() {
        let (_, format) = decode(b"  <!DOCTYPE html><html></html>", Some("txt")).unwrap();
        assert_eq!(format, Format::Html);
        let (_, format) = decode(b"Kim <b>Jong-un</b>", Some("txt")).unwrap();
        assert_eq!(format, Format::Text);
    }
}
