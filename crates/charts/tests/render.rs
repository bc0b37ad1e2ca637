//! Renders each chart and reads the SVG back with an XML parser: well-
//! formedness, structure, positions, escaping, gaps, statuses, placeholders
//! and determinism.

use kfq_charts::{
    bar_chart, line_chart, rag_matrix, sparkline, Bar, BarChart, Cell, Column, LineChart, Matrix,
    MatrixRow, Rag, Reference, Scale, Series, Spark, MIN_FONT,
};
use quick_xml::events::Event;
use quick_xml::Reader;

/// Just enough of a DOM to query the charts.
#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<El>,
    text: String,
}

impl El {
    fn attr(&self, k: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
    }

    fn has_class(&self, c: &str) -> bool {
        self.attr("class")
            .is_some_and(|v| v.split_whitespace().any(|x| x == c))
    }

    fn all(&self) -> Vec<&El> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.all());
        }
        out
    }

    fn with_class(&self, c: &str) -> Vec<&El> {
        self.all().into_iter().filter(|e| e.has_class(c)).collect()
    }

    fn named(&self, n: &str) -> Vec<&El> {
        self.all().into_iter().filter(|e| e.name == n).collect()
    }

    fn title(&self) -> Option<&str> {
        self.children
            .iter()
            .find(|c| c.name == "title")
            .map(|t| t.text.as_str())
    }

    fn num(&self, k: &str) -> f64 {
        self.attr(k).unwrap().parse().unwrap()
    }
}

fn element(e: &quick_xml::events::BytesStart) -> El {
    El {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("attribute");
                let k = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                // By hand: `unescape_value` is gone when another crate turns on
                // quick-xml's `encoding` feature.
                let raw = String::from_utf8_lossy(&a.value).into_owned();
                let value = quick_xml::escape::unescape(&raw)
                    .expect("escaped value")
                    .into_owned();
                (k, value)
            })
            .collect(),
        ..El::default()
    }
}

/// Parses `svg`, panicking with the document when it is not well-formed.
fn parse(svg: &str) -> El {
    let mut reader = Reader::from_str(svg);
    let mut stack = vec![El::default()];
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"));
        match event {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(element(&e)),
            Event::End(_) => {
                let el = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Text(t) => stack.last_mut().unwrap().text += &t.decode().unwrap(),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().expect("char ref") {
                    Some(c) => c.to_string(),
                    None => match r.decode().unwrap().as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => panic!("unknown entity {other}"),
                    },
                };
                stack.last_mut().unwrap().text += &c;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "one root element");
    let svg_el = root.children.pop().unwrap();
    assert_eq!(svg_el.name, "svg");
    assert!(svg_el.title().is_some(), "every chart has a <title>");
    svg_el
}

fn months(from_year: i32, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{}-{:02}", from_year + (i / 12) as i32, i % 12 + 1))
        .collect()
}

fn trend() -> LineChart {
    let mut c = LineChart::new("规上工业增加值增速", Scale::new(1, "%"));
    c.subtitle = Some("2023年1月至2024年12月".into());
    c.labels = months(2023, 24);
    c.series.push(Series::new(
        "本年",
        (0..24)
            .map(|i| if i == 5 { None } else { Some(i * 7 - 35) })
            .collect(),
    ));
    c.series.push(Series::new(
        "上年同期",
        (0..24).map(|i| Some(121 - i * 3)).collect(),
    ));
    c.reference = Some(Reference::new("目标", 80));
    c
}

fn ranking(n: usize) -> BarChart {
    let mut c = BarChart::new("各开发区投资完成率", Scale::new(1, "%"));
    c.reference = Some(Reference::new("序时进度", 500));
    let rags = [Rag::Green, Rag::Yellow, Rag::Red];
    for i in 0..n {
        let mut bar = Bar::new(format!("开发区{i:03}"), 1000 - 8 * i as i64).rag(rags[i % 3]);
        bar.href = Some(format!("/zones/{i}"));
        c.bars.push(bar);
    }
    c
}

