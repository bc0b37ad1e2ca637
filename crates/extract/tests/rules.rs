//! One table row per reading rule: a sentence of the genre and the facts it
//! must give (as "kind value unit @ subject", see `score::Key`), and no others.

use kfq_extract::score::Key;

/// Wraps body text into a one-article bulletin about a zone.
fn facts_of(body: &str) -> Vec<String> {
    let text = format!("## 某某经济技术开发区推进会\n\n本刊讯 5月3日，{body}（张三）");
    let mut keys: Vec<String> = kfq_extract::read(&text)
        .facts
        .iter()
        .map(|f| Key::of_fact(f).to_string())
        .collect();
    keys.sort();
    keys
}

const Z: &str = "zone:某某经济技术开发区";

#[test]
fn figures_rules() {
    let cases: &[(&str, &[&str])] = &[
        // trigger words
        (
            "该项目计划总投资约18亿元。",
            &["total_investment 1800000000 Yuan @ Z"],
        ),
        (
            "项目计划投资8.5亿元。",
            &["total_investment 850000000 Yuan @ Z"],
        ),
        (
            "今年计划投资2亿元。",
            &["planned_investment 200000000 Yuan @ Z"],
        ),
        (
            "完成固定资产投资1亿元。",
            &["completed_investment 100000000 Yuan @ Z"],
        ),
        (
            "固定资产投资完成46.3亿元。",
            &["completed_investment 4630000000 Yuan @ Z"],
        ),
        (
            "工业投资完成3.26亿元，同比增长28.9%。",
            &[
                "growth_rate 28.9 Percent @ Z",
                "industrial_investment 326000000 Yuan @ Z",
            ],
        ),
        (
            "进出口总额3.1亿元，同比下降4.5%。",
            &[
                "growth_rate -4.5 Percent @ Z",
                "import_export 310000000 Yuan @ Z",
            ],
        ),
        (
            "实际利用外资3260万美元。",
            &["foreign_investment 32600000 Usd @ Z"],
        ),
        (
            "上半年实现营业收入87.2亿元。",
            &["revenue 8720000000 Yuan @ Z"],
        ),
        (
            "资金到位率达到76%。",
            &["funds_arrival_rate 76 Percent @ Z"],
        ),
        ("完成年度目标的68%。", &["completion_rate 68 Percent @ Z"]),
        ("当年开工率达到40%以上。", &["start_rate 40 Percent @ Z"]),
        (
            "协议投资额138亿元。",
            &["signed_amount 13800000000 Yuan @ Z"],
        ),
        // approval speed
        ("审批时限压减62.6%。", &["reduction_rate 62.6 Percent @ Z"]),
        (
            "从土地摘牌到施工许可办结不到40个工作日。",
            &["approval_duration 40 WorkingDay @ Z"],
        ),
        (
            "审批时间由原来的60天缩短至20天。",
            &["approval_duration 20 Day @ Z"],
        ),
        ("审批效率提高66.7%。", &[]),
        // batches
        (
            "签约项目20个，签约额突破150亿元，其中亿元以上项目16个。",
            &[
                "project_count 16 Count @ Z",
                "project_count 20 Count @ Z",
                "signed_amount 15000000000 Yuan @ Z",
            ],
        ),
        (
            "此次开工的12个项目总投资18.6亿元。",
            &[
                "project_count 12 Count @ Z",
                "total_investment 1860000000 Yuan @ Z",
            ],
        ),
        (
            "今年确定的38个重点项目中，已开工31个。",
            &["project_count 31 Count @ Z", "project_count 38 Count @ Z"],
        ),
        ("以奥泰、联安两个项目为牵引。", &[]),
        (
            "区内有再生金属企业14家。",
            &["enterprise_count 14 Count @ Z"],
        ),
        ("可满足20家以上中小企业入驻需求。", &[]),
        // people
        ("可解决1500人就业。", &["jobs 1500 Person @ Z"]),
        ("可提供就业岗位300个。", &["jobs 300 Person @ Z"]),
        ("干部群众共计200余人参加开工仪式。", &[]),
        ("项目建设期间高峰用工达1200余人。", &[]),
        // area, capacity, buildings, phases
        ("收储土地2100亩。", &["land_area 2100 Mu @ Z"]),
        (
            "标准厂房 6800 平方米。",
            &["floor_area 6800 SquareMetre @ Z"],
        ),
        ("形成了约10平方公里的山体破坏面。", &[]),
        ("光伏装机1.2GW。", &["capacity 1200000 Kilowatt @ Z"]),
        ("每年可节约标准煤8.5万吨。", &[]),
        (
            "规划7栋标准厂房，两栋综合服务楼。",
            &[
                "building_count 2 Building @ Z",
                "building_count 7 Building @ Z",
            ],
        ),
        ("1500立方米蓄水池预计竣工。", &[]),
        ("重点推进建龙二期工程。", &[]),
        // dates and codes are not figures
        ("双良节能(600481)为上市公司，是中国企业500强。", &[]),
    ];
    for &(body, want) in cases {
        let want: Vec<String> = want
            .iter()
            .map(|w| w.replace("@ Z", &format!("@ {Z}")))
            .collect();
        let mut want = want;
        want.sort();
        assert_eq!(facts_of(body), want, "{body}");
    }
}

