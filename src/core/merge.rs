//! The three-way merge of two ledgers that grew apart from a common base.
//!
//! This is what makes a ledger live in git on several machines: `kith merge`
//! runs it as git's merge driver. People, entries and needs are matched by id,
//! never by position. An object added on either side is kept; deleted on one
//! side and untouched on the other, it is deleted; changed on one side only, it
//! takes that change. Changed on both sides, the objects are merged field by
//! field, each field following the same rules, so two machines editing
//! different fields of one person both win. A field changed on both sides to
//! different values takes the value of the object with the newer `updated`
//! (ties broken by comparing the objects' JSON, so the result never depends on
//! which side is "ours") and is reported as a [`Conflict`]. Lists of plain
//! values (tags, emails, nudges) changed on both sides are merged as sets, a
//! person's dates by their label (as needs are by id), and
//! objects without an `updated` (settings, a need, a flag) inherit the choice
//! of their parent. Nothing is ever lost silently: an object deleted on one
//! side but changed on the other is kept, and so is a person whose entries the
//! other side kept adding to. Unknown fields ride along with everything else,
//! because the merge works on each object's JSON.
//!
//! The merge is pure and symmetric: `merge(base, a, b)` and `merge(base, b, a)`
//! give the same ledger (only the side names in the conflicts differ).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::core::model::{Entry, Ledger, Person, Settings};

/// One of the two ledgers being merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Ours,
    Theirs,
}

impl Side {
    fn other(self) -> Side {
        match self {
            Side::Ours => Side::Theirs,
            Side::Theirs => Side::Ours,
        }
    }

    fn pick<T>(self, ours: T, theirs: T) -> T {
        match self {
            Side::Ours => ours,
            Side::Theirs => theirs,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Ours => "ours",
            Side::Theirs => "theirs",
        })
    }
}

/// Why the merge had to choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConflictKind {
    /// Both sides changed a field to different values; the newer object won.
    BothChanged,
    /// One side deleted what the other changed; the change was kept.
    DeletedAndChanged,
    /// The field-wise merge did not make a valid object; the newer object was kept whole.
    KeptWhole,
    /// One side deleted a person the other side still has entries for; the person was kept.
    KeptForEntries,
}

/// A choice the merge made between the two sides. Each was resolved; none
/// needs action, but the user may want to check the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// `person`, `entry`, `settings` or `ledger`.
    pub object: &'static str,
    /// The object's id (empty for settings and the ledger).
    pub id: String,
    /// A readable label: the person's name, or the entry's type and date.
    pub label: String,
    /// The field path inside the object (`notes`, `needs.n-12.text`), empty for the whole object.
    pub field: String,
    pub kind: ConflictKind,
    /// The side whose version was kept.
    pub kept: Side,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match (self.id.is_empty(), self.label.is_empty()) {
            (true, _) => self.object.to_string(),
            (false, true) => format!("{} {}", self.object, self.id),
            (false, false) => format!("{} {} ({})", self.object, self.label, self.id),
        };
        let field = if self.field.is_empty() {
            String::new()
        } else {
            format!(" `{}`", self.field)
        };
        match self.kind {
            ConflictKind::BothChanged => write!(
                f,
                "{what}:{field} changed on both sides; kept {} (newer)",
                self.kept
            ),
            ConflictKind::DeletedAndChanged => write!(
                f,
                "{what}:{field} deleted on one side and changed on the other; kept the change from {}",
                self.kept
            ),
            ConflictKind::KeptWhole => write!(
                f,
                "{what}: the changes of both sides do not fit together; kept {} whole (newer)",
                self.kept
            ),
            ConflictKind::KeptForEntries => write!(
                f,
                "{what}: deleted on one side while the other still has entries for them; kept from {}",
                self.kept
            ),
        }
    }
}

/// Two people added separately on the two sides who look like the same person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LikelyDuplicate {
    pub ours: String,
    pub theirs: String,
    /// What they share, e.g. `email alice@example.com`.
    pub reason: String,
}

/// The merged ledger and what the merge had to decide.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeOutcome {
    pub ledger: Ledger,
    pub conflicts: Vec<Conflict>,
    pub likely_duplicates: Vec<LikelyDuplicate>,
}

