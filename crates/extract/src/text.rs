//! Cleaned text: the characters the rules read, each mapped back to its char
//! offset in the input. Owns the removal of layout noise (stray spaces between
//! Chinese characters, line breaks inside sentences, "(上接 D1 版)" residue); it
//! must never change a character, only drop or join, so spans stay faithful.

use std::collections::HashMap;

use crate::model::Span;

/// Text as the rules see it, with the input offset of every character.
#[derive(Clone, Debug, Default)]
pub(crate) struct Clean {
    pub chars: Vec<char>,
    pub orig: Vec<usize>,
    /// A dropped space is waiting: it survives only between two ASCII words.
    pending_space: Option<usize>,
}

pub(crate) fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | '\u{3000}' | '\u{a0}' | '\u{2002}' | '\u{2003}'
    )
}

impl Clean {
    /// Input span of the cleaned range `[start, end)`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        if start >= end || start >= self.orig.len() {
            let at = self
                .orig
                .get(start)
                .copied()
                .unwrap_or_else(|| self.orig.last().map_or(0, |&o| o + 1));
            return Span::new(at, at);
        }
        let end = end.min(self.orig.len());
        Span::new(self.orig[start], self.orig[end - 1] + 1)
    }

    fn push_char(&mut self, c: char, at: usize) {
        if let Some(space_at) = self.pending_space.take() {
            let prev_ascii = self.chars.last().is_some_and(|p| p.is_ascii_alphanumeric());
            if prev_ascii && c.is_ascii_alphanumeric() {
                self.chars.push(' ');
                self.orig.push(space_at);
            }
        }
        self.chars.push(c);
        self.orig.push(at);
    }

    /// Appends input chars `[start, end)`, dropping spaces that only the layout
    /// put there and page-continuation markers.
    pub fn push_input(&mut self, input: &[char], start: usize, end: usize) {
        let end = end.min(input.len());
        let mut i = start;
        while i < end {
            let c = input[i];
            if is_space(c) {
                self.pending_space.get_or_insert(i);
                i += 1;
                continue;
            }
            if let Some(len) = continuation_marker(input, i, end) {
                i += len;
                continue;
            }
            self.push_char(c, i);
            i += 1;
        }
    }

    /// A line break that the layout inserted inside a sentence: joins like a space.
    pub fn soft_break(&mut self, at: usize) {
        self.pending_space.get_or_insert(at);
    }

    /// A paragraph or heading boundary the rules must not read across.
    pub fn hard_break(&mut self, at: usize) {
        self.pending_space = None;
        if self.chars.last().is_some_and(|&c| c != '\n') {
            self.chars.push('\n');
            self.orig.push(at);
        }
    }
}

/// A word list indexed by first and by last character, so that looking for
/// any of its words at a position costs one hash lookup when none is there.
pub(crate) struct Lexicon {
    words: Vec<Vec<char>>,
    by_first: HashMap<char, Vec<usize>>,
    by_last: HashMap<char, Vec<usize>>,
}

impl Lexicon {
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Lexicon {
        let words: Vec<Vec<char>> = words.into_iter().map(|w| w.chars().collect()).collect();
        let mut by_first: HashMap<char, Vec<usize>> = HashMap::new();
        let mut by_last: HashMap<char, Vec<usize>> = HashMap::new();
        for (i, w) in words.iter().enumerate() {
            if let (Some(&f), Some(&l)) = (w.first(), w.last()) {
                by_first.entry(f).or_default().push(i);
                by_last.entry(l).or_default().push(i);
            }
        }
        // Longest first, then in list order: callers take the first match.
        for bucket in by_first.values_mut().chain(by_last.values_mut()) {
            bucket.sort_by_key(|&i| (std::cmp::Reverse(words[i].len()), i));
        }
        Lexicon {
            words,
            by_first,
            by_last,
        }
    }

    /// Indices of the words that occur at `at`, longest first.
    pub fn starting_at<'a>(
        &'a self,
        chars: &'a [char],
        at: usize,
    ) -> impl Iterator<Item = usize> + 'a {
        chars
            .get(at)
            .and_then(|c| self.by_first.get(c))
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&i| chars.get(at..at + self.words[i].len()) == Some(&self.words[i][..]))
    }

    /// Indices of the words that end just before `end`, longest first.
    pub fn ending_at<'a>(
        &'a self,
        chars: &'a [char],
        end: usize,
    ) -> impl Iterator<Item = usize> + 'a {
        end.checked_sub(1)
            .and_then(|i| chars.get(i))
            .and_then(|c| self.by_last.get(c))
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&i| {
                let n = self.words[i].len();
                end >= n && chars[end - n..end] == self.words[i][..]
            })
    }

    pub fn len_of(&self, i: usize) -> usize {
        self.words[i].len()
    }
}