#[test]
fn subject_rules() {
    let cases: &[(&str, &[&str])] = &[
        // the figure is part of the name
        (
            "实施年产100万吨公路护栏项目。",
            &["capacity 1000000 Tonne @ project:年产100万吨公路护栏项目"],
        ),
        // the figure modifies the name after 的
        (
            "总投资6.8亿元的大运高端智能新能源乘用车提升改造项目开工。",
            &[
                "stage Started Stage @ project:大运高端智能新能源乘用车提升改造项目",
                "total_investment 680000000 Yuan @ project:大运高端智能新能源乘用车提升改造项目",
            ],
        ),
        (
            "年产20万吨工业硅和10万吨高纯多晶硅的中来硅基项目。",
            &["capacity 100000 Tonne @ project:中来硅基项目", "capacity 200000 Tonne @ project:中来硅基项目"],
        ),
        // an anaphor, and the sentence after it
        (
            "调研了山西新能汇通双碳产业园项目。该项目总用地面积约500亩，分三期建设。全部建成投产后，预计年利税7.5亿元。",
            &[
                "land_area 500 Mu @ project:山西新能汇通双碳产业园项目",
                "phase_count 3 Phase @ project:山西新能汇通双碳产业园项目",
                "tax 750000000 Yuan @ project:山西新能汇通双碳产业园项目",
            ],
        ),
        // an enterprise with no project named
        (
            "广灵县广鑫再生资源有限公司，主营铝合金加工，总投资1.2亿元，年产6万吨。",
            &[
                "capacity 60000 Tonne @ enterprise:广灵县广鑫再生资源有限公司",
                "total_investment 120000000 Yuan @ enterprise:广灵县广鑫再生资源有限公司",
            ],
        ),
        // the enterprise that builds a project does not replace it as subject
        (
            "年产10GWh储能电池项目开工。该项目由山西华储新能源科技有限公司投资建设，占地约620亩。",
            &[
                "capacity 10000000 KilowattHour @ project:年产10GWh储能电池项目",
                "land_area 620 Mu @ project:年产10GWh储能电池项目",
                "stage Started Stage @ project:年产10GWh储能电池项目",
            ],
        ),
        // a round-up of all the city's zones is no single zone's
        (
            "全市开发区共实施亿元以上项目156个，计划总投资412.6亿元。",
            &["project_count 156 Count @ none", "total_investment 41260000000 Yuan @ none"],
        ),
        // a park named without 项目, and referred back to
        (
            "临猗果品深加工产业园一期建成投产。该产业园由山西临猗果业集团投资建设，总投资3.8亿元。",
            &[
                "stage Producing Stage @ project:临猗果品深加工产业园",
                "total_investment 380000000 Yuan @ project:临猗果品深加工产业园",
            ],
        ),
        // an enterprise's own tally of enterprises is not the zone's
        ("\n\n双良集团有限公司成立于1982年。经过多年发展，拥有22家全资和控股企业。", &[]),
    ];
    for &(body, want) in cases {
        let mut want: Vec<String> = want.iter().map(|w| w.to_string()).collect();
        want.sort();
        assert_eq!(facts_of(body), want, "{body}");
    }
}

