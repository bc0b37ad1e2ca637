//! Who may see and change what. A user holds one role at one org unit; their scope
//! is that unit's subtree. Storage filters every read by a [`Visibility`] derived
//! here; every audited write takes a proof of permission that only the rules
//! here (or the server's operator) can make, so the rules live in one place and
//! are tested here.

use serde::{Deserialize, Serialize};

use crate::code_enum;
use crate::org::{OrgKind, OrgPath};

code_enum! {
    /// The roles of kfq (DOMAIN.md "Who uses it").
    Role {
        SystemAdmin = "system_admin",
        Supervisor = "supervisor",
        ZoneAdmin = "zone_admin",
        ZoneStaff = "zone_staff",
        DepartmentStaff = "department_staff",
        Liaison = "liaison",
        Enterprise = "enterprise",
    }
}

impl Role {
    /// The kinds of org unit a user of this role may be placed at.
    pub fn unit_kinds(self) -> &'static [OrgKind] {
        match self {
            Role::SystemAdmin => &[OrgKind::Country, OrgKind::Province],
            Role::Supervisor => &[
                OrgKind::Country,
                OrgKind::Province,
                OrgKind::City,
                OrgKind::County,
            ],
            Role::ZoneAdmin | Role::ZoneStaff | Role::Enterprise => &[OrgKind::Zone],
            Role::DepartmentStaff => &[OrgKind::Department],
            Role::Liaison => &[OrgKind::Zone, OrgKind::Department],
        }
    }

    /// The catalogue key of the reason this placement is wrong, if it is.
    pub fn check_placement(
        self,
        unit: OrgKind,
        enterprise: Option<i64>,
    ) -> Result<(), &'static str> {
        if !self.unit_kinds().contains(&unit) {
            return Err("error.role.unit_kind");
        }
        match (self, enterprise) {
            (Role::Enterprise, None) => Err("error.role.enterprise_required"),
            (Role::Enterprise, Some(_)) | (_, None) => Ok(()),
            (_, Some(_)) => Err("error.role.enterprise_only"),
        }
    }
}

/// Which rows of a zone-owned or org-owned table a user may read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Visibility {
    All,
    /// Rows whose org unit (or zone) lies in this subtree.
    Subtree(OrgPath),
    /// Only the rows of this one enterprise.
    Enterprise(i64),
    Nothing,
}

impl Visibility {
    /// Whether a row owned by the unit at `path` (and, for enterprise rows, by
    /// `enterprise`) is visible.
    pub fn admits(&self, path: &OrgPath, enterprise: Option<i64>) -> bool {
        match self {
            Visibility::All => true,
            Visibility::Subtree(scope) => path.is_within(scope),
            Visibility::Enterprise(id) => enterprise == Some(*id),
            Visibility::Nothing => false,
        }
    }
}

/// The signed-in user, as the rules need them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub user_id: i64,
    pub role: Role,
    pub unit_path: OrgPath,
    /// The zone the user's unit lies in (itself for a zone), if any.
    pub zone_path: Option<OrgPath>,
    pub enterprise_id: Option<i64>,
}

impl Principal {
    /// The subtree a user reads: their unit's, widened to the whole zone for
    /// people who work inside a zone (a department sees its zone's ledger).
    fn read_root(&self) -> Option<&OrgPath> {
        match self.role {
            Role::SystemAdmin | Role::Supervisor => Some(&self.unit_path),
            Role::ZoneAdmin | Role::ZoneStaff | Role::DepartmentStaff | Role::Liaison => {
                self.zone_path.as_ref().or(Some(&self.unit_path))
            }
            Role::Enterprise => None,
        }
    }

    fn subtree_or_nothing(root: Option<&OrgPath>) -> Visibility {
        root.map_or(Visibility::Nothing, |p| Visibility::Subtree(p.clone()))
    }

    /// Org units this user may read.
    pub fn org_visibility(&self) -> Visibility {
        match self.role {
            Role::SystemAdmin => Visibility::All,
            _ => Self::subtree_or_nothing(self.read_root()),
        }
    }

