//! The filter chain that picks one asset out of a release for a system and the
//! user's `--asset` filters. Every step keeps the best candidates and records why
//! it dropped the others, so a failure can list them and `--verbose` can explain.

use std::fmt::{self, Write as _};

use crate::format::Ignored;
use crate::system::{Os, System};
use crate::tokens::{scan, words, Traits};

mod rank;

use rank::{arch_rank, format_rank, libc_rank, os_fit, plain_rank, project_rank, Rank, Release};

/// An `--asset` filter: a substring the name must hold, or (`^x`) must not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    Include(String),
    Exclude(String),
}

impl Filter {
    /// Parses eget's syntax: `x` includes, `^x` excludes.
    pub fn parse(s: &str) -> Filter {
        match s.strip_prefix('^') {
            Some(rest) => Filter::Exclude(rest.to_owned()),
            None => Filter::Include(s.to_owned()),
        }
    }

    fn accepts(&self, name: &str) -> bool {
        match self {
            Filter::Include(s) => name.contains(s.as_str()),
            Filter::Exclude(s) => !name.contains(s.as_str()),
        }
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Include(s) => write!(f, "{s}"),
            Filter::Exclude(s) => write!(f, "^{s}"),
        }
    }
}

/// One step of the chain: what it kept and what it dropped, with reasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub name: &'static str,
    pub kept: Vec<String>,
    pub dropped: Vec<(String, String)>,
}

/// The chosen asset and the steps that led to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub index: usize,
    pub name: String,
    pub steps: Vec<Step>,
}

/// The step names of eget's fallbacks: when no asset is for the operating
/// system, the only asset there is; when none is for the architecture, the
/// only one for the operating system (eget's `SystemDetector`).
pub const ONLY_ASSET: &str = "the only asset, whatever its system (as eget takes it)";
pub const ONLY_FOR_OS: &str =
    "the only asset for the operating system, whatever its architecture (as eget takes it)";

impl Choice {
    /// The fallback that chose the asset, if one did.
    pub fn fallback(&self) -> Option<&'static str> {
        self.steps
            .iter()
            .map(|s| s.name)
            .find(|n| [ONLY_ASSET, ONLY_FOR_OS].contains(n))
    }
}

/// Why no single asset could be chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PickError {
    /// The release has no assets at all.
    Empty,
    /// Nothing fits; every asset with the reason it was dropped.
    NoMatch {
        wanted: String,
        dropped: Vec<(String, String)>,
    },
    /// Several assets are equally good; each with an `--asset` filter that picks it.
    Ambiguous { candidates: Vec<(String, String)> },
}

/// What to pick for: a system (or `None` for `--system all`), filters, and the
/// project's name (the repository's), when there is one.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    pub system: Option<System>,
    pub filters: &'a [Filter],
    pub project: Option<&'a str>,
}

struct Candidate<'n> {
    index: usize,
    name: &'n str,
    traits: Traits,
}

/// Picks exactly one of `names` for `req`; see the crate docs for the algorithm.
pub fn choose(names: &[&str], req: &Request<'_>) -> Result<Choice, PickError> {
    if names.is_empty() {
        return Err(PickError::Empty);
    }
    if let Some(index) = exact_filter_match(names, req.filters) {
        let name = names[index].to_owned();
        let step = Step {
            name: "exact --asset name",
            kept: vec![name.clone()],
            dropped: Vec::new(),
        };
        return Ok(Choice {
            index,
            name,
            steps: vec![step],
        });
    }
    let all: Vec<Candidate<'_>> = names
        .iter()
        .enumerate()
        .map(|(index, name)| Candidate {
            index,
            name,
            traits: scan(name),
        })
        .collect();
    let mut chain = Chain {
        live: all.iter().collect(),
        steps: Vec::new(),
        dropped: Vec::new(),
    };
    chain.keep("installable", |c| {
        Ignored::classify(c.name).map(Ignored::reason)
    });
    let release = Release::of(&chain.live);
    if let Some(system) = req.system {
        chain.best_or_only("operating system", ONLY_ASSET, |c, _| {
            os_fit(system.os, c, release)
        });
        chain.best_or_only("architecture", ONLY_FOR_OS, |c, _| {
            arch_rank(system, c, release)
        });
    }
    if !req.filters.is_empty() {
        chain.filter(req.filters, &all);
    }
    if let Some(system) = req
        .system
        .filter(|s| matches!(s.os, Os::Linux | Os::Windows))
    {
        chain.best("C library", |c, _| Ok(libc_rank(system, c)));
    }
    let project = req.project.map(words).unwrap_or_default();
    if !project.is_empty() {
        chain.best("project name", |c, _| Ok(project_rank(c, &project)));
    }
    chain.best("format", |c, _| format_rank(c));
    chain.best("plain build", |c, _| Ok(plain_rank(c, &project)));
    chain.finish(req)
}

