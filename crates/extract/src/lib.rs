//! Bulletin reader: turns the text of a development-zone bulletin into articles
//! and facts (project figures, zone aggregates, stages), each fact with the span
//! of text it was read from. Pure: no I/O, no network, no model; rules only.
//!
//! ```
//! let reading = kfq_extract::read("## 某某经济技术开发区项目集中开工\n\n本刊讯 4月25日，\
//!     此次开工的12个项目总投资18.6亿元。（张三）");
//! let total = &reading.facts.iter().find(|f| f.kind == kfq_extract::FactKind::TotalInvestment).unwrap();
//! assert_eq!(total.value.quantity().unwrap().yuan(), Some(1_860_000_000));
//! ```
//!
//! All offsets are char offsets into the input (see [`Span`]).

mod dates;
mod entities;
mod facts;
mod layout;
pub mod matching;
mod measures;
mod model;
pub mod numbers;
pub mod score;
mod text;
mod zones;

pub use model::{
    Article, ArticleDate, Fact, FactKind, Modality, Qualifier, Quantity, Reading, Span, Stage,
    Unit, Value,
};
pub use numbers::Decimal;
pub use zones::canonical_name as canonical_zone_name;

use layout::{HeadLine, RawArticle, PLAIN};
use text::Clean;
use zones::ZoneMention;

/// Reads a bulletin. Never panics; text that is not a bulletin gives an empty
/// or small reading.
pub fn read(text: &str) -> Reading {
    let input: Vec<char> = text.chars().collect();
    let raw = layout::articles(&input);
    let resolver = zones::Resolver::new(&zones::find(&input));
    let bulletin_years = dates::present_years(&input);

    let mut reading = Reading::default();
    for (index, a) in raw.iter().enumerate() {
        let (article, mut facts) = read_article(&input, a, index, &resolver, &bulletin_years);
        reading.articles.push(article);
        reading.facts.append(&mut facts);
    }
    reading
}

/// Title lines: which is the title, the kicker above it, the subtitle below.
struct Titles {
    kicker: Vec<HeadLine>,
    title: Vec<HeadLine>,
    subtitle: Vec<HeadLine>,
}

fn split_titles(input: &[char], heads: &[HeadLine]) -> Titles {
    let mut t = Titles {
        kicker: Vec::new(),
        title: heads.to_vec(),
        subtitle: Vec::new(),
    };
    if heads.len() < 2 {
        return t;
    }
    let best = heads.iter().map(|h| h.rank).min().unwrap_or(PLAIN);
    if heads.iter().any(|h| h.rank != best) {
        // Marked levels differ: the most prominent run is the title.
        let first = heads.iter().position(|h| h.rank == best).unwrap_or(0);
        let last = first + heads[first..].iter().take_while(|h| h.rank == best).count();
        t.kicker = heads[..first].to_vec();
        t.title = heads[first..last].to_vec();
        t.subtitle = heads[last..].to_vec();
        return t;
    }
    // Same level: one title broken over lines, unless the first line ends with a
    // verb of speech (a kicker) or the last starts with a figure (a subtitle).
    let line = |h: &HeadLine| -> String { input[h.start..h.end].iter().collect() };
    if ["强调", "指出", "表示", "要求"]
        .iter()
        .any(|w| line(&heads[0]).ends_with(w))
    {
        t.kicker = vec![heads[0]];
        t.title.remove(0);
    }
    if t.title.len() > 1 {
        let last = t.title[t.title.len() - 1];
        if input[last.start].is_ascii_digit() {
            t.subtitle = vec![last];
            t.title.pop();
        }
    }
    t
}

