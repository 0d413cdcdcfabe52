//! Between a manifest and its lock: a tool resolved for every platform with
//! one release lookup, the sha256 of each pick (the API digest, a checksums
//! file, else the bytes themselves, downloaded and hashed), and the pin a
//! locked install uses, refused when the manifest has moved on.

use std::io;
use std::path::Path;

use jingyu_forge::Resolution;
use jingyu_pick::System;

use crate::error::Error;
use crate::input;
use crate::lockfile::{Entry, Pin};
use crate::manifest::{Manifest, Tool};
use crate::many::{plan_tool, World};
use crate::plan::Plan;
use crate::report::Reporter;
use crate::{resolve, run, verify};

/// `os/arch[/variant]`: how a lock names a platform.
pub(crate) fn platform_key(system: Option<System>) -> String {
    system.map_or_else(|| "all".to_owned(), |s| s.platform())
}

/// Every platform's entry for `tool`.
pub(crate) fn lock_tool(
    tool: &Tool,
    platforms: &[String],
    m: &Manifest,
    world: &World<'_>,
    rep: &Reporter,
) -> Result<Vec<Entry>, Error> {
    let plans = platforms
        .iter()
        .map(|p| plan_tool(tool, &["--system".to_owned(), p.clone()], m, world))
        .collect::<Result<Vec<Plan>, Error>>()?;
    let Some(first) = plans.first() else {
        return Ok(Vec::new());
    };
    let agent = run::agent(&first.conn, rep)?;
    let token = resolve::plan_token(first, rep)?;
    let refs: Vec<&Plan> = plans.iter().collect();
    let picks = resolve::for_platforms(&refs, &agent, token.as_ref(), rep)?;
    let mut out = Vec::new();
    for (plan, pick) in plans.iter().zip(picks) {
        let pin = match pick {
            Ok(found) => Ok(pin_of(plan, found, &agent, token.as_ref(), rep)?),
            Err(e @ Error::Pick { .. }) => Err(e.to_string()),
            Err(e) => return Err(e),
        };
        out.push(Entry {
            tool: tool.target.clone(),
            platform: platform_key(plan.system),
            inputs: tool.inputs.clone(),
            pin,
        });
    }
    Ok(out)
}

/// The pin for a resolution: its sha256 from the API digest or the
/// release's checksum files, else from its bytes (said on stderr).
fn pin_of(
    plan: &Plan,
    res: Resolution,
    agent: &jingyu_fetch::Agent,
    token: Option<&jingyu_forge::Token>,
    rep: &Reporter,
) -> Result<Pin, Error> {
    let expected = verify::gather(agent, &res, token, rep)?;
    let (sha256, from) = if let Some(e) = expected.first() {
        (e.sha256, e.from.clone())
    } else {
        rep.info(&format!(
            "`{}` has no digest or checksums file: downloading it to hash it",
            res.asset
        ));
        let mut input = input::open(Some(agent), &res, token, rep)?;
        io::copy(&mut input, &mut io::sink()).map_err(|e| {
            input
                .failure
                .take()
                .map_or(Error::Fetch(jingyu_fetch::FetchError::Io(e)), Error::Fetch)
        })?;
        (input.finish()?.0.sha256, "hashed by jingyu lock".to_owned())
    };
    let url = match &res.location {
        jingyu_forge::Location::Url(u) => u.clone(),
        jingyu_forge::Location::File(p) => p.display().to_string(),
    };
    let on_api =
        matches!(&res.location, jingyu_forge::Location::Url(u) if res.may_receive_credential(u));
    let signed_by = crate::sigstore::at_lock(plan, &res, agent, token, &sha256, &expected, rep)?;
    let minisig = signature_url(&res, jingyu_forge::SignatureKind::Minisign);
    let cosign_sig = signature_url(&res, jingyu_forge::SignatureKind::Cosign);
    Ok(Pin {
        forge: jingyu_forge::Kind::parse(res.forge).map(|k| k.id().to_owned()),
        tag: res.tag.clone().unwrap_or_default(),
        asset: res.asset,
        url,
        size: res.size,
        sha256: sha256.to_string(),
        sha256_from: from,
        // Only where the URL is on it: a public download sends nothing.
        credential_origin: res.credential_origin.clone().filter(|_| on_api),
        minisig,
        cosign_sig,
        signed_by,
    })
}

/// The URL of the resolution's signature file of `kind`, if any.
fn signature_url(res: &Resolution, kind: jingyu_forge::SignatureKind) -> Option<String> {
    res.signatures
        .iter()
        .find(|s| s.kind == kind)
        .map(|s| s.url.clone())
}

/// The locked pin for `tool` on the plan's platform, refused when the lock
/// names nothing there, or was made from other settings.
pub(crate) fn pin_for(lock: &[Entry], path: &Path, tool: &Tool, plan: &Plan) -> Result<Pin, Error> {
    let platform = platform_key(plan.system);
    let lock_path = crate::lockfile::beside(path);
    let entry = lock
        .iter()
        .find(|e| e.tool == tool.target && e.platform == platform)
        .ok_or_else(|| {
            Error::Usage(format!(
                "{} has no entry for {} on {platform}; run `jingyu lock --platform {platform}`",
                lock_path.display(),
                tool.target
            ))
        })?;
    if entry.inputs != tool.inputs {
        return Err(Error::Usage(format!(
            "{} is stale for {}: the manifest says `{}`, the lock was made from `{}`; run `jingyu lock`",
            lock_path.display(),
            tool.target,
            tool.inputs,
            entry.inputs
        )));
    }
    entry.pin.clone().map_err(|why| {
        Error::Usage(format!(
            "{} on {platform}: the lock says there is nothing to install: {why}",
            tool.target
        ))
    })
}
