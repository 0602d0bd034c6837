//! The query language (README, "Query syntax"): whatever a person types or pastes is a
//! query. Only these are syntax: `"…"` (the words as written), `OR` (also `or`), `-`
//! before a word, phrase or group (without it), `title:` and `body:` before a word,
//! phrase or group, brackets, and `*` alone (every article). Everything else, apostrophes,
//! colons, dashes, slashes, unknown `field:` prefixes, is words as the analyzer splits
//! them. Unbalanced quotes and brackets are closed. The one query that is really wrong
//! is a field prefix with nothing after it: [`parse`] says so in its own words.

use super::score::{Scoring, WordQuery, WordTerm};
use crate::analysis::{self, QueryWord};
use std::fmt;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query,
};
use tantivy::schema::Field;
use tantivy::{Score, Term};

/// Where a part of a query looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Title and body.
    Any,
    /// The title only (`title:`).
    Title,
    /// The body only (`body:`).
    Body,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// Every article (`*`).
    All,
    /// Text to analyse into words: quoted (the words as written, as a phrase) or not.
    Text {
        /// The text as typed.
        text: String,
        /// Whether it was in quotes.
        quoted: bool,
        /// Where it looks.
        scope: Scope,
    },
    /// All of these.
    And(Vec<Expr>),
    /// Any of these.
    Or(Vec<Expr>),
    /// Not this.
    Not(Box<Expr>),
}

/// A query that cannot mean anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError(pub String);

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Lexeme {
    Open,
    Close,
    Or,
    And,
    Minus,
    Field(Scope),
    Star,
    Phrase(String),
    Word(String),
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»')
}

fn ends_word(c: char) -> bool {
    c.is_whitespace() || is_quote(c) || c == '(' || c == ')'
}

fn field_prefix(word: &str) -> Option<(Scope, usize)> {
    for (name, scope) in [("title:", Scope::Title), ("body:", Scope::Body)] {
        if word.len() >= name.len()
            && word.is_char_boundary(name.len())
            && word[..name.len()].eq_ignore_ascii_case(name)
        {
            return Some((scope, name.len()));
        }
    }
    None
}

