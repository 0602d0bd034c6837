//! The names people use for the agencies and cities that datelines name: `Reuters` is
//! `RTR`, `'s-Hertogenbosch` is `Den Bosch`, `Moscow` is `Moskou`. The lists are data,
//! `aliases/agencies.tsv` and `aliases/cities.tsv`. Filters accept any name of a group;
//! the dateline field indexes them all as words.

use crate::analysis::fold_key;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

static AGENCIES: &str = include_str!("aliases/agencies.tsv");
static CITIES: &str = include_str!("aliases/cities.tsv");

/// Groups of names (as written) and, per folded name, its group.
struct Names {
    groups: Vec<Vec<&'static str>>,
    by_key: FxHashMap<String, usize>,
}

impl Names {
    fn parse(text: &'static str) -> Names {
        let mut names = Names {
            groups: Vec::new(),
            by_key: FxHashMap::default(),
        };
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let group: Vec<&str> = line.split('\t').map(str::trim).collect();
            for name in &group {
                names.by_key.insert(fold_key(name), names.groups.len());
            }
            names.groups.push(group);
        }
        names
    }

    /// The folded keys of every name in `value`'s group, or of `value` alone.
    fn keys(&self, value: &str) -> Vec<String> {
        let key = fold_key(value);
        match self.by_key.get(&key) {
            Some(&group) => self.groups[group].iter().map(|n| fold_key(n)).collect(),
            None => vec![key],
        }
    }

    /// The other names in `name`'s group.
    fn others(&self, name: &str) -> Vec<&'static str> {
        let key = fold_key(name);
        self.by_key.get(&key).map_or_else(Vec::new, |&group| {
            self.groups[group]
                .iter()
                .copied()
                .filter(|n| fold_key(n) != key)
                .collect()
        })
    }
}

fn agencies() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| Names::parse(AGENCIES))
}

fn cities() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| Names::parse(CITIES))
}

/// The filter keys an `--agency` value stands for.
pub fn agency_keys(value: &str) -> Vec<String> {
    agencies().keys(value)
}

/// The filter keys a `--city` value stands for.
pub fn city_keys(value: &str) -> Vec<String> {
    cities().keys(value)
}

/// Other names of an agency or a city, as words for the dateline field.
pub fn other_names(name: &str) -> Vec<&'static str> {
    let mut others = agencies().others(name);
    others.extend(cities().others(name));
    others
}

/// The filter key of an outlet: folded, without `www.` (`--outlet nos.nl` finds
/// `www.nos.nl` and `NOS.nl`).
pub fn outlet_key(outlet: &str) -> String {
    let key = fold_key(outlet);
    match key.strip_prefix("www.") {
        Some(rest) => rest.to_string(),
        None => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_people_type_stand_for_the_dateline_s() {
        assert!(agency_keys("Reuters").contains(&"rtr".to_string()));
        assert!(agency_keys("associated press").contains(&"ap".to_string()));
        assert!(agency_keys("dpa").contains(&"dpa".to_string()));
        assert!(agency_keys("Agence France-Presse").contains(&"afp".to_string()));
        assert_eq!(agency_keys("XYZ"), ["xyz"]);
        assert!(city_keys("'s-Hertogenbosch").contains(&"den bosch".to_string()));
        assert!(city_keys("Den Bosch").contains(&"'s-hertogenbosch".to_string()));
        assert!(city_keys("'s-Gravenhage").contains(&"den haag".to_string()));
        assert!(city_keys("Moscow").contains(&"moskou".to_string()));
        assert!(city_keys("Kyjiv").contains(&"kiev".to_string()));
        assert!(city_keys("kyiv").contains(&"kiev".to_string()));
        assert_eq!(city_keys("Zwolle"), ["zwolle"]);
        assert_eq!(other_names("Den Haag")[0], "'s-Gravenhage");
        assert!(other_names("RTR").contains(&"Reuters"));
        assert_eq!(outlet_key("www.NOS.nl"), "nos.nl");
    }

    #[test]
    fn every_name_is_in_one_group() {
        for names in [agencies(), cities()] {
            let count: usize = names.groups.iter().map(Vec::len).sum();
            assert_eq!(names.by_key.len(), count, "a name in two groups");
            assert!(names.groups.iter().all(|g| g.len() >= 2));
        }
    }
}
