//! Hand-rolled command-line parsing.

use serde::Deserialize;

use crate::{ClientConfig, Config};

/// What the command line asks for.
#[derive(Debug)]
pub enum CliAction {
    /// `--help`: print [`usage`] and exit 0.
    Help,
    /// Run the server with this configuration.
    Run(Config),
}

/// The `--help` text.
pub fn usage() -> &'static str {
    "\
schacc-emulator: a local SchAcc (Schibsted account) login server for the logout SDK

USAGE:
    schacc-emulator [--listen ADDR] [--client ID [--redirect-uri URI]...]...
                    [--config FILE] [--base-domain DOMAIN] [--tls] [--quiet]
                    [--session-listen ADDR]

OPTIONS:
    --listen ADDR         Address to bind (default 127.0.0.1:9000; port 0 = any free port)
    --client ID           Register a client; repeatable
    --redirect-uri URI    Exact redirect URI of the most recent --client; repeatable
    --config FILE         JSON file: {\"listen\":\"…\",\"baseDomain\":\"…\",\"tls\":false,
                          \"sessionListen\":\"…\",
                          \"clients\":[{\"id\":\"…\",\"redirectUris\":[\"…\"]}]}
                          Command-line options override it; --client adds clients.
    --base-domain DOMAIN  baseDomain reported by hasSession.json (default localhost)
    --tls                 Serve HTTPS with a self-signed certificate for localhost/127.0.0.1
    --quiet               Do not log requests to stderr
    --session-listen ADDR Also serve the site's first-party session service
                          (GET /v2/session, POST /v2/logout) on ADDR, sharing
                          SchAcc's sessions; also env SCHACC_SESSION_LISTEN.
                          Its URL is the second stdout line.
    -h, --help            Show this help

Without any client, client `demo` is registered with redirect URIs
http://127.0.0.1:8080/ and http://127.0.0.1:8080/logged-out.html.
Dev controls live under /__emulator/ (see docs/PROTOCOL.md): login, token, token-status,
state, fault, reset. A fault (POST /__emulator/fault, JSON) has path and any of status,
body, bodySize, streamSize (chunked, no Content-Length, up to 1 GiB), contentType,
headers ({\"name\":\"value\"}), delayMs, drop, noCors, times.
"
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    base_domain: Option<String>,
    tls: Option<bool>,
    session_listen: Option<String>,
    #[serde(default)]
    clients: Vec<FileClient>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FileClient {
    id: String,
    #[serde(default)]
    redirect_uris: Vec<String>,
}

/// Environment variable naming the session service's address (like `--session-listen`).
pub const SESSION_LISTEN_ENV: &str = "SCHACC_SESSION_LISTEN";

/// Parse the arguments (without the program name) and the environment.
pub fn parse_args<I, S>(args: I) -> Result<CliAction, String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    parse_args_with_env(args, |name| std::env::var(name).ok())
}

/// [`parse_args`] with the environment given as a lookup function.
/// `--session-listen` wins over `SCHACC_SESSION_LISTEN` (ignored when empty),
/// which wins over the config file's `sessionListen`.
pub fn parse_args_with_env<I, S>(
    args: I,
    env: impl Fn(&str) -> Option<String>,
) -> Result<CliAction, String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut listen: Option<String> = None;
    let mut session_listen: Option<String> = None;
    let mut base_domain: Option<String> = None;
    let mut config_file: Option<String> = None;
    let mut tls = false;
    let mut quiet = false;
    let mut clients: Vec<ClientConfig> = Vec::new();

    let mut it = args.into_iter().map(Into::into);
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let value = |it: &mut dyn Iterator<Item = String>| -> Result<String, String> {
            match inline.clone().or_else(|| it.next()) {
                Some(v) => Ok(v),
                None => Err(format!("{name} needs a value")),
            }
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(CliAction::Help),
            "--listen" => listen = Some(value(&mut it)?),
            "--base-domain" => base_domain = Some(value(&mut it)?),
            "--session-listen" => session_listen = Some(value(&mut it)?),
            "--config" => config_file = Some(value(&mut it)?),
            "--client" => {
                let id = value(&mut it)?;
                if id.is_empty() {
                    return Err("--client needs a non-empty ID".into());
                }
                clients.push(ClientConfig {
                    id,
                    redirect_uris: Vec::new(),
                });
            }
            "--redirect-uri" => {
                let uri = value(&mut it)?;
                match clients.last_mut() {
                    Some(c) => c.redirect_uris.push(uri),
                    None => return Err("--redirect-uri must follow a --client ID".into()),
                }
            }
            "--tls" | "--quiet" if inline.is_some() => {
                return Err(format!("{name} takes no value"));
            }
            "--tls" => tls = true,
            "--quiet" => quiet = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }

    let mut config = Config::default();
    config.clients.clear();
    if let Some(path) = config_file {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read config file {path}: {e}"))?;
        let file: FileConfig =
            serde_json::from_str(&text).map_err(|e| format!("invalid config file {path}: {e}"))?;
        if let Some(l) = file.listen {
            config.listen = l;
        }
        if let Some(d) = file.base_domain {
            config.base_domain = d;
        }
        config.tls = file.tls.unwrap_or(false);
        config.session_listen = file.session_listen;
        config.clients = file
            .clients
            .into_iter()
            .map(|c| ClientConfig {
                id: c.id,
                redirect_uris: c.redirect_uris,
            })
            .collect();
    }
    if let Some(l) = listen {
        config.listen = l;
    }
    if let Some(d) = base_domain {
        config.base_domain = d;
    }
    if let Some(l) = env(SESSION_LISTEN_ENV).filter(|l| !l.is_empty()) {
        config.session_listen = Some(l);
    }
    if let Some(l) = session_listen {
        config.session_listen = Some(l);
    }
    if config.session_listen.as_deref() == Some("") {
        return Err("--session-listen needs an address".into());
    }
    config.tls |= tls;
    config.log_requests = !quiet;
    config.clients.extend(clients);
    if config.clients.is_empty() {
        config.clients = Config::default_clients();
    }
    let mut seen = std::collections::HashSet::new();
    for c in &config.clients {
        if c.id.is_empty() {
            return Err("client id must not be empty".into());
        }
        if !seen.insert(c.id.clone()) {
            return Err(format!("client {:?} registered twice", c.id));
        }
        for u in &c.redirect_uris {
            if u.is_empty() || u.chars().any(|ch| ch.is_control()) {
                return Err(format!("invalid redirect URI {u:?} for client {:?}", c.id));
            }
        }
    }
    Ok(CliAction::Run(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Config, String> {
        run_env(args, None)
    }

    fn run_env(args: &[&str], session_env: Option<&str>) -> Result<Config, String> {
        let env = |name: &str| {
            (name == SESSION_LISTEN_ENV)
                .then(|| session_env.map(str::to_string))
                .flatten()
        };
        match parse_args_with_env(args.iter().copied(), env)? {
            CliAction::Run(c) => Ok(c),
            CliAction::Help => Err("help".into()),
        }
    }

    #[test]
    fn defaults() {
        let c = run(&[]).unwrap();
        assert_eq!(c.listen, "127.0.0.1:9000");
        assert_eq!(c.base_domain, "localhost");
        assert_eq!(c.clients, Config::default_clients());
        assert!(!c.tls);
        assert_eq!(c.session_listen, None);
    }

    #[test]
    fn session_listen_from_flag_env_and_file() {
        let path =
            std::env::temp_dir().join(format!("schacc-emu-cfg-s-{}.json", std::process::id()));
        std::fs::write(&path, r#"{"sessionListen":"127.0.0.1:7001"}"#).unwrap();
        let p = path.to_string_lossy().to_string();
        let file = run_env(&["--config", &p], None).unwrap();
        let env = run_env(&["--config", &p], Some("127.0.0.1:7002")).unwrap();
        let empty_env = run_env(&["--config", &p], Some("")).unwrap();
        let flag = run_env(
            &["--config", &p, "--session-listen=127.0.0.1:7003"],
            Some("127.0.0.1:7002"),
        )
        .unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(file.session_listen.as_deref(), Some("127.0.0.1:7001"));
        assert_eq!(env.session_listen.as_deref(), Some("127.0.0.1:7002"));
        assert_eq!(empty_env.session_listen.as_deref(), Some("127.0.0.1:7001"));
        assert_eq!(flag.session_listen.as_deref(), Some("127.0.0.1:7003"));
        assert_eq!(
            run_env(&[], Some("127.0.0.1:0"))
                .unwrap()
                .session_listen
                .as_deref(),
            Some("127.0.0.1:0")
        );
        assert!(run(&["--session-listen"]).is_err());
        assert!(run(&["--session-listen="]).is_err());
    }

    #[test]
    fn clients_and_uris() {
        let c = run(&[
            "--client",
            "a",
            "--redirect-uri",
            "http://x/1",
            "--redirect-uri=http://x/2",
            "--client=b",
            "--listen",
            "0.0.0.0:1",
            "--base-domain",
            "example.test",
            "--tls",
        ])
        .unwrap();
        assert_eq!(c.clients.len(), 2);
        assert_eq!(c.clients[0].redirect_uris, vec!["http://x/1", "http://x/2"]);
        assert!(c.clients[1].redirect_uris.is_empty());
        assert_eq!(c.listen, "0.0.0.0:1");
        assert_eq!(c.base_domain, "example.test");
        assert!(c.tls);
    }

    #[test]
    fn errors() {
        assert!(run(&["--redirect-uri", "http://x/"]).is_err());
        assert!(run(&["--listen"]).is_err());
        assert!(run(&["--bogus"]).is_err());
        assert!(run(&["--client", "a", "--client", "a"]).is_err());
        assert!(run(&["--tls=yes"]).is_err());
        assert!(run(&["--config", "/nonexistent/file.json"]).is_err());
        assert_eq!(run(&["--help"]).unwrap_err(), "help");
    }

    #[test]
    fn config_file() {
        let path = std::env::temp_dir().join(format!("schacc-emu-cfg-{}.json", std::process::id()));
        std::fs::write(
            &path,
            r#"{"listen":"127.0.0.1:0","baseDomain":"b.test","clients":[{"id":"f","redirectUris":["http://f/"]}]}"#,
        )
        .unwrap();
        let p = path.to_string_lossy().to_string();
        let c = run(&["--config", &p, "--client", "cli"]).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(c.listen, "127.0.0.1:0");
        assert_eq!(c.base_domain, "b.test");
        assert_eq!(c.clients[0].id, "f");
        assert_eq!(c.clients[0].redirect_uris, vec!["http://f/"]);
        assert_eq!(c.clients[1].id, "cli");
    }
}
