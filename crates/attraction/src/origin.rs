//! Where an investor comes from, read from the place a workbook writes
//! ("江苏徐州", "浙江省杭州市", "深圳", "香港", "新加坡") against the zone's
//! own province: 省内, 省外 (and which province) or 境外 (and which country
//! or region; 港澳台 count as 境外 in the signing figures, as statistics
//! offices count them).

use crate::Origin;

/// The provinces, autonomous regions and municipalities, as short names.
pub const PROVINCES: &[&str] = &[
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
];

/// Cities investors are often named by alone, with their province.
const CITIES: &[(&str, &str)] = &[
    ("石家庄", "河北"),
    ("唐山", "河北"),
    ("保定", "河北"),
    ("邯郸", "河北"),
    ("沧州", "河北"),
    ("太原", "山西"),
    ("大同", "山西"),
    ("长治", "山西"),
    ("临汾", "山西"),
    ("运城", "山西"),
    ("晋中", "山西"),
    ("晋城", "山西"),
    ("朔州", "山西"),
    ("忻州", "山西"),
    ("吕梁", "山西"),
    ("阳泉", "山西"),
    ("呼和浩特", "内蒙古"),
    ("包头", "内蒙古"),
    ("鄂尔多斯", "内蒙古"),
    ("沈阳", "辽宁"),
    ("大连", "辽宁"),
    ("长春", "吉林"),
    ("哈尔滨", "黑龙江"),
    ("南京", "江苏"),
    ("苏州", "江苏"),
    ("无锡", "江苏"),
    ("常州", "江苏"),
    ("徐州", "江苏"),
    ("南通", "江苏"),
    ("扬州", "江苏"),
    ("盐城", "江苏"),
    ("泰州", "江苏"),
    ("镇江", "江苏"),
    ("江阴", "江苏"),
    ("昆山", "江苏"),
    ("杭州", "浙江"),
    ("宁波", "浙江"),
    ("温州", "浙江"),
    ("绍兴", "浙江"),
    ("嘉兴", "浙江"),
    ("台州", "浙江"),
    ("金华", "浙江"),
    ("义乌", "浙江"),
    ("湖州", "浙江"),
    ("合肥", "安徽"),
    ("芜湖", "安徽"),
    ("安庆", "安徽"),
    ("蚌埠", "安徽"),
    ("福州", "福建"),
    ("厦门", "福建"),
    ("泉州", "福建"),
    ("南昌", "江西"),
    ("赣州", "江西"),
    ("济南", "山东"),
    ("青岛", "山东"),
    ("烟台", "山东"),
    ("潍坊", "山东"),
    ("临沂", "山东"),
    ("淄博", "山东"),
    ("郑州", "河南"),
    ("洛阳", "河南"),
    ("武汉", "湖北"),
    ("宜昌", "湖北"),
    ("襄阳", "湖北"),
    ("十堰", "湖北"),
    ("长沙", "湖南"),
    ("株洲", "湖南"),
    ("广州", "广东"),
    ("深圳", "广东"),
    ("东莞", "广东"),
    ("佛山", "广东"),
    ("珠海", "广东"),
    ("惠州", "广东"),
    ("中山", "广东"),
    ("江门", "广东"),
    ("南宁", "广西"),
    ("柳州", "广西"),
    ("海口", "海南"),
    ("成都", "四川"),
    ("绵阳", "四川"),
    ("宜宾", "四川"),
    ("贵阳", "贵州"),
    ("昆明", "云南"),
    ("西安", "陕西"),
    ("榆林", "陕西"),
    ("宝鸡", "陕西"),
    ("兰州", "甘肃"),
    ("西宁", "青海"),
    ("银川", "宁夏"),
    ("乌鲁木齐", "新疆"),
    ("拉萨", "西藏"),
];

/// Places outside the mainland, as investors' origins are written.
const ABROAD: &[&str] = &[
    "香港",
    "澳门",
    "台湾",
    "美国",
    "日本",
    "韩国",
    "德国",
    "法国",
    "英国",
    "意大利",
    "荷兰",
    "瑞士",
    "瑞典",
    "丹麦",
    "芬兰",
    "挪威",
    "比利时",
    "奥地利",
    "西班牙",
    "加拿大",
    "澳大利亚",
    "新西兰",
    "新加坡",
    "马来西亚",
    "泰国",
    "越南",
    "印度尼西亚",
    "印度",
    "以色列",
    "俄罗斯",
    "阿联酋",
    "沙特",
    "巴西",
    "墨西哥",
    "开曼",
];