    /// Zone-owned data (enterprises, and later projects, requests, hazards).
    pub fn zone_data_visibility(&self) -> Visibility {
        match (self.role, self.enterprise_id) {
            (Role::SystemAdmin, _) => Visibility::All,
            (Role::Enterprise, Some(id)) => Visibility::Enterprise(id),
            (Role::Enterprise, None) => Visibility::Nothing,
            _ => Self::subtree_or_nothing(self.read_root()),
        }
    }

    /// User accounts: administrators see the accounts they manage, supervisors
    /// those of their subtree; everyone else only their own (via "my account").
    pub fn user_visibility(&self) -> Visibility {
        match self.role {
            Role::SystemAdmin => Visibility::All,
            Role::Supervisor | Role::ZoneAdmin => Self::subtree_or_nothing(self.read_root()),
            _ => Visibility::Nothing,
        }
    }

    /// Audit records follow what they describe: data as the data, records
    /// about accounts as the accounts (their phones and e-mails stay with
    /// those who may see the users).
    pub fn audit_visibility(&self) -> crate::audit::AuditScope {
        crate::audit::AuditScope {
            data: self.zone_data_visibility(),
            people: self.user_visibility(),
        }
    }

    fn in_own_zone(&self, path: &OrgPath) -> bool {
        self.zone_path
            .as_ref()
            .is_some_and(|zone| path.is_within(zone))
    }

    /// Create, edit or delete zone-owned data of the zone at `zone_path`.
    pub fn can_write_zone_data(&self, zone_path: &OrgPath) -> bool {
        match self.role {
            Role::SystemAdmin => true,
            Role::ZoneAdmin | Role::ZoneStaff => self.in_own_zone(zone_path),
            _ => false,
        }
    }

    /// The proof, for the store, that this person may write the zone data of
    /// the zone (or unit) at `zone_path`; none if the rules say no.
    pub fn zone_write(&self, zone_path: &OrgPath) -> Option<ZoneWrite> {
        if !self.can_write_zone_data(zone_path) {
            return None;
        }
        // What this person may write, not just this one zone: an administrator
        // moving a project between zones writes both.
        let scope = match self.role {
            Role::SystemAdmin => None,
            // Never "everywhere" by a missing zone: no zone, no proof.
            _ => Some(self.zone_path.clone()?),
        };
        Some(ZoneWrite { scope })
    }

    /// Write the zone data of their own zone (or, for the administrator, of
    /// any): what shows the ledger's 新建项目 and the dispatch sheet's decision
    /// form, by the same rule that guards the writes.
    pub fn can_write_own_zone_data(&self) -> bool {
        match (self.role, &self.zone_path) {
            (Role::SystemAdmin, _) => true,
            (_, Some(zone)) => self.can_write_zone_data(zone),
            (_, None) => false,
        }
    }

    /// Set a zone's yearly indicator targets (省定考核目标): they come from
    /// above, so the supervisors over the zone or the administrator.
    pub fn can_set_targets(&self, zone_path: &OrgPath) -> bool {
        self.oversight(zone_path).is_some()
    }

    /// The proof that this person oversees the zones under `path` from above
    /// (sets their targets): the administrator, or a supervisor over it.
    pub fn oversight(&self, path: &OrgPath) -> Option<Oversight> {
        let scope = match self.role {
            Role::SystemAdmin => None,
            Role::Supervisor if path.is_within(&self.unit_path) => Some(self.unit_path.clone()),
            _ => return None,
        };
        Some(Oversight { scope })
    }

    /// The proof that this person administers the unit at `path`: its sub-units,
    /// its accounts and a zone's ledger settings. The system administrator
    /// administers everything; a zone administrator their own zone, within
    /// the limits [`UnitAdmin::may_shape`] and [`UnitAdmin::may_grant`] set.
    pub fn unit_admin(&self, path: &OrgPath) -> Option<UnitAdmin> {
        let scope = match self.role {
            Role::SystemAdmin => None,
            Role::ZoneAdmin if self.in_own_zone(path) => Some(self.zone_path.clone()?),
            _ => return None,
        };
        Some(UnitAdmin { scope })
    }