fn matrix() -> Matrix {
    let mut m = Matrix::new("指标亮灯情况");
    m.columns = vec![
        Column::new("地区生产总值", Scale::new(1, "%")),
        Column::new("规模以上工业企业营业收入增速（同比）", Scale::new(1, "%")),
        Column::new("固定资产投资", Scale::new(4, "亿元").shown(2)),
    ];
    m.rows = vec![
        MatrixRow::new(
            "晋中开发区",
            vec![
                Cell::new(Some(65), Some(Rag::Green)).href("/zones/1/gdp"),
                Cell::new(Some(-12), Some(Rag::Red)),
                Cell::new(Some(186_049), Some(Rag::Yellow)),
            ],
        ),
        MatrixRow::new("大同开发区", vec![Cell::new(None, Some(Rag::Red))]),
    ];
    m
}

#[test]
fn every_chart_is_well_formed_and_deterministic() {
    type Render = Box<dyn Fn() -> String>;
    let cases: Vec<(&str, Render)> = vec![
        ("line", Box::new(|| line_chart(&trend()))),
        ("bar", Box::new(|| bar_chart(&ranking(12)))),
        ("bar-long", Box::new(|| bar_chart(&ranking(120)))),
        ("matrix", Box::new(|| rag_matrix(&matrix()))),
        (
            "spark",
            Box::new(|| sparkline(&[Some(3), None, Some(-2), Some(5)], &Spark::new("趋势"))),
        ),
    ];
    for (name, render) in cases {
        let (a, b) = (render(), render());
        assert_eq!(a, b, "{name} is deterministic");
        parse(&a);
    }
}

#[test]
fn text_is_never_smaller_than_the_print_minimum() {
    for svg in [
        line_chart(&trend()),
        bar_chart(&ranking(40)),
        rag_matrix(&matrix()),
    ] {
        let doc = parse(&svg);
        for t in doc.named("text") {
            assert!(t.num("font-size") >= MIN_FONT, "{:?}", t.attrs);
        }
        assert!(doc.attr("viewBox").is_some() && doc.attr("width") == Some("100%"));
    }
}

#[test]
fn markup_in_labels_is_escaped() {
    let evil = "A<b>&\"c\"";
    let mut line = trend();
    line.title = evil.into();
    assert_eq!(parse(&line_chart(&line)).title(), Some(evil));
    line.series[0].name = evil.into();
    line.labels[23] = evil.into();
    let mut bars = ranking(3);
    bars.bars[0].label = evil.into();
    bars.bars[1].href = Some("javascript:alert(1)".into());
    let mut m = matrix();
    m.columns[0].name = evil.into();
    m.rows[0].name = evil.into();
    for svg in [line_chart(&line), bar_chart(&bars), rag_matrix(&m)] {
        assert!(!svg.contains("A<b>"), "raw markup leaked");
        let doc = parse(&svg);
        let texts: String = doc.all().iter().map(|e| e.text.as_str()).collect();
        assert!(texts.contains(evil), "escaped text reads back intact");
        assert!(!svg.contains("javascript:"));
    }
}