fn lex(query: &str) -> Result<Vec<Lexeme>, QueryError> {
    let mut lexemes = Vec::new();
    let mut rest = query;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c == '(' || c == ')' {
            lexemes.push(if c == '(' {
                Lexeme::Open
            } else {
                Lexeme::Close
            });
            rest = &rest[1..];
            continue;
        }
        if is_quote(c) {
            let inner = &rest[c.len_utf8()..];
            let end = inner.find(is_quote).unwrap_or(inner.len());
            lexemes.push(Lexeme::Phrase(inner[..end].to_string()));
            let close = inner[end..].chars().next().map_or(0, char::len_utf8);
            rest = &inner[end + close..];
            continue;
        }
        if matches!(c, '-' | '−')
            && rest[c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(|next| !next.is_whitespace() && !matches!(next, '-' | '−'))
        {
            lexemes.push(Lexeme::Minus);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let end = rest.find(ends_word).unwrap_or(rest.len());
        let word = &rest[..end];
        if let Some((scope, length)) = field_prefix(word) {
            let after = &rest[length..];
            let next = after.chars().next();
            if next.is_none_or(char::is_whitespace) || next == Some(')') {
                return Err(QueryError(format!(
                    "'{}' needs a word, a \"phrase\" or (words) right after it, e.g. {}Poetin",
                    &word[..length],
                    &word[..length]
                )));
            }
            lexemes.push(Lexeme::Field(scope));
            rest = after;
            continue;
        }
        rest = &rest[end..];
        if word != "*" && !word.contains(char::is_alphanumeric) {
            continue; // A dash between words, a lone colon: separators.
        }
        // Right after a field prefix, `or` is a word (`body:or`), not an operator.
        let after_field = matches!(lexemes.last(), Some(Lexeme::Field(_)));
        lexemes.push(match word {
            "OR" | "or" if !after_field => Lexeme::Or,
            "AND" if !after_field => Lexeme::And,
            "*" => Lexeme::Star,
            _ => Lexeme::Word(word.to_string()),
        });
    }
    Ok(lexemes)
}

/// Parses a query. Every text gives an expression (perhaps one with no words in it), but
/// for a field prefix with nothing after it.
pub fn parse(query: &str) -> Result<Expr, QueryError> {
    let lexemes = lex(query)?;
    let mut parser = Parser { lexemes, at: 0 };
    let mut parts = Vec::new();
    loop {
        parts.push(parser.or_expr(Scope::Any));
        // A stray closing bracket is noise: skip it and go on.
        if parser.at >= parser.lexemes.len() {
            break;
        }
        parser.at += 1;
    }
    Ok(simplify_and(parts))
}

struct Parser {
    lexemes: Vec<Lexeme>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Lexeme> {
        self.lexemes.get(self.at)
    }

    fn or_expr(&mut self, scope: Scope) -> Expr {
        let mut alternatives = vec![self.and_expr(scope)];
        while self.peek() == Some(&Lexeme::Or) {
            self.at += 1;
            alternatives.push(self.and_expr(scope));
        }
        let alternatives: Vec<Expr> = alternatives.into_iter().filter(|e| !is_empty(e)).collect();
        match alternatives.len() {
            0 => Expr::And(Vec::new()),
            1 => alternatives
                .into_iter()
                .next()
                .unwrap_or(Expr::And(Vec::new())),
            _ => Expr::Or(alternatives),
        }
    }

    fn and_expr(&mut self, scope: Scope) -> Expr {
        let mut parts = Vec::new();
        while let Some(lexeme) = self.peek() {
            match lexeme {
                Lexeme::Or | Lexeme::Close => break,
                Lexeme::And => self.at += 1,
                _ => {
                    if let Some(part) = self.unary(scope) {
                        parts.push(part);
                    }
                }
            }
        }
        simplify_and(parts)
    }

    fn unary(&mut self, scope: Scope) -> Option<Expr> {
        match self.peek()? {
            Lexeme::Minus => {
                self.at += 1;
                match self.peek() {
                    None | Some(Lexeme::Or | Lexeme::Close | Lexeme::And) => None,
                    Some(_) => self.unary(scope).map(|e| Expr::Not(Box::new(e))),
                }
            }
            Lexeme::Field(inner) => {
                let inner = *inner;
                self.at += 1;
                match self.peek() {
                    None | Some(Lexeme::Or | Lexeme::Close | Lexeme::And) => None,
                    Some(_) => self.unary(inner),
                }
            }
            _ => self.primary(scope),
        }
    }

    fn primary(&mut self, scope: Scope) -> Option<Expr> {
        let lexeme = self.peek()?.clone();
        self.at += 1;
        match lexeme {
            Lexeme::Open => {
                let inner = self.or_expr(scope);
                if self.peek() == Some(&Lexeme::Close) {
                    self.at += 1;
                }
                (!is_empty(&inner)).then_some(inner)
            }
            Lexeme::Star => Some(Expr::All),
            Lexeme::Phrase(text) => Some(Expr::Text {
                text,
                quoted: true,
                scope,
            }),
            Lexeme::Word(text) => Some(Expr::Text {
                text,
                quoted: false,
                scope,
            }),
            Lexeme::Close | Lexeme::Or | Lexeme::And | Lexeme::Minus | Lexeme::Field(_) => None,
        }
    }
}

fn is_empty(expr: &Expr) -> bool {
    matches!(expr, Expr::And(parts) if parts.is_empty())
}

fn simplify_and(parts: Vec<Expr>) -> Expr {
    let mut parts: Vec<Expr> = parts.into_iter().filter(|e| !is_empty(e)).collect();
    if parts.len() == 1 {
        parts.remove(0)
    } else {
        Expr::And(parts)
    }
}

/// The three text fields a query word looks in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// Headlines.
    Title,
    /// Article text.
    Body,
    /// Dateline city and agencies as words.
    Dateline,
}

/// One term of a query word: its field, its text, and what a match of it is worth.
#[derive(Debug, Clone, PartialEq)]
pub struct FormTerm {
    /// The field.
    pub field: TextField,
    /// The term text (marked forms: `#stem`, `+part`).
    pub text: String,
    /// The weight of its form times the weight of its field.
    pub weight: Score,
    /// Its weight in the sum of the form as written alone (0 for the other forms).
    pub written: Score,
    /// Length normalisation of its field.
    pub b: Score,
}

