//! Renders charts and reads the SVG back with an XML parser: structure,
//! positions, escaping, paging and the edge cases that must not panic.

use chrono::{Days, NaiveDate};
use kfq_gantt::{
    is_overdue, render_pages, render_svg, Chart, Mark, Row, Span, Status, A3_HEIGHT,
    A3_ROWS_PER_PAGE, PLOT_LEFT, PLOT_RIGHT, WIDTH,
};
use roxmltree::{Document, Node};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn parse(svg: &str) -> Document<'_> {
    Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"))
}

fn has_class(n: &Node, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

fn with_class<'a, 'i>(doc: &'a Document<'i>, class: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.is_element() && has_class(n, class))
        .collect()
}

/// Text of an element without the text of its `<title>` children.
fn own_text(n: &Node) -> String {
    n.children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect()
}

fn title_of(n: &Node) -> Option<String> {
    n.children()
        .find(|c| c.has_tag_name("title"))
        .and_then(|t| t.text().map(str::to_owned))
}

fn all_texts(doc: &Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| own_text(&n))
        .collect()
}

fn view_box(doc: &Document) -> (f64, f64) {
    let vb: Vec<f64> = doc
        .root_element()
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    (vb[2], vb[3])
}

/// A zone wall of `n` projects across 2024.
fn wall(n: usize) -> Chart {
    let mut c = Chart::new("开发区重点项目推进图", d(2024, 6, 30));
    c.subtitle = Some("截至2024年6月30日".into());
    for i in 0..n {
        let start = d(2024, 1, 1) + Days::new(i as u64 * 5 % 120);
        let mut row = Row::new(format!("项目{}", i + 1));
        row.sublabel = Some(format!("开工 · 总投资 {}.00 亿元", i + 1));
        row.status = Some([Status::Red, Status::Yellow, Status::Green][i % 3]);
        row.planned = Some(Span::new(start, start + Days::new(200)));
        row.actual = Some(Span::open(start + Days::new(10)));
        row.marks
            .push(Mark::new("开工", Some(start), Some(start + Days::new(10))));
        c.rows.push(row);
    }
    c
}

#[test]
fn well_formed_with_one_group_per_row() {
    let svg = render_svg(&wall(12));
    let doc = parse(&svg);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("width"), Some("100%"));
    assert!(root
        .attribute("font-family")
        .unwrap()
        .contains("Noto Sans CJK SC"));
    assert_eq!(view_box(&doc).0, WIDTH);
    let rows = with_class(&doc, "row");
    assert_eq!(rows.len(), 12);
    for (i, row) in rows.iter().enumerate() {
        let title = title_of(row).expect("every row has a title");
        assert!(title.starts_with(&format!("项目{}（", i + 1)), "{title}");
    }
    assert_eq!(title_of(&root).as_deref(), Some("开发区重点项目推进图"));
}

#[test]
fn height_grows_with_rows() {
    let h = |n| view_box(&parse(&render_svg(&wall(n)))).1;
    assert!(h(10) < h(20));
    assert_eq!(h(20) - h(10), 10.0 * kfq_gantt::ROW_HEIGHT);
}

#[test]
fn today_line_sits_at_the_date() {
    let mut c = wall(3);
    c.range = Some((d(2024, 1, 1), d(2024, 12, 31)));
    let doc_svg = render_svg(&c);
    let doc = parse(&doc_svg);
    let lines = with_class(&doc, "today-line");
    assert_eq!(lines.len(), 1);
    let x1: f64 = lines[0].attribute("x1").unwrap().parse().unwrap();
    let x2: f64 = lines[0].attribute("x2").unwrap().parse().unwrap();
    // Days are equal slices of the plot; a point in time sits mid-day.
    let days = (d(2024, 12, 31) - d(2024, 1, 1)).num_days() + 1;
    let offset = (d(2024, 6, 30) - d(2024, 1, 1)).num_days();
    let expected = PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (offset as f64 + 0.5) / days as f64;
    assert!((x1 - expected).abs() <= 0.05, "{x1} vs {expected}");
    assert_eq!(x1, x2);
    assert!(all_texts(&doc).contains(&"今天 2024-06-30".to_owned()));

    // Today outside an explicit range: no line, but the footer still says it.
    c.range = Some((d(2023, 1, 1), d(2023, 12, 31)));
    let svg = render_svg(&c);
    let doc = parse(&svg);
    assert!(with_class(&doc, "today-line").is_empty());
    assert!(svg.contains("今天：2024年6月30日"));
}

