//! Page layout: splits a bulletin into articles. Owns the reading of lines —
//! headings (marked with `#` or just short and unpunctuated), source markers
//! ("本刊讯"), bylines ("（张越 闫鑫）" or a bare name line), "(上接 D1 版)"
//! fragments, sentences broken over lines or across an interrupting heading, and
//! titles printed after their article. It finds no facts.

use std::collections::HashSet;

use crate::text::{continuation_marker, is_continued_from, is_space};

/// A heading line: char range of its text (without `#`), and its rank
/// (1 for `#`, 2 for `##`, …, [`PLAIN`] for an unmarked short line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HeadLine {
    pub start: usize,
    pub end: usize,
    pub rank: u8,
}

pub(crate) const PLAIN: u8 = 9;

/// A paragraph: the input ranges of its lines, joined when read.
#[derive(Clone, Debug, Default)]
pub(crate) struct Paragraph {
    pub segments: Vec<(usize, usize)>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct RawArticle {
    /// Title lines printed before the body.
    pub heads: Vec<HeadLine>,
    /// Title lines printed inside the body or after it.
    pub late_heads: Vec<HeadLine>,
    /// Section headings inside the body.
    pub sections: Vec<HeadLine>,
    pub paragraphs: Vec<Paragraph>,
    pub source: Option<(usize, usize)>,
    pub byline: Option<(usize, usize)>,
    pub continued: bool,
    closed: bool,
}

impl RawArticle {
    pub fn first_char(&self) -> Option<usize> {
        let head = self.heads.first().map(|h| h.start);
        let body = self
            .paragraphs
            .first()
            .and_then(|p| p.segments.first())
            .map(|s| s.0);
        let source = self.source.map(|s| s.0);
        [head, body, source].into_iter().flatten().min()
    }

    pub fn last_char(&self) -> Option<usize> {
        let body = self.body_end();
        let late = self.late_heads.iter().map(|h| h.end).max();
        let byline = self.byline.map(|b| b.1);
        [body, late, byline].into_iter().flatten().max()
    }

    pub fn body_start(&self) -> Option<usize> {
        let body = self
            .paragraphs
            .first()
            .and_then(|p| p.segments.first())
            .map(|s| s.0);
        let source = self.source.map(|s| s.0);
        [body, source].into_iter().flatten().min()
    }

    pub fn body_end(&self) -> Option<usize> {
        self.paragraphs
            .iter()
            .flat_map(|p| p.segments.iter())
            .map(|s| s.1)
            .max()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Heading { rank: u8, text_start: usize },
    Text,
    Byline,
}

#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
    kind: Kind,
}

const SENTENCE_PUNCT: &[char] = &['，', '。', '；', '！', '？', '：', ',', ';', '!', '?', ':'];
const CLOSING: &[char] = &[
    '。', '！', '？', '；', '…', '”', '’', '」', '』', '）', ')', '】', '!', '?', ';', '：', ':',
];

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '〇')
}

/// Splits the input into non-blank lines, trimmed, with their kinds.
fn lines(input: &[char]) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..=input.len() {
        if i < input.len() && input[i] != '\n' {
            continue;
        }
        let (mut s, mut e) = (start, i);
        while s < e && is_space(input[s]) {
            s += 1;
        }
        while e > s && is_space(input[e - 1]) {
            e -= 1;
        }
        start = i + 1;
        if s == e {
            continue;
        }
        let kind = classify(input, s, e);
        out.push(Line {
            start: s,
            end: e,
            kind,
        });
    }
    out
}

fn classify(input: &[char], s: usize, e: usize) -> Kind {
    let text = &input[s..e];
    if text[0] == '#' {
        let hashes = text.iter().take_while(|&&c| c == '#').count();
        let mut t = s + hashes;
        while t < e && is_space(input[t]) {
            t += 1;
        }
        if t < e {
            return Kind::Heading {
                rank: hashes.min(8) as u8,
                text_start: t,
            };
        }
        return Kind::Text;
    }
    if byline_at_end(input, s, e) == Some(s) {
        return Kind::Byline;
    }
    if source_marker(input, s, e).is_some() || continuation_marker(input, s, e).is_some() {
        return Kind::Text;
    }
    let visible = text.iter().filter(|c| !is_space(**c)).count();
    let punctuated = text.iter().any(|c| SENTENCE_PUNCT.contains(c));
    let closed = text.last().is_some_and(|c| matches!(c, '。' | '！' | '？'));
    if visible <= 48 && !punctuated && !closed {
        Kind::Heading {
            rank: PLAIN,
            text_start: s,
        }
    } else {
        Kind::Text
    }
}