/// What a parsed query is built into: a tantivy query here, a cluster's query DSL in
/// `cluster`. The query language's meaning (which words, which forms, which weights)
/// is decided once, in this module; a target only spells it.
pub trait Target {
    /// The query type.
    type Query;
    /// Every article; scored or not.
    fn all(&self, scored: bool) -> Self::Query;
    /// Clauses joined (at least two, or one that is not an exclusion).
    fn boolean(&self, clauses: Vec<(Occur, Self::Query)>) -> Self::Query;
    /// A query whose scores are multiplied.
    fn boost(&self, query: Self::Query, by: Score) -> Self::Query;
    /// One query word, by its forms: documents with any of `terms`, scored by BM25F
    /// with the idf of `idf_text` (and of `written_text` for the form as written alone).
    fn word(&self, terms: Vec<FormTerm>, idf_text: &str, written_text: &str) -> Self::Query;
    /// Unscored: the words (at their offsets) in a row in any of `fields`.
    fn phrase(&self, fields: &[TextField], words: &[(usize, String)]) -> Self::Query;
}

/// How a query is scored and which forms it asks for.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The scoring constants.
    pub scoring: Scoring,
    /// The forms the index has (dateline's own: all of them).
    pub analysis: analysis::Dutch,
    /// Any of the words, not all: the query's top level is an OR (a retry of a pasted
    /// text that nothing matches as a whole).
    pub any_word: bool,
}

/// How an expression becomes a tantivy query.
#[derive(Debug, Clone, Copy)]
pub struct Build {
    /// The title and body fields.
    pub title: Field,
    /// The body field.
    pub body: Field,
    /// The dateline field (city and agencies as words), searched with title and body.
    pub dateline: Field,
    /// The scoring constants.
    pub scoring: Scoring,
    /// The forms the index has (dateline's own: all of them).
    pub analysis: analysis::Dutch,
    /// Any of the words, not all: the query's top level is an OR (a retry of a pasted
    /// text that nothing matches as a whole).
    pub any_word: bool,
}

impl Build {
    fn field(&self, field: TextField) -> Field {
        match field {
            TextField::Title => self.title,
            TextField::Body => self.body,
            TextField::Dateline => self.dateline,
        }
    }
}

impl Target for Build {
    type Query = Box<dyn Query>;

    fn all(&self, scored: bool) -> Box<dyn Query> {
        if scored {
            Box::new(AllQuery)
        } else {
            Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0))
        }
    }

    fn boolean(&self, clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(clauses))
    }

    fn boost(&self, query: Box<dyn Query>, by: Score) -> Box<dyn Query> {
        Box::new(BoostQuery::new(query, by))
    }

    fn word(&self, terms: Vec<FormTerm>, idf_text: &str, written_text: &str) -> Box<dyn Query> {
        let mut fields: Vec<TextField> = terms.iter().map(|t| t.field).collect();
        fields.dedup();
        let idf_terms = fields
            .iter()
            .map(|&f| Term::from_field_text(self.field(f), idf_text))
            .collect();
        let written_idf_terms = fields
            .iter()
            .map(|&f| Term::from_field_text(self.field(f), written_text))
            .collect();
        let word_terms = terms
            .into_iter()
            .map(|t| WordTerm {
                term: Term::from_field_text(self.field(t.field), &t.text),
                weight: t.weight,
                written: t.written,
                b: t.b,
            })
            .collect();
        Box::new(WordQuery::new(
            word_terms,
            idf_terms,
            written_idf_terms,
            self.scoring.written,
            self.scoring.k1,
        ))
    }

    fn phrase(&self, fields: &[TextField], words: &[(usize, String)]) -> Box<dyn Query> {
        let phrases = fields
            .iter()
            .map(|&field| {
                let terms = words
                    .iter()
                    .map(|(offset, text)| (*offset, Term::from_field_text(self.field(field), text)))
                    .collect();
                let phrase: Box<dyn Query> = Box::new(PhraseQuery::new_with_offset(terms));
                (Occur::Should, phrase)
            })
            .collect();
        Box::new(ConstScoreQuery::new(
            Box::new(BooleanQuery::new(phrases)),
            0.0,
        ))
    }
}