#[test]
fn line_chart_axis_reference_gaps_and_labels() {
    let doc = parse(&line_chart(&trend()));
    // Data -3.5..12.1 with a target of 8.0 gives ticks -5 … 15.
    let ticks: Vec<&str> = doc
        .with_class("tick")
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(ticks, ["-5", "0", "5", "10", "15"]);
    let y_of = |label: &str| {
        doc.with_class("tick")
            .into_iter()
            .find(|t| t.text == label)
            .unwrap()
            .num("y")
            - 5.0
    };
    // The target 8.0 sits 3/5 of the way from 5 to 10.
    let reference = doc.with_class("reference")[0].with_class("reference-line")[0];
    let want = y_of("5") + (y_of("10") - y_of("5")) * 0.6;
    assert!(
        (reference.num("y1") - want).abs() < 0.2,
        "{} vs {want}",
        reference.num("y1")
    );
    assert_eq!(doc.with_class("reference")[0].title(), Some("目标 8.0%"));

    let lines = doc.with_class("line");
    let moves = |i: usize| lines[i].attr("d").unwrap().matches('M').count();
    assert_eq!(moves(0), 2, "the missing June breaks the line");
    assert_eq!(moves(1), 1);
    // 23 points on the first series, 24 on the second.
    let series = doc.with_class("series");
    assert_eq!(series[0].with_class("point").len(), 23);
    assert_eq!(series[1].with_class("point").len(), 24);
    assert_eq!(
        series[0].with_class("point")[0].title(),
        Some("2023-01 本年：-3.5%")
    );

    let shown: Vec<&str> = doc
        .with_class("month")
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    assert!(shown.len() < 24, "month labels are thinned: {shown:?}");
    assert_eq!(
        shown.last(),
        Some(&"2024-12"),
        "the latest month is labelled"
    );
    let legend: String = doc.with_class("legend")[0]
        .all()
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert!(legend.contains("本年") && legend.contains("上年同期") && legend.contains("目标"));
}

#[test]
fn month_labels_thin_more_as_months_grow() {
    let count = |n: usize| {
        let mut c = LineChart::new("t", Scale::new(0, ""));
        c.labels = months(2022, n);
        c.series
            .push(Series::new("s", (0..n as i64).map(Some).collect()));
        parse(&line_chart(&c)).with_class("month").len()
    };
    assert_eq!(count(6), 6);
    let (c12, c24, c36) = (count(12), count(24), count(36));
    assert!(
        c12 >= c24 / 2 && c24 <= 12 && c36 <= 12,
        "{c12} {c24} {c36}"
    );
}

#[test]
fn bar_chart_keeps_order_statuses_and_reference() {
    let chart = ranking(12);
    let doc = parse(&bar_chart(&chart));
    let labels: Vec<&str> = doc
        .with_class("label")
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    let want: Vec<String> = chart.bars.iter().map(|b| b.label.clone()).collect();
    assert_eq!(labels, want);
    let ys: Vec<f64> = doc
        .with_class("bar-fill")
        .iter()
        .map(|r| r.num("y"))
        .collect();
    assert!(ys.windows(2).all(|w| w[0] < w[1]), "top to bottom in order");

    assert_eq!(doc.with_class("rag-red").len(), 4);
    let fills: Vec<&str> = doc
        .with_class("bar-fill")
        .iter()
        .map(|r| r.attr("fill").unwrap())
        .collect();
    assert!(fills[0].starts_with('#'), "green is plain");
    assert!(
        fills[1].starts_with("url(#") && fills[2].starts_with("url(#"),
        "yellow and red patterned"
    );
    // Every pattern referenced is defined.
    let ids: Vec<&str> = doc
        .named("pattern")
        .iter()
        .map(|p| p.attr("id").unwrap())
        .collect();
    for f in fills.iter().filter(|f| f.starts_with("url(#")) {
        assert!(ids.contains(&&f[5..f.len() - 1]), "{f}");
    }

    // 序时进度 50.0% sits halfway between the 0 and 100 ticks.
    let x_of = |label: &str| {
        doc.with_class("tick")
            .into_iter()
            .find(|t| t.text == label)
            .unwrap()
            .num("x")
    };
    let line = doc.with_class("reference")[0].with_class("reference-line")[0];
    assert!((line.num("x1") - (x_of("0") + x_of("100")) / 2.0).abs() < 0.2);
    assert_eq!(
        doc.with_class("reference")[0].title(),
        Some("序时进度 50.0%")
    );
    let values: Vec<&str> = doc
        .with_class("value")
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(values[0], "100.0%");
    assert_eq!(doc.named("a")[0].attr("href"), Some("/zones/0"));
}