/// The source marker at the start of a line: "本刊讯", "科学导报讯", "本报讯",
/// "来源：科学导报", "科学导报记者…".
pub(crate) fn source_marker(input: &[char], s: usize, e: usize) -> Option<(usize, usize)> {
    let window = &input[s..e.min(s + 14)];
    // …讯 after a run of Han characters, not 通讯员.
    if let Some(p) = window.iter().position(|&c| c == '讯') {
        let next_ok = !matches!(window.get(p + 1), Some('员' | '录' | '社' | '息' | '号'));
        // 开发区工作通讯: a magazine's name on its masthead, not a source marker.
        let next_ok = next_ok && !(p > 0 && window[p - 1] == '通');
        if (1..=9).contains(&p) && window[..p].iter().all(|&c| is_han(c)) && next_ok {
            return Some((s, s + p + 1));
        }
    }
    for prefix in ["来源：", "来源:"] {
        let n = prefix.chars().count();
        if window.len() > n && window.iter().take(n).copied().eq(prefix.chars()) {
            let end = (s + n..e).find(|&i| !is_han(input[i])).unwrap_or(e);
            if end > s + n {
                return Some((s, end));
            }
        }
    }
    // 科学导报记者 张三 报道: a paper's name before 记者.
    if let Some(p) = window.windows(2).position(|w| w == ['记', '者']) {
        let name = &window[..p];
        let paperish = name
            .last()
            .is_some_and(|&c| matches!(c, '报' | '刊' | '社' | '网' | '台'));
        if p >= 2 && paperish && name.iter().all(|&c| is_han(c)) {
            return Some((s, s + p));
        }
    }
    None
}

/// Start of a byline that ends the range `[s, e)`: "（张越 闫鑫）", "(贺玉斌)",
/// "（记者 张三 通讯员 李四）". It must follow a sentence end or stand alone.
pub(crate) fn byline_at_end(input: &[char], s: usize, e: usize) -> Option<usize> {
    if e <= s || !matches!(input[e - 1], ')' | '）') {
        return None;
    }
    let lo = e.saturating_sub(40).max(s);
    let open = (lo..e - 1)
        .rev()
        .find(|&i| matches!(input[i], '(' | '（'))?;
    if !is_byline(&input[open + 1..e - 1]) {
        return None;
    }
    let before = input[s..open].iter().rev().find(|c| !is_space(**c));
    match before {
        None => Some(open),
        Some('。' | '！' | '？' | '”' | '…' | '」') => Some(open),
        _ => None,
    }
}

/// End of a byline printed right after the source marker at `at`:
/// "本报讯（记者 李明 通讯员 王芳）7月10日…".
pub(crate) fn byline_at_start(input: &[char], at: usize, e: usize) -> Option<usize> {
    let open = (at..e).find(|&i| !is_space(input[i]))?;
    if !matches!(input[open], '(' | '（') {
        return None;
    }
    let close = (open + 1..e.min(open + 40)).find(|&i| matches!(input[i], ')' | '）'))?;
    is_byline(&input[open + 1..close]).then_some(close + 1)
}

/// A bracketed byline the column broke over two lines: "…亿元。（谢" then
/// "红）". Returns where it opens on the earlier line.
fn broken_byline(input: &[char], prev: &Line, cur: &Line) -> Option<usize> {
    let closes = matches!(input[cur.end - 1], ')' | '）');
    let opens_here = input[cur.start..cur.end]
        .iter()
        .any(|c| matches!(c, '(' | '（'));
    if !closes || opens_here || cur.end - cur.start > 12 {
        return None;
    }
    let open = (prev.start..prev.end)
        .rev()
        .take(24)
        .find(|&i| matches!(input[i], '(' | '（'))?;
    let inner: Vec<char> = input[open + 1..prev.end]
        .iter()
        .chain(&input[cur.start..cur.end - 1])
        .copied()
        .collect();
    let before = input[prev.start..open]
        .iter()
        .rev()
        .find(|c| !is_space(**c));
    let after_sentence = matches!(before, None | Some('。' | '！' | '？' | '”' | '…' | '」'));
    (after_sentence && is_byline(&inner)).then_some(open)
}

/// End of a reporters' byline after the source marker that runs on to the
/// next line; `line_end` ends the marker's line, `next_end` the next one.
fn byline_at_start_broken(
    input: &[char],
    at: usize,
    line_end: usize,
    next_end: usize,
) -> Option<usize> {
    let open = (at..line_end).find(|&i| !is_space(input[i]))?;
    if !matches!(input[open], '(' | '（') || line_end >= next_end {
        return None;
    }
    let close =
        (line_end..next_end.min(line_end + 24)).find(|&i| matches!(input[i], ')' | '）'))?;
    let inner: Vec<char> = input[open + 1..close]
        .iter()
        .filter(|&&c| c != '\n')
        .copied()
        .collect();
    is_byline(&inner).then_some(close + 1)
}