/// `word` occurs in `chars` at `at`.
pub(crate) fn starts_with(chars: &[char], at: usize, word: &str) -> bool {
    word.chars()
        .enumerate()
        .all(|(k, w)| chars.get(at + k) == Some(&w))
}

/// `word` occurs in `chars` ending just before `end`.
pub(crate) fn ends_with(chars: &[char], end: usize, word: &str) -> bool {
    let n = word.chars().count();
    end >= n && starts_with(chars, end - n, word)
}

pub(crate) fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '\n' | '!' | '?' | ';')
}

pub(crate) fn is_clause_end(c: char) -> bool {
    is_sentence_end(c) || matches!(c, '，' | '：' | ',' | ':')
}

/// Start of the clause containing `i`.
pub(crate) fn clause_start(chars: &[char], i: usize) -> usize {
    let i = i.min(chars.len());
    let floor = i.saturating_sub(MAX_LOOKBACK);
    let mut s = i;
    while s > floor && !is_clause_end(chars[s - 1]) {
        s -= 1;
    }
    s
}

/// No sentence of the genre is longer; text without punctuation is read in
/// windows of this size so that no scan grows with the input.
const MAX_LOOKBACK: usize = 300;

/// Start of the sentence containing `i`.
pub(crate) fn sentence_start(chars: &[char], i: usize) -> usize {
    let i = i.min(chars.len());
    let floor = i.saturating_sub(MAX_LOOKBACK);
    let mut s = i;
    while s > floor && !is_sentence_end(chars[s - 1]) {
        s -= 1;
    }
    s
}

/// The input text under `span`, from the input's chars (no scan from the start).
pub(crate) fn text_of(input: &[char], span: Span) -> String {
    let end = span.end.min(input.len());
    input[span.start.min(end)..end].iter().collect()
}

/// Length of a page-continuation marker starting at `i`, such as "(上接 D1 版)",
/// "（下转第2版）" or "（转D3版）".
pub(crate) fn continuation_marker(input: &[char], i: usize, end: usize) -> Option<usize> {
    if !matches!(input.get(i), Some('(' | '（')) {
        return None;
    }
    let window = &input[i..end.min(i + 16)];
    let close = window.iter().position(|&c| c == ')' || c == '）')?;
    let inner: String = window[1..close].iter().filter(|c| !is_space(**c)).collect();
    let rest = ["上接", "下转", "接上", "转", "接"]
        .iter()
        .find_map(|p| inner.strip_prefix(p))?;
    let rest = rest.strip_prefix('第').unwrap_or(rest);
    let rest = rest.strip_suffix('版')?;
    let ok = !rest.is_empty()
        && rest.len() <= 6
        && rest.chars().all(|c| c.is_ascii_alphanumeric())
        && rest.chars().any(|c| c.is_ascii_digit());
    ok.then_some(close + 1)
}

/// True when the marker at `i` says the text continues from an earlier page.
pub(crate) fn is_continued_from(input: &[char], i: usize) -> bool {
    continuation_marker(input, i, input.len()).is_some()
        && input[i + 1..]
            .iter()
            .filter(|c| !is_space(**c))
            .take(2)
            .copied()
            .eq(['上', '接'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> String {
        let input: Vec<char> = s.chars().collect();
        let mut c = Clean::default();
        c.push_input(&input, 0, input.len());
        c.chars.iter().collect()
    }

    #[test]
    fn drops_layout_spaces_only() {
        let cases = [
            ("标准厂房 6800 平方米", "标准厂房6800平方米"),
            ("2×100 万千瓦", "2×100万千瓦"),
            ("Norkis Arteaga 等", "Norkis Arteaga等"),
            ("3D 打印", "3D打印"),
            ("(上接 D1 版)全方位", "全方位"),
            ("见下文（下转第2版）", "见下文"),
            ("(绿色分拣中心)", "(绿色分拣中心)"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input), want, "{input}");
        }
    }

    #[test]
    fn offsets_point_into_the_input() {
        let s = "厂房 6800 平方米";
        let input: Vec<char> = s.chars().collect();
        let mut c = Clean::default();
        c.push_input(&input, 0, input.len());
        let span = c.span(2, 6);
        assert_eq!(span.slice(s), "6800");
    }
}
