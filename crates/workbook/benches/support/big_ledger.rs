//! Writes a province-wide key-project ledger of any length as .xlsx, laid out
//! the way zones send it: a merged title, a 填报单位 line with "单位：万元", a
//! two-row merged header, zones merged down over their block of projects, a
//! 小计 row after each block, a 合计 row and notes at the bottom. Used by the
//! benchmark and the `big_ledger` example; the file is too large to commit.

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

/// Projects between two subtotal rows (one zone's block).
pub const BLOCK: usize = 49;

const CITIES: &[&str] = &[
    "太原", "大同", "朔州", "忻州", "阳泉", "吕梁", "晋中", "长治", "晋城", "临汾", "运城", "晋北",
];
const ZONE_KINDS: &[&str] = &[
    "经济技术开发区",
    "高新技术产业开发区",
    "综合改革示范区",
    "现代农业产业示范区",
];
const PRODUCTS: &[(&str, &str)] = &[
    ("吨", "锂电池正极材料"),
    ("吨", "高纯硅材料"),
    ("吨", "特种钢材"),
    ("吨", "煤基新材料"),
    ("吨", "可降解塑料"),
    ("吨", "农产品深加工"),
    ("吨", "功能性食品"),
    ("吨", "精密铸件"),
    ("吨", "碳纤维复合材料"),
    ("吨", "氢能储运装备"),
    ("套", "新能源汽车零部件"),
    ("套", "高端液压件"),
    ("套", "智能矿山装备"),
    ("套", "轨道交通装备"),
    ("套", "风电主轴轴承"),
    ("套", "光伏组件"),
    ("套", "半导体封装测试设备"),
    ("套", "医疗器械"),
    ("套", "工业机器人"),
    ("套", "节能环保装备"),
    ("片", "碳化硅衬底"),
    ("片", "液晶显示面板"),
    ("支", "生物医药原料药"),
    ("件", "航空零部件"),
    ("件", "精密光学元件"),
    ("台", "电机及控制系统"),
    ("台", "数控机床"),
    ("台", "服务器"),
    ("箱", "中药饮片"),
    ("箱", "特色酿品"),
];
const INVESTORS: &[&str] = &[
    "山西{c}新材料科技有限公司",
    "{c}市产业投资集团有限公司",
    "中电建{c}能源开发有限公司",
    "{c}智能装备制造股份有限公司",
    "晋能控股{c}新能源有限公司",
    "{c}现代农业发展有限公司",
    "国药{c}医药有限公司",
];
const LEADERS: &[&str] = &[
    "张建国",
    "李晓东",
    "王海燕",
    "赵志刚",
    "刘宏伟",
    "陈静",
    "杨立新",
    "郭文斌",
];
const PROGRESS: &[&str] = &[
    "主体厂房已封顶，正在进行设备安装",
    "完成土地摘牌，正在办理施工许可",
    "一期已投产，二期桩基施工中",
    "设备调试阶段，计划9月试生产",
    "场地平整完成，钢结构吊装",
];

/// A fixed pseudo-random sequence, so every run writes the same file.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

