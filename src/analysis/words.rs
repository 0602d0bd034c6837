//! Words and their forms: the tokenizer that finds words (apostrophes inside a word are
//! part of it: `auto's`, `O'Neill`, `d'Hondt`), and the filter that indexes each word in
//! three forms at its position, so that a search can tell them apart:
//!
//! - the word as written, lower-cased and folded (`fabrieken`): quoted queries match these,
//!   and stop words are kept in this form only;
//! - its stem, marked with [`STEM`] (`#fabriek`): plain queries match these;
//! - the stems of its compound parts, marked with [`PART`] (`+fabriek` in
//!   `ruimtevaartfabriek`): plain queries match these too, weighted least.
//!
//! Scoring (`search::score`) weighs the three so that an article with the word as written
//! ranks above one with only its stem, and that above one with it only as a part.

use super::Dutch as Steps;
use rustc_hash::FxHashMap;
use std::str::CharIndices;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// The mark of a stem term.
pub const STEM: char = '#';
/// The mark of a compound part's stem.
pub const PART: char = '+';

/// Apostrophes that join the letters around them into one word.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`' | '´' | 'ʼ')
}

/// Hyphens that join the words around them into a name (`Jong-un`, `Noord-Korea`).
pub fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

/// Splits text into words: runs of letters and digits, with an apostrophe between two of
/// them inside the word. Everything else separates words.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

pub struct WordTokenStream<'a> {
    text: &'a str,
    chars: std::iter::Peekable<CharIndices<'a>>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        WordTokenStream {
            text,
            chars: text.char_indices().peekable(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        let start = loop {
            match self.chars.next() {
                Some((at, c)) if c.is_alphanumeric() => break at,
                Some(_) => continue,
                None => return false,
            }
        };
        let mut end = self.text.len();
        while let Some(&(at, c)) = self.chars.peek() {
            if c.is_alphanumeric() {
                self.chars.next();
                continue;
            }
            // An apostrophe stays in the word only with a letter or digit after it.
            let next = self.text[at + c.len_utf8()..].chars().next();
            if is_apostrophe(c) && next.is_some_and(char::is_alphanumeric) {
                self.chars.next();
                continue;
            }
            end = at;
            break;
        }
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.text.push_str(&self.text[start..end]);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The forms a lower-cased, folded word is indexed under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forms {
    /// The word as written, apostrophes left out (`autos`, `oneill`).
    pub exact: String,
    /// The marked stem; `None` for a stop word.
    pub stem: Option<String>,
    /// The marked stems of its compound parts.
    pub parts: Vec<String>,
}

/// The forms of one word (lower-cased and folded, as the analyzer has it).
pub fn forms(word: &str, steps: Steps) -> Forms {
    let exact: String = word.chars().filter(|&c| !is_apostrophe(c)).collect();
    if super::is_stop_word(&exact) {
        return Forms {
            exact,
            stem: None,
            parts: Vec::new(),
        };
    }
    // `auto's` and `panda's` are plurals of `auto` and `panda`.
    let base = match word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")) {
        Some(base) if !base.is_empty() => base.chars().filter(|&c| !is_apostrophe(c)).collect(),
        _ => exact.clone(),
    };
    let stem_of = |word: &str| {
        if steps.stem {
            super::stem::stem(word)
        } else {
            word.to_string()
        }
    };
    let stem = marked(STEM, &stem_of(&base));
    let parts = if steps.compounds {
        super::compound::split(&exact)
            .into_iter()
            .map(|part| marked(PART, &stem_of(part)))
            .collect()
    } else {
        Vec::new()
    };
    Forms {
        exact,
        stem: Some(stem),
        parts,
    }
}

fn marked(mark: char, text: &str) -> String {
    let mut marked = String::with_capacity(text.len() + 1);
    marked.push(mark);
    marked.push_str(text);
    marked
}

/// Words remembered per thread before the memory starts over.
const CACHE_LIMIT: usize = 200_000;

/// Calls `f` with the forms of a word, worked out once per thread: news repeats its
/// words, and each analyzer (tantivy clones them per segment, and per snippet) would
/// otherwise start from nothing.
pub fn with_forms<R>(word: &str, steps: Steps, f: impl FnOnce(&Forms) -> R) -> R {
    if steps != Steps::default() {
        return f(&forms(word, steps));
    }
    thread_local! {
        static MEMORY: std::cell::RefCell<FxHashMap<String, Forms>> =
            std::cell::RefCell::new(FxHashMap::default());
    }
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if !memory.contains_key(word) {
            if memory.len() >= CACHE_LIMIT {
                memory.clear();
            }
            memory.insert(word.to_string(), forms(word, steps));
        }
        f(&memory[word])
    })
}