/// Merges `ours` and `theirs`, which both grew from `base`.
pub fn merge(base: &Ledger, ours: &Ledger, theirs: &Ledger) -> MergeOutcome {
    let prefer = ledger_preference(ours, theirs);
    let mut conflicts = Vec::new();

    let settings = merge_settings(base, ours, theirs, prefer, &mut conflicts);
    let extra = merge_object_maps(
        &base.extra,
        &ours.extra,
        &theirs.extra,
        prefer,
        &mut conflicts,
    );
    let people = merge_list(
        &base.people,
        &ours.people,
        &theirs.people,
        prefer,
        &mut conflicts,
    );
    let entries = merge_list(
        &base.entries,
        &ours.entries,
        &theirs.entries,
        prefer,
        &mut conflicts,
    );
    let mut ledger = Ledger {
        kith: ours.kith.max(theirs.kith),
        settings,
        people,
        entries,
        extra,
    };
    ledger.sort_entries();
    keep_people_with_entries(&mut ledger, ours, theirs, &mut conflicts);
    let likely_duplicates = likely_duplicates(base, ours, theirs, &ledger);
    MergeOutcome {
        ledger,
        conflicts,
        likely_duplicates,
    }
}

/// Which side wins a tie where objects carry no `updated` of their own (the
/// settings, the top level): the ledger written last, judged by its newest
/// `updated`; a tie on that by the JSON text, so the choice is symmetric.
fn ledger_preference(ours: &Ledger, theirs: &Ledger) -> Side {
    fn newest(ledger: &Ledger) -> Option<DateTime<Utc>> {
        let people = ledger.people.iter().map(|p| p.updated);
        let entries = ledger.entries.iter().map(|e| e.updated);
        people.chain(entries).max()
    }
    match newest(ours).cmp(&newest(theirs)) {
        Ordering::Greater => Side::Ours,
        Ordering::Less => Side::Theirs,
        Ordering::Equal => {
            let ours = serde_json::to_string(ours).unwrap_or_default();
            let theirs = serde_json::to_string(theirs).unwrap_or_default();
            if ours >= theirs {
                Side::Ours
            } else {
                Side::Theirs
            }
        }
    }
}

/// Something kept in a list by id.
trait Item: Serialize + DeserializeOwned + Clone + PartialEq {
    const OBJECT: &'static str;
    fn id(&self) -> &str;
    fn label(&self) -> String;
}

impl Item for Person {
    const OBJECT: &'static str = "person";
    fn id(&self) -> &str {
        &self.id
    }
    fn label(&self) -> String {
        self.name.clone()
    }
}

impl Item for Entry {
    const OBJECT: &'static str = "entry";
    fn id(&self) -> &str {
        &self.id
    }
    fn label(&self) -> String {
        format!("{} on {}", self.entry_type(), self.date)
    }
}

/// A field-level choice found while merging JSON, before it is tied to its object.
struct FieldChoice {
    path: String,
    kind: ConflictKind,
    kept: Side,
}

fn merge_list<T: Item>(
    base: &[T],
    ours: &[T],
    theirs: &[T],
    prefer: Side,
    conflicts: &mut Vec<Conflict>,
) -> Vec<T> {
    let by_id = |list: &'_ [T]| -> HashMap<String, T> {
        let mut map = HashMap::new();
        for item in list {
            map.entry(item.id().to_string())
                .or_insert_with(|| item.clone());
        }
        map
    };
    let (base_map, ours_map, theirs_map) = (by_id(base), by_id(ours), by_id(theirs));
    let ids = |list: &'_ [T]| list.iter().map(|x| x.id().to_string()).collect::<Vec<_>>();
    let order = merged_order(&ids(base), &ids(ours), &ids(theirs), prefer);

    let mut merged = Vec::with_capacity(order.len());
    for id in order {
        let (b, o, t) = (base_map.get(&id), ours_map.get(&id), theirs_map.get(&id));
        if let Some(item) = merge_item(b, o, t, conflicts) {
            merged.push(item);
        }
    }
    merged
}

/// The order of a merged list: that of the side that reordered or added (the
/// other kept the base's order), else the preferred side's; then whatever only
/// the other side holds, in its order.
fn merged_order(base: &[String], ours: &[String], theirs: &[String], prefer: Side) -> Vec<String> {
    let primary = if ours == base {
        Side::Theirs
    } else if theirs == base {
        Side::Ours
    } else {
        prefer
    };
    let (first, second) = (
        primary.pick(ours, theirs),
        primary.other().pick(ours, theirs),
    );
    let mut seen = HashSet::new();
    first
        .iter()
        .chain(second)
        .filter(|id| seen.insert(id.as_str()))
        .cloned()
        .collect()
}

/// The three-way cases that need no merging: both sides agree, or only one
/// side changed (including deleted) what the base had.
fn settled<'a, T: PartialEq>(
    base: Option<&'a T>,
    ours: Option<&'a T>,
    theirs: Option<&'a T>,
) -> Option<Option<&'a T>> {
    if ours == theirs || theirs == base {
        Some(ours)
    } else if ours == base {
        Some(theirs)
    } else {
        None
    }
}