/// The tantivy query of an expression; `None` when it has no words to search for.
pub fn to_query(expr: &Expr, build: &Build) -> Option<Box<dyn Query>> {
    let options = Options {
        scoring: build.scoring,
        analysis: build.analysis,
        any_word: build.any_word,
    };
    to_target(expr, build, &options)
}

/// The query of an expression for `target`; `None` when it has no words to search for.
pub fn to_target<T: Target>(expr: &Expr, target: &T, options: &Options) -> Option<T::Query> {
    let context = Context {
        target,
        options,
        // A query of stop words only (`de het een`) searches them as words.
        stop_words: !has_content(expr, false),
        any_word: options.any_word,
        optional: options.any_word,
    };
    context.query(expr)
}

/// How many words outside exclusions could match on their own: where there are several,
/// "any of the words" can find what "all of them" does not.
pub fn plain_words(expr: &Expr) -> usize {
    match expr {
        Expr::All | Expr::Not(_) => 0,
        Expr::Text { text, quoted, .. } => {
            let words = analysis::query_words(text);
            if *quoted {
                usize::from(!words.is_empty())
            } else {
                words.iter().filter(|w| w.forms.stem.is_some()).count()
            }
        }
        Expr::And(parts) | Expr::Or(parts) => parts.iter().map(plain_words).sum(),
    }
}

/// Whether an expression has a word that is not a stop word (or a quoted one) outside
/// an exclusion.
fn has_content(expr: &Expr, excluded: bool) -> bool {
    match expr {
        Expr::All => false,
        Expr::Text { text, quoted, .. } => {
            !excluded
                && analysis::query_words(text)
                    .iter()
                    .any(|word| *quoted || word.forms.stem.is_some())
        }
        Expr::And(parts) | Expr::Or(parts) => parts.iter().any(|p| has_content(p, excluded)),
        Expr::Not(inner) => has_content(inner, true),
    }
}

struct Context<'a, T> {
    target: &'a T,
    options: &'a Options,
    stop_words: bool,
    /// The words of the top level need not all match (cleared below it).
    any_word: bool,
    /// A word here is one of several alternatives (under an OR): its compound parts may
    /// stand in for it.
    optional: bool,
}

impl<T> Clone for Context<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Context<'_, T> {}