/// The inside of a byline: names of two to four characters, maybe with roles
/// (记者, 通讯员), or one name whose characters the layout spaced apart.
fn is_byline(inner: &[char]) -> bool {
    let spaced: Vec<char> = inner.iter().copied().filter(|c| !is_space(*c)).collect();
    let letters_spaced = inner.iter().any(|c| is_space(*c))
        && inner.split(|c| is_space(*c)).all(|t| t.len() <= 1)
        && (2..=4).contains(&spaced.len())
        && spaced.iter().all(|&c| is_han(c));
    if letters_spaced {
        return true;
    }
    let mut names = 0;
    for token in inner.split(|c| is_space(*c) || *c == '/' || *c == '、') {
        if token.is_empty() {
            continue;
        }
        let role = matches!(
            token.iter().collect::<String>().as_str(),
            "记者" | "通讯员" | "文" | "图" | "文图" | "摄影" | "编辑" | "责编"
        );
        let name = (2..=4).contains(&token.len()) && token.iter().all(|&c| is_han(c));
        if !role && !name {
            return false;
        }
        names += usize::from(!role);
    }
    (1..=6).contains(&names)
}

/// A line holding only a name or two, as some bulletins print the byline.
fn is_bare_name_line(input: &[char], line: &Line) -> bool {
    let text = &input[line.start..line.end];
    let tokens: Vec<&[char]> = text
        .split(|c| is_space(*c))
        .filter(|t| !t.is_empty())
        .collect();
    !tokens.is_empty()
        && tokens.len() <= 3
        && tokens.iter().all(|t| {
            (2..=4).contains(&t.len())
                && t.iter().all(|&c| is_han(c))
                && !matches!(
                    t.last(),
                    Some(
                        '区' | '会'
                            | '局'
                            | '部'
                            | '委'
                            | '组'
                            | '队'
                            | '厂'
                            | '司'
                            | '团'
                            | '县'
                            | '市'
                            | '省'
                            | '办'
                            | '处'
                            | '所'
                            | '院'
                            | '校'
                            | '站'
                            | '园'
                    )
                )
        })
}

fn ends_open(input: &[char], end: usize) -> bool {
    end > 0 && !CLOSING.contains(&input[end - 1])
}

fn head_of(line: &Line) -> Option<HeadLine> {
    match line.kind {
        Kind::Heading { rank, text_start } => Some(HeadLine {
            start: text_start,
            end: line.end,
            rank,
        }),
        _ => None,
    }
}

