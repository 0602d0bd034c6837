//! The front matter of a Markdown post (Jekyll, Hugo): `---` lines around `key: value`
//! pairs above the text. A folder of a site's posts is a folder of pages: the title is
//! the headline, the date the page time, and the text below is often HTML.

/// What a post's front matter says, and the text below it.
#[derive(Debug, Default, PartialEq)]
pub struct Post<'a> {
    pub title: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub text: &'a str,
}

/// How far down the closing `---` is looked for.
const MAX_FRONT_MATTER: usize = 8_192;

/// Splits `text` into its front matter and the rest; text without front matter is all
/// rest.
pub fn split(text: &str) -> Post<'_> {
    let plain = Post {
        text,
        ..Post::default()
    };
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return plain;
    };
    let mut post = Post::default();
    let mut consumed = text.len() - after_open.len();
    for line in after_open.split_inclusive('\n') {
        consumed += line.len();
        if consumed > MAX_FRONT_MATTER {
            return plain;
        }
        let line = line.trim_end();
        if line == "---" {
            post.text = &text[consumed..];
            return post;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = unquote(value.trim());
        if value.is_empty() {
            continue;
        }
        match key.trim() {
            "title" => post.title = Some(value),
            "date" => post.date = Some(value),
            "url" | "link" | "canonical_url" | "source_url"
                if value.starts_with("http://") || value.starts_with("https://") =>
            {
                post.url = Some(value);
            }
            _ => {}
        }
    }
    plain
}

/// `"Vermist - \"Azaa\""` → `Vermist - "Azaa"`; `'x'` → `x`.
fn unquote(value: &str) -> String {
    if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') {
        return serde_json::from_str::<String>(value)
            .unwrap_or_else(|_| value[1..value.len() - 1].to_string());
    }
    if value.len() >= 2 && value.starts_with('\'') && value.ends_with('\'') {
        return value[1..value.len() - 1].replace("''", "'");
    }
    value.to_string()
}

/// Whether text below the front matter is HTML (as a site's feed stores it) rather than
/// Markdown or plain text.
pub fn is_html(text: &str) -> bool {
    let head = &text[..text.len().min(4_096)];
    [
        "<p>", "<p ", "<br", "<div", "<img ", "</a>", "</p>", "<strong>", "<em>",
    ]
    .iter()
    .any(|tag| head.contains(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_gives_its_title_date_url_and_text() {
        let post = split(
            "---\nlayout: post\ntitle: \"Vermist - \\\"Azaa\\\"\"\ndate: Mon, 22 Oct 2012 15:11:00 GMT\nurl: https://www.politie.nl/a.html\ncategories: utrecht\n---\n\nAzaa verbleef in Amersfoort.\n",
        );
        assert_eq!(post.title.as_deref(), Some("Vermist - \"Azaa\""));
        assert_eq!(post.date.as_deref(), Some("Mon, 22 Oct 2012 15:11:00 GMT"));
        assert_eq!(post.url.as_deref(), Some("https://www.politie.nl/a.html"));
        assert_eq!(post.text, "\nAzaa verbleef in Amersfoort.\n");
    }

    #[test]
    fn text_without_front_matter_is_all_text() {
        for text in ["Kop\nEen alinea.", "---\nnooit gesloten: ja\nEen alinea."] {
            assert_eq!(split(text).text, text);
            assert_eq!(split(text).title, None);
        }
    }

    #[test]
    fn html_below_the_front_matter_is_told_from_markdown() {
        assert!(is_html("Tekst.<img src=\"x\" alt=\"\"/>"));
        assert!(is_html("<p>Tekst.</p>"));
        assert!(!is_html("Tekst met een *nadruk* en een [link](x)."));
    }
}