fn merge_item<T: Item>(
    base: Option<&T>,
    ours: Option<&T>,
    theirs: Option<&T>,
    conflicts: &mut Vec<Conflict>,
) -> Option<T> {
    // The common cases need no JSON.
    if let Some(side) = settled(base, ours, theirs) {
        return side.cloned();
    }
    let (id, label) = match ours.or(theirs) {
        Some(item) => (item.id().to_string(), item.label()),
        None => return None,
    };
    let to_json = |x: Option<&T>| x.and_then(|x| serde_json::to_value(x).ok());
    let (b, o, t) = (to_json(base), to_json(ours), to_json(theirs));
    let prefer = match (&o, &t) {
        (Some(o), Some(t)) => object_preference(o, t),
        (Some(_), None) => Side::Ours,
        _ => Side::Theirs,
    };
    let mut choices = Vec::new();
    let merged = merge_value(b.as_ref(), o.as_ref(), t.as_ref(), prefer, "", &mut choices);
    let merged = merged.and_then(|value| serde_json::from_value::<T>(value).ok());
    let record = |field: String, kind, kept| Conflict {
        object: T::OBJECT,
        id: id.clone(),
        label: label.clone(),
        field,
        kind,
        kept,
    };
    match merged {
        Some(item) => {
            conflicts.extend(choices.into_iter().map(|c| record(c.path, c.kind, c.kept)));
            Some(item)
        }
        None => {
            // The field-wise result is not a valid object (say one side changed
            // an entry's type and the other its weight): keep the newer whole.
            conflicts.push(record(String::new(), ConflictKind::KeptWhole, prefer));
            prefer.pick(ours, theirs).or(ours).or(theirs).cloned()
        }
    }
}

fn merge_settings(
    base: &Ledger,
    ours: &Ledger,
    theirs: &Ledger,
    prefer: Side,
    conflicts: &mut Vec<Conflict>,
) -> Settings {
    let (b, o, t) = (&base.settings, &ours.settings, &theirs.settings);
    if o == t || t == b {
        return o.clone();
    }
    if o == b {
        return t.clone();
    }
    let to_json = |s: &Settings| serde_json::to_value(s).ok();
    let mut choices = Vec::new();
    let merged = merge_value(
        to_json(b).as_ref(),
        to_json(o).as_ref(),
        to_json(t).as_ref(),
        prefer,
        "",
        &mut choices,
    )
    .and_then(|value| serde_json::from_value::<Settings>(value).ok());
    let record = |field: String, kind, kept| Conflict {
        object: "settings",
        id: String::new(),
        label: String::new(),
        field,
        kind,
        kept,
    };
    match merged {
        Some(settings) => {
            conflicts.extend(choices.into_iter().map(|c| record(c.path, c.kind, c.kept)));
            settings
        }
        None => {
            conflicts.push(record(String::new(), ConflictKind::KeptWhole, prefer));
            prefer.pick(o, t).clone()
        }
    }
}

/// Merges the unknown top-level keys.
fn merge_object_maps(
    base: &BTreeMap<String, Value>,
    ours: &BTreeMap<String, Value>,
    theirs: &BTreeMap<String, Value>,
    prefer: Side,
    conflicts: &mut Vec<Conflict>,
) -> BTreeMap<String, Value> {
    let keys: BTreeSet<&String> = base
        .keys()
        .chain(ours.keys())
        .chain(theirs.keys())
        .collect();
    let mut merged = BTreeMap::new();
    let mut choices = Vec::new();
    for key in keys {
        if let Some(value) = merge_value(
            base.get(key),
            ours.get(key),
            theirs.get(key),
            prefer,
            key,
            &mut choices,
        ) {
            merged.insert(key.clone(), value);
        }
    }
    conflicts.extend(choices.into_iter().map(|c| Conflict {
        object: "ledger",
        id: String::new(),
        label: String::new(),
        field: c.path,
        kind: c.kind,
        kept: c.kept,
    }));
    merged
}

/// Which of two versions of one object wins where both changed a field: the
/// newer `updated`; when equal or absent, the larger JSON text (an arbitrary
/// but symmetric rule).
fn object_preference(ours: &Value, theirs: &Value) -> Side {
    let updated = |v: &Value| {
        v.get("updated")
            .and_then(Value::as_str)
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
    };
    match updated(ours).cmp(&updated(theirs)) {
        Ordering::Greater => Side::Ours,
        Ordering::Less => Side::Theirs,
        Ordering::Equal => {
            let text = |v: &Value| serde_json::to_string(v).unwrap_or_default();
            if text(ours) >= text(theirs) {
                Side::Ours
            } else {
                Side::Theirs
            }
        }
    }
}