#[test]
fn overdue_marks_appear_exactly_for_overdue_milestones() {
    let today = d(2024, 6, 30);
    let mut c = Chart::new("节点", today);
    let mut row = Row::new("某项目");
    row.marks = vec![
        Mark::new("立项", Some(d(2024, 1, 10)), Some(d(2024, 1, 8))),
        Mark::new("环评", Some(d(2024, 3, 1)), None),
        Mark::new("能评", Some(d(2024, 6, 29)), None),
        Mark::new("施工许可", Some(today), None),
        Mark::new("开工", Some(d(2024, 8, 1)), None),
        Mark::new("竣工", None, None),
        Mark::new("规划许可", Some(d(2024, 4, 1)), Some(d(2024, 7, 15))),
    ];
    c.rows.push(row);
    c.rows
        .push(Row::milestone("投产", Some(d(2024, 5, 1)), None));
    c.rows
        .push(Row::milestone("达产", Some(d(2025, 5, 1)), None));

    let expected: Vec<&str> = c
        .rows
        .iter()
        .flat_map(|r| &r.marks)
        .filter(|m| is_overdue(m, today))
        .map(|m| m.label.as_str())
        .collect();
    assert_eq!(expected, ["环评", "能评", "投产"]);
    assert_eq!(c.rows[0].overdue_count(today), 2);

    let svg = render_svg(&c);
    let doc = parse(&svg);
    let overdue = with_class(&doc, "overdue");
    let got: Vec<String> = overdue
        .iter()
        .map(|n| {
            let t = title_of(n).unwrap();
            t.split('，').next().unwrap().to_owned()
        })
        .collect();
    assert_eq!(got, expected);
    assert!(title_of(&overdue[0]).unwrap().contains("已逾期 121 天"));

    // Red "逾期" labels, and the per-row count in the label column.
    let labels: Vec<String> = with_class(&doc, "overdue-label")
        .iter()
        .map(own_text)
        .collect();
    assert_eq!(labels, ["环评 逾期", "能评 逾期", "逾期"]);
    let counts: Vec<String> = with_class(&doc, "overdue-count")
        .iter()
        .map(|g| {
            g.descendants()
                .find(|n| n.has_tag_name("text"))
                .map(|t| own_text(&t))
                .unwrap()
        })
        .collect();
    assert_eq!(counts, ["逾期 2", "逾期 1"]);

    // A late actual is marked late, not overdue.
    let late = with_class(&doc, "late");
    assert_eq!(late.len(), 1);
    assert!(title_of(&late[0]).unwrap().contains("延误 105 天"));
}

#[test]
fn text_is_escaped() {
    let nasty = "A<B>&\"C\" 'D' </text><script>alert(1)</script>";
    let mut c = Chart::new(nasty, d(2024, 6, 30));
    c.subtitle = Some("x & y < z".into());
    c.baseline_name = Some("<年初>".into());
    let mut row = Row::new("<&\">");
    row.sublabel = Some("\"总投资\" & <亿元>".into());
    row.href = Some("/projects/1?a=1&b=\"2\"".into());
    row.baseline = Some(Span::new(d(2024, 1, 1), d(2024, 3, 1)));
    row.marks.push(Mark::new("<m>&", Some(d(2024, 5, 1)), None));
    c.rows.push(row);
    let svg = render_svg(&c);
    let doc = parse(&svg);
    assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
    let texts = all_texts(&doc);
    assert!(texts.contains(&"<&\">".to_owned()), "{texts:?}");
    assert!(texts.contains(&"\"总投资\" & <亿元>".to_owned()));
    assert!(texts.contains(&"x & y < z".to_owned()));
    assert!(texts.contains(&"基线（<年初>）".to_owned()));
    assert!(texts.contains(&"<m>& 逾期".to_owned()));
    assert_eq!(title_of(&doc.root_element()).as_deref(), Some(nasty));
    let a = doc.descendants().find(|n| n.has_tag_name("a")).unwrap();
    assert_eq!(a.attribute("href"), Some("/projects/1?a=1&b=\"2\""));
    // Control characters XML forbids are dropped rather than breaking the file.
    let mut c = Chart::new("bad\u{0}\u{7}bytes\u{FFFF}", d(2024, 6, 30));
    c.rows.push(Row::new("tab\there\u{1b}"));
    parse(&render_svg(&c));
}