    /// The proof of administering everything: a new province, and the
    /// dictionaries every zone shares (the working-day calendar, the indicator
    /// catalogue, the warning rules). Only the system administrator.
    pub fn system_admin(&self) -> Option<UnitAdmin> {
        self.unit_admin(&self.unit_path)
            .filter(UnitAdmin::covers_everything)
    }

    /// Administer some unit at all: what offers 新建 on the lists of units
    /// and accounts, by the rule of [`Principal::unit_admin`].
    pub fn can_administer(&self) -> bool {
        self.unit_admin(self.zone_path.as_ref().unwrap_or(&self.unit_path))
            .is_some()
    }

    /// Create a unit of `kind` under the unit at `parent`.
    pub fn can_create_org(&self, parent: &OrgPath, kind: OrgKind) -> bool {
        self.unit_admin(parent).is_some_and(|p| p.may_shape(kind))
    }

    /// Edit or delete the unit at `path`.
    pub fn can_edit_org(&self, path: &OrgPath, kind: OrgKind) -> bool {
        self.unit_admin(path).is_some_and(|p| p.may_shape(kind))
    }

    /// Create or edit an account with `role` at the unit at `unit`. Nobody hands
    /// out a role above their own, and zone administrators stay inside their zone.
    pub fn can_manage_user(&self, unit: &OrgPath, role: Role) -> bool {
        self.unit_admin(unit).is_some_and(|p| p.may_grant(role))
    }

    /// Province and city supervisors score zones (assessment issues build on this).
    pub fn can_assess(&self) -> bool {
        matches!(self.role, Role::SystemAdmin | Role::Supervisor)
    }

    /// The proof that this person sets the score sheets and closes the
    /// quarters of the unit at `path`: from above (the administrator, the
    /// supervisors over it), or a zone's own administration for its zone.
    pub fn assessment(&self, path: &OrgPath) -> Option<Assessment> {
        let scope = match self.role {
            Role::SystemAdmin => None,
            Role::Supervisor if path.is_within(&self.unit_path) => Some(self.unit_path.clone()),
            Role::ZoneAdmin if self.zone_path.as_ref() == Some(path) => Some(path.clone()),
            _ => return None,
        };
        Some(Assessment { scope })
    }

    /// The proof that this person writes the org-level records of the unit at
    /// `path` (its campaigns, its monthly reports): a zone's writers for their
    /// zone, the supervisors over a city or province, the administrator.
    pub fn unit_write(&self, path: &OrgPath) -> Option<UnitWrite> {
        if let Some(from_above) = self.oversight(path) {
            return Some(UnitWrite {
                scope: from_above.scope,
            });
        }
        if !self.can_write_zone_data(path) {
            return None;
        }
        Some(UnitWrite {
            scope: Some(self.zone_path.clone()?),
        })
    }

    /// The proof that this person acts on the account `user_id` as its
    /// owner (tokens, channels, subscriptions, password): only their own.
    pub fn own_account(&self, user_id: i64) -> Option<OwnAccount> {
        (user_id == self.user_id).then_some(OwnAccount {
            user_id: Some(user_id),
        })
    }

    pub fn is_admin(&self) -> bool {
        matches!(self.role, Role::SystemAdmin | Role::ZoneAdmin)
    }

    /// 招商引资: which leads this person sees. Supervisors their subtree; a
    /// zone's administrator, staff and liaison leaders the zone's; department
    /// staff only the leads they own or work on (招商专班); enterprise
    /// accounts none.
    pub fn lead_sight(&self) -> LeadSight {
        LeadSight {
            visibility: self.investor_visibility(),
            only_of: (self.role == Role::DepartmentStaff).then_some(self.user_id),
        }
    }

    /// 招商引资: the investors (客商) this person sees: their zone's (or
    /// subtree's), never to an enterprise account.
    pub fn investor_visibility(&self) -> Visibility {
        match self.role {
            Role::Enterprise => Visibility::Nothing,
            _ => self.zone_data_visibility(),
        }
    }