#[test]
fn stage_rules() {
    let cases: &[(&str, &[&str])] = &[
        (
            "此次开工的标准厂房项目，明年建成。",
            &["stage Started Stage @ project:标准厂房项目"],
        ),
        (
            "独立储能项目开工建设。",
            &["stage Started Stage @ project:独立储能项目"],
        ),
        (
            "国电投绿电重卡换电站建成投运。",
            &["stage Producing Stage @ project:国电投绿电重卡换电站"],
        ),
        (
            "燃煤发电项目已于今年3月开工建设。",
            &["stage Started Stage @ project:燃煤发电项目"],
        ),
        (
            "光伏发电项目正式并网发电。",
            &["stage Producing Stage @ project:光伏发电项目"],
        ),
        ("该项目投资协议已签订，主体工程已开工。", &[]),
        (
            "实施护栏生产项目。截至目前，该项目投资协议已签订，主体工程已开工。",
            &["stage Started Stage @ project:护栏生产项目"],
        ),
        ("加快奥泰煤机制造项目建设，力争年内建成，2024年投产。", &[]),
        (
            "强化在项目签约、落地、开工、建设、投产等各个环节的协同配合。",
            &[],
        ),
        ("中信机电复合新材料项目已签订投资协议或达成意向。", &[]),
        ("全部建成投产后，效益明显。", &[]),
    ];
    for &(body, want) in cases {
        let mut want: Vec<String> = want.iter().map(|w| w.to_string()).collect();
        want.sort();
        assert_eq!(facts_of(body), want, "{body}");
    }
}

/// Facts of a whole text as "kind value unit @ subject / zone".
fn facts_with_zones(text: &str) -> Vec<String> {
    let mut keys: Vec<String> = kfq_extract::read(text)
        .facts
        .iter()
        .map(|f| format!("{} / {}", Key::of_fact(f), f.zone.as_deref().unwrap_or("-")))
        .collect();
    keys.sort();
    keys
}

/// Two narrow columns of PDF text: each title block follows the byline of the
/// article it belongs to, numbers are spaced and split from their units.
const TRAILING: &str = "本刊讯 8 月 2 日，稷山经济\n技术开发区举行重点项目集\n中开工活动，此次开工项目\n共 6 个，总投资 12.6\n亿元。今年以来，全区在建\n项目 25 个。（张琳）\n稷山经开区\n重点项目集中开工\n本刊讯 7 月底，河津经济技\n术开发区山西龙门铝业有限\n公司年产 20 万吨再生铝项\n目竣工投产，该项目总投资\n9.8 亿元。（李建军）\n河津经济技术开发区\n龙门铝业再生铝项目投产\n";

#[test]
fn column_layout_titles_trail_their_articles() {
    let r = kfq_extract::read(TRAILING);
    assert_eq!(r.articles.len(), 2);
    assert_eq!(r.articles[0].title, "稷山经开区重点项目集中开工");
    assert_eq!(r.articles[0].byline.as_deref(), Some("（张琳）"));
    assert_eq!(r.articles[1].zones[0], "河津经济技术开发区");
    let z1 = "稷山经济技术开发区";
    let z2 = "河津经济技术开发区";
    let p = "project:年产20万吨再生铝项目";
    let want = [
        format!("capacity 200000 Tonne @ {p} / {z2}"),
        format!("project_count 25 Count @ zone:{z1} / {z1}"),
        format!("project_count 6 Count @ zone:{z1} / {z1}"),
        format!("stage Producing Stage @ {p} / {z2}"),
        format!("total_investment 1260000000 Yuan @ zone:{z1} / {z1}"),
        format!("total_investment 980000000 Yuan @ {p} / {z2}"),
    ];
    assert_eq!(facts_with_zones(TRAILING), want);
}