#[test]
fn no_scripts_handlers_styles_or_ids() {
    let mut c = wall(5);
    c.rows[0].href = Some("javascript:alert(1)".into());
    c.rows[1].href = Some("/projects/2".into());
    let svg = render_svg(&c);
    let doc = parse(&svg);
    for n in doc.descendants().filter(|n| n.is_element()) {
        let tag = n.tag_name().name();
        assert!(
            !matches!(tag, "script" | "foreignObject" | "style" | "image" | "use"),
            "{tag}"
        );
        for a in n.attributes() {
            let name = a.name().to_ascii_lowercase();
            assert!(
                name != "style" && name != "id" && !name.starts_with("on"),
                "{name}"
            );
        }
    }
    let links: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|n| n.attribute("href").unwrap().to_owned())
        .collect();
    assert_eq!(links, ["/projects/2"]);
    assert!(!svg.contains("javascript"));
}

#[test]
fn long_chinese_labels_are_truncated_with_the_full_text_in_a_tooltip() {
    let long = "山西转型综合改革示范区年产十万吨高性能碳纤维及复合材料产业化项目（一期）配套工程";
    let mut c = Chart::new("t", d(2024, 6, 30));
    c.rows.push(Row::new(long));
    c.rows.push(Row::new("短名"));
    let svg = render_svg(&c);
    let doc = parse(&svg);
    let labels = with_class(&doc, "label");
    assert_eq!(labels.len(), 2);
    let shown = own_text(&labels[0]);
    assert!(shown.ends_with('…'), "{shown}");
    let kept = shown.trim_end_matches('…');
    assert!(long.starts_with(kept));
    assert!(kept.chars().count() >= 15 && kept.chars().count() < long.chars().count());
    assert_eq!(title_of(&labels[0]).as_deref(), Some(long));
    assert_eq!(own_text(&labels[1]), "短名");
    assert_eq!(title_of(&labels[1]), None);
}

#[test]
fn axis_uses_month_labels_and_marks_years() {
    let mut c = wall(2);
    c.range = Some((d(2024, 1, 1), d(2024, 12, 31)));
    let doc_svg = render_svg(&c);
    let texts = all_texts(&parse(&doc_svg));
    for m in 1..=12 {
        assert!(texts.contains(&format!("2024年{m}月")), "{m}: {texts:?}");
    }
    c.range = Some((d(2023, 7, 1), d(2025, 6, 30)));
    let texts = all_texts(&parse(&render_svg(&c)));
    for y in ["2023年", "2024年", "2025年"] {
        assert!(texts.contains(&y.to_owned()), "{y}");
    }
}

