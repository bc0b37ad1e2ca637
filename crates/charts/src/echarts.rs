//! The same charts as options for Apache ECharts, for the pages' interactive
//! dashboards (tooltips, legends, zoom); documents and print keep the SVG of
//! this crate. An option is plain JSON: the browser adds only what JSON cannot
//! carry (the tooltip and axis formatters, which read the `kfq` key: the unit
//! and each point's printed text), so a value reads the same in the tooltip,
//! the SVG and the tables.

use serde_json::{json, Number, Value};

use crate::model::{BarChart, LineChart, Rag, Scale};
use crate::number::fixed;
use crate::style::{rag_bar_colour, series_style, PLAIN_BAR, REFERENCE};

/// Height of one bar of a ranking, in CSS pixels: labels stay legible.
const BAR_ROW: u32 = 26;

/// The value as a JSON number with the scale's decimals ("57.3" → 57.3):
/// exact as far as a chart axis needs, never computed in floating point here.
fn number(value: i64, scale: &Scale) -> Value {
    fixed(value, scale.decimals, scale.decimals)
        .parse::<Number>()
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

fn text_style() -> Value {
    json!({
        "fontFamily": crate::style::FONT_FAMILY,
        "fontSize": 13,
    })
}

fn title(text: &str, subtitle: Option<&str>) -> Value {
    json!({
        "text": text,
        "subtext": subtitle.unwrap_or_default(),
        "left": 0,
        "textStyle": { "fontSize": 14, "fontWeight": 600 },
        "subtextStyle": { "fontSize": 12 },
    })
}

/// A ranking, top to bottom in the given order; each bar coloured by its
/// status and linked to its drill-down; the reference (序时进度) as a line.
pub fn bar_option(chart: &BarChart) -> Value {
    let scale = &chart.scale;
    let data: Vec<Value> = chart
        .bars
        .iter()
        .map(|bar| {
            json!({
                "name": bar.label,
                "value": number(bar.value, scale),
                "text": scale.format_with_unit(bar.value),
                "status": bar.rag.map(Rag::label),
                "href": bar.href,
                "itemStyle": { "color": bar.rag.map_or(PLAIN_BAR, rag_bar_colour) },
            })
        })
        .collect();
    let mark_line = chart.reference.as_ref().map(|r| {
        json!({
            "symbol": "none",
            "silent": true,
            "lineStyle": { "color": REFERENCE, "type": "dashed", "width": 1.5 },
            "label": { "formatter": format!("{} {}", r.label, scale.format_with_unit(r.value)), "fontSize": 12, "position": "end" },
            "data": [{ "xAxis": number(r.value, scale) }],
        })
    });
    let height = 90 + BAR_ROW * chart.bars.len().max(1) as u32;
    json!({
        "kfq": { "unit": scale.unit, "decimals": scale.shown, "height": height, "kind": "bar", "empty": chart.bars.is_empty() },
        "textStyle": text_style(),
        "title": title(&chart.title, chart.subtitle.as_deref()),
        "grid": { "left": 8, "right": 56, "top": 56, "bottom": 16, "containLabel": true },
        "tooltip": { "trigger": "item" },
        "xAxis": { "type": "value", "axisLabel": { "fontSize": 12 }, "splitLine": { "lineStyle": { "color": "#e4e7eb" } } },
        "yAxis": {
            "type": "category",
            "inverse": true,
            "data": chart.bars.iter().map(|b| b.label.clone()).collect::<Vec<_>>(),
            "axisLabel": { "fontSize": 12, "width": 150, "overflow": "truncate" },
            "axisTick": { "show": false },
        },
        "series": [{
            "type": "bar",
            "data": data,
            "barMaxWidth": 18,
            "label": { "show": true, "position": "right", "fontSize": 12 },
            "markLine": mark_line,
        }],
    })
}

/// A monthly trend: one line per series, gaps where a month has no figure,
/// the reference (目标) as a line; a legend when there are several series.
pub fn line_option(chart: &LineChart) -> Value {
    let scale = &chart.scale;
    let n = chart.labels.len();
    let series: Vec<Value> = chart
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let style = series_style(i);
            let data: Vec<Value> = (0..n)
                .map(|k| match s.values.get(k).copied().flatten() {
                    Some(v) => json!({ "value": number(v, scale), "text": scale.format_with_unit(v) }),
                    None => Value::Null,
                })
                .collect();
            let mut line = json!({
                "type": "line",
                "name": s.name,
                "data": data,
                "connectNulls": false,
                "symbolSize": 6,
                "itemStyle": { "color": style.colour },
                "lineStyle": { "color": style.colour, "width": 2, "type": if style.dash.is_some() { "dashed" } else { "solid" } },
            });
            if i == 0 {
                if let Some(r) = &chart.reference {
                    line["markLine"] = json!({
                        "symbol": "none",
                        "silent": true,
                        "lineStyle": { "color": REFERENCE, "type": "dashed", "width": 1.5 },
                        "label": { "formatter": format!("{} {}", r.label, scale.format_with_unit(r.value)), "fontSize": 12, "position": "insideEndTop" },
                        "data": [{ "yAxis": number(r.value, scale) }],
                    });
                }
            }
            line
        })
        .collect();
    // Nothing to explore: the page keeps the SVG, which says so.
    let empty = chart
        .series
        .iter()
        .all(|s| s.values.iter().all(Option::is_none));
    json!({
        "kfq": { "unit": scale.unit, "decimals": scale.shown, "height": 320, "kind": "line", "empty": empty },
        "textStyle": text_style(),
        "title": title(&chart.title, chart.subtitle.as_deref()),
        "legend": { "show": chart.series.len() > 1, "top": 24, "right": 0, "textStyle": { "fontSize": 12 } },
        "grid": { "left": 8, "right": 24, "top": 64, "bottom": 56, "containLabel": true },
        "tooltip": { "trigger": "axis" },
        "dataZoom": [{ "type": "inside" }, { "type": "slider", "height": 18, "bottom": 8 }],
        "xAxis": { "type": "category", "data": chart.labels, "boundaryGap": false, "axisLabel": { "fontSize": 12 } },
        "yAxis": { "type": "value", "scale": true, "axisLabel": { "fontSize": 12 }, "splitLine": { "lineStyle": { "color": "#e4e7eb" } } },
        "series": series,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Bar, Reference, Series};

    #[test]
    fn a_ranking_keeps_order_values_text_status_and_links() {
        let mut chart = BarChart::new("各开发区完成率", Scale::new(1, "%"));
        chart.bars.push(Bar::new("晋中开发区", 873).rag(Rag::Green));
        let mut red = Bar::new("大同开发区", 412).rag(Rag::Red);
        red.href = Some("/projects?zone_id=7".into());
        chart.bars.push(red);
        chart.reference = Some(Reference::new("序时进度", 500));
        let o = bar_option(&chart);
        assert_eq!(o["yAxis"]["data"], json!(["晋中开发区", "大同开发区"]));
        let d = &o["series"][0]["data"];
        assert_eq!(d[0]["value"], json!(87.3));
        assert_eq!(d[1]["text"], "41.2%");
        assert_eq!(d[1]["status"], "红灯");
        assert_eq!(d[1]["href"], "/projects?zone_id=7");
        assert_ne!(d[0]["itemStyle"]["color"], d[1]["itemStyle"]["color"]);
        assert_eq!(o["series"][0]["markLine"]["data"][0]["xAxis"], json!(50.0));
        assert_eq!(
            o["series"][0]["markLine"]["label"]["formatter"],
            "序时进度 50.0%"
        );
        assert_eq!(o["kfq"]["unit"], "%");
        assert_eq!(o["kfq"]["height"], 90 + 2 * 26);
    }

    #[test]
    fn a_trend_has_gaps_where_months_have_no_figure() {
        let mut chart = LineChart::new("工业增加值增速", Scale::new(1, "%"));
        chart.labels = vec!["2024-01".into(), "2024-02".into(), "2024-03".into()];
        chart
            .series
            .push(Series::new("运城", vec![Some(52), None, Some(-13)]));
        chart.series.push(Series::new("临汾", vec![Some(40)]));
        chart.reference = Some(Reference::new("目标", 60));
        let o = line_option(&chart);
        let first = &o["series"][0]["data"];
        assert_eq!(first[0]["value"], json!(5.2));
        assert_eq!(first[1], Value::Null);
        assert_eq!(first[2]["text"], "-1.3%");
        assert_eq!(
            o["series"][1]["data"].as_array().unwrap().len(),
            3,
            "padded to the months"
        );
        assert_eq!(o["series"][1]["data"][2], Value::Null);
        assert_eq!(o["legend"]["show"], true);
        assert_eq!(o["kfq"]["empty"], false);
        let mut blank = chart.clone();
        blank.series = vec![Series::new("运城", vec![None, None, None])];
        assert_eq!(line_option(&blank)["kfq"]["empty"], true);
        assert_eq!(o["series"][0]["markLine"]["data"][0]["yAxis"], json!(6.0));
        assert!(o["series"][1].get("markLine").is_none());
    }

    #[test]
    fn labels_stay_between_12_and_14_pixels() {
        let o = bar_option(&BarChart::new("t", Scale::default()));
        let mut sizes = Vec::new();
        fn walk(v: &Value, sizes: &mut Vec<i64>) {
            match v {
                Value::Object(m) => {
                    for (k, v) in m {
                        if k == "fontSize" {
                            sizes.push(v.as_i64().unwrap());
                        }
                        walk(v, sizes);
                    }
                }
                Value::Array(a) => a.iter().for_each(|v| walk(v, sizes)),
                _ => {}
            }
        }
        walk(&o, &mut sizes);
        walk(
            &line_option(&LineChart::new("t", Scale::default())),
            &mut sizes,
        );
        assert!(!sizes.is_empty());
        assert!(sizes.iter().all(|s| (12..=14).contains(s)), "{sizes:?}");
    }
}
