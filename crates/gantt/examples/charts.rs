//! Prints a sample chart as SVG on stdout, to look at the drawing:
//!
//! ```sh
//! cargo run -p kfq-gantt --example charts -- project > project.svg
//! cargo run -p kfq-gantt --example charts -- wall > wall.svg
//! cargo run -p kfq-gantt --example charts -- page 2 > wall-page-2.svg
//! cargo run -p kfq-gantt --example charts -- short > short.svg
//! ```

use chrono::{Days, NaiveDate};
use kfq_gantt::{render_pages, render_svg, Chart, Mark, Row, Span, Status};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn project() -> Chart {
    let mut c = Chart::new("年产5万吨高性能铝合金型材项目 · 节点计划", d(2024, 6, 30));
    c.subtitle = Some("晋中开发区 · 总投资 12.50 亿元 · 包联领导：王某某".into());
    c.baseline_name = Some("年初计划".into());
    let steps: [(&str, NaiveDate, Option<NaiveDate>); 12] = [
        ("立项", d(2024, 1, 10), Some(d(2024, 1, 8))),
        ("环评", d(2024, 2, 20), Some(d(2024, 3, 12))),
        ("能评", d(2024, 2, 28), Some(d(2024, 3, 5))),
        ("土地摘牌", d(2024, 3, 15), Some(d(2024, 3, 15))),
        ("规划许可", d(2024, 4, 10), Some(d(2024, 4, 28))),
        ("施工许可", d(2024, 5, 10), None),
        ("开工", d(2024, 5, 20), None),
        ("主体完工", d(2024, 9, 30), None),
        ("设备安装", d(2024, 11, 15), None),
        ("竣工", d(2024, 12, 20), None),
        ("投产", d(2025, 1, 15), None),
        ("达产", d(2025, 6, 30), None),
    ];
    for (i, (name, plan, act)) in steps.into_iter().enumerate() {
        let mut row = Row::milestone(name, Some(plan), act);
        row.marks[0].baseline = plan.checked_sub_days(Days::new(10 + 3 * i as u64));
        c.rows.push(row);
    }
    // Phases as spans on two of the rows.
    c.rows[7].planned = Some(Span::new(d(2024, 5, 20), d(2024, 9, 30)));
    c.rows[7].baseline = Some(Span::new(d(2024, 5, 1), d(2024, 9, 10)));
    c.rows[8].planned = Some(Span::new(d(2024, 10, 1), d(2024, 11, 15)));
    c
}

fn wall() -> Chart {
    let names = [
        "年产10万吨高性能碳纤维及复合材料项目",
        "氢能重卡整车制造基地",
        "再生铝循环利用产业园（一期）",
        "光伏组件智能工厂",
        "数据中心<算力>&存储\"二期\"",
        "生物基材料产业化示范项目",
        "园区污水处理厂提标改造",
        "人才公寓及配套设施",
        "智能装备制造产业园",
        "锂电池正极材料项目",
    ];
    let stages = ["前期", "开工", "竣工", "投产"];
    let mut c = Chart::new(
        "某某经济技术开发区重点项目推进图（挂图作战）",
        d(2024, 6, 30),
    );
    c.subtitle = Some("2024年度省市重点项目 · 截至2024年6月30日".into());
    for i in 0..70u64 {
        let start = d(2023, 10, 1) + Days::new(i * 37 % 240);
        let len = 180 + i * 53 % 300;
        let plan_end = start + Days::new(len);
        let slip = i * 17 % 45;
        let act_start = start + Days::new(slip);
        let actual = if i % 7 == 3 || act_start > d(2024, 6, 30) {
            None
        } else if plan_end + Days::new(slip) < d(2024, 6, 30) {
            Some(Span::new(act_start, plan_end + Days::new(slip)))
        } else {
            Some(Span::open(act_start))
        };
        let mut row = Row::new(format!("{}{}", names[i as usize % names.len()], i + 1));
        row.sublabel = Some(format!(
            "{} · 总投资 {}.{:02} 亿元",
            stages[i as usize % 4],
            3 + i * 7 % 40,
            i * 13 % 100
        ));
        row.href = Some(format!("/projects/{}", i + 1));
        row.status = Some(match i % 5 {
            0 => Status::Red,
            1 | 2 => Status::Yellow,
            _ => Status::Green,
        });
        row.planned = Some(Span::new(start, plan_end));
        row.actual = actual;
        if i % 4 == 0 {
            row.baseline = Some(Span::new(start - Days::new(20), plan_end - Days::new(30)));
        }
        let ms = ["环评", "施工许可", "开工", "主体完工", "竣工"];
        for (k, name) in ms.iter().enumerate() {
            let p = start + Days::new(len * k as u64 / 4);
            let a = p + Days::new(slip);
            let done = a <= d(2024, 6, 30) && (i + k as u64) % 6 != 0;
            row.marks.push(Mark::new(*name, Some(p), done.then_some(a)));
        }
        c.rows.push(row);
    }
    c
}

/// A fortnight's work: the axis switches to days.
fn short() -> Chart {
    let mut c = Chart::new("集中开工活动筹备", d(2024, 6, 12));
    let tasks = [
        ("场地平整", 3, 6, Some((3, 7))),
        ("临时用电接入", 5, 9, Some((6, 11))),
        ("主席台搭建", 10, 12, None),
        ("嘉宾邀请", 1, 8, Some((1, 5))),
    ];
    for (name, a, b, act) in tasks {
        let mut row = Row::new(name);
        row.planned = Some(Span::new(d(2024, 6, a), d(2024, 6, b)));
        row.actual = act.map(|(x, y)| Span::new(d(2024, 6, x), d(2024, 6, y)));
        row.marks.push(Mark::new(
            "完成",
            Some(d(2024, 6, b)),
            act.map(|(_, y)| d(2024, 6, y)),
        ));
        c.rows.push(row);
    }
    c
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let svg = match args.first().map(String::as_str) {
        Some("wall") => render_svg(&wall()),
        Some("page") => {
            let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
            let pages = render_pages(&wall(), 0);
            pages[(n.max(1) - 1).min(pages.len() - 1)].clone()
        }
        Some("short") => render_svg(&short()),
        Some("empty") => render_svg(&Chart::new("空图", d(2024, 6, 30))),
        _ => render_svg(&project()),
    };
    println!("{svg}");
}