#[test]
fn late_actuals_and_baselines_are_drawn_only_when_present() {
    let mut c = Chart::new("t", d(2024, 6, 30));
    let mut on_time = Row::new("按期");
    on_time.planned = Some(Span::new(d(2024, 1, 1), d(2024, 3, 31)));
    on_time.actual = Some(Span::new(d(2024, 1, 5), d(2024, 3, 20)));
    c.rows.push(on_time);
    let svg = render_svg(&c);
    let doc = parse(&svg);
    assert_eq!(with_class(&doc, "actual").len(), 1);
    assert!(with_class(&doc, "late").is_empty());
    assert!(with_class(&doc, "baseline").is_empty());
    assert!(!all_texts(&doc).iter().any(|t| t.starts_with("基线")));

    let mut late = Row::new("延误");
    late.planned = Some(Span::new(d(2024, 1, 1), d(2024, 3, 31)));
    late.actual = Some(Span::open(d(2024, 2, 1)));
    late.baseline = Some(Span::new(d(2023, 12, 1), d(2024, 2, 28)));
    c.rows.push(late);
    c.baseline_name = Some("年初计划".into());
    let svg = render_svg(&c);
    let doc = parse(&svg);
    let late_bar = with_class(&doc, "late");
    assert_eq!(late_bar.len(), 1);
    // The late part starts right after the planned end.
    let x: f64 = late_bar[0].attribute("x").unwrap().parse().unwrap();
    let (a, b) = c.effective_range();
    let days = ((b - a).num_days() + 1) as f64;
    let apr1 = (d(2024, 4, 1) - a).num_days() as f64;
    let expected = PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * apr1 / days;
    assert!((x - expected).abs() <= 0.05, "{x} vs {expected}");
    assert_eq!(with_class(&doc, "baseline").len(), 1);
    assert!(all_texts(&doc).contains(&"基线（年初计划）".to_owned()));
}

#[test]
fn a_walls_footer_counts_the_rows_drawn_late() {
    let mut c = Chart::new("推进图", d(2024, 6, 30));
    let m = |p, a| Mark::new("节点", Some(p), a);
    // Finished on time long ago; finished late; open past its plan; on track.
    c.rows = vec![
        Row::project(
            "甲",
            vec![
                m(d(2024, 1, 10), Some(d(2024, 1, 9))),
                m(d(2024, 3, 1), Some(d(2024, 3, 1))),
            ],
        ),
        Row::project(
            "乙",
            vec![
                m(d(2024, 1, 10), Some(d(2024, 1, 10))),
                m(d(2024, 3, 1), Some(d(2024, 3, 11))),
            ],
        ),
        Row::project(
            "丙",
            vec![
                m(d(2024, 1, 10), Some(d(2024, 1, 10))),
                m(d(2024, 5, 1), None),
            ],
        ),
        Row::project(
            "丁",
            vec![
                m(d(2024, 1, 10), Some(d(2024, 1, 12))),
                m(d(2024, 9, 1), None),
            ],
        ),
    ];
    let svg = render_svg(&c);
    let doc = parse(&svg);
    let late_bars = with_class(&doc, "late")
        .into_iter()
        .filter(|n| n.tag_name().name() == "rect")
        .count();
    assert_eq!(late_bars, 2, "乙 and 丙 only");
    let footer = all_texts(&doc)
        .into_iter()
        .find(|t| t.starts_with("今天："))
        .unwrap();
    assert!(
        footer.contains("其中 2 行晚于计划（橙色），逾期未完成节点 1 个"),
        "{footer}"
    );
}

#[test]
fn edge_cases_do_not_panic() {
    let today = d(2024, 6, 30);
    let mut charts = Vec::new();
    // No rows at all.
    charts.push(Chart::new("", today));
    // Rows with nothing in them, or only missing dates.
    let mut c = Chart::new("空行", today);
    c.rows.push(Row::default());
    c.rows.push(Row::new(""));
    c.rows.push(Row {
        marks: vec![Mark::default(), Mark::new("x", None, Some(today))],
        ..Row::new("缺日期")
    });
    charts.push(c.clone());
    // A range of one day, a reversed range, a range across years.
    for range in [
        (today, today),
        (d(2024, 12, 31), d(2024, 1, 1)),
        (d(2023, 11, 15), d(2025, 2, 10)),
        (d(1990, 1, 1), d(2090, 1, 1)),
    ] {
        let mut c = wall(4);
        c.range = Some(range);
        c.rows[0].baseline = Some(Span::new(d(2000, 1, 1), d(2080, 1, 1)));
        c.rows[1].marks.push(Mark {
            label: "远".into(),
            planned: Some(d(1999, 1, 1)),
            actual: None,
            baseline: Some(d(2100, 1, 1)),
        });
        charts.push(c);
    }
    // Spans ending before they start, open spans starting after today.
    let mut c = Chart::new("反序", today);
    c.rows.push(Row {
        planned: Some(Span::new(d(2024, 9, 1), d(2024, 2, 1))),
        actual: Some(Span::open(d(2024, 8, 1))),
        ..Row::new("r")
    });
    charts.push(c);
    // The extremes chrono can represent.
    let mut c = Chart::new("极端", NaiveDate::MAX);
    c.rows.push(Row {
        planned: Some(Span::new(NaiveDate::MIN, NaiveDate::MAX)),
        actual: Some(Span::open(NaiveDate::MIN)),
        marks: vec![Mark::new("m", Some(NaiveDate::MIN), None)],
        ..Row::new("r")
    });
    charts.push(c);
    let mut c = Chart::new("极端2", NaiveDate::MIN);
    c.rows.push(Row::milestone("m", Some(NaiveDate::MAX), None));
    charts.push(c);

    for c in &charts {
        let svg = render_svg(c);
        let doc = parse(&svg);
        assert_eq!(with_class(&doc, "row").len(), c.rows.len());
        for page in render_pages(c, 2) {
            parse(&page);
        }
    }
}

