//! Pages saved as one file (`.mht`, `.mhtml`: MIME `multipart/related`, what Chrome and
//! Edge write for "save as single file"): the HTML part, decoded from its transfer
//! encoding, with the URL the page was saved from (`Content-Location`) and the moment it
//! was saved (the message's `Date`).

use time::OffsetDateTime;

/// The page inside an MHTML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mhtml {
    /// The HTML part's bytes (their charset is found as for any HTML page).
    pub html: Vec<u8>,
    /// Where the page was saved from.
    pub url: Option<String>,
    /// When it was saved.
    pub saved: Option<OffsetDateTime>,
}

/// How far into a file the MIME headers are looked for.
const HEADER_BYTES: usize = 4_096;

/// Whether the bytes are an MHTML file: named so, or starting with MIME headers of a
/// `multipart/related` message.
pub fn is_mhtml(bytes: &[u8], extension: Option<&str>) -> bool {
    if matches!(extension, Some("mht" | "mhtml")) {
        return true;
    }
    let head = &bytes[..bytes.len().min(HEADER_BYTES)];
    let first = head.trim_ascii_start();
    // Every page is asked: the first bytes decide before anything is copied.
    let starts_as_mime = [
        "from:",
        "mime-version:",
        "content-type:",
        "snapshot-content-location:",
    ]
    .iter()
    .any(|h| first.len() >= h.len() && first[..h.len()].eq_ignore_ascii_case(h.as_bytes()));
    starts_as_mime
        && String::from_utf8_lossy(head)
            .to_ascii_lowercase()
            .contains("multipart/related")
}

/// The HTML part of an MHTML file, or `None` where there is none.
pub fn read(bytes: &[u8]) -> Option<Mhtml> {
    let text = String::from_utf8_lossy(bytes);
    let (headers, body) = split_headers(&text)?;
    let boundary = header_parameter(&headers, "content-type", "boundary")?;
    let delimiter = format!("--{boundary}");
    let saved = header(&headers, "date").and_then(|date| crate::clock::parse_visible_time(&date));
    let snapshot_url = header(&headers, "snapshot-content-location");
    for part in body.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let Some((part_headers, content)) = split_headers(part.trim_start_matches(['\r', '\n']))
        else {
            continue;
        };
        let content_type = header(&part_headers, "content-type").unwrap_or_default();
        if !content_type.to_lowercase().starts_with("text/html") {
            continue;
        }
        let encoding = header(&part_headers, "content-transfer-encoding")
            .unwrap_or_default()
            .to_lowercase();
        let html = match encoding.as_str() {
            "quoted-printable" => quoted_printable(content),
            "base64" => base64(content)?,
            _ => content.as_bytes().to_vec(),
        };
        return Some(Mhtml {
            html,
            url: header(&part_headers, "content-location").or(snapshot_url),
            saved,
        });
    }
    None
}

/// Headers (unfolded, `name: value` a line) and what follows the blank line.
fn split_headers(text: &str) -> Option<(Vec<(String, String)>, &str)> {
    let end = text
        .find("\r\n\r\n")
        .map(|at| (at, 4))
        .or_else(|| text.find("\n\n").map(|at| (at, 2)))?;
    let (block, body) = (&text[..end.0], &text[end.0 + end.1..]);
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in block.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_lowercase(), value.trim().to_string()));
        }
    }
    Some((headers, body))
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
}

/// `boundary="----Multipart"` in `Content-Type: multipart/related; boundary=…`.
fn header_parameter(headers: &[(String, String)], name: &str, parameter: &str) -> Option<String> {
    let value = header(headers, name)?;
    value.split(';').skip(1).find_map(|part| {
        let (key, value) = part.split_once('=')?;
        (key.trim().eq_ignore_ascii_case(parameter))
            .then(|| value.trim().trim_matches('"').to_string())
    })
}

/// Quoted-printable (RFC 2045): `=XX` bytes and `=` soft line breaks.
fn quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'=' if bytes.get(at + 1) == Some(&b'\r') && bytes.get(at + 2) == Some(&b'\n') => {
                at += 3;
            }
            b'=' if bytes.get(at + 1) == Some(&b'\n') => at += 2,
            b'=' => match bytes.get(at + 1..at + 3).and_then(hex_byte) {
                Some(byte) => {
                    out.push(byte);
                    at += 3;
                }
                None => {
                    out.push(b'=');
                    at += 1;
                }
            },
            byte => {
                out.push(byte);
                at += 1;
            }
        }
    }
    out
}

fn hex_byte(pair: &[u8]) -> Option<u8> {
    let text = std::str::from_utf8(pair).ok()?;
    u8::from_str_radix(text, 16).ok()
}

/// Base64 (RFC 4648), line breaks ignored; `None` on anything else.
fn base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b'\r' | b'\n' | b' ' | b'\t' => continue,
            _ => return None,
        };
        buffer = buffer << 6 | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://www.nu.nl/politiek/1/kabinet.html\r\nSubject: Kabinet\r\nDate: Wed, 15 May 2019 08:10:00 +0200\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----MultipartBoundary--abc----\"\r\n\r\n\r\n------MultipartBoundary--abc----\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: https://www.nu.nl/politiek/1/kabinet.html?utm=x\r\n\r\n<html><head><meta charset=3D\"utf-8\"></head><body><h1>Kabinet =C3=A9=\r\nn kop</h1></body></html>\r\n------MultipartBoundary--abc----\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n------MultipartBoundary--abc------\r\n";

    #[test]
    fn the_html_part_its_url_and_when_it_was_saved() {
        assert!(is_mhtml(PAGE.as_bytes(), None));
        assert!(!is_mhtml(b"<html></html>", None));
        let page = read(PAGE.as_bytes()).unwrap();
        assert_eq!(
            String::from_utf8(page.html).unwrap(),
            "<html><head><meta charset=\"utf-8\"></head><body><h1>Kabinet én kop</h1></body></html>\r\n"
        );
        assert_eq!(
            page.url.as_deref(),
            Some("https://www.nu.nl/politiek/1/kabinet.html?utm=x")
        );
        assert_eq!(
            page.saved,
            Some(time::macros::datetime!(2019-05-15 06:10 UTC))
        );
    }

    #[test]
    fn transfer_encodings() {
        assert_eq!(quoted_printable("a=3Db=\r\nc=ZZ"), b"a=bc=ZZ");
        assert_eq!(base64("aGFsbG8=").unwrap(), b"hallo");
        assert_eq!(base64("aGFs\r\nbG8=").unwrap(), b"hallo");
        assert_eq!(base64("!!"), None);
    }
}