#[test]
fn column_layout_with_leading_titles_keeps_them_leading() {
    // The same columns with each title block printed above its article.
    let leading = "稷山经开区\n重点项目集中开工\n本刊讯 8 月 2 日，稷山经济\n技术开发区举行重点项目集\n中开工活动，此次开工项目\n共 6 个，总投资 12.6\n亿元。今年以来，全区在建\n项目 25 个。（张琳）\n河津经济技术开发区\n龙门铝业再生铝项目投产\n本刊讯 7 月底，河津经济技\n术开发区山西龙门铝业有限\n公司年产 20 万吨再生铝项\n目竣工投产，该项目总投资\n9.8 亿元。（李建军）\n";
    let r = kfq_extract::read(leading);
    assert_eq!(r.articles.len(), 2);
    assert_eq!(
        r.articles[1].title,
        "河津经济技术开发区龙门铝业再生铝项目投产"
    );
    assert_eq!(facts_with_zones(leading), facts_with_zones(TRAILING));
}

#[test]
fn web_report_figures() {
    let cases: &[(&str, &[&str])] = &[
        (
            "完成投资21.8亿元，完成年度投资计划的37.5%。",
            &[
                "completed_investment 2180000000 Yuan @ Z",
                "completion_rate 37.5 Percent @ Z",
            ],
        ),
        (
            "完成投资412.6亿元，占年度投资计划的78.4%。",
            &[
                "completed_investment 41260000000 Yuan @ Z",
                "completion_rate 78.4 Percent @ Z",
            ],
        ),
        (
            "新开工项目96个，开、复工率83%。",
            &["project_count 96 Count @ Z", "start_rate 83 Percent @ Z"],
        ),
        (
            "到位资金312.5亿元，其中省外资金218.6亿元，占比达69.9%。",
            &[
                "funds_arrived 31250000000 Yuan @ Z",
                "out_of_province_funds 21860000000 Yuan @ Z",
                "share 69.9 Percent @ Z",
            ],
        ),
        (
            "完成工业投资142.6亿元，占全市工业投资的比重达67.5%。",
            &[
                "industrial_investment 14260000000 Yuan @ Z",
                "share 67.5 Percent @ Z",
            ],
        ),
        (
            "实现进出口额4.6亿美元。",
            &["import_export 460000000 Usd @ Z"],
        ),
        (
            "对“三个一批”活动中的项目开展回头看，全区有64个项目开工。",
            &["project_count 64 Count @ Z"],
        ),
        (
            "新开工项目（3000万元以上）96个，亿元以上项目(含续建)56个。",
            &["project_count 56 Count @ Z", "project_count 96 Count @ Z"],
        ),
        (
            "其中新建项目21个、续建项目17个。",
            &["project_count 17 Count @ Z", "project_count 21 Count @ Z"],
        ),
    ];
    for &(body, want) in cases {
        let mut want: Vec<String> = want
            .iter()
            .map(|w| w.replace("@ Z", &format!("@ {Z}")))
            .collect();
        want.sort();
        assert_eq!(facts_of(body), want, "{body}");
    }
}

#[test]
fn a_zone_compared_with_all_zones_keeps_the_figure() {
    let text = "## 全市开发区招商引资成效明显\n\n本刊讯 全市开发区到位资金201.7亿元。泽州经济技术开发区到位资金52.6亿元，占全市开发区的26.1%。（张三）";
    let zone = "泽州经济技术开发区";
    assert_eq!(
        facts_with_zones(text),
        [
            "funds_arrived 20170000000 Yuan @ none / -".to_string(),
            format!("funds_arrived 5260000000 Yuan @ zone:{zone} / {zone}"),
            format!("share 26.1 Percent @ zone:{zone} / {zone}"),
        ]
    );
}

#[test]
fn signing_a_project_and_a_start_after_its_date() {
    let cases: &[(&str, &[&str])] = &[
        (
            "与江苏中能光电科技有限公司签订光伏组件生产基地项目投资协议。",
            &["stage Signed Stage @ project:光伏组件生产基地项目"],
        ),
        (
            "与比亚迪汽车工业有限公司签署年产10GWh刀片电池项目投资协议。",
            &[
                "capacity 10000000 KilowattHour @ project:年产10GWh刀片电池项目",
                "stage Signed Stage @ project:年产10GWh刀片电池项目",
            ],
        ),
        (
            "储能电池项目总投资30亿元，已于5月开工建设。",
            &[
                "stage Started Stage @ project:储能电池项目",
                "total_investment 3000000000 Yuan @ project:储能电池项目",
            ],
        ),
        ("力争与某公司签订光伏组件生产基地项目投资协议。", &[]),
    ];
    for &(body, want) in cases {
        let mut want: Vec<String> = want.iter().map(|w| w.to_string()).collect();
        want.sort();
        assert_eq!(facts_of(body), want, "{body}");
    }
}