#[test]
fn bar_chart_grows_with_bars_and_handles_negatives() {
    let height = |svg: &str| {
        parse(svg)
            .attr("viewBox")
            .unwrap()
            .split(' ')
            .nth(3)
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    let (h10, h120) = (
        height(&bar_chart(&ranking(10))),
        height(&bar_chart(&ranking(120))),
    );
    assert!(h120 - h10 >= 110.0 * kfq_charts::BAR_PITCH);

    let mut c = BarChart::new("增速", Scale::new(1, "%"));
    c.bars = vec![Bar::new("甲", 52), Bar::new("乙", -31)];
    let doc = parse(&bar_chart(&c));
    let rects = doc.with_class("bar-fill");
    let zero_x = doc
        .with_class("tick")
        .into_iter()
        .find(|t| t.text == "0")
        .unwrap()
        .num("x");
    assert!((rects[0].num("x") - zero_x).abs() < 0.2);
    assert!((rects[1].num("x") + rects[1].num("width") - zero_x).abs() < 0.2);
    assert_eq!(doc.with_class("value")[1].attr("text-anchor"), Some("end"));
}

#[test]
fn matrix_cells_carry_status_value_and_links() {
    let doc = parse(&rag_matrix(&matrix()));
    let cells = doc.with_class("cell");
    assert_eq!(cells.len(), 6, "missing cells are drawn as no data");
    let classes: Vec<&str> = cells
        .iter()
        .map(|c| c.attr("class").unwrap().split(' ').nth(1).unwrap())
        .collect();
    assert_eq!(
        classes,
        [
            "rag-green",
            "rag-red",
            "rag-yellow",
            "rag-none",
            "rag-none",
            "rag-none"
        ]
    );
    let values: Vec<&str> = doc
        .with_class("value")
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(values, ["6.5", "-1.2", "18.60", "—", "—", "—"]);
    assert_eq!(
        cells[2].title(),
        Some("晋中开发区 · 固定资产投资：18.60亿元（黄灯）")
    );
    let links: Vec<&str> = doc
        .named("a")
        .iter()
        .filter_map(|a| a.attr("href"))
        .collect();
    assert_eq!(links, ["/zones/1/gdp"]);
    // Colours: red and yellow through patterns, green and grey plain.
    let svg = rag_matrix(&matrix());
    for colour in ["#c9f0d1", "#e9ecef", "#ffd4cf", "#fff0b3"] {
        assert!(svg.contains(colour), "{colour}");
    }
    // The long heading wraps onto several lines.
    let headings = doc.with_class("column-heading");
    assert!(headings[1].named("tspan").len() >= 2);
}

#[test]
fn empty_inputs_say_no_data() {
    let mut no_values = trend();
    for s in &mut no_values.series {
        s.values = vec![None; 24];
    }
    for svg in [
        line_chart(&LineChart::new("趋势", Scale::new(1, "%"))),
        line_chart(&no_values),
        bar_chart(&BarChart::new("排名", Scale::default())),
        rag_matrix(&Matrix::new("矩阵")),
        sparkline(&[], &Spark::new("空")),
        sparkline(&[None, None], &Spark::new("空")),
    ] {
        let doc = parse(&svg);
        assert_eq!(doc.with_class("no-data")[0].text, "暂无数据");
        assert!(svg.len() < 2000, "small");
    }
}

#[test]
fn sparkline_marks_gaps_latest_point_and_zero() {
    let doc = parse(&sparkline(
        &[Some(3), Some(4), None, Some(-2), Some(5), None],
        &Spark::new("近6个月"),
    ));
    assert_eq!(doc.title(), Some("近6个月"));
    assert_eq!(doc.attr("width"), Some("120"));
    let d = doc.with_class("line")[0].attr("d").unwrap();
    assert_eq!(d.matches('M').count(), 2);
    assert_eq!(doc.with_class("latest").len(), 1);
    assert_eq!(doc.with_class("zero").len(), 1);
    // A single constant value still draws.
    let one = parse(&sparkline(&[Some(7)], &Spark::new("x")));
    assert_eq!(one.with_class("latest").len(), 1);
}