/// Splits the input into articles.
pub(crate) fn articles(input: &[char]) -> Vec<RawArticle> {
    let lines = lines(input);
    if let Some(out) = column_articles(input, &lines) {
        return out;
    }
    if let Some(out) = web_articles(input, &lines) {
        return out;
    }
    let mut out: Vec<RawArticle> = Vec::new();
    let mut cur: Option<RawArticle> = None;
    let mut pending: Vec<HeadLine> = Vec::new();
    // The paragraph being built, and whether its last line ends mid-sentence.
    let mut para: Option<Paragraph> = None;
    let mut para_open = false;

    let is_marker_text = |l: &Line| {
        l.kind == Kind::Text
            && (source_marker(input, l.start, l.end).is_some()
                || continuation_marker(input, l.start, l.end).is_some())
    };

    // For each line, the next line that is not a heading.
    let mut next_body: Vec<Option<usize>> = vec![None; lines.len()];
    for j in (0..lines.len()).rev() {
        next_body[j] = if matches!(lines[j].kind, Kind::Heading { .. }) {
            next_body.get(j + 1).copied().flatten()
        } else {
            Some(j)
        };
    }
    let mut k = 0;
    while k < lines.len() {
        let line = lines[k];
        let next = lines.get(k + 1);
        let in_progress = cur.as_ref().is_some_and(|a| !a.closed);
        let prev_is_heading = k > 0 && matches!(lines[k - 1].kind, Kind::Heading { .. });
        let mut kind = line.kind;

        if let Kind::Heading { rank, .. } = kind {
            // A heading printed in the middle of a sentence: the sentence goes on
            // after it, and the heading titles the article it interrupts.
            let after = next_body[k].map(|j| &lines[j]);
            let resumes = after.is_some_and(|l| l.kind == Kind::Text && !is_marker_text(l));
            if para_open && in_progress && resumes {
                if let Some(a) = cur.as_mut() {
                    a.late_heads.extend(head_of(&line));
                }
                k += 1;
                continue;
            }
            if rank == PLAIN && in_progress {
                let next_is_body = next.is_some_and(|l| l.kind == Kind::Text && !is_marker_text(l));
                let next_is_end = next
                    .is_none_or(|l| matches!(l.kind, Kind::Heading { .. }) || is_marker_text(l));
                if is_bare_name_line(input, &line) && next_is_end && !para_open {
                    flush(&mut para, &mut cur);
                    para_open = false;
                    if let Some(a) = cur.as_mut() {
                        a.byline = Some((line.start, line.end));
                        a.closed = true;
                    }
                    k += 1;
                    continue;
                }
                // A short line that runs on into the next: a broken sentence.
                if (para_open || (!prev_is_heading && next_is_body)) && ends_open(input, line.end) {
                    kind = Kind::Text;
                }
            }
        }

        match kind {
            Kind::Heading { .. } => {
                flush(&mut para, &mut cur);
                para_open = false;
                pending.extend(head_of(&line));
            }
            Kind::Byline => {
                flush(&mut para, &mut cur);
                para_open = false;
                if let Some(a) = cur.as_mut() {
                    a.byline = Some((line.start, line.end));
                    a.closed = true;
                }
            }
            Kind::Text => {
                let marker = source_marker(input, line.start, line.end);
                let continuation = is_continued_from(input, line.start);
                let starts_article = marker.is_some() || continuation;
                let mut seg_start = line.start;
                if para_open && !starts_article && in_progress {
                    if let Some(p) = para.as_mut() {
                        p.segments.push((line.start, line.end));
                    }
                } else {
                    flush(&mut para, &mut cur);
                    let needs_new = starts_article
                        || !in_progress
                        || (!pending.is_empty() && cur.as_ref().is_some_and(|a| a.continued));
                    if needs_new {
                        if let Some(mut a) = cur.take() {
                            give_trailing_title(&mut a, &mut pending);
                            out.push(a);
                        }
                        let mut a = RawArticle {
                            heads: std::mem::take(&mut pending),
                            continued: continuation,
                            ..RawArticle::default()
                        };
                        if let Some((ms, me)) = marker {
                            a.source = Some((ms, me));
                            seg_start = me;
                            if let Some(b) = byline_at_start(input, me, line.end) {
                                a.byline = Some((me, b));
                                seg_start = b;
                            }
                        }
                        cur = Some(a);
                    } else if let Some(a) = cur.as_mut() {
                        a.sections.append(&mut pending);
                    }
                    para = Some(Paragraph {
                        segments: vec![(seg_start, line.end)],
                    });
                }
                // A byline closes both the paragraph and the article.
                if let Some(b) = byline_at_end(input, line.start, line.end) {
                    if let Some(p) = para.as_mut() {
                        if let Some(last) = p.segments.last_mut() {
                            last.1 = b;
                            while last.1 > last.0 && is_space(input[last.1 - 1]) {
                                last.1 -= 1;
                            }
                        }
                    }
                    flush(&mut para, &mut cur);
                    para_open = false;
                    if let Some(a) = cur.as_mut() {
                        a.byline = Some((b, line.end));
                        a.closed = true;
                    }
                } else {
                    para_open = ends_open(input, line.end);
                }
            }
        }
        k += 1;
    }
    flush(&mut para, &mut cur);
    if let Some(a) = cur.take() {
        out.push(a);
    }
    // Headings left at the end title the article above them.
    if !pending.is_empty() {
        if let Some(last) = out.last_mut() {
            if last.source.is_none() {
                last.sections.append(&mut last.heads);
            }
            last.late_heads.append(&mut pending);
        }
    }
    out.retain(|a| !a.paragraphs.is_empty() || !a.heads.is_empty() || !a.late_heads.is_empty());
    out
}

/// One article body of column text: its lines, from the source marker to the byline.
struct ColumnBody {
    lines: Vec<usize>,
    byline: Option<(usize, usize)>,
}