/// A news page saved from a city's site: breadcrumbs, date lines, print and
/// font controls around two news items.
#[test]
fn web_page_furniture_is_not_read_and_items_are_articles() {
    let page = "大同经济技术开发区管委会\n首页 | 走进经开区 | 新闻中心 | 招商引资 | 政务公开\n新闻中心\n大同经开区签约刀片电池项目\n2024-05-20\n　　5月18日，大同经济技术开发区刀片电池项目签约，项目总投资58亿元。\n长治高新区1-4月主要经济指标\n发布时间：2024-05-16 来源：管委会 【字体：大 中 小】\n　　1-4月，长治高新技术产业开发区工业投资完成15.3亿元。\n打印本页 关闭窗口\n上一篇：大同经济技术开发区开展安全生产大检查\n";
    let r = kfq_extract::read(page);
    let titles: Vec<&str> = r.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        ["大同经开区签约刀片电池项目", "长治高新区1-4月主要经济指标"]
    );
    assert_eq!(r.articles[1].source.as_deref(), Some("来源：管委会"));
    let zone2 = "长治高新技术产业开发区";
    assert_eq!(
        facts_with_zones(page),
        [
            format!("industrial_investment 1530000000 Yuan @ zone:{zone2} / {zone2}"),
            "stage Signed Stage @ project:刀片电池项目 / 大同经济技术开发区".to_string(),
            "total_investment 5800000000 Yuan @ project:刀片电池项目 / 大同经济技术开发区"
                .to_string(),
        ]
    );
}

#[test]
fn part_of_the_works_finished_is_not_the_project_completed() {
    assert_eq!(
        facts_of("可降解塑料项目主体工程全面完工，进入设备安装阶段。"),
        Vec::<String>::new()
    );
    assert_eq!(
        facts_of("可降解塑料项目全面完工。"),
        ["stage Completed Stage @ project:可降解塑料项目"]
    );
}

/// Another site's furniture: a date and source on one line under each title,
/// "您现在的位置" breadcrumbs with ">>", print controls in brackets.
#[test]
fn web_page_items_under_date_and_source_lines() {
    let page = "临汾市人民政府网\n您现在的位置：首页 >> 要闻动态 >> 开发区建设\n临汾经济开发区一季度项目建设开局良好\n2024年04月12日　来源：临汾日报\n　　一季度，临汾经济开发区完成投资13.6亿元。\n洪洞经济开发区氢能源项目开工\n2024年04月08日　来源：洪洞县融媒体中心\n　　4月6日，洪洞经济开发区年产30万吨氢能源综合利用项目开工建设，项目总投资26亿元。\n责任编辑：张敏\n【打印此页】【关闭窗口】\n";
    let r = kfq_extract::read(page);
    // The editor's line is furniture, not the last paragraph of the item.
    assert!(!r.articles[1].body_span.slice(page).contains("编辑"));
    assert_eq!(r.articles.len(), 2);
    assert_eq!(r.articles[1].title, "洪洞经济开发区氢能源项目开工");
    let (z1, z2) = ("临汾经济开发区", "洪洞经济开发区");
    let p = "project:年产30万吨氢能源综合利用项目";
    assert_eq!(
        facts_with_zones(page),
        [
            format!("capacity 300000 Tonne @ {p} / {z2}"),
            format!("completed_investment 1360000000 Yuan @ zone:{z1} / {z1}"),
            format!("stage Started Stage @ {p} / {z2}"),
            format!("total_investment 2600000000 Yuan @ {p} / {z2}"),
        ]
    );
}