fn exact_filter_match(names: &[&str], filters: &[Filter]) -> Option<usize> {
    filters.iter().find_map(|f| match f {
        Filter::Include(s) => names.iter().position(|n| n == s),
        Filter::Exclude(_) => None,
    })
}

struct Chain<'c, 'n> {
    live: Vec<&'c Candidate<'n>>,
    steps: Vec<Step>,
    dropped: Vec<(String, String)>,
}

impl<'c, 'n> Chain<'c, 'n> {
    /// Drops candidates for which `reject` gives a reason.
    fn keep(
        &mut self,
        name: &'static str,
        reject: impl Fn(&Candidate<'_>) -> Option<&'static str>,
    ) {
        self.best(name, |c, _| reject(c).map_or(Ok(1), |r| Err(r.to_owned())));
    }

    /// Keeps the candidates with the highest rank; drops the rest with a reason.
    fn best(
        &mut self,
        name: &'static str,
        rank: impl Fn(&Candidate<'_>, &[&Candidate<'_>]) -> Rank,
    ) {
        let ranks: Vec<Rank> = self.live.iter().map(|c| rank(c, &self.live)).collect();
        let Some(top) = ranks.iter().filter_map(|r| r.as_ref().ok()).max().copied() else {
            // Nothing fits: every candidate is dropped with its reason.
            let dropped = self
                .live
                .iter()
                .zip(ranks)
                .map(|(c, r)| (c.name.to_owned(), r.unwrap_err()));
            let dropped = dropped.collect();
            self.live.clear();
            self.record(name, Vec::new(), dropped);
            return;
        };
        let (mut kept, mut dropped) = (Vec::new(), Vec::new());
        for (c, r) in self.live.drain(..).zip(ranks) {
            match r {
                Ok(x) if x == top => kept.push(c),
                Ok(_) => dropped.push((c.name.to_owned(), format!("a better {name} exists"))),
                Err(why) => dropped.push((c.name.to_owned(), why)),
            }
        }
        self.live = kept;
        let kept_names = self.live.iter().map(|c| c.name.to_owned()).collect();
        self.record(name, kept_names, dropped);
    }