/// Text taken from a PDF of two or three narrow columns: every article opens
/// with its source marker ("本刊讯") and ends with its byline, and the title
/// block (zone line, headline) stands between one byline and the next marker.
/// Whether those blocks title the article above or below them differs between
/// magazines, so it is decided per document from the words each block shares
/// with its neighbours. `None` when the text is not laid out in such columns.
fn column_articles(input: &[char], lines: &[Line]) -> Option<Vec<RawArticle>> {
    if lines.iter().any(|l| input[l.start] == '#') {
        return None;
    }
    let mut bodies: Vec<ColumnBody> = Vec::new();
    // blocks[i] holds the lines before body i; the last one, the lines after all.
    let mut blocks: Vec<Vec<usize>> = vec![Vec::new()];
    let mut open = false;
    for (k, l) in lines.iter().enumerate() {
        if source_marker(input, l.start, l.end).is_some() {
            if open {
                blocks.push(Vec::new());
            }
            bodies.push(ColumnBody {
                lines: vec![k],
                byline: None,
            });
            open = true;
        } else if open {
            bodies.last_mut()?.lines.push(k);
        } else {
            blocks.last_mut()?.push(k);
            continue;
        }
        let byline = if l.kind == Kind::Byline {
            Some(l.start)
        } else {
            byline_at_end(input, l.start, l.end).or_else(|| {
                let prev = lines[bodies.last()?.lines.iter().rev().nth(1).copied()?];
                broken_byline(input, &prev, l)
            })
        };
        if let Some(b) = byline {
            bodies.last_mut()?.byline = Some((b, l.end));
            blocks.push(Vec::new());
            open = false;
        }
    }
    if open {
        blocks.push(Vec::new());
    }
    if bodies.is_empty() || bodies.iter().all(|b| b.byline.is_none()) {
        return None;
    }
    // Page numbers ("- 2 -", "第3版") and the running head of each page
    // ("开发区工作通讯 2024年第6期") are neither text nor titles.
    let running = |k: &usize| {
        let line = &input[lines[*k].start..lines[*k].end];
        is_page_number(line) || is_masthead(line)
    };
    for b in &mut bodies {
        b.lines.retain(|k| !running(k));
    }
    // A body the next marker closed without a byline in brackets: after its
    // last finished sentence come a bare-name byline and the title block.
    for (i, b) in bodies.iter_mut().enumerate() {
        if b.byline.is_some() || b.lines.len() < 2 {
            continue;
        }
        let finished = |k: usize| {
            input[..lines[k].end]
                .last()
                .is_some_and(|c| matches!(c, '。' | '！' | '？' | '”'))
        };
        let Some(last) = b.lines.iter().rposition(|&k| finished(k)) else {
            continue;
        };
        let mut rest: Vec<usize> = b.lines.split_off(last + 1);
        if let Some(&first) = rest.first() {
            if is_bare_name_line(input, &lines[first]) {
                b.byline = Some((lines[first].start, lines[first].end));
                rest.remove(0);
            }
        }
        if let Some(block) = blocks.get_mut(i + 1) {
            rest.append(block);
            *block = rest;
        }
    }
    for block in &mut blocks {
        block.retain(|k| !running(k) && !is_caption(&input[lines[*k].start..lines[*k].end]));
    }
    // Narrow columns (two or three to a page): nearly every body line but the
    // last of each is short.
    let visible = |l: &Line| {
        input[l.start..l.end]
            .iter()
            .filter(|c| !is_space(**c))
            .count()
    };
    let inner: Vec<usize> = bodies
        .iter()
        .flat_map(|b| {
            b.lines[..b.lines.len() - 1]
                .iter()
                .map(|&k| visible(&lines[k]))
        })
        .collect();
    let short = inner.iter().filter(|&&n| n <= 24).count();
    if inner.len() < 4 || short * 10 < inner.len() * 8 {
        return None;
    }

    // Title blocks are short: their first characters are evidence enough, and
    // bounding them keeps pathological input linear.
    const BLOCK_CHARS: usize = 80;
    let pairs = |ks: &[usize], limit: usize| -> HashSet<[char; 2]> {
        let chars: Vec<char> = ks
            .iter()
            .flat_map(|&k| input[lines[k].start..lines[k].end].iter().copied())
            .filter(|c| !is_space(*c))
            .take(limit)
            .collect();
        chars
            .windows(2)
            .filter(|w| is_han(w[0]) && is_han(w[1]))
            .map(|w| [w[0], w[1]])
            .collect()
    };
    let body_pairs: Vec<HashSet<[char; 2]>> =
        bodies.iter().map(|b| pairs(&b.lines, usize::MAX)).collect();
    let shared = |block: &[usize], body: &HashSet<[char; 2]>| -> i64 {
        pairs(block, BLOCK_CHARS).intersection(body).count() as i64
    };
    let n = bodies.len();
    let mut evidence = 0;
    for (i, block) in blocks.iter().enumerate() {
        if block.is_empty() {
            continue;
        }
        let above = if i > 0 {
            shared(block, &body_pairs[i - 1])
        } else {
            0
        };
        let below = if i < n {
            shared(block, &body_pairs[i])
        } else {
            0
        };
        evidence += above - below;
    }
    let trailing = evidence > 0;

    let heads_of = |ks: &[usize]| -> Vec<HeadLine> {
        ks.iter()
            .map(|&k| HeadLine {
                start: lines[k].start,
                end: lines[k].end,
                rank: PLAIN,
            })
            .collect()
    };
    let mut out = Vec::with_capacity(n);
    for (i, body) in bodies.iter().enumerate() {
        let mut a = RawArticle {
            closed: true,
            byline: body.byline,
            ..RawArticle::default()
        };
        if trailing {
            a.late_heads = heads_of(&blocks[i + 1]);
        } else {
            a.heads = heads_of(&blocks[i]);
            if i + 1 == n {
                a.late_heads = heads_of(&blocks[n]);
            }
        }
        let mut para = Paragraph::default();
        // Text before this offset is the marker and its reporters' byline.
        let mut text_from = 0;
        let byline_from = body.byline.map_or(usize::MAX, |b| b.0);
        for (j, &k) in body.lines.iter().enumerate() {
            let l = lines[k];
            let mut s = l.start.max(text_from);
            let mut e = l.end.min(byline_from);
            if j == 0 {
                if let Some((ms, me)) = source_marker(input, l.start, l.end) {
                    a.source = Some((ms, me));
                    s = me;
                    // 本报讯（记者 薛凯 通讯⏎员 杨柳）: the reporters may run on.
                    let next_end = body.lines.get(1).map_or(l.end, |&n| lines[n].end);
                    if let Some(b) = byline_at_start(input, me, l.end)
                        .or_else(|| byline_at_start_broken(input, me, l.end, next_end))
                    {
                        a.byline = Some((me, b));
                        s = b.min(l.end);
                        text_from = b;
                    }
                }
            }
            while e > s && is_space(input[e - 1]) {
                e -= 1;
            }
            // An indented line opens a paragraph.
            let indented = j > 0 && l.start > 0 && is_space(input[l.start - 1]);
            if indented && !para.segments.is_empty() {
                a.paragraphs.push(std::mem::take(&mut para));
            }
            if s < e {
                para.segments.push((s, e));
            }
        }
        if !para.segments.is_empty() {
            a.paragraphs.push(para);
        }
        out.push(a);
    }
    Some(out)
}