/// Columns whose byline is a bare name on its own line, with a page number
/// printed inside a body and the magazine's name (…通讯) on the masthead.
#[test]
fn column_layout_with_a_bare_name_byline_and_a_page_number() {
    let text = "开发区工作通讯\n本刊讯 今年以来，忻州经济\n开发区全力推进项目建设，\n全区实施重点项目 47 个，\n- 2 -\n累计完成投资 36.5\n亿元。\n刘洋\n忻州经济开发区\n项目建设提速增效\n本刊讯 5 月 30 日，五台经\n济开发区通用机场项目正式\n开工。该项目总投资 3.6\n亿元。（文/赵敏）\n五台经济开发区\n通用机场项目开工\n";
    let r = kfq_extract::read(text);
    assert_eq!(r.articles.len(), 2);
    assert_eq!(r.articles[0].title, "忻州经济开发区项目建设提速增效");
    assert_eq!(r.articles[0].byline.as_deref(), Some("刘洋"));
    assert_eq!(r.articles[1].title, "五台经济开发区通用机场项目开工");
    let (z1, z2) = ("忻州经济开发区", "五台经济开发区");
    assert_eq!(
        facts_with_zones(text),
        [
            format!("completed_investment 3650000000 Yuan @ zone:{z1} / {z1}"),
            format!("project_count 47 Count @ zone:{z1} / {z1}"),
            format!("stage Started Stage @ project:通用机场项目 / {z2}"),
            format!("total_investment 360000000 Yuan @ project:通用机场项目 / {z2}"),
        ]
    );
}

#[test]
fn signing_words_and_ceremonies() {
    let cases: &[(&str, &[&str])] = &[
        (
            // 约 of 签约 is not "about".
            "与北京华润新能源投资有限公司签约100MW风电项目。",
            &[
                "capacity 100000 Kilowatt @ project:100MW风电项目",
                "stage Signed Stage @ project:100MW风电项目",
            ],
        ),
        (
            "法兰锻件项目举行投产仪式。",
            &["stage Producing Stage @ project:法兰锻件项目"],
        ),
        (
            "新引进外资企业7家，合同外资2.1亿美元。",
            &[
                "enterprise_count 7 Count @ Z",
                "foreign_investment 210000000 Usd @ Z",
            ],
        ),
    ];
    for &(body, want) in cases {
        let mut want: Vec<String> = want
            .iter()
            .map(|w| w.replace("@ Z", &format!("@ {Z}")))
            .collect();
        want.sort();
        assert_eq!(facts_of(body), want, "{body}");
    }
}

#[test]
fn a_headline_restating_a_body_figure_in_other_words_adds_nothing() {
    let text = "## 芮城经济开发区签约15亿元光伏组件生产基地项目\n\n本刊讯 9月5日，芮城经济开发区与江苏中能光电科技有限公司签订光伏组件生产基地项目投资协议，项目总投资15亿元。（王晓东）";
    let z = "芮城经济开发区";
    let p = "project:光伏组件生产基地项目";
    assert_eq!(
        facts_with_zones(text),
        [
            format!("stage Signed Stage @ {p} / {z}"),
            format!("total_investment 1500000000 Yuan @ {p} / {z}"),
        ]
    );
}

#[test]
fn thresholds_and_phases_are_not_totals() {
    let cases: &[(&str, &[&str])] = &[
        (
            "总投资1亿元以上项目有27个。",
            &["project_count 27 Count @ Z"],
        ),
        (
            "年产3万吨高端铝箔项目总投资8.6亿元，一期投资4.2亿元。",
            &[
                "capacity 30000 Tonne @ project:年产3万吨高端铝箔项目",
                "total_investment 860000000 Yuan @ project:年产3万吨高端铝箔项目",
            ],
        ),
        (
            "预计可实现年产值5亿元以上。",
            &["annual_output 500000000 Yuan @ Z"],
        ),
    ];
    for &(body, want) in cases {
        let mut want: Vec<String> = want
            .iter()
            .map(|w| w.replace("@ Z", &format!("@ {Z}")))
            .collect();
        want.sort();
        assert_eq!(facts_of(body), want, "{body}");
    }
}