/// Writes `projects` project rows (plus a subtotal per block, the total and
/// notes) to `path`. Returns the number of rows in the sheet.
pub fn write(path: &Path, projects: usize) -> Result<u32, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("重点项目")?;
    let center = Format::new().set_align(FormatAlign::Center).set_bold();
    let date = Format::new().set_num_format("yyyy/m/d");
    let plain = Format::new();

    sheet.merge_range(0, 0, 0, 15, "2024年全省开发区重点项目推进台账", &center)?;
    sheet.write_string(1, 0, "填报单位：省商务厅")?;
    sheet.write_string(1, 14, "单位：万元")?;
    let single = [
        (0, "序号"),
        (1, "开发区"),
        (2, "项目名称"),
        (3, "建设单位"),
        (4, "项目类别"),
        (5, "建设性质"),
        (6, "总投资"),
        (9, "开工以来累计完成投资"),
        (12, "项目代码"),
        (13, "包联领导"),
        (14, "进展情况"),
        (15, "是否入库"),
    ];
    for (col, text) in single {
        sheet.merge_range(2, col, 3, col, text, &center)?;
    }
    sheet.merge_range(2, 7, 2, 8, "2024年投资", &center)?;
    sheet.write_string(3, 7, "计划")?;
    sheet.write_string(3, 8, "1-6月完成")?;
    sheet.merge_range(2, 10, 2, 11, "时间节点", &center)?;
    sheet.write_string(3, 10, "开工时间")?;
    sheet.write_string(3, 11, "投产时间")?;

    let mut rng = Lcg(2024);
    let mut row: u32 = 4;
    let mut written = 0;
    let mut sums = [0f64; 4];
    let mut grand = [0f64; 4];
    let mut block = 0;
    while written < projects {
        let in_block = BLOCK.min(projects - written);
        let city = CITIES[block % CITIES.len()];
        let zone = format!(
            "{city}{}{}",
            ["", "东", "西", "南", "北", "新"][(block / CITIES.len()) % 6],
            ZONE_KINDS[block % ZONE_KINDS.len()]
        );
        // The zone is merged down over its block, as province sheets do.
        if in_block > 1 {
            sheet.merge_range(row, 1, row + in_block as u32 - 1, 1, &zone, &plain)?;
        } else {
            sheet.write_string(row, 1, &zone)?;
        }
        let mut k = 0;
        while k < in_block {
            let i = written + k;
            let r = row + k as u32;
            let (unit, product) = PRODUCTS[i % PRODUCTS.len()];
            let capacity = (i / PRODUCTS.len()) % 40 + 1;
            let investor = INVESTORS[i % INVESTORS.len()].replace("{c}", city);
            sheet.write_number(r, 0, (i + 1) as f64)?;
            sheet.write_string(
                r,
                2,
                format!("{city}{}年产{capacity}万{unit}{product}项目", i / 1200 + 1),
            )?;
            sheet.write_string(r, 3, investor)?;
            sheet.write_string(r, 4, ["产业", "产业", "基础设施", "社会民生"][i % 4])?;
            sheet.write_string(r, 5, ["新建", "续建", "续建", "前期"][i % 4])?;
            let total = (rng.next(500_000) + 5_000) as f64 / 10.0;
            let plan = (total * (rng.next(40) + 10) as f64 / 100.0).round();
            let ytd = (plan * rng.next(90) as f64 / 100.0).round();
            let cumulative = ytd + (total * rng.next(30) as f64 / 100.0).round();
            for (col, value) in [(6, total), (7, plan), (8, ytd), (9, cumulative)] {
                sheet.write_number(r, col, value)?;
            }
            for (sum, value) in sums.iter_mut().zip([total, plan, ytd, cumulative]) {
                *sum += value;
            }
            let month = (i % 12) as u8 + 1;
            if i % 5 == 0 {
                sheet.write_string(r, 10, format!("2023年{month}月"))?;
            } else {
                let day = ExcelDateTime::from_ymd(2023, month, (i % 28) as u8 + 1)?;
                sheet.write_datetime_with_format(r, 10, &day, &date)?;
            }
            sheet.write_string(
                r,
                11,
                ["2024年6月底", "2024年下半年", "2025.3", "2024年12月"][i % 4],
            )?;
            sheet.write_string(r, 12, format!("2304-140{:03}-89-01-{:06}", block % 1000, i))?;
            // Every tenth project shares its leader with the next row.
            let leader = LEADERS[(i / 2) % LEADERS.len()];
            if i % 10 == 0 && k + 1 < in_block {
                sheet.merge_range(r, 13, r + 1, 13, leader, &plain)?;
            } else if i % 10 != 1 || k == 0 {
                sheet.write_string(r, 13, leader)?;
            }
            sheet.write_string(r, 14, PROGRESS[i % PROGRESS.len()])?;
            sheet.write_string(r, 15, if i % 3 == 0 { "否" } else { "是" })?;
            k += 1;
        }
        row += in_block as u32;
        written += in_block;
        sheet.merge_range(row, 0, row, 2, &format!("小计（{in_block}个）"), &center)?;
        for (col, sum) in (6..).zip(sums) {
            sheet.write_number(row, col, sum)?;
        }
        for (g, s) in grand.iter_mut().zip(sums) {
            *g += s;
        }
        sums = [0.0; 4];
        row += 1;
        block += 1;
    }
    sheet.merge_range(row, 0, row, 2, "合计", &center)?;
    for (col, sum) in (6..).zip(grand) {
        sheet.write_number(row, col, sum)?;
    }
    sheet.write_string(
        row + 1,
        0,
        "注：1.本表数据截至2024年6月底；2.金额单位为万元。",
    )?;
    sheet.write_string(row + 2, 0, "填报人：王明    联系电话：0351-1234567")?;
    book.save(path)?;
    Ok(row + 3)
}