/// A photo caption among the title lines: "图为项目生产车间。 薛凯 摄",
/// "图：…", or any finished sentence (a title is not one).
fn is_caption(line: &[char]) -> bool {
    let core: Vec<char> = line.iter().copied().filter(|c| !is_space(*c)).collect();
    let ends = |w: &str| core.ends_with(&w.chars().collect::<Vec<char>>());
    let starts = |w: &str| core.starts_with(&w.chars().collect::<Vec<char>>());
    starts("图为")
        || starts("图：")
        || ends("摄")
        || ends("供图")
        || core.last().is_some_and(|c| matches!(c, '。' | '！' | '？'))
}

/// "- 2 -", "— 12 —", "第3版", "3": a page number line.
fn is_page_number(line: &[char]) -> bool {
    let core: Vec<char> = line
        .iter()
        .copied()
        .filter(|&c| !is_space(c) && !matches!(c, '-' | '—' | '–' | '·'))
        .collect();
    let digits = core.iter().take_while(|c| c.is_ascii_digit()).count();
    let numbered = match core.first() {
        Some('第') => {
            let d = core[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            d > 0 && matches!(&core[1 + d..], ['版'] | ['页'])
        }
        _ => digits > 0 && digits == core.len(),
    };
    numbered && core.len() <= 5
}

/// A magazine's name or issue line: "2024 年第 11 期", "总第58期",
/// "忻州开发区工作通讯".
fn is_masthead(line: &[char]) -> bool {
    let core: Vec<char> = line.iter().copied().filter(|c| !is_space(*c)).collect();
    if core.len() > 30 || core.iter().any(|c| SENTENCE_PUNCT.contains(c)) {
        return false;
    }
    let issue = core.windows(2).enumerate().any(|(i, w)| {
        w[1] == '期'
            && w[0].is_ascii_digit()
            && core[..i].iter().rev().find(|c| !c.is_ascii_digit()) == Some(&'第')
    });
    // "本报讯（记者 薛凯 通讯" ends a line with 通讯 too, inside brackets.
    let bracketed = core.iter().any(|c| matches!(c, '(' | '（' | ')' | '）'));
    let name = !bracketed
        && core.len() <= 16
        && ["通讯", "简报", "快报", "工作动态", "专刊"]
            .iter()
            .any(|w| core.ends_with(&w.chars().collect::<Vec<char>>()));
    issue || name
}

/// What a line of a news web page is, apart from the news itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WebLine {
    /// Navigation, print and font controls, paging, copyright: not read.
    Furniture,
    /// The date, source or hit count printed under a title.
    Meta,
    News,
}

fn web_line(input: &[char], l: &Line) -> WebLine {
    let text: String = input[l.start..l.end].iter().collect();
    // News sentences are punctuated; furniture and meta lines are not (a
    // sentence about a 3D打印 park is news).
    if text.contains(['，', '。', '；']) {
        return WebLine::News;
    }
    const META: &[&str] = &[
        "发布时间",
        "发布日期",
        "发布于",
        "时间：",
        "日期：",
        "来源：",
        "来源:",
        "作者：",
        "浏览",
        "点击数",
        "点击量",
        "阅读次数",
        "阅读量",
        "访问量",
        "字体",
        "字号",
    ];
    if META.iter().any(|w| text.contains(w)) || starts_with_date(&text) {
        return WebLine::Meta;
    }
    const FURNITURE: &[&str] = &[
        "位置：",
        "位置:",
        "打印",
        "关闭",
        "版权所有",
        "ICP备",
        "上一篇",
        "下一篇",
        "上一页",
        "下一页",
        "分享到",
        "扫一扫",
        "收藏本页",
        "【大】",
        "【小】",
        "责任编辑",
        "编辑：",
        "审核：",
        "校对：",
        "发布人",
        "相关链接",
        "返回顶部",
    ];
    let nav = text.contains("首页")
        && (text.contains('>') || text.contains('＞') || text.contains('»') || text.contains('|'));
    let menu = text.matches('|').count() >= 3;
    if nav || menu || FURNITURE.iter().any(|w| text.contains(w)) {
        return WebLine::Furniture;
    }
    WebLine::News
}