/// The same articles in two columns to the page (about 20 characters a line).
#[test]
fn column_layout_two_columns_wide() {
    let text = "本刊讯 8 月 2 日，稷山经济技术开发区举行重\n点项目集中开工活动，此次开工项目共 6 个，\n总投资 12.6 亿元。今年以来，全区在建项目\n25 个。（张琳）\n稷山经开区\n重点项目集中开工\n本刊讯 7 月底，河津经济技术开发区山西龙门\n铝业有限公司年产 20 万吨再生铝项目竣工投产，\n该项目总投资 9.8 亿元。（李建军）\n河津经济技术开发区\n龙门铝业再生铝项目投产\n";
    assert_eq!(facts_with_zones(text), facts_with_zones(TRAILING));
    assert_eq!(
        kfq_extract::read(text).articles[1].title,
        "河津经济技术开发区龙门铝业再生铝项目投产"
    );
}

/// Columns with the titles above their articles, under a masthead, and the
/// page's running head printed again inside a body.
#[test]
fn column_layout_masthead_and_running_heads_are_not_titles() {
    let text = "运城开发区通讯\n2024 年第 9 期（总第 58 期）\n稷山经开区\n重点项目集中开工\n本刊讯 8 月 2 日，稷山经济\n技术开发区举行重点项目集\n中开工活动，此次开工项目\n共 6 个，总投资 12.6\n运城开发区通讯 2024 年第 9 期\n亿元。今年以来，全区在建\n项目 25 个。（张琳）\n河津经济技术开发区\n龙门铝业再生铝项目投产\n本刊讯 7 月底，河津经济技\n术开发区山西龙门铝业有限\n公司年产 20 万吨再生铝项\n目竣工投产，该项目总投资\n9.8 亿元。（李建军）\n";
    let r = kfq_extract::read(text);
    assert_eq!(r.articles[0].title, "稷山经开区重点项目集中开工");
    assert_eq!(facts_with_zones(text), facts_with_zones(TRAILING));
}

/// Columns where the reporters after 本报讯 and the closing byline are broken
/// over two lines, and a photo caption stands between an article and its title.
#[test]
fn column_layout_broken_bylines_and_captions() {
    let text = "本报讯（记者 薛凯 通讯\n员 杨柳）11 月 6 日，\n河津经济技术开发区山西\n华泽铝电有限公司年产\n15 万吨铝合金板带项目\n正式投产。该项目总投\n资 13.5 亿元。\n图为项目生产车间。 薛凯 摄\n河津经开区\n铝合金板带项目投产\n本报讯 今年以来，绛县\n经济开发区完成固定资\n产投资 28.4 亿元。（谢\n红）\n绛县经济开发区\n固定资产投资较快增长\n";
    let r = kfq_extract::read(text);
    assert_eq!(r.articles.len(), 2);
    assert_eq!(r.articles[0].title, "河津经开区铝合金板带项目投产");
    assert_eq!(
        r.articles[0].byline.as_deref(),
        Some("（记者 薛凯 通讯\n员 杨柳）")
    );
    assert_eq!(r.articles[1].byline.as_deref(), Some("（谢\n红）"));
    let (z1, z2) = ("河津经济技术开发区", "绛县经济开发区");
    let p = "project:年产15万吨铝合金板带项目";
    assert_eq!(
        facts_with_zones(text),
        [
            format!("capacity 150000 Tonne @ {p} / {z1}"),
            format!("completed_investment 2840000000 Yuan @ zone:{z2} / {z2}"),
            format!("stage Producing Stage @ {p} / {z1}"),
            format!("total_investment 1350000000 Yuan @ {p} / {z1}"),
        ]
    );
}

#[test]
fn zones_named_in_a_list_share_what_follows() {
    let text = "## 大同市开发区项目建设观摩活动举行\n\n本刊讯 观摩团先后来到大同经济技术开发区、阳高经济开发区，实地观摩了12个重点项目。阳高经济开发区实施重点项目18个。（高原）";
    let z = "阳高经济开发区";
    assert_eq!(
        facts_with_zones(text),
        [
            "project_count 12 Count @ none / -".to_string(),
            format!("project_count 18 Count @ zone:{z} / {z}"),
        ]
    );
}
