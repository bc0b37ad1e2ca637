//! Writes one sample of every chart into a directory, to look at them:
//!
//! ```sh
//! cargo run -p kfq-charts --example gallery -- /tmp/charts
//! ```

use std::path::PathBuf;

use kfq_charts::{
    bar_chart, line_chart, rag_matrix, sparkline, Bar, BarChart, Cell, Column, LineChart, Matrix,
    MatrixRow, Rag, Reference, Scale, Series, Spark,
};

fn months(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{}-{:02}", 2023 + (i / 12) as i32, i % 12 + 1))
        .collect()
}

fn growth() -> LineChart {
    let mut c = LineChart::new("规模以上工业增加值增速", Scale::new(1, "%"));
    c.subtitle = Some("全市开发区合计 · 2023年1月至2024年12月".into());
    c.labels = months(24);
    let this_year = [
        -35, -12, 8, 21, 35, 42, 51, 47, 60, 72, 85, 98, 102, 96, 88, 91, 105, 112, 108, 115, 121,
        117, 109, 113,
    ];
    let mut now: Vec<Option<i64>> = this_year.iter().map(|&v| Some(v)).collect();
    now[7] = None;
    c.series.push(Series::new("本年", now));
    c.series.push(Series::new(
        "上年同期",
        this_year.iter().map(|v| Some(v * 3 / 4 - 10)).collect(),
    ));
    c.reference = Some(Reference::new("年度目标", 80));
    c
}

fn investment() -> LineChart {
    let mut c = LineChart::new("固定资产投资累计完成额", Scale::new(2, "亿元").shown(1));
    c.labels = months(36);
    let actual = (0..36).map(|i| {
        let m = (i % 12 + 1) as i64;
        (i < 32).then_some(m * m * 900 + m * 12_000)
    });
    c.series.push(Series::new("累计完成", actual.collect()));
    c.series.push(Series::new(
        "目标进度",
        (0..36)
            .map(|i| Some(((i % 12) as i64 + 1) * 25_000))
            .collect(),
    ));
    c.reference = Some(Reference::new("全年目标", 300_000));
    c
}

fn ranking() -> BarChart {
    let mut c = BarChart::new("各开发区固定资产投资完成率排名", Scale::new(1, "%"));
    c.subtitle = Some("截至2024年6月".into());
    c.reference = Some(Reference::new("序时进度", 500));
    let names = [
        "晋中", "大同", "长治", "运城", "临汾", "吕梁", "忻州", "朔州",
    ];
    for i in 0..40 {
        let value = 1150 - i as i64 * 31;
        let rag = match value {
            v if v >= 500 => Rag::Green,
            v if v >= 400 => Rag::Yellow,
            _ => Rag::Red,
        };
        let mut bar = Bar::new(format!("{}第{}开发区", names[i % 8], i + 1), value).rag(rag);
        bar.href = Some(format!("/zones/{i}"));
        c.bars.push(bar);
    }
    c
}

fn matrix() -> Matrix {
    let mut m = Matrix::new("重点指标亮灯情况 <2024年6月>");
    m.columns = vec![
        Column::new("地区生产总值增速", Scale::new(1, "%")),
        Column::new("规模以上工业增加值增速", Scale::new(1, "%")),
        Column::new("固定资产投资", Scale::new(4, "亿元").shown(2)),
        Column::new("实际利用外资", Scale::new(0, "万美元")),
        Column::new("规模以上工业企业营业收入增速（同比）", Scale::new(1, "%")),
        Column::new("亩均税收", Scale::new(1, "万元/亩")),
    ];
    let rags = [Some(Rag::Green), Some(Rag::Yellow), Some(Rag::Red), None];
    m.rows = (0..12)
        .map(|z| {
            let cells = (0..6)
                .map(|c| {
                    let k = (z * 7 + c * 3) % 11;
                    let value = (k != 10).then_some((k as i64 - 3) * 137 + c as i64 * 11);
                    Cell::new(value, rags[(z + c) % 4]).href(format!("/zones/{z}/indicators/{c}"))
                })
                .collect();
            let mut row = MatrixRow::new(format!("示范区第{}分区", z + 1), cells);
            row.href = Some(format!("/zones/{z}"));
            row
        })
        .collect();
    m
}

fn main() -> std::io::Result<()> {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: gallery <output directory>");
        std::process::exit(2);
    };
    std::fs::create_dir_all(&dir)?;
    let spark_values: Vec<Option<i64>> = vec![
        Some(12),
        Some(15),
        Some(9),
        None,
        Some(-4),
        Some(3),
        Some(18),
        Some(21),
    ];
    let files = [
        ("line-growth.svg", line_chart(&growth())),
        ("line-investment.svg", line_chart(&investment())),
        ("bar-ranking.svg", bar_chart(&ranking())),
        ("rag-matrix.svg", rag_matrix(&matrix())),
        (
            "sparkline.svg",
            sparkline(&spark_values, &Spark::new("近8个月增速")),
        ),
        (
            "empty.svg",
            line_chart(&LineChart::new("暂无数据示例", Scale::default())),
        ),
    ];
    for (name, svg) in files {
        let path = dir.join(name);
        std::fs::write(&path, svg)?;
        println!("{}", path.display());
    }
    Ok(())
}
