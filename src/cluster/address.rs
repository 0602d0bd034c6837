//! Where a cluster index is: `--index http://h1:9200,http://h2:9200/dateline`.
//!
//! Several node addresses share one index name, written after the last one. Credentials
//! come from the URL's user part or `DATELINE_OPENSEARCH_USER`/`_PASSWORD`; they are kept
//! apart from the addresses so that no message, error or `Debug` output shows them.
//! `DATELINE_OPENSEARCH_CA` names the certificates an `https` cluster is trusted by.

use crate::usage_error;
use anyhow::Result;
use std::fmt;

/// The index name used when the URL names none.
pub const DEFAULT_INDEX: &str = "dateline";

/// A cluster index: node addresses, the index name and the credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Address {
    /// `scheme://host:port` of each node, in the order given.
    pub nodes: Vec<String>,
    /// The index that holds the articles.
    pub index: String,
    /// User and password for basic authentication.
    pub credentials: Option<(String, String)>,
    /// A PEM file of the certificates to trust for `https` (`DATELINE_OPENSEARCH_CA`),
    /// for a cluster whose certificate no public authority signed; else the public ones.
    pub ca: Option<std::path::PathBuf>,
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({self})")
    }
}

impl fmt::Display for Address {
    /// The addresses and index as given, without credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.nodes.join(","), self.index)
    }
}

/// Whether `--index` names a cluster rather than a folder.
pub fn is_url(location: &str) -> bool {
    let lower = location.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

impl Address {
    /// Parses `--index`'s URL form; the environment supplies credentials the URL lacks.
    pub fn parse(location: &str) -> Result<Address> {
        Address::parse_with(location, |name| std::env::var(name).ok())
    }

    /// [`Address::parse`] with the environment given.
    pub fn parse_with(location: &str, env: impl Fn(&str) -> Option<String>) -> Result<Address> {
        let mut nodes = Vec::new();
        let mut index = None;
        let mut credentials = None;
        for part in location.trim().split(',').filter(|p| !p.trim().is_empty()) {
            let part = part.trim();
            let Some((scheme, rest)) = part.split_once("://") else {
                return Err(bad(
                    location,
                    "each node address starts with http:// or https://",
                ));
            };
            let scheme = scheme.to_ascii_lowercase();
            if scheme != "http" && scheme != "https" {
                return Err(bad(
                    location,
                    "each node address starts with http:// or https://",
                ));
            }
            let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
            let host = match authority.rsplit_once('@') {
                Some((user_info, host)) => {
                    let (user, password) = user_info.split_once(':').unwrap_or((user_info, ""));
                    credentials = Some((decode(user), decode(password)));
                    host
                }
                None => authority,
            };
            if host.is_empty() {
                return Err(bad(location, "a node address has no host"));
            }
            let host = if host.contains(':') && !host.ends_with(']') {
                host.to_string()
            } else {
                format!("{host}:9200")
            };
            nodes.push(format!("{scheme}://{host}"));
            let path = path.trim_matches('/');
            if !path.is_empty() {
                if path.contains('/') || !valid_index_name(path) {
                    return Err(bad(
                        location,
                        "the index name is lower-case letters, digits, '-' and '_' (e.g. http://localhost:9200/dateline)",
                    ));
                }
                index = Some(path.to_string());
            }
        }
        if nodes.is_empty() {
            return Err(bad(location, "no node address"));
        }
        if credentials.is_none()
            && let Some(user) = env("DATELINE_OPENSEARCH_USER")
        {
            credentials = Some((
                user,
                env("DATELINE_OPENSEARCH_PASSWORD").unwrap_or_default(),
            ));
        }
        Ok(Address {
            nodes,
            index: index.unwrap_or_else(|| DEFAULT_INDEX.to_string()),
            credentials,
            ca: env("DATELINE_OPENSEARCH_CA")
                .filter(|path| !path.is_empty())
                .map(Into::into),
        })
    }

    /// The index of page records (the manifest) beside the articles' index.
    pub fn pages_index(&self) -> String {
        format!("{}-pages", self.index)
    }
}

fn valid_index_name(name: &str) -> bool {
    !name.starts_with(['-', '_', '.'])
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Percent-decoding of the user part (`p%40ss` is `p@ss`).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A usage error about the URL, which is shown without its user part.
fn bad(location: &str, why: &str) -> anyhow::Error {
    usage_error(format!("--index {}: {why}", redact(location)))
}

/// The URL with any `user:password@` taken out.
pub fn redact(location: &str) -> String {
    location
        .split(',')
        .map(|part| match (part.find("://"), part.rfind('@')) {
            (Some(start), Some(at)) if at > start => {
                format!("{}{}", &part[..start + 3], &part[at + 1..])
            }
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn several_nodes_share_the_index_name_given_last() {
        let address = Address::parse_with("http://h1:9200,http://h2:9201/news", no_env).unwrap();
        assert_eq!(address.nodes, ["http://h1:9200", "http://h2:9201"]);
        assert_eq!(address.index, "news");
        assert_eq!(address.credentials, None);
        assert_eq!(address.to_string(), "http://h1:9200,http://h2:9201/news");
    }

    #[test]
    fn the_port_and_index_have_defaults() {
        let address = Address::parse_with("https://search.example.org", no_env).unwrap();
        assert_eq!(address.nodes, ["https://search.example.org:9200"]);
        assert_eq!(address.index, DEFAULT_INDEX);
    }

    #[test]
    fn credentials_never_show() {
        let address = Address::parse_with("https://ann:s%40cret@h1:9200/dateline", no_env).unwrap();
        assert_eq!(
            address.credentials,
            Some(("ann".to_string(), "s@cret".to_string()))
        );
        assert!(!format!("{address} {address:?}").contains("cret"));
        let error = Address::parse_with("https://ann:secret@h1:9200/Bad/Name", no_env)
            .unwrap_err()
            .to_string();
        assert!(!error.contains("secret"), "{error}");
        assert!(error.contains("https://h1:9200/Bad/Name"), "{error}");
    }

    #[test]
    fn the_environment_gives_credentials_the_url_lacks() {
        let env = |name: &str| match name {
            "DATELINE_OPENSEARCH_USER" => Some("bob".to_string()),
            "DATELINE_OPENSEARCH_PASSWORD" => Some("pw".to_string()),
            _ => None,
        };
        let address = Address::parse_with("http://h1:9200/x", env).unwrap();
        assert_eq!(address.credentials, Some(("bob".into(), "pw".into())));
    }

    #[test]
    fn only_http_addresses_are_urls() {
        assert!(is_url("http://localhost:9200"));
        assert!(is_url("HTTPS://h"));
        assert!(!is_url("index"));
        assert!(!is_url("/tmp/http://x"));
        assert!(Address::parse_with("http://,ftp://x", no_env).is_err());
    }
}