impl<T: Target> Context<'_, T> {
    fn query(&self, expr: &Expr) -> Option<T::Query> {
        let below = Context {
            any_word: false,
            optional: false,
            ..*self
        };
        match expr {
            Expr::All => Some(self.target.all(true)),
            Expr::Text {
                text,
                quoted,
                scope,
            } => self.text(text, *quoted, *scope),
            Expr::Or(parts) => {
                let alternatives = Context {
                    optional: true,
                    ..below
                };
                let clauses: Vec<(Occur, T::Query)> = parts
                    .iter()
                    .filter_map(|part| alternatives.query(part))
                    .map(|query| (Occur::Should, query))
                    .collect();
                self.boolean(clauses)
            }
            Expr::And(parts) => {
                let required = if self.any_word {
                    Occur::Should
                } else {
                    Occur::Must
                };
                let mut clauses: Vec<(Occur, T::Query)> = Vec::new();
                for part in parts {
                    match part {
                        Expr::Not(inner) => {
                            if let Some(query) = below.query(inner) {
                                clauses.push((Occur::MustNot, query));
                            }
                        }
                        part => {
                            if let Some(query) = self.query(part) {
                                clauses.push((required, query));
                            }
                        }
                    }
                }
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) && !clauses.is_empty()
                {
                    clauses.push((Occur::Must, self.target.all(false)));
                }
                self.boolean(clauses)
            }
            Expr::Not(inner) => {
                let excluded = below.query(inner)?;
                self.boolean(vec![
                    (Occur::Must, self.target.all(false)),
                    (Occur::MustNot, excluded),
                ])
            }
        }
    }

    fn boolean(&self, mut clauses: Vec<(Occur, T::Query)>) -> Option<T::Query> {
        match clauses.len() {
            0 => None,
            1 if clauses[0].0 != Occur::MustNot => Some(clauses.remove(0).1),
            _ => Some(self.target.boolean(clauses)),
        }
    }

    fn fields(&self, scope: Scope) -> Vec<(TextField, Score, Score)> {
        let scoring = &self.options.scoring;
        let title = (TextField::Title, scoring.title, scoring.b_title);
        let body = (TextField::Body, 1.0, scoring.b_body);
        let dateline = (TextField::Dateline, scoring.dateline, 0.0);
        match scope {
            Scope::Any => vec![title, body, dateline],
            Scope::Title => vec![title],
            Scope::Body => vec![body],
        }
    }

    fn text(&self, text: &str, quoted: bool, scope: Scope) -> Option<T::Query> {
        let words = analysis::query_words_with(text, self.options.analysis);
        if quoted {
            return self.phrase(&words, true, scope);
        }
        // Words joined by hyphens (`Jong-un`, `2-1`) are a phrase; other separators inside
        // what was typed as one word (`city:Eindhoven`) separate words.
        // Where any word will do, a hyphenated pair (`NS-staking`) is two words too.
        let mut groups: Vec<Vec<QueryWord>> = Vec::new();
        for word in words {
            match groups.last_mut() {
                Some(group) if word.joined && !self.any_word => group.push(word),
                _ => groups.push(vec![word]),
            }
        }
        let required = if self.any_word {
            Occur::Should
        } else {
            Occur::Must
        };
        let clauses: Vec<(Occur, T::Query)> = groups
            .iter()
            .filter_map(|group| match group.as_slice() {
                [word] => self.word(word, false, scope),
                group => self.phrase(group, false, scope),
            })
            .map(|query| (required, query))
            .collect();
        self.boolean(clauses)
    }

    /// A word: as written only where `literal` (or a stop word), else by all its forms,
    /// with the form as written counted once more on its own; where it is one of several
    /// alternatives, its compound parts stand in for it too.
    fn word(&self, word: &QueryWord, literal: bool, scope: Scope) -> Option<T::Query> {
        let scoring = &self.options.scoring;
        let forms = &word.forms;
        let exact = forms.exact.as_str();
        let Some(stem) = forms.stem.as_deref().filter(|_| !literal) else {
            // A stop word among other words is left out; quoted, it is asked for.
            if forms.stem.is_none() && !self.stop_words && !literal {
                return None;
            }
            let weight = scoring.exact + scoring.stem;
            return Some(self.forms(&[(exact, weight, 0.0)], exact, scope));
        };
        let part = part_of(stem);
        // An article that has the form asked for ranks above one that has only other
        // forms of it, even many times: the form as written counts once more on its own.
        let all = self.forms(
            &[
                (exact, scoring.exact, 1.0),
                (stem, scoring.stem, 0.0),
                (&part, scoring.part, 0.0),
            ],
            stem,
            scope,
        );
        if !self.optional || scoring.qparts == 0.0 || forms.parts.is_empty() {
            return Some(all);
        }
        let mut alternatives: Vec<(Occur, T::Query)> = vec![(Occur::Should, all)];
        for part in &forms.parts {
            let stem = format!("{}{}", analysis::STEM, &part[analysis::PART.len_utf8()..]);
            let forms = self.forms(
                &[(&stem, scoring.stem, 0.0), (part, scoring.part, 0.0)],
                &stem,
                scope,
            );
            alternatives.push((Occur::Should, self.target.boost(forms, scoring.qparts)));
        }
        Some(self.target.boolean(alternatives))
    }

    /// One BM25F word of these terms (each with its weight in the sum of all forms and in
    /// that of the form as written) in the fields of `scope`; its idf is `idf_term`'s,
    /// the written form's the first term's.
    fn forms(&self, terms: &[(&str, Score, Score)], idf_term: &str, scope: Scope) -> T::Query {
        let mut form_terms = Vec::new();
        for (field, field_weight, b) in self.fields(scope) {
            for &(text, weight, written) in terms {
                form_terms.push(FormTerm {
                    field,
                    text: text.to_string(),
                    weight: weight * field_weight,
                    written: written * field_weight,
                    b,
                });
            }
        }
        self.target.word(form_terms, idf_term, terms[0].0)
    }

    /// Words in a row, as written, in title or body; scored as the words.
    fn phrase(&self, words: &[QueryWord], literal: bool, scope: Scope) -> Option<T::Query> {
        match words {
            [] => return None,
            [word] => return self.word(word, true, scope),
            _ => {}
        }
        let first = words[0].position;
        let fields: Vec<TextField> = self.fields(scope).into_iter().map(|(f, _, _)| f).collect();
        let in_a_row: Vec<(usize, String)> = words
            .iter()
            .map(|w| (w.position - first, w.forms.exact.clone()))
            .collect();
        let mut clauses: Vec<(Occur, T::Query)> =
            vec![(Occur::Must, self.target.phrase(&fields, &in_a_row))];
        for word in words {
            let scored = Context {
                stop_words: true,
                any_word: false,
                optional: false,
                ..*self
            };
            if let Some(query) = scored.word(word, literal, scope) {
                clauses.push((Occur::Must, query));
            }
        }
        self.boolean(clauses)
    }
}