    /// The proof that this person may write the leads and investors of the
    /// zone at `zone_path`: the zone's administrator and staff all of them,
    /// department staff the leads they own or work on; none for anyone else.
    pub fn lead_write(&self, zone_path: &OrgPath) -> Option<LeadWrite> {
        let (scope, only_of) = match self.role {
            Role::SystemAdmin => (None, None),
            Role::ZoneAdmin | Role::ZoneStaff if self.in_own_zone(zone_path) => {
                (Some(self.zone_path.clone()?), None)
            }
            Role::DepartmentStaff if self.in_own_zone(zone_path) => {
                (Some(self.zone_path.clone()?), Some(self.user_id))
            }
            _ => return None,
        };
        Some(LeadWrite { scope, only_of })
    }

    /// The proof that this person sets the 招商引资 rules of the unit at
    /// `path` (a province's 首谈 threshold, time limits): from above (the
    /// administrator, a supervisor over it), or a zone's administrator for
    /// their own zone.
    pub fn attraction_rules(&self, path: &OrgPath) -> Option<UnitWrite> {
        let scope = match self.role {
            Role::SystemAdmin => None,
            Role::Supervisor if path.is_within(&self.unit_path) => Some(self.unit_path.clone()),
            Role::ZoneAdmin if self.zone_path.as_ref() == Some(path) => Some(path.clone()),
            _ => return None,
        };
        Some(UnitWrite { scope })
    }

    /// Whether this person works leads in their own zone: the menu's entry
    /// and the 新建线索 button.
    pub fn can_work_leads(&self) -> bool {
        match (&self.role, &self.zone_path) {
            (Role::SystemAdmin, _) => true,
            (_, Some(zone)) => self.lead_write(zone).is_some(),
            (_, None) => false,
        }
    }
}

/// Which leads a person sees: the rows `visibility` admits, narrowed to those
/// owned or worked on by `only_of` when it is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadSight {
    pub visibility: Visibility,
    pub only_of: Option<i64>,
}

/// Proof that a write of 招商引资 data was allowed, made only by
/// [`Principal::lead_write`] or [`LeadWrite::operator`]. The store checks that
/// the row lies within it and, when it is narrowed to one person, that the
/// lead is theirs (owner or 招商专班).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadWrite {
    scope: Option<OrgPath>,
    only_of: Option<i64>,
}

impl LeadWrite {
    pub fn operator() -> LeadWrite {
        LeadWrite {
            scope: None,
            only_of: None,
        }
    }

    pub fn covers(&self, zone_path: &OrgPath) -> bool {
        covers(&self.scope, zone_path)
    }

    /// The one person whose leads alone this proof covers, if narrowed.
    pub fn only_of(&self) -> Option<i64> {
        self.only_of
    }
}

/// Proof that a write of zone data (the ledger) was allowed. Store writes take
/// one, so a write without a check does not compile: it is made only by
/// [`Principal::zone_write`] (the access rules) or by [`ZoneWrite::operator`]
/// (the server's operator: the CLI, seeding, background jobs). The store still
/// checks that the row it writes lies within it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneWrite {
    /// `None`: everywhere.
    scope: Option<OrgPath>,
}

impl ZoneWrite {
    /// The operator of the server may write anywhere.
    pub fn operator() -> ZoneWrite {
        ZoneWrite { scope: None }
    }

    /// Whether the zone at `zone_path` lies within what was allowed.
    pub fn covers(&self, zone_path: &OrgPath) -> bool {
        covers(&self.scope, zone_path)
    }
}

fn covers(scope: &Option<OrgPath>, path: &OrgPath) -> bool {
    scope.as_ref().is_none_or(|scope| path.is_within(scope))
}

/// Proof that administering units was allowed: creating, editing and deleting
/// org units, placing accounts, a zone's ledger settings; and, covering
/// everything, the shared dictionaries. Made by [`Principal::unit_admin`],
/// [`Principal::system_admin`] or [`UnitAdmin::operator`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitAdmin {
    /// `None`: everywhere. `Some`: one zone, administered by its own administrator.
    scope: Option<OrgPath>,
}

impl UnitAdmin {
    /// The operator of the server administers everything.
    pub fn operator() -> UnitAdmin {
        UnitAdmin { scope: None }
    }

