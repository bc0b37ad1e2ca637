//! The organisation tree: (country →) province → city → (county) → zone →
//! department. The country (全国开发区, the national supervising unit) is
//! the root of a national tree; a single province's tree has the province
//! at its root.
//! The tree is stored as a materialized path ("/1/4/9/"), so "is X inside Y"
//! is a prefix test and a subtree is one index range, with no recursive walks.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::code_enum;

code_enum! {
    /// What an org unit is.
    OrgKind {
        /// The whole country's zones, supervised nationally (全国开发区).
        Country = "country",
        Province = "province",
        City = "city",
        County = "county",
        Zone = "zone",
        Department = "department",
    }
}

code_enum! {
    /// 国家级 / 省级.
    ZoneLevel { National = "national", Provincial = "provincial" }
}

code_enum! {
    /// The kind of zone, as the province's register names them.
    ZoneType {
        EconomicTechnological = "economic_technological", // 经济技术开发区 (经开区)
        Economic = "economic",                           // 经济开发区
        HighTech = "high_tech",                          // 高新技术产业开发区 (高新区)
        ModernAgriculture = "modern_agriculture",        // 现代农业产业示范区
        ComprehensiveBonded = "comprehensive_bonded",    // 综合保税区 (综保区)
        Industrial = "industrial",                       // 产业园区
        Other = "other",
    }
}

impl OrgKind {
    /// Which kinds may sit directly under this one.
    pub fn allowed_children(self) -> &'static [OrgKind] {
        match self {
            OrgKind::Country => &[OrgKind::Province],
            OrgKind::Province => &[OrgKind::City, OrgKind::Zone],
            OrgKind::City => &[OrgKind::County, OrgKind::Zone],
            OrgKind::County => &[OrgKind::Zone],
            OrgKind::Zone => &[OrgKind::Department],
            OrgKind::Department => &[],
        }
    }

    pub fn may_contain(self, child: OrgKind) -> bool {
        self.allowed_children().contains(&child)
    }

    /// Whether a unit of this kind may stand without a parent: the country,
    /// or a province when the tree is one province's.
    pub fn may_be_root(self) -> bool {
        matches!(self, OrgKind::Country | OrgKind::Province)
    }
}

/// Where a unit sits in the tree: the ids from the root down to it, as "/1/4/9/".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgPath(String);

impl OrgPath {
    pub fn root_of(id: i64) -> Self {
        Self(format!("/{id}/"))
    }

    pub fn child(&self, id: i64) -> Self {
        Self(format!("{}{id}/", self.0))
    }

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let inner = raw
            .strip_prefix('/')
            .and_then(|r| r.strip_suffix('/'))
            .ok_or("error.org_path")?;
        let ok = !inner.is_empty()
            && inner.split('/').all(|id| {
                !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && !id.starts_with('0')
            });
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err("error.org_path")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `self` is `other` or lies below it.
    pub fn is_within(&self, other: &OrgPath) -> bool {
        self.0.starts_with(&other.0)
    }

    /// The ids from the root down to this unit.
    pub fn ids(&self) -> Vec<i64> {
        self.0
            .split('/')
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect()
    }

    pub fn depth(&self) -> usize {
        self.ids().len()
    }

    pub fn id(&self) -> i64 {
        *self
            .ids()
            .last()
            .expect("a parsed path has at least one id")
    }

    /// The half-open range `[low, high)` of paths in this subtree, for an index
    /// range scan. Paths hold only digits and '/', and '0' follows '/' in byte
    /// order, so every descendant sorts before the path with its last '/' bumped.
    pub fn subtree_range(&self) -> (String, String) {
        let mut high = self.0.clone();
        high.pop();
        high.push('0');
        (self.0.clone(), high)
    }
}

impl fmt::Display for OrgPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for OrgPath {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OrgPath> for String {
    fn from(path: OrgPath) -> Self {
        path.0
    }
}

/// An org unit's code: zones carry the code the province registers them under.
pub fn parse_org_code(raw: &str) -> Result<String, &'static str> {
    let code = raw.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err("error.required");
    }
    if code.len() > 32
        || !code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err("error.org_code");
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_nest_by_prefix() {
        let province = OrgPath::root_of(1);
        let city = province.child(4);
        let zone = city.child(19);
        let other_city = province.child(41);
        assert_eq!(zone.as_str(), "/1/4/19/");
        assert!(zone.is_within(&city));
        assert!(zone.is_within(&province));
        assert!(city.is_within(&city));
        assert!(!city.is_within(&zone));
        // "/1/41/" starts with "/1/4" but not with "/1/4/": not inside city 4.
        assert!(!other_city.is_within(&city));
        assert_eq!(zone.ids(), vec![1, 4, 19]);
        assert_eq!(zone.depth(), 3);
        assert_eq!(zone.id(), 19);
    }

    #[test]
    fn subtree_range_holds_exactly_the_subtree() {
        let city = OrgPath::parse("/1/4/").unwrap();
        let (low, high) = city.subtree_range();
        let inside = ["/1/4/", "/1/4/19/", "/1/4/9/", "/1/4/999999/12/"];
        let outside = ["/1/", "/1/40/", "/1/41/3/", "/1/3/", "/1/5/", "/2/4/"];
        for p in inside {
            assert!(
                p >= low.as_str() && p < high.as_str(),
                "{p} should be inside"
            );
        }
        for p in outside {
            assert!(
                !(p >= low.as_str() && p < high.as_str()),
                "{p} should be outside"
            );
        }
    }

    #[test]
    fn parse_rejects_malformed_paths() {
        for bad in ["", "/", "1/2/", "/1/2", "//", "/1//2/", "/a/", "/01/"] {
            assert!(OrgPath::parse(bad).is_err(), "{bad}");
        }
        assert!(OrgPath::parse("/1/22/333/").is_ok());
    }

    #[test]
    fn tree_shape_rules() {
        assert!(OrgKind::Country.may_contain(OrgKind::Province));
        assert!(!OrgKind::Country.may_contain(OrgKind::Zone));
        assert!(OrgKind::Province.may_contain(OrgKind::City));
        assert!(!OrgKind::Province.may_contain(OrgKind::Country));
        assert!(OrgKind::Country.may_be_root() && OrgKind::Province.may_be_root());
        assert!(!OrgKind::City.may_be_root() && !OrgKind::Zone.may_be_root());
        assert!(OrgKind::City.may_contain(OrgKind::Zone));
        assert!(OrgKind::County.may_contain(OrgKind::Zone));
        assert!(OrgKind::Zone.may_contain(OrgKind::Department));
        assert!(!OrgKind::Zone.may_contain(OrgKind::City));
        assert!(!OrgKind::Department.may_contain(OrgKind::Department));
    }

    #[test]
    fn codes_round_trip() {
        for kind in OrgKind::ALL {
            assert_eq!(OrgKind::from_code(kind.code()), Some(*kind));
        }
        for t in ZoneType::ALL {
            assert_eq!(ZoneType::from_code(t.code()), Some(*t));
        }
        assert_eq!(ZoneLevel::from_code("national"), Some(ZoneLevel::National));
        assert_eq!(OrgKind::Zone.label_key(), "OrgKind.zone");
    }

    #[test]
    fn org_codes() {
        assert_eq!(parse_org_code(" ycjk-01 "), Ok("YCJK-01".into()));
        assert_eq!(parse_org_code(""), Err("error.required"));
        assert_eq!(parse_org_code("运城"), Err("error.org_code"));
    }
}