/// The part term of a stem term (`#fabriek` → `+fabriek`).
fn part_of(stem: &str) -> String {
    format!("{}{}", analysis::PART, &stem[analysis::STEM.len_utf8()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Expr {
        Expr::Text {
            text: text.into(),
            quoted: false,
            scope: Scope::Any,
        }
    }

    fn phrase(text: &str, scope: Scope) -> Expr {
        Expr::Text {
            text: text.into(),
            quoted: true,
            scope,
        }
    }

    #[test]
    fn pasted_text_is_words() {
        assert_eq!(
            parse("Rutte: het is").unwrap(),
            Expr::And(vec![word("Rutte:"), word("het"), word("is")])
        );
        assert_eq!(parse("auto's").unwrap(), word("auto's"));
        assert_eq!(
            parse("PSV - Ajax (2-1)").unwrap(),
            Expr::And(vec![word("PSV"), word("Ajax"), word("2-1")])
        );
        assert_eq!(parse("city:Eindhoven").unwrap(), word("city:Eindhoven"));
        assert_eq!(parse("'s-Hertogenbosch").unwrap(), word("'s-Hertogenbosch"));
    }

    #[test]
    fn operators() {
        assert_eq!(
            parse("Peskov OR Kallas").unwrap(),
            Expr::Or(vec![word("Peskov"), word("Kallas")])
        );
        assert_eq!(
            parse("Peskov or Kallas").unwrap(),
            Expr::Or(vec![word("Peskov"), word("Kallas")])
        );
        assert_eq!(
            parse("Peskov -Kallas").unwrap(),
            Expr::And(vec![word("Peskov"), Expr::Not(Box::new(word("Kallas")))])
        );
        assert_eq!(
            parse("body:(Burnham OR \"Kaja Kallas\")").unwrap(),
            Expr::Or(vec![
                Expr::Text {
                    text: "Burnham".into(),
                    quoted: false,
                    scope: Scope::Body
                },
                phrase("Kaja Kallas", Scope::Body)
            ])
        );
        assert_eq!(parse("TITLE:\"Kim\"").unwrap(), phrase("Kim", Scope::Title));
        assert_eq!(
            parse("body:war OR body:or").unwrap(),
            Expr::Or(vec![
                Expr::Text {
                    text: "war".into(),
                    quoted: false,
                    scope: Scope::Body
                },
                Expr::Text {
                    text: "or".into(),
                    quoted: false,
                    scope: Scope::Body
                }
            ])
        );
        assert_eq!(parse("*").unwrap(), Expr::All);
        assert_eq!(parse("title:*").unwrap(), Expr::All);
    }

    #[test]
    fn unbalanced_quotes_and_brackets_are_closed() {
        assert_eq!(
            parse("\"Kaja Kallas").unwrap(),
            phrase("Kaja Kallas", Scope::Any)
        );
        assert_eq!(
            parse("(Peskov OR Kallas").unwrap(),
            Expr::Or(vec![word("Peskov"), word("Kallas")])
        );
        assert_eq!(
            parse("Peskov) Kallas").unwrap(),
            Expr::And(vec![word("Peskov"), word("Kallas")])
        );
        assert_eq!(parse("OR").unwrap(), Expr::And(vec![]));
        assert_eq!(parse("- OR ()").unwrap(), Expr::And(vec![]));
    }

    #[test]
    fn a_field_with_nothing_after_it_is_our_message() {
        let error = parse("title:").unwrap_err();
        assert!(error.0.contains("'title:' needs a word"), "{error}");
        assert!(parse("Kim body: ").is_err());
        assert!(parse("(title:)").is_err());
    }
}
