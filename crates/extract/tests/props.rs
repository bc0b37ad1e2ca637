//! Properties: numbers written in Chinese forms parse back to themselves, and
//! `read` never panics and only returns spans inside its input.

use kfq_extract::numbers::{parse_at, to_chinese, Decimal};
use proptest::prelude::*;

fn parse_all(text: &str) -> Option<Decimal> {
    let chars: Vec<char> = text.chars().collect();
    let parsed = parse_at(&chars, 0)?;
    (parsed.end == chars.len()).then_some(parsed.value)
}

const SEEDS: [&str; 3] = [
    include_str!("seeds/000_aa8f9fb98abb2377.txt"),
    include_str!("seeds/001_820556265f2e75f1.txt"),
    include_str!("seeds/002_dca386e19e6f0d3f.txt"),
];

/// Text of the genre: its characters, digits, units, punctuation and layout.
fn bulletin_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "本刊讯",
        "科学导报讯",
        "总投资",
        "亿元",
        "万元",
        "项目",
        "个",
        "家",
        "企业",
        "年产",
        "万吨",
        "吨",
        "亩",
        "平方米",
        "万平方米",
        "就业",
        "余人",
        "约",
        "以上",
        "突破",
        "不到",
        "个工作日",
        "同比增长",
        "%",
        "签约",
        "开工",
        "投产",
        "的",
        "，",
        "。",
        "、",
        "；",
        "\n",
        "\n\n",
        "## ",
        "# ",
        " ",
        "（张三 李四）",
        "(上接 D1 版)",
        "经济技术开发区",
        "经开区",
        "运城",
        "临汾",
        "该项目",
        "7月17日",
        "二〇二三年",
        "两栋",
        "三期",
        "2×100",
        "万千瓦",
        "1.2GW",
        "18.6",
        "0",
        "7",
        "100",
        "十二",
        "百万",
        "×",
        "年",
        "月",
        "日",
        "“",
        "”",
        "有限公司",
        "集团",
        "园区",
        "区内",
        "已",
        "建成投运",
    ]);
    prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn chinese_numerals_parse_back(n in 0u64..1_000_000_000_000) {
        let written = to_chinese(n);
        prop_assert_eq!(parse_all(&written), Decimal::from_int(i128::from(n)), "{}", written);
    }

    #[test]
    fn arabic_with_multipliers_is_exact(mantissa in 0i128..10_000_000, scale in 0u32..4, mult in 0usize..4) {
        let d = Decimal::new(mantissa, scale).unwrap();
        let (word, exp) = [("", 0), ("万", 4), ("亿", 8), ("千万", 7)][mult];
        let written = format!("{d}{word}");
        prop_assert_eq!(parse_all(&written), d.mul_pow10(exp), "{}", written);
    }

    #[test]
    fn positional_years_parse_back(year in 1900u32..2100) {
        let digits = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
        let written: String = year.to_string().chars().map(|c| digits[c as usize - '0' as usize]).collect();
        let chars: Vec<char> = format!("{written}年").chars().collect();
        let parsed = parse_at(&chars, 0).unwrap();
        prop_assert_eq!(parsed.end, chars.len() - 1);
        prop_assert_eq!(Some(parsed.value), Decimal::from_int(i128::from(year)));
    }

    #[test]
    fn decimal_text_round_trips(mantissa in -1_000_000_000_000i128..1_000_000_000_000, scale in 0u32..8) {
        let d = Decimal::new(mantissa, scale).unwrap();
        prop_assert_eq!(d.to_string().parse::<Decimal>().unwrap(), d);
    }

    #[test]
    fn read_never_panics_on_any_string(text in any::<String>()) {
        check_spans(&text);
    }

    #[test]
    fn read_never_panics_on_bulletin_like_text(text in bulletin_like()) {
        check_spans(&text);
    }

    #[test]
    fn read_never_panics_on_cut_and_spliced_seeds(
        seed in 0usize..3,
        start in 0usize..6000,
        len in 0usize..3000,
        at in 0usize..3000,
        insert in bulletin_like(),
    ) {
        let chars: Vec<char> = SEEDS[seed].chars().collect();
        let start = start.min(chars.len());
        let end = (start + len).min(chars.len());
        let mut piece: Vec<char> = chars[start..end].to_vec();
        let at = at.min(piece.len());
        piece.splice(at..at, insert.chars());
        check_spans(&piece.into_iter().collect::<String>());
    }
}

/// Every span lies inside the input, so slicing by it lands on char boundaries.
fn check_spans(text: &str) {
    let reading = kfq_extract::read(text);
    let chars = text.chars().count();
    let mut spans: Vec<kfq_extract::Span> = Vec::new();
    for a in &reading.articles {
        spans.push(a.span);
        spans.push(a.body_span);
        spans.extend(a.date.as_ref().map(|d| d.span));
    }
    for f in &reading.facts {
        spans.push(f.span);
        assert!(f.article.is_none_or(|i| i < reading.articles.len()));
        assert!((0.0..=1.0).contains(&f.confidence));
    }
    for s in spans {
        assert!(
            s.start <= s.end && s.end <= chars,
            "{s:?} outside {chars} chars"
        );
        let byte_start = text
            .char_indices()
            .nth(s.start)
            .map_or(text.len(), |(b, _)| b);
        assert!(text.is_char_boundary(byte_start));
        let _ = s.slice(text);
    }
    // The reading serialises and comes back the same.
    let json = serde_json::to_string(&reading).unwrap();
    let back: kfq_extract::Reading = serde_json::from_str(&json).unwrap();
    assert_eq!(back, reading);
}