fn join_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The three-way merge of one JSON value; `None` is "absent" (or deleted).
fn merge_value<'a>(
    base: Option<&'a Value>,
    ours: Option<&'a Value>,
    theirs: Option<&'a Value>,
    prefer: Side,
    path: &str,
    choices: &mut Vec<FieldChoice>,
) -> Option<Value> {
    // A list kith leaves out of the file when empty (a person's `dates`) is
    // empty, not deleted, when absent: emptied on one side and added to on
    // the other merges as lists.
    let empty = Value::Array(Vec::new());
    let (base, ours, theirs) =
        if matches!(ours, Some(Value::Array(_))) || matches!(theirs, Some(Value::Array(_))) {
            let or_empty = |v: Option<&'a Value>| v.or(Some(&empty));
            (or_empty(base), or_empty(ours), or_empty(theirs))
        } else {
            (base, ours, theirs)
        };
    if let Some(side) = settled(base, ours, theirs) {
        return side.cloned();
    }
    // Both sides changed it, differently.
    match (ours, theirs) {
        (Some(Value::Object(o)), Some(Value::Object(t))) => {
            let prefer = if o.contains_key("updated") || t.contains_key("updated") {
                object_preference(&Value::Object(o.clone()), &Value::Object(t.clone()))
            } else {
                prefer
            };
            let empty = Map::new();
            let b = base.and_then(Value::as_object).unwrap_or(&empty);
            let keys: BTreeSet<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
            let mut merged = Map::new();
            for key in keys {
                let value = if key == "updated" {
                    // The merged object is as new as the newer side.
                    prefer.pick(o.get(key), t.get(key)).cloned()
                } else {
                    merge_value(
                        b.get(key),
                        o.get(key),
                        t.get(key),
                        prefer,
                        &join_path(path, key),
                        choices,
                    )
                };
                if let Some(value) = value {
                    merged.insert(key.clone(), value);
                }
            }
            Some(Value::Object(merged))
        }
        (Some(Value::Array(o)), Some(Value::Array(t))) => {
            let empty = Vec::new();
            let b = base.and_then(Value::as_array).unwrap_or(&empty);
            let all = || b.iter().chain(o).chain(t);
            if all().all(|v| v.get("id").and_then(Value::as_str).is_some()) {
                Some(Value::Array(merge_array_by_key(
                    b,
                    o,
                    t,
                    &ItemKey::Id,
                    prefer,
                    path,
                    choices,
                )))
            } else if all().all(|v| v.get("label").and_then(Value::as_str).is_some()) {
                Some(Value::Array(merge_array_by_key(
                    b,
                    o,
                    t,
                    &ItemKey::Label,
                    prefer,
                    path,
                    choices,
                )))
            } else if all().all(|v| !v.is_object() && !v.is_array()) {
                Some(Value::Array(merge_array_as_set(b, o, t, prefer)))
            } else {
                choices.push(FieldChoice {
                    path: path.to_string(),
                    kind: ConflictKind::BothChanged,
                    kept: prefer,
                });
                prefer.pick(ours, theirs).cloned()
            }
        }
        (Some(_), None) | (None, Some(_)) => {
            let kept = if ours.is_some() {
                Side::Ours
            } else {
                Side::Theirs
            };
            choices.push(FieldChoice {
                path: path.to_string(),
                kind: ConflictKind::DeletedAndChanged,
                kept,
            });
            kept.pick(ours, theirs).cloned()
        }
        _ => {
            choices.push(FieldChoice {
                path: path.to_string(),
                kind: ConflictKind::BothChanged,
                kept: prefer,
            });
            prefer.pick(ours, theirs).cloned()
        }
    }
}

/// What identifies an object in a list: the `id` of a need, the `label` of
/// a person's date (labels are unique per person, whatever their case).
enum ItemKey {
    Id,
    Label,
}

impl ItemKey {
    fn of(&self, v: &Value) -> String {
        match self {
            ItemKey::Id => v
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            ItemKey::Label => v
                .get("label")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_lowercase(),
        }
    }
}