    /// [`Chain::best`], but a lone survivor that does not fit is kept (as
    /// eget keeps it), under the step name `only`.
    fn best_or_only(
        &mut self,
        name: &'static str,
        only: &'static str,
        rank: impl Fn(&Candidate<'_>, &[&Candidate<'_>]) -> Rank,
    ) {
        let lone = match self.live.as_slice() {
            [one] => Some(*one),
            _ => None,
        };
        self.best(name, rank);
        if let (true, Some(one)) = (self.live.is_empty(), lone) {
            self.live.push(one);
            self.dropped.retain(|(n, _)| n != one.name);
            if let Some(step) = self.steps.last_mut() {
                step.name = only;
                step.kept = vec![one.name.to_owned()];
                step.dropped.clear();
            }
        }
    }

    /// Applies `--asset` filters to the survivors, or to every asset when none
    /// of the survivors passes (an explicit request may name anything).
    fn filter(&mut self, filters: &[Filter], all: &'c [Candidate<'n>]) {
        let passes = |c: &&Candidate<'_>| filters.iter().all(|f| f.accepts(c.name));
        let from_live: Vec<_> = self.live.iter().copied().filter(passes).collect();
        let kept = if from_live.is_empty() {
            all.iter().filter(passes).collect()
        } else {
            from_live
        };
        let shown: Vec<String> = filters.iter().map(ToString::to_string).collect();
        let why = format!("does not match --asset {}", shown.join(", "));
        let dropped = self
            .live
            .iter()
            .filter(|c| !kept.iter().any(|k| k.index == c.index))
            .map(|c| (c.name.to_owned(), why.clone()))
            .collect();
        self.live = kept;
        let kept_names = self.live.iter().map(|c| c.name.to_owned()).collect();
        self.record("--asset filters", kept_names, dropped);
    }

    fn record(&mut self, name: &'static str, kept: Vec<String>, dropped: Vec<(String, String)>) {
        self.dropped.extend(dropped.iter().cloned());
        self.steps.push(Step {
            name,
            kept,
            dropped,
        });
    }

    fn finish(self, req: &Request<'_>) -> Result<Choice, PickError> {
        match self.live.as_slice() {
            [one] => Ok(Choice {
                index: one.index,
                name: one.name.to_owned(),
                steps: self.steps,
            }),
            [] => Err(PickError::NoMatch {
                wanted: wanted(req),
                dropped: self.dropped,
            }),
            many => Err(PickError::Ambiguous {
                candidates: distinguishing_filters(many),
            }),
        }
    }
}

fn wanted(req: &Request<'_>) -> String {
    let mut s = req
        .system
        .map_or_else(|| "any system".to_owned(), |s| s.to_string());
    if !req.filters.is_empty() {
        let shown: Vec<String> = req.filters.iter().map(ToString::to_string).collect();
        let _ = write!(s, " matching --asset {}", shown.join(", "));
    }
    s
}

/// For each tied candidate, a word of its name that no other tied name holds
/// (the `--asset` filter that would pick it), or its whole name.
fn distinguishing_filters(tied: &[&Candidate<'_>]) -> Vec<(String, String)> {
    // `--asset` matches substrings, so a hint word must be in no other tied
    // name at all (`gpl` is inside `lgpl`); failing one, the full name, which
    // always wins exactly.
    tied.iter()
        .map(|c| {
            let others: Vec<String> = tied
                .iter()
                .filter(|o| o.index != c.index)
                .map(|o| o.name.to_ascii_lowercase())
                .collect();
            let word = words(c.name).into_iter().find(|w| {
                c.name.contains(w.as_str())
                    && others.iter().all(|o| !o.contains(&w.to_ascii_lowercase()))
            });
            (c.name.to_owned(), word.unwrap_or_else(|| c.name.to_owned()))
        })
        .collect()
}

impl fmt::Display for PickError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PickError::Empty => f.write_str("the release has no assets"),
            PickError::NoMatch { wanted, dropped } => {
                write!(f, "no asset for {wanted}; ")?;
                let listed: Vec<String> = dropped
                    .iter()
                    .map(|(n, why)| format!("`{n}` ({why})"))
                    .collect();
                write!(f, "assets: {}", cap_list(&listed))?;
                f.write_str("; choose one with --asset NAME or another platform with --system")
            }
            PickError::Ambiguous { candidates } => {
                let listed: Vec<String> =
                    candidates.iter().map(|(n, _)| format!("`{n}`")).collect();
                write!(
                    f,
                    "{} assets fit equally well: {}",
                    candidates.len(),
                    cap_list(&listed)
                )?;
                let hints: Vec<String> = candidates
                    .iter()
                    .take(3)
                    .map(|(n, w)| format!("--asset {w} picks `{n}`"))
                    .collect();
                write!(f, "; narrow it down: {}", hints.join(", "))
            }
        }
    }
}

impl std::error::Error for PickError {}

/// Joins at most ten items, then "and N more".
pub fn cap_list(items: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut s = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        let _ = write!(s, " and {} more", items.len() - SHOWN);
    }
    s
}

#[cfg(test)]
mod tests;
