//! The Snowball Dutch stemmer with a memory: news repeats its words, and stemming each
//! occurrence again was about 7% of indexing time (perf, 99,565 leestmeer pages).

use rustc_hash::FxHashMap;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Stems remembered per analyzer (one per indexing thread and segment) before the memory
/// starts over: a few MB, far more words than a segment's common vocabulary.
const CACHE_LIMIT: usize = 100_000;

/// Replaces each token by its Snowball Dutch stem, as tantivy's `Stemmer` does.
#[derive(Clone, Default)]
pub struct DutchStemmer;

impl TokenFilter for DutchStemmer {
    type Tokenizer<T: Tokenizer> = DutchStemmerTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> DutchStemmerTokenizer<T> {
        DutchStemmerTokenizer {
            inner,
            stems: FxHashMap::default(),
        }
    }
}

#[derive(Clone)]
pub struct DutchStemmerTokenizer<T> {
    inner: T,
    stems: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for DutchStemmerTokenizer<T> {
    type TokenStream<'a> = DutchStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        DutchStemmerStream {
            inner: self.inner.token_stream(text),
            stems: &mut self.stems,
        }
    }
}

pub struct DutchStemmerStream<'a, S> {
    inner: S,
    stems: &'a mut FxHashMap<String, String>,
}

impl<S: TokenStream> TokenStream for DutchStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        match self.stems.get(&token.text) {
            Some(stem) => {
                token.text.clear();
                token.text.push_str(stem);
            }
            None => {
                if self.stems.len() >= CACHE_LIMIT {
                    self.stems.clear();
                }
                let stem = stem(&token.text);
                let word = std::mem::replace(&mut token.text, stem.clone());
                self.stems.insert(word, stem);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

/// The Snowball Dutch stem of a lower-cased word.
fn stem(word: &str) -> String {
    thread_local! {
        static STEMMER: frostem::Stemmer = frostem::Stemmer::new(frostem::Algorithm::Dutch);
    }
    STEMMER.with(|stemmer| stemmer.stem(word).into_owned())
}