    /// Whether the unit at `path` lies within what was allowed.
    pub fn covers(&self, path: &OrgPath) -> bool {
        covers(&self.scope, path)
    }

    /// Whether this proof reaches everything: what a dictionary or a new
    /// province needs.
    pub fn covers_everything(&self) -> bool {
        self.scope.is_none()
    }

    /// Whether units of `kind` may be created, edited or deleted: a zone's
    /// administration shapes its departments only.
    pub fn may_shape(&self, kind: OrgKind) -> bool {
        self.covers_everything() || kind == OrgKind::Department
    }

    /// Whether accounts of `role` may be placed: nobody inside a zone hands
    /// out a role above the zone.
    pub fn may_grant(&self, role: Role) -> bool {
        self.covers_everything() || !matches!(role, Role::SystemAdmin | Role::Supervisor)
    }
}

/// Proof that overseeing zones from above was allowed: their yearly targets.
/// Made by [`Principal::oversight`] or [`Oversight::operator`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Oversight {
    scope: Option<OrgPath>,
}

impl Oversight {
    pub fn operator() -> Oversight {
        Oversight { scope: None }
    }

    /// Whether the zone at `path` lies within what was allowed.
    pub fn covers(&self, path: &OrgPath) -> bool {
        covers(&self.scope, path)
    }
}

/// Proof that assessing was allowed: setting a unit's score sheet and closing
/// its quarters. Made by [`Principal::assessment`] or [`Assessment::operator`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    scope: Option<OrgPath>,
}

impl Assessment {
    pub fn operator() -> Assessment {
        Assessment { scope: None }
    }

    /// Whether the unit at `path` lies within what was allowed.
    pub fn covers(&self, path: &OrgPath) -> bool {
        covers(&self.scope, path)
    }
}

/// Proof that writing a unit's org-level records was allowed: its campaigns
/// and its monthly reports. Made by [`Principal::unit_write`] or
/// [`UnitWrite::operator`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitWrite {
    scope: Option<OrgPath>,
}

impl UnitWrite {
    pub fn operator() -> UnitWrite {
        UnitWrite { scope: None }
    }

    /// Whether the unit at `path` lies within what was allowed.
    pub fn covers(&self, path: &OrgPath) -> bool {
        covers(&self.scope, path)
    }
}

/// Proof that acting on an account as its owner was allowed. Made by
/// [`Principal::own_account`] or [`OwnAccount::operator`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnAccount {
    /// `None`: any account.
    user_id: Option<i64>,
}

impl OwnAccount {
    pub fn operator() -> OwnAccount {
        OwnAccount { user_id: None }
    }