/// Words that say the origin itself ("省外", "境外", "外资").
fn stated(text: &str) -> Option<Origin> {
    if ["境外", "国外", "海外", "外资", "外商", "港澳台", "外籍"]
        .iter()
        .any(|w| text.contains(w))
    {
        return Some(Origin::Abroad);
    }
    if ["省外", "外省", "域外", "市外"]
        .iter()
        .any(|w| text.contains(w))
    {
        return Some(Origin::OutOfProvince);
    }
    if ["省内", "本省", "域内", "本地", "本市", "市内", "县内"]
        .iter()
        .any(|w| text.contains(w))
    {
        return Some(Origin::InProvince);
    }
    None
}

/// The origin of a place written as a workbook writes it, and the province
/// or country named (for 省外 and 境外), against the zone's province (its
/// name as the org tree writes it: "山西省"). `None` when the place names
/// nothing known (a county alone, a typo): the caller says so.
pub fn origin_of_place(place: &str, home: Option<&str>) -> Option<(Origin, Option<String>)> {
    let text: String = place.chars().filter(|c| !c.is_whitespace()).collect();
    if text.is_empty() {
        return None;
    }
    if let Some(abroad) = ABROAD.iter().find(|w| text.contains(**w)) {
        return Some((Origin::Abroad, Some((*abroad).to_owned())));
    }
    let province = PROVINCES
        .iter()
        .filter(|p| text.starts_with(**p) || text.contains(&format!("{p}省")))
        .max_by_key(|p| p.len())
        .copied()
        .or_else(|| {
            CITIES
                .iter()
                .find(|(city, _)| text.contains(city))
                .map(|(_, p)| *p)
        })
        .or_else(|| PROVINCES.iter().find(|p| text.contains(**p)).copied());
    match province {
        Some(p) if home.is_some_and(|h| h.starts_with(p)) => Some((Origin::InProvince, None)),
        Some(p) if home.is_some() => Some((Origin::OutOfProvince, Some(p.to_owned()))),
        Some(_) => None,
        None => stated(&text).map(|o| (o, None)),
    }
}

/// A cell that states the origin: "省外", "境外", or 是/否 under a header
/// that asks 是否省外 (or 是否外资 when `asks_abroad`).
pub fn origin_of_word(word: &str, asks_abroad: bool) -> Option<Origin> {
    let t: String = word.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(o) = stated(&t) {
        return Some(o);
    }
    let yes = ["是", "√", "✓", "Y", "y"].iter().any(|w| t.starts_with(w));
    let no = ["否", "×", "N", "n"].iter().any(|w| t.starts_with(w));
    match (yes, no, asks_abroad) {
        (true, _, true) => Some(Origin::Abroad),
        (true, _, false) => Some(Origin::OutOfProvince),
        (false, true, _) => Some(Origin::InProvince),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_against_the_home_province() {
        let home = Some("山西省");
        let cases = [
            ("江苏徐州", Some((Origin::OutOfProvince, Some("江苏")))),
            ("浙江省杭州市", Some((Origin::OutOfProvince, Some("浙江")))),
            ("深圳", Some((Origin::OutOfProvince, Some("广东")))),
            ("太原市", Some((Origin::InProvince, None))),
            ("山西省长治市", Some((Origin::InProvince, None))),
            ("北京", Some((Origin::OutOfProvince, Some("北京")))),
            (
                "内蒙古鄂尔多斯",
                Some((Origin::OutOfProvince, Some("内蒙古"))),
            ),
            ("香港", Some((Origin::Abroad, Some("香港")))),
            ("新加坡", Some((Origin::Abroad, Some("新加坡")))),
            ("省外", Some((Origin::OutOfProvince, None))),
            ("本地", Some((Origin::InProvince, None))),
            ("某县", None),
            ("", None),
        ];
        for (place, want) in cases {
            let want = want.map(|(o, p)| (o, p.map(str::to_owned)));
            assert_eq!(origin_of_place(place, home), want, "{place}");
        }
        // Without the zone's province, a named province cannot be placed.
        assert_eq!(origin_of_place("江苏", None), None);
    }

    #[test]
    fn stated_words_and_yes_no() {
        assert_eq!(origin_of_word("省外", false), Some(Origin::OutOfProvince));
        assert_eq!(origin_of_word("是", false), Some(Origin::OutOfProvince));
        assert_eq!(origin_of_word("是", true), Some(Origin::Abroad));
        assert_eq!(origin_of_word("否", false), Some(Origin::InProvince));
        assert_eq!(origin_of_word("外资", false), Some(Origin::Abroad));
        assert_eq!(origin_of_word("不详", false), None);
    }
}