/// "2024-05-20", "2024年04月12日 来源：…", "2024/05/20 10:32": a line that
/// opens with a full date.
fn starts_with_date(text: &str) -> bool {
    let head: Vec<char> = text
        .chars()
        .take_while(|&c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | '年' | '月' | '日'))
        .collect();
    let digits = head.iter().filter(|c| c.is_ascii_digit()).count();
    let rest_ok = text
        .chars()
        .nth(head.len())
        .is_none_or(|c| is_space(c) || c.is_ascii_digit());
    head.len() >= 8 && digits >= 6 && rest_ok
}

/// A city's or zone's news page as saved from the browser: no source markers
/// and no headline marks, but site furniture around the news and a date line
/// under each title. Each title with the lines up to the next title is one
/// article; the furniture is not read. `None` when the text is not such a page.
fn web_articles(input: &[char], lines: &[Line]) -> Option<Vec<RawArticle>> {
    if lines.iter().any(|l| input[l.start] == '#') {
        return None;
    }
    // A bulletin's "本刊讯" says it is not a web page; a web page's "来源：" does not.
    let bulletin_marker = lines.iter().any(|l| {
        source_marker(input, l.start, l.end).is_some_and(|(s, e)| input[s..e].last() == Some(&'讯'))
    });
    if bulletin_marker {
        return None;
    }
    let kinds: Vec<WebLine> = lines.iter().map(|l| web_line(input, l)).collect();
    let furniture = kinds.iter().filter(|k| **k != WebLine::News).count();
    if furniture < 2 {
        return None;
    }
    let titles = if kinds.contains(&WebLine::Meta) {
        dated_titles(&kinds)
    } else {
        undated_titles(input, lines, &kinds)
    };
    if titles.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for (n, &t) in titles.iter().enumerate() {
        let end = titles.get(n + 1).copied().unwrap_or(lines.len());
        let mut a = RawArticle {
            closed: true,
            heads: vec![HeadLine {
                start: lines[t].start,
                end: lines[t].end,
                rank: 1,
            }],
            ..RawArticle::default()
        };
        for k in t + 1..end {
            if kinds[k] != WebLine::News {
                if let Some(src) = source_in(input, lines[k].start, lines[k].end) {
                    a.source.get_or_insert(src);
                }
                continue;
            }
            a.paragraphs.push(Paragraph {
                segments: vec![(lines[k].start, lines[k].end)],
            });
        }
        out.push(a);
    }
    Some(out)
}

/// Titles of a page with dates: the news line right above a run of meta
/// lines (furniture between a title and its date, such as a font switch, is
/// allowed).
fn dated_titles(kinds: &[WebLine]) -> Vec<usize> {
    let mut titles = Vec::new();
    for (k, kind) in kinds.iter().enumerate() {
        if *kind != WebLine::Meta || (k > 0 && kinds[k - 1] == WebLine::Meta) {
            continue;
        }
        let title = (0..k).rev().find(|&j| kinds[j] != WebLine::Furniture);
        if let Some(j) = title.filter(|&j| kinds[j] == WebLine::News) {
            if titles.last() != Some(&j) {
                titles.push(j);
            }
        }
    }
    titles
}

/// Titles of a page without dates (a list of news items pasted whole): an
/// unpunctuated news line of headline length whose next news line is a
/// punctuated paragraph. Site names and section names above a title are not
/// titles: what follows them is another heading, not a paragraph.
fn undated_titles(input: &[char], lines: &[Line], kinds: &[WebLine]) -> Vec<usize> {
    let text = |k: usize| &input[lines[k].start..lines[k].end];
    let punctuated = |k: usize| text(k).iter().any(|c| matches!(c, '，' | '。' | '；'));
    (0..lines.len())
        .filter(|&k| kinds[k] == WebLine::News && !punctuated(k))
        .filter(|&k| (6..=40).contains(&text(k).len()))
        .filter(|&k| {
            (k + 1..lines.len())
                .find(|&j| kinds[j] != WebLine::Furniture)
                .is_some_and(|j| kinds[j] == WebLine::News && punctuated(j))
        })
        .collect()
}

/// "来源：运城市商务局" inside a meta line.
fn source_in(input: &[char], s: usize, e: usize) -> Option<(usize, usize)> {
    (s..e).find_map(|i| {
        let (ms, me) = source_marker(input, i, e)?;
        (input[ms] == '来').then_some((ms, me))
    })
}

/// An article that ended with its byline but was printed without a title gets
/// the first of the headings that follow it, when more headings follow for the
/// next article ("…（赵敏）\n## 忻州经开区重点项目集中开工\n灵石经济技术开发区\n## …").
fn give_trailing_title(prev: &mut RawArticle, pending: &mut Vec<HeadLine>) {
    if !prev.closed || !prev.heads.is_empty() || !prev.late_heads.is_empty() || pending.len() < 2 {
        return;
    }
    let rank = pending[0].rank;
    let group = pending.iter().take_while(|h| h.rank == rank).count();
    if group < pending.len() {
        prev.late_heads.extend(pending.drain(..group));
    }
}