    /// Whether the account `user_id` is the one allowed.
    pub fn covers(&self, user_id: i64) -> bool {
        self.user_id.is_none_or(|own| own == user_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> OrgPath {
        OrgPath::parse(p).unwrap()
    }

    // Province 1 → city 2 → zone 3 → department 4; city 2 → zone 5; city 6 → zone 7.
    fn principal(role: Role, unit: &str, zone: Option<&str>, enterprise: Option<i64>) -> Principal {
        Principal {
            user_id: 99,
            role,
            unit_path: path(unit),
            zone_path: zone.map(path),
            enterprise_id: enterprise,
        }
    }

    #[test]
    fn a_zone_write_covers_its_zone_only() {
        let staff = principal(Role::ZoneStaff, "/1/2/3/", Some("/1/2/3/"), None);
        let proof = staff.zone_write(&path("/1/2/3/")).expect("own zone");
        assert!(proof.covers(&path("/1/2/3/")));
        assert!(proof.covers(&path("/1/2/3/4/")));
        assert!(!proof.covers(&path("/1/2/5/")));
        assert!(staff.zone_write(&path("/1/2/5/")).is_none());
        let liaison = principal(Role::Liaison, "/1/2/3/", Some("/1/2/3/"), None);
        assert!(liaison.zone_write(&path("/1/2/3/")).is_none());
        assert!(ZoneWrite::operator().covers(&path("/1/6/7/")));
    }

    #[test]
    fn leads_are_seen_and_written_by_role() {
        let zone3 = "/1/2/3/";
        let own = path(zone3);
        let other = path("/1/2/5/");
        // (who, sight narrowed to them, writes own zone, narrowed write)
        let cases = [
            (
                principal(Role::SystemAdmin, "/1/", None, None),
                None,
                true,
                None,
            ),
            (
                principal(Role::ZoneAdmin, zone3, Some(zone3), None),
                None,
                true,
                None,
            ),
            (
                principal(Role::ZoneStaff, zone3, Some(zone3), None),
                None,
                true,
                None,
            ),
            (
                principal(Role::DepartmentStaff, "/1/2/3/4/", Some(zone3), None),
                Some(99),
                true,
                Some(99),
            ),
            (
                principal(Role::Liaison, zone3, Some(zone3), None),
                None,
                false,
                None,
            ),
            (
                principal(Role::Supervisor, "/1/2/", None, None),
                None,
                false,
                None,
            ),
        ];
        for (who, narrowed, writes, write_narrowed) in cases {
            let sight = who.lead_sight();
            assert_eq!(sight.only_of, narrowed, "{:?}", who.role);
            assert!(sight.visibility.admits(&own, None), "{:?}", who.role);
            let proof = who.lead_write(&own);
            assert_eq!(proof.is_some(), writes, "{:?}", who.role);
            assert_eq!(who.can_work_leads(), writes, "{:?}", who.role);
            if let Some(proof) = proof {
                assert_eq!(proof.only_of(), write_narrowed);
                assert!(proof.covers(&own));
                assert_eq!(proof.covers(&other), who.role == Role::SystemAdmin);
            }
            if who.role != Role::SystemAdmin {
                assert!(who.lead_write(&other).is_none(), "{:?}", who.role);
            }
        }
        let enterprise = principal(Role::Enterprise, zone3, Some(zone3), Some(8));
        assert_eq!(enterprise.lead_sight().visibility, Visibility::Nothing);
        assert_eq!(enterprise.investor_visibility(), Visibility::Nothing);
        assert!(enterprise.lead_write(&own).is_none() && !enterprise.can_work_leads());
    }

    #[test]
    fn attraction_rules_are_set_from_above_or_by_the_zones_administrator() {
        let zone3 = "/1/2/3/";
        // (who, province 1, city 2, zone 3, zone 5)
        let cases = [
            (principal(Role::SystemAdmin, "/1/", None, None), [true; 4]),
            (
                principal(Role::Supervisor, "/1/", None, None),
                [true, true, true, true],
            ),
            (
                principal(Role::Supervisor, "/1/2/", None, None),
                [false, true, true, true],
            ),
            (
                principal(Role::ZoneAdmin, zone3, Some(zone3), None),
                [false, false, true, false],
            ),
            (
                principal(Role::ZoneStaff, zone3, Some(zone3), None),
                [false; 4],
            ),
            (
                principal(Role::DepartmentStaff, "/1/2/3/4/", Some(zone3), None),
                [false; 4],
            ),
            (
                principal(Role::Liaison, zone3, Some(zone3), None),
                [false; 4],
            ),
        ];
        for (who, expected) in cases {
            for (unit, allowed) in ["/1/", "/1/2/", zone3, "/1/2/5/"].iter().zip(expected) {
                let proof = who.attraction_rules(&path(unit));
                assert_eq!(proof.is_some(), allowed, "{:?} on {unit}", who.role);
                if let Some(proof) = proof {
                    assert!(proof.covers(&path(unit)));
                }
            }
        }
    }

    #[test]
    fn only_zone_writers_are_offered_zone_writes() {
        let zone3 = "/1/2/3/";
        let cases = [
            (principal(Role::SystemAdmin, "/1/", None, None), true),
            (principal(Role::ZoneAdmin, zone3, Some(zone3), None), true),
            (principal(Role::ZoneStaff, zone3, Some(zone3), None), true),
            (
                principal(Role::DepartmentStaff, "/1/2/3/4/", Some(zone3), None),
                false,
            ),
            (principal(Role::Liaison, zone3, Some(zone3), None), false),
            (
                principal(Role::Enterprise, zone3, Some(zone3), Some(8)),
                false,
            ),
            (principal(Role::Supervisor, "/1/2/", None, None), false),
        ];
        for (who, offered) in cases {
            assert_eq!(who.can_write_own_zone_data(), offered, "{:?}", who.role);
            // The offer never goes beyond the rule that guards the write.
            if offered && who.role != Role::SystemAdmin {
                assert!(who.can_write_zone_data(&path(zone3)));
            }
        }
    }

    #[test]
    fn read_scopes_by_role() {
        let zone3 = path("/1/2/3/");
        let dept4 = path("/1/2/3/4/");
        let zone5 = path("/1/2/5/");
        let zone7 = path("/1/6/7/");
        let cases: Vec<(Principal, Vec<(&OrgPath, bool)>)> = vec![
            (
                principal(Role::SystemAdmin, "/1/", None, None),
                vec![(&zone3, true), (&zone7, true)],
            ),
            (
                principal(Role::Supervisor, "/1/2/", None, None),
                vec![(&zone3, true), (&zone5, true), (&zone7, false)],
            ),
            (
                principal(Role::ZoneStaff, "/1/2/3/", Some("/1/2/3/"), None),
                vec![(&zone3, true), (&dept4, true), (&zone5, false)],
            ),
            (
                principal(Role::DepartmentStaff, "/1/2/3/4/", Some("/1/2/3/"), None),
                vec![(&zone3, true), (&dept4, true), (&zone5, false)],
            ),
        ];
        for (who, expectations) in cases {
            let visible = who.zone_data_visibility();
            for (p, expected) in expectations {
                assert_eq!(
                    visible.admits(p, None),
                    expected,
                    "{:?} reading {p}",
                    who.role
                );
            }
        }
    }

    #[test]
    fn targets_come_from_above() {
        let zone3 = path("/1/2/3/");
        let zone7 = path("/1/6/7/");
        let city = principal(Role::Supervisor, "/1/2/", None, None);
        assert!(city.can_set_targets(&zone3));
        assert!(!city.can_set_targets(&zone7), "another city's zone");
        assert!(principal(Role::SystemAdmin, "/1/", None, None).can_set_targets(&zone7));
        let own = principal(Role::ZoneAdmin, "/1/2/3/", Some("/1/2/3/"), None);
        assert!(
            !own.can_set_targets(&zone3),
            "a zone does not set its own targets"
        );
        assert!(own.can_write_zone_data(&zone3), "but reports its figures");
    }

    #[test]
    fn enterprise_users_see_only_themselves() {
        let who = principal(Role::Enterprise, "/1/2/3/", Some("/1/2/3/"), Some(42));
        let visible = who.zone_data_visibility();
        assert!(visible.admits(&path("/1/2/3/"), Some(42)));
        assert!(!visible.admits(&path("/1/2/3/"), Some(43)));
        assert!(!visible.admits(&path("/1/2/3/"), None));
        assert_eq!(who.org_visibility(), Visibility::Nothing);
        assert_eq!(who.user_visibility(), Visibility::Nothing);
    }

    #[test]
    fn writes_stay_in_own_zone() {
        let staff = principal(Role::ZoneStaff, "/1/2/3/", Some("/1/2/3/"), None);
        assert!(staff.can_write_zone_data(&path("/1/2/3/")));
        assert!(!staff.can_write_zone_data(&path("/1/2/5/")));
        let supervisor = principal(Role::Supervisor, "/1/2/", None, None);
        assert!(!supervisor.can_write_zone_data(&path("/1/2/3/")));
        assert!(supervisor.can_assess());
        let dept = principal(Role::DepartmentStaff, "/1/2/3/4/", Some("/1/2/3/"), None);
        assert!(!dept.can_write_zone_data(&path("/1/2/3/")));
    }

    #[test]
    fn zone_admin_manages_departments_and_accounts_of_own_zone_only() {
        let admin = principal(Role::ZoneAdmin, "/1/2/3/", Some("/1/2/3/"), None);
        assert!(admin.can_create_org(&path("/1/2/3/"), OrgKind::Department));
        assert!(!admin.can_create_org(&path("/1/2/"), OrgKind::Zone));
        assert!(!admin.can_create_org(&path("/1/2/5/"), OrgKind::Department));
        assert!(admin.can_edit_org(&path("/1/2/3/4/"), OrgKind::Department));
        assert!(!admin.can_edit_org(&path("/1/2/3/"), OrgKind::Zone));
        assert!(admin.can_manage_user(&path("/1/2/3/4/"), Role::DepartmentStaff));
        assert!(!admin.can_manage_user(&path("/1/2/3/"), Role::Supervisor));
        assert!(!admin.can_manage_user(&path("/1/2/3/"), Role::SystemAdmin));
        assert!(!admin.can_manage_user(&path("/1/2/5/"), Role::ZoneStaff));
    }

    #[test]
    fn each_proof_covers_its_own_subtree_only() {
        let zone3 = path("/1/2/3/");
        let dept4 = path("/1/2/3/4/");
        let zone5 = path("/1/2/5/");
        let zone7 = path("/1/6/7/");
        let admin3 = principal(Role::ZoneAdmin, "/1/2/3/", Some("/1/2/3/"), None);
        let staff3 = principal(Role::ZoneStaff, "/1/2/3/", Some("/1/2/3/"), None);
        let city2 = principal(Role::Supervisor, "/1/2/", None, None);
        let system = principal(Role::SystemAdmin, "/1/", None, None);

        let unit = admin3.unit_admin(&dept4).expect("own zone");
        assert!(unit.covers(&dept4) && !unit.covers(&zone5));
        assert!(unit.may_shape(OrgKind::Department) && !unit.may_shape(OrgKind::Zone));
        assert!(unit.may_grant(Role::ZoneStaff) && !unit.may_grant(Role::Supervisor));
        assert!(admin3.unit_admin(&zone5).is_none());
        assert!(staff3.unit_admin(&zone3).is_none());
        assert!(city2.unit_admin(&zone3).is_none());
        assert!(admin3.system_admin().is_none());
        assert!(system.system_admin().is_some_and(|p| p.covers(&zone7)));

        let above = city2.oversight(&zone3).expect("a zone of the city");
        assert!(above.covers(&zone5) && !above.covers(&zone7));
        assert!(city2.oversight(&zone7).is_none());
        assert!(admin3.oversight(&zone3).is_none());

        let sheet = admin3.assessment(&zone3).expect("its own zone");
        assert!(sheet.covers(&zone3) && !sheet.covers(&zone5));
        assert!(
            admin3.assessment(&dept4).is_none(),
            "the zone, not a department"
        );
        assert!(staff3.assessment(&zone3).is_none());
        assert!(city2.assessment(&path("/1/2/")).is_some());
        assert!(city2.assessment(&zone7).is_none());

        let own = staff3.unit_write(&zone3).expect("own zone");
        assert!(own.covers(&zone3) && !own.covers(&zone5));
        assert!(city2
            .unit_write(&path("/1/2/"))
            .is_some_and(|p| p.covers(&zone5)));
        let liaison = principal(Role::Liaison, "/1/2/3/", Some("/1/2/3/"), None);
        assert!(liaison.unit_write(&zone3).is_none());

        let account = staff3.own_account(99).expect("own account");
        assert!(account.covers(99) && !account.covers(100));
        assert!(staff3.own_account(100).is_none());
        assert!(OwnAccount::operator().covers(100));
    }

    #[test]
    fn placement_rules() {
        assert_eq!(Role::ZoneStaff.check_placement(OrgKind::Zone, None), Ok(()));
        assert_eq!(
            Role::ZoneStaff.check_placement(OrgKind::City, None),
            Err("error.role.unit_kind")
        );
        assert_eq!(
            Role::Enterprise.check_placement(OrgKind::Zone, None),
            Err("error.role.enterprise_required")
        );
        assert_eq!(
            Role::Enterprise.check_placement(OrgKind::Zone, Some(1)),
            Ok(())
        );
        assert_eq!(
            Role::ZoneStaff.check_placement(OrgKind::Zone, Some(1)),
            Err("error.role.enterprise_only")
        );
        assert_eq!(
            Role::Supervisor.check_placement(OrgKind::City, None),
            Ok(())
        );
    }
}
