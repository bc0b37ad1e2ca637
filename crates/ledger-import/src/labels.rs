//! The Chinese labels of stages, categories, natures and yes/no, as ledgers write them.

use kfq_domain::{Category, Nature, Stage};

pub fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Planning => "谋划",
        Stage::Signed => "签约",
        Stage::PreConstruction => "前期",
        Stage::Started => "开工",
        Stage::Completed => "竣工",
        Stage::Producing => "投产",
        Stage::AtCapacity => "达产",
        Stage::Suspended => "停建",
        Stage::Cancelled => "取消",
    }
}

pub(crate) fn category_label(c: Category) -> &'static str {
    match c {
        Category::Industrial => "产业类",
        Category::Infrastructure => "基础设施类",
        Category::Social => "社会民生类",
    }
}

pub(crate) fn nature_label(n: Nature) -> &'static str {
    match n {
        Nature::New => "新建",
        Nature::Continuing => "续建",
        Nature::Preliminary => "前期",
    }
}

pub(crate) fn yes_no(v: bool) -> &'static str {
    if v {
        "是"
    } else {
        "否"
    }
}