#[test]
fn empty_chart_says_so() {
    let svg = render_svg(&Chart::new("空", d(2024, 6, 30)));
    let doc = parse(&svg);
    assert!(with_class(&doc, "row").is_empty());
    assert!(all_texts(&doc).contains(&"暂无数据".to_owned()));
    assert_eq!(render_pages(&Chart::new("空", d(2024, 6, 30)), 10).len(), 1);
}

#[test]
fn pages_split_rows_in_order_and_keep_a3_proportions() {
    let c = wall(70);
    let pages = render_pages(&c, 32);
    assert_eq!(pages.len(), 3);
    let mut seen = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let doc = parse(page);
        let rows = with_class(&doc, "row");
        assert_eq!(rows.len(), [32, 32, 6][i]);
        for r in &rows {
            seen.push(title_of(r).unwrap().split('（').next().unwrap().to_owned());
        }
        assert_eq!(view_box(&doc), (WIDTH, A3_HEIGHT));
        let number = with_class(&doc, "page-number");
        assert_eq!(own_text(&number[0]), format!("第 {} / 3 页", i + 1));
        // Every page shows the same time range.
        assert!(page.contains("图示范围：2023年12月1日 至 2024年11月30日"));
    }
    let expected: Vec<String> = (1..=70).map(|i| format!("项目{i}")).collect();
    assert_eq!(seen, expected);
    // Running numbers continue across pages.
    let doc = parse(&pages[1]);
    assert!(all_texts(&doc).contains(&"33".to_owned()));

    assert_eq!(
        render_pages(&c, 0).len(),
        70usize.div_ceil(A3_ROWS_PER_PAGE)
    );
    assert_eq!(render_pages(&c, 70).len(), 1);
    assert_eq!(render_pages(&c, 1).len(), 70);
    // More rows than an A3 page holds: the page grows rather than squeezing.
    let tall = render_pages(&c, 100);
    assert!(view_box(&parse(&tall[0])).1 > A3_HEIGHT);
    // The single-SVG form has no page number.
    assert!(with_class(&parse(&render_svg(&c)), "page-number").is_empty());
}

#[test]
fn rendering_is_deterministic() {
    let c = wall(20);
    assert_eq!(render_svg(&c), render_svg(&c));
    assert_eq!(render_pages(&c, 7), render_pages(&c, 7));
}

/// Rendering is pure: it touches no files. The crate's own folder (the
/// only place a relative path would land) is unchanged by rendering.
#[test]
fn writes_nothing_to_disk() {
    fn listing(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, u64)>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                listing(&e.path(), out);
            } else {
                out.push((e.path(), meta.len()));
            }
        }
    }
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut before = Vec::new();
    listing(here, &mut before);
    let c = wall(40);
    let svg = render_svg(&c);
    let pages = render_pages(&c, 0);
    assert!(svg.len() > 1000 && pages.len() == 2);
    let mut after = Vec::new();
    listing(here, &mut after);
    before.sort();
    after.sort();
    assert_eq!(before, after);
}

#[test]
fn model_round_trips_through_json() {
    let c = wall(3);
    let json = serde_json::to_string(&c).unwrap();
    let back: Chart = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
    assert_eq!(render_svg(&back), render_svg(&c));
}