/// Lists of objects with ids (a person's needs) or labels (their dates):
/// merged item by item, so each side's new items are kept.
fn merge_array_by_key(
    base: &[Value],
    ours: &[Value],
    theirs: &[Value],
    key: &ItemKey,
    prefer: Side,
    path: &str,
    choices: &mut Vec<FieldChoice>,
) -> Vec<Value> {
    let id_of = |v: &Value| key.of(v);
    let by_id = |list: &[Value]| {
        let mut map: HashMap<String, Value> = HashMap::new();
        for v in list {
            map.entry(id_of(v)).or_insert_with(|| v.clone());
        }
        map
    };
    let ids = |list: &[Value]| list.iter().map(id_of).collect::<Vec<_>>();
    let (b, o, t) = (by_id(base), by_id(ours), by_id(theirs));
    merged_order(&ids(base), &ids(ours), &ids(theirs), prefer)
        .into_iter()
        .filter_map(|id| {
            merge_value(
                b.get(&id),
                o.get(&id),
                t.get(&id),
                prefer,
                &join_path(path, &id),
                choices,
            )
        })
        .collect()
}

/// Lists of plain values (tags, emails, nudges): a value stays when both sides
/// have it or one side added it; it goes when one side removed it.
fn merge_array_as_set(
    base: &[Value],
    ours: &[Value],
    theirs: &[Value],
    prefer: Side,
) -> Vec<Value> {
    let kept = |v: &Value| {
        let (in_b, in_o, in_t) = (base.contains(v), ours.contains(v), theirs.contains(v));
        (in_o && in_t) || (!in_b && (in_o || in_t))
    };
    let (first, second) = (prefer.pick(ours, theirs), prefer.other().pick(ours, theirs));
    let mut merged: Vec<Value> = Vec::new();
    for v in first.iter().chain(second) {
        if kept(v) && !merged.contains(v) {
            merged.push(v.clone());
        }
    }
    merged
}

/// Brings back a person deleted on one side whose entries survived the merge
/// (the other side logged something new with them), so no entry is orphaned.
fn keep_people_with_entries(
    ledger: &mut Ledger,
    ours: &Ledger,
    theirs: &Ledger,
    conflicts: &mut Vec<Conflict>,
) {
    let mut present: HashSet<String> = ledger.people.iter().map(|p| p.id.clone()).collect();
    let wanted: Vec<String> = ledger.entries.iter().map(|e| e.person.clone()).collect();
    for person_id in wanted {
        if present.contains(&person_id) {
            continue;
        }
        let found = match (ours.person(&person_id), theirs.person(&person_id)) {
            (Some(o), Some(t)) => {
                let prefer = match (serde_json::to_value(o), serde_json::to_value(t)) {
                    (Ok(o), Ok(t)) => object_preference(&o, &t),
                    _ => Side::Ours,
                };
                Some((prefer.pick(o, t), prefer))
            }
            (Some(o), None) => Some((o, Side::Ours)),
            (None, Some(t)) => Some((t, Side::Theirs)),
            (None, None) => None,
        };
        if let Some((person, side)) = found {
            conflicts.push(Conflict {
                object: "person",
                id: person.id.clone(),
                label: person.name.clone(),
                field: String::new(),
                kind: ConflictKind::KeptForEntries,
                kept: side,
            });
            ledger.people.push(person.clone());
        }
        present.insert(person_id);
    }
}

/// People added on each side (not in the base) who share an email.
fn likely_duplicates(
    base: &Ledger,
    ours: &Ledger,
    theirs: &Ledger,
    merged: &Ledger,
) -> Vec<LikelyDuplicate> {
    let in_base: HashSet<&str> = base.people.iter().map(|p| p.id.as_str()).collect();
    let in_ours: HashSet<&str> = ours.people.iter().map(|p| p.id.as_str()).collect();
    let new_on = |ledger: &Ledger, side: Side| -> Vec<&Person> {
        merged
            .people
            .iter()
            .filter(|p| !in_base.contains(p.id.as_str()) && ledger.person(&p.id).is_some())
            .filter(|p| side == Side::Ours || !in_ours.contains(p.id.as_str()))
            .collect()
    };
    let (added_ours, added_theirs) = (new_on(ours, Side::Ours), new_on(theirs, Side::Theirs));
    let mut found = Vec::new();
    for o in &added_ours {
        for t in &added_theirs {
            if o.id == t.id {
                continue;
            }
            let shared = o.emails.iter().find(|a| {
                t.emails
                    .iter()
                    .any(|b| a.trim().eq_ignore_ascii_case(b.trim()))
            });
            if let Some(email) = shared {
                found.push(LikelyDuplicate {
                    ours: o.id.clone(),
                    theirs: t.id.clone(),
                    reason: format!("email {email}"),
                });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests;