/// Follows each word with its stem and its compound parts, at the word's position and
/// offsets (a highlighted part marks the whole word).
#[derive(Clone, Copy)]
pub struct FormsFilter(pub Steps);

impl TokenFilter for FormsFilter {
    type Tokenizer<T: Tokenizer> = FormsTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> FormsTokenizer<T> {
        FormsTokenizer {
            inner,
            steps: self.0,
            form: Token::default(),
            queue: Vec::new(),
        }
    }
}

#[derive(Clone)]
pub struct FormsTokenizer<T> {
    inner: T,
    steps: Steps,
    /// The token a stem or part is emitted in (its text buffer is reused).
    form: Token,
    /// The current word's stem and parts still to come, buffers reused.
    queue: Vec<String>,
}

impl<T: Tokenizer> Tokenizer for FormsTokenizer<T> {
    type TokenStream<'a> = FormsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FormsStream {
            inner: self.inner.token_stream(text),
            steps: self.steps,
            form: &mut self.form,
            queue: &mut self.queue,
            queued: 0,
            next: 0,
        }
    }
}

pub struct FormsStream<'a, S> {
    inner: S,
    steps: Steps,
    form: &'a mut Token,
    /// The current word's stem and parts (the first `queued` entries).
    queue: &'a mut Vec<String>,
    queued: usize,
    /// Which of them comes next; the word itself is shown while this is 0.
    next: usize,
}

impl<S: TokenStream> TokenStream for FormsStream<'_, S> {
    fn advance(&mut self) -> bool {
        if self.next < self.queued {
            let form = &self.queue[self.next];
            let word = self.inner.token();
            self.form.offset_from = word.offset_from;
            self.form.offset_to = word.offset_to;
            self.form.position = word.position;
            self.form.position_length = word.position_length;
            self.form.text.clear();
            self.form.text.push_str(form);
            self.next += 1;
            return true;
        }
        self.next = 0;
        self.queued = 0;
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        let queue = &mut *self.queue;
        let mut queued = 0;
        // The word as written differs from the token only where it had an apostrophe.
        let exact = with_forms(&token.text, self.steps, |forms| {
            for form in forms.stem.iter().chain(&forms.parts) {
                if queue.len() == queued {
                    queue.push(String::new());
                }
                queue[queued].clear();
                queue[queued].push_str(form);
                queued += 1;
            }
            (token.text != forms.exact).then(|| forms.exact.clone())
        });
        if let Some(exact) = exact {
            token.text = exact;
        }
        self.queued = queued;
        true
    }

    fn token(&self) -> &Token {
        if self.next == 0 {
            self.inner.token()
        } else {
            self.form
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.next == 0 {
            self.inner.token_mut()
        } else {
            self.form
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut words = Vec::new();
        while stream.advance() {
            let token = stream.token();
            words.push(&text[token.offset_from..token.offset_to]);
        }
        words
    }

    #[test]
    fn apostrophes_inside_a_word_belong_to_it() {
        assert_eq!(words("auto's en panda’s"), ["auto's", "en", "panda’s"]);
        assert_eq!(words("O'Neill, d'Hondt"), ["O'Neill", "d'Hondt"]);
        assert_eq!(words("'s-Hertogenbosch"), ["s", "Hertogenbosch"]);
        assert_eq!(words("’Mentaal voordeel’"), ["Mentaal", "voordeel"]);
        assert_eq!(words("Rutte: het (2-1)"), ["Rutte", "het", "2", "1"]);
        assert_eq!(words("zeg 't maar'"), ["zeg", "t", "maar"]);
    }

    #[test]
    fn plurals_with_an_apostrophe_share_the_stem_of_the_word() {
        let steps = Steps {
            stem: true,
            compounds: false,
        };
        assert_eq!(forms("auto's", steps).exact, "autos");
        assert_eq!(forms("auto's", steps).stem, forms("auto", steps).stem);
        assert_eq!(forms("o'neill", steps).exact, "oneill");
        assert_eq!(forms("het", steps).stem, None);
    }
}