fn flush(para: &mut Option<Paragraph>, cur: &mut Option<RawArticle>) {
    if let Some(p) = para.take() {
        let empty = p.segments.iter().all(|(s, e)| s >= e);
        if !empty {
            if let Some(a) = cur.as_mut() {
                a.paragraphs.push(p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(input: &[char], s: usize, e: usize) -> String {
        input[s..e].iter().collect()
    }

    fn split(s: &str) -> (Vec<char>, Vec<RawArticle>) {
        let input: Vec<char> = s.chars().collect();
        let arts = articles(&input);
        (input, arts)
    }

    #[test]
    fn marker_starts_article_and_byline_ends_it() {
        let (input, arts) = split(
            "某某经济技术开发区\n\n召开推进会\n\n本刊讯 5月3日，会议召开。（张三 李四）\n\n标题二\n\n本刊讯 近日，又一件事。(王五)",
        );
        assert_eq!(arts.len(), 2);
        assert_eq!(arts[0].heads.len(), 2);
        let s = arts[0].source.unwrap();
        assert_eq!(text(&input, s.0, s.1), "本刊讯");
        let b = arts[0].byline.unwrap();
        assert_eq!(text(&input, b.0, b.1), "（张三 李四）");
        assert_eq!(arts[1].heads.len(), 1);
    }

    #[test]
    fn a_news_page_without_dates_splits_at_its_titles() {
        let page = "长治高新区管委会\n首页 | 新闻中心 | 招商引资 | 政务公开\n\
                    您所在的位置：首页 > 新闻中心 > 园区动态\n\
                    长治高新区与宁德时代签约储能电池项目\n\
                    5月18日，双方签署投资协议。项目总投资36亿元。\n\
                    长治高新区1-4月重点项目建设提速\n\
                    1-4月，42个重点项目完成投资28.6亿元。\n\
                    其中3000万元以上项目26个。\n\
                    版权所有：长治高新区管委会 晋ICP备05001235号";
        let (input, arts) = split(page);
        let titles: Vec<String> = arts
            .iter()
            .map(|a| text(&input, a.heads[0].start, a.heads[0].end))
            .collect();
        assert_eq!(
            titles,
            [
                "长治高新区与宁德时代签约储能电池项目",
                "长治高新区1-4月重点项目建设提速"
            ]
        );
        assert_eq!(
            arts[1].paragraphs.len(),
            2,
            "both paragraphs, no copyright line"
        );
    }

    #[test]
    fn bylines() {
        let cases = [
            ("会议召开。（张越 闫鑫）", Some("（张越 闫鑫）")),
            ("会议召开。(贺玉斌)", Some("(贺玉斌)")),
            ("会议召开。（张 华）", Some("（张 华）")),
            (
                "会议召开。（记者 李明 通讯员 王芳）",
                Some("（记者 李明 通讯员 王芳）"),
            ),
            ("规划（2022-2026年）", None),
            ("回收中心(绿色分拣中心)", None),
        ];
        for (text, want) in cases {
            let input: Vec<char> = text.chars().collect();
            let got = byline_at_end(&input, 0, input.len())
                .map(|b| input[b..].iter().collect::<String>());
            assert_eq!(got.as_deref(), want, "{text}");
        }
    }

    #[test]
    fn broken_sentence_is_joined() {
        let (input, arts) =
            split("本刊讯 项目总投资约18亿元，总\n\n建筑面积约14.3万平方米。（张三）");
        assert_eq!(arts.len(), 1);
        let segs = &arts[0].paragraphs[0].segments;
        assert_eq!(segs.len(), 2);
        assert_eq!(
            text(&input, segs[1].0, segs[1].1),
            "建筑面积约14.3万平方米。"
        );
    }

    #[test]
    fn heading_inside_sentence_titles_article() {
        let (input, arts) = split(
            "本刊讯 会议对通知进行了解读，并对近期需\n\n## 某某开发区 召开会议\n\n开展的工作进行了部署。(张三)",
        );
        assert_eq!(arts.len(), 1);
        let h = arts[0].late_heads[0];
        assert_eq!(text(&input, h.start, h.end), "某某开发区 召开会议");
        assert_eq!(arts[0].paragraphs.len(), 1);
    }

    #[test]
    fn trailing_heading_titles_last_article() {
        let (input, arts) = split(
            "## 小节一\n\n该园区大力推进建设，成效明显。\n\n吕平\n\n## 某某经开区 打造新样板",
        );
        assert_eq!(arts.len(), 1);
        let a = &arts[0];
        assert_eq!(
            text(&input, a.byline.unwrap().0, a.byline.unwrap().1),
            "吕平"
        );
        assert_eq!(
            text(&input, a.late_heads[0].start, a.late_heads[0].end),
            "某某经开区 打造新样板"
        );
        assert_eq!(a.sections.len(), 1);
    }
}