/// Joins heading lines into one string, collapsing runs of spaces.
fn join_lines(input: &[char], lines: &[HeadLine]) -> String {
    let mut out = String::new();
    for h in lines {
        let mut space = false;
        for &c in &input[h.start..h.end] {
            if text::is_space(c) {
                space = !out.is_empty();
                continue;
            }
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

fn read_article(
    input: &[char],
    a: &RawArticle,
    index: usize,
    resolver: &zones::Resolver,
    bulletin_years: &[i32],
) -> (Article, Vec<Fact>) {
    let heads: &[HeadLine] = if a.heads.is_empty() {
        &a.late_heads
    } else {
        &a.heads
    };
    let titles = split_titles(input, heads);
    let opt = |lines: &[HeadLine]| (!lines.is_empty()).then(|| join_lines(input, lines));

    // Cleaned text of titles and of the body.
    let mut title_clean = Clean::default();
    for h in titles
        .kicker
        .iter()
        .chain(&titles.title)
        .chain(&titles.subtitle)
    {
        title_clean.push_input(input, h.start, h.end);
        title_clean.hard_break(h.end);
    }
    let mut body = Clean::default();
    for p in &a.paragraphs {
        for &(s, e) in &p.segments {
            body.push_input(input, s, e);
            body.soft_break(e);
        }
        if let Some(&(_, e)) = p.segments.last() {
            body.hard_break(e);
        }
    }

    // Zones: titles first, so the main zone is the one the headline names.
    let canonical = |m: &ZoneMention| resolver.canonical(m);
    let named = |chars: &[char]| -> Vec<(ZoneMention, String)> {
        zones::find(chars)
            .into_iter()
            .filter_map(|m| canonical(&m).map(|c| (m, c)))
            .collect()
    };
    let title_zones = named(&title_clean.chars);
    let body_zones = named(&body.chars);
    let mut zone_names: Vec<String> = Vec::new();
    for (_, name) in title_zones.iter().chain(&body_zones) {
        if !zone_names.contains(name) {
            zone_names.push(name.clone());
        }
    }

    let mut date = dates::article_date(&body, 0, input);
    if let Some(d) = date.as_mut() {
        if d.year.is_none() && d.month.is_some() {
            let article_years = dates::present_years(&body.chars);
            d.year = dates::infer_year(&article_years, bulletin_years);
            d.year_inferred = d.year.is_some();
        }
    }

    let span_of = |r: Option<(usize, usize)>| r.map(|(s, e)| Span::new(s, e));
    let source = span_of(a.source).map(|s| text::text_of(input, s));
    let byline = span_of(a.byline).map(|s| text::text_of(input, s));
    let authors = byline.as_deref().map(authors_of).unwrap_or_default();
    let first = a.first_char().unwrap_or(0);
    let last = a.last_char().unwrap_or(first);
    let body_start = a.body_start().unwrap_or(first);
    let body_end = a.body_end().unwrap_or(body_start);

    let article = Article {
        title: join_lines(input, &titles.title),
        kicker: opt(&titles.kicker),
        subtitle: opt(&titles.subtitle),
        zones: zone_names.clone(),
        date,
        source,
        byline,
        authors,
        continued: a.continued,
        span: Span::new(first, last.max(first)),
        body_span: Span::new(body_start, body_end.max(body_start)),
    };

    let main_zone = title_zones.first().map(|(_, name)| name.as_str());
    let body_all_zones = zones::all_zones_phrases(&body.chars);
    let title_all_zones = zones::all_zones_phrases(&title_clean.chars);
    let body_scope = facts::Scope {
        input,
        article: index,
        zone: main_zone,
        zones: &body_zones,
        all_zones: &body_all_zones,
    };
    let mut facts = facts::extract(&body, &body_scope);
    let title_scope = facts::Scope {
        zones: &title_zones,
        all_zones: &title_all_zones,
        ..body_scope
    };
    let mut title_facts = facts::extract(&title_clean, &title_scope);
    facts::drop_repeated_title_facts(&mut title_facts, &facts);
    title_facts.append(&mut facts);
    facts::dedupe(&mut title_facts);
    (article, title_facts)
}

fn authors_of(byline: &str) -> Vec<String> {
    let tokens: Vec<&str> = byline
        .trim_matches(|c| matches!(c, '(' | ')' | '（' | '）'))
        .split(|c: char| c.is_whitespace() || c == '/' || c == '、')
        .filter(|t| !t.is_empty())
        .filter(|t| {
            !matches!(
                *t,
                "记者" | "通讯员" | "文" | "图" | "文图" | "摄影" | "编辑" | "责编"
            )
        })
        .collect();
    // "（张 华）" is one name spaced apart, not two.
    if tokens.len() > 1 && tokens.iter().all(|t| t.chars().count() == 1) {
        return vec![tokens.concat()];
    }
    tokens.into_iter().map(str::to_string).collect()
}
