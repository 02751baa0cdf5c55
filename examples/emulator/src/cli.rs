//! The command line, read by clap; what it cannot say (which `--client` a
//! `--redirect-uri` belongs to, the config file, the environment) is applied
//! here after it.

use clap::error::ErrorKind;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser};
use serde::Deserialize;

use crate::{ClientConfig, Config};

/// What the command line asks for.
#[derive(Debug)]
pub enum CliAction {
    /// `--help` or `--version`: print this text to stdout and exit 0.
    Print(String),
    /// Run the server with this configuration.
    Run(Config),
}

/// Environment variable naming the session service's address (like `--session-listen`).
pub const SESSION_LISTEN_ENV: &str = "SCHACC_SESSION_LISTEN";

const AFTER_HELP: &str = "\
Without any client, client `demo` is registered with redirect URIs
http://127.0.0.1:8080/ and http://127.0.0.1:8080/logged-out.html.
Dev controls live under /__emulator/ (see docs/PROTOCOL.md): login, token, token-status,
state, fault, session-renewal (?times=N&to=URL: the next N session requests answer
{\"redirectURL\":URL}, default /v2/refresh), renew (the refresh bounce), reset. A fault
(POST /__emulator/fault, JSON) has path and any of status, body, bodySize, streamSize
(chunked, no Content-Length, up to 1 GiB), contentType, headers ({\"name\":\"value\"}),
delayMs, drop, noCors, times.
SchAcc's login door GET /oauth/authorize?client_id=C&redirect_uri=R&response_type=code&state=S
shows a dev login page; its POST logs in and returns to R?code=K&state=S.";

/// schacc-emulator: a local SchAcc (Schibsted account) login server for the logout SDK
#[derive(Parser, Debug)]
#[command(
    name = "schacc-emulator",
    version,
    override_usage = "schacc-emulator [--listen ADDR] [--client ID [--redirect-uri URI]...]...
                       [--config FILE] [--base-domain DOMAIN] [--tls] [--quiet]
                       [--session-listen ADDR]",
    after_help = AFTER_HELP,
    // An option given twice: the last one counts (`--client` and `--redirect-uri` add up).
    args_override_self = true
)]
struct Args {
    /// Address to bind (default 127.0.0.1:9000; port 0 = any free port)
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,

    /// Register a client; repeatable
    #[arg(long = "client", value_name = "ID", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    clients: Vec<String>,

    /// Exact redirect URI of the most recent --client; repeatable
    #[arg(long = "redirect-uri", value_name = "URI")]
    redirect_uris: Vec<String>,

    /// JSON file: {"listen":"…","baseDomain":"…","tls":false,"sessionListen":"…",
    /// "clients":[{"id":"…","redirectUris":["…"]}]}. Command-line options override it;
    /// --client adds clients.
    #[arg(long, value_name = "FILE", verbatim_doc_comment)]
    config: Option<String>,

    /// baseDomain reported by hasSession.json (default localhost)
    #[arg(long, value_name = "DOMAIN")]
    base_domain: Option<String>,

    /// Serve HTTPS with a self-signed certificate for localhost/127.0.0.1
    #[arg(long)]
    tls: bool,

    /// Do not log requests to stderr
    #[arg(long)]
    quiet: bool,

    /// Also serve the site's first-party session service (GET /v2/session or
    /// {path}/session, POST /v2/logout, GET {path}/logout, GET {path}/refresh;
    /// client_id or client_sdrn) on ADDR, sharing SchAcc's sessions; also env
    /// SCHACC_SESSION_LISTEN. Its URL is the second stdout line.
    #[arg(long, value_name = "ADDR", verbatim_doc_comment)]
    session_listen: Option<String>,
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

/// Parse the arguments (without the program name) and the environment.
/// An error is the text to print on stderr before exiting with code 2.
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
    let mut command = Args::command();
    let argv =
        std::iter::once("schacc-emulator".to_string()).chain(args.into_iter().map(Into::into));
    let matches = match command.try_get_matches_from_mut(argv) {
        Ok(matches) => matches,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            return Ok(CliAction::Print(e.render().to_string()));
        }
        Err(e) => return Err(e.render().to_string()),
    };
    let fail = |command: &mut clap::Command, message: String| {
        command
            .error(ErrorKind::ValueValidation, message)
            .render()
            .to_string()
    };
    let args = Args::from_arg_matches(&matches).map_err(|e| e.render().to_string())?;
    let clients = clients_of(&matches, &args).map_err(|m| fail(&mut command, m))?;
    configure(args, clients, env).map_err(|m| fail(&mut command, m))
}

/// Each `--client` with the `--redirect-uri`s that follow it (up to the next `--client`).
fn clients_of(matches: &ArgMatches, args: &Args) -> Result<Vec<ClientConfig>, String> {
    let positions = |id: &str| {
        matches
            .indices_of(id)
            .map(Iterator::collect::<Vec<_>>)
            .unwrap_or_default()
    };
    let client_at = positions("clients");
    let mut clients: Vec<ClientConfig> = args
        .clients
        .iter()
        .map(|id| ClientConfig {
            id: id.clone(),
            redirect_uris: Vec::new(),
        })
        .collect();
    for (uri, at) in args.redirect_uris.iter().zip(positions("redirect_uris")) {
        // The last --client given before this --redirect-uri.
        let owner = client_at.iter().rposition(|&client| client < at);
        match owner.and_then(|i| clients.get_mut(i)) {
            Some(client) => client.redirect_uris.push(uri.clone()),
            None => return Err("--redirect-uri must follow a --client ID".into()),
        }
    }
    Ok(clients)
}

/// The configuration: defaults, then the config file, the environment and the command line.
fn configure(
    args: Args,
    clients: Vec<ClientConfig>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<CliAction, String> {
    let mut config = Config::default();
    config.clients.clear();
    if let Some(path) = args.config {
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
    if let Some(l) = args.listen {
        config.listen = l;
    }
    if let Some(d) = args.base_domain {
        config.base_domain = d;
    }
    if let Some(l) = env(SESSION_LISTEN_ENV).filter(|l| !l.is_empty()) {
        config.session_listen = Some(l);
    }
    if let Some(l) = args.session_listen {
        config.session_listen = Some(l);
    }
    if config.session_listen.as_deref() == Some("") {
        return Err("--session-listen needs an address".into());
    }
    config.tls |= args.tls;
    config.log_requests = !args.quiet;
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
            CliAction::Print(text) => Err(format!("print: {text}")),
        }
    }

    #[test]
    fn the_command_is_well_formed() {
        Args::command().debug_assert();
    }

    #[test]
    fn defaults() {
        let c = run(&[]).unwrap();
        assert_eq!(c.listen, "127.0.0.1:9000");
        assert_eq!(c.base_domain, "localhost");
        assert_eq!(c.clients, Config::default_clients());
        assert!(!c.tls);
        assert!(c.log_requests);
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
            "--quiet",
        ])
        .unwrap();
        assert_eq!(c.clients.len(), 2);
        assert_eq!(c.clients[0].redirect_uris, vec!["http://x/1", "http://x/2"]);
        assert!(c.clients[1].redirect_uris.is_empty());
        assert_eq!(c.listen, "0.0.0.0:1");
        assert_eq!(c.base_domain, "example.test");
        assert!(c.tls);
        assert!(!c.log_requests);
    }

    #[test]
    fn each_redirect_uri_belongs_to_the_client_before_it() {
        let c = run(&[
            "--client",
            "a",
            "--listen",
            "127.0.0.1:0",
            "--redirect-uri",
            "http://a/",
            "--client",
            "b",
            "--redirect-uri",
            "http://b/1",
            "--tls",
            "--redirect-uri",
            "http://b/2",
            "--client",
            "c",
        ])
        .unwrap();
        let uris: Vec<_> = c
            .clients
            .iter()
            .map(|c| (c.id.as_str(), c.redirect_uris.clone()))
            .collect();
        assert_eq!(
            uris,
            [
                ("a", vec!["http://a/".to_string()]),
                (
                    "b",
                    vec!["http://b/1".to_string(), "http://b/2".to_string()]
                ),
                ("c", vec![]),
            ]
        );
    }

    #[test]
    fn the_last_of_a_repeated_option_counts() {
        let c = run(&[
            "--listen",
            "127.0.0.1:1",
            "--listen=127.0.0.1:2",
            "--tls",
            "--tls",
        ])
        .unwrap();
        assert_eq!(c.listen, "127.0.0.1:2");
        assert!(c.tls);
    }

    #[test]
    fn errors() {
        assert!(run(&["--redirect-uri", "http://x/"]).is_err());
        assert!(run(&["--redirect-uri", "http://x/", "--client", "a"]).is_err());
        assert!(run(&["--listen"]).is_err());
        assert!(run(&["--bogus"]).is_err());
        assert!(run(&["stray"]).is_err());
        assert!(run(&["--client"]).is_err());
        assert!(run(&["--client="]).is_err());
        assert!(run(&["--client", "a", "--client", "a"]).is_err());
        assert!(run(&["--client", "a", "--redirect-uri", "http://x/\n"]).is_err());
        assert!(run(&["--tls=yes"]).is_err());
        assert!(run(&["--config", "/nonexistent/file.json"]).is_err());
        let message = run(&["--redirect-uri", "http://x/"]).unwrap_err();
        assert!(
            message.contains("--redirect-uri must follow a --client ID"),
            "{message}"
        );
        assert!(message.contains("--help"), "{message}");
    }

    #[test]
    fn help_names_every_option_and_the_defaults() {
        for flag in ["--help", "-h"] {
            let Err(text) = run(&[flag]) else {
                panic!("{flag} ran the server");
            };
            for needle in [
                "print: ",
                "--listen ADDR",
                "--client ID [--redirect-uri URI]",
                "--config <FILE>",
                "--base-domain <DOMAIN>",
                "--tls",
                "--quiet",
                "--session-listen <ADDR>",
                "SCHACC_SESSION_LISTEN",
                "http://127.0.0.1:8080/logged-out.html",
                "/__emulator/",
                "session-renewal",
                "/oauth/authorize",
                "{path}/session",
            ] {
                assert!(
                    text.contains(needle),
                    "{flag}: {needle:?} missing from\n{text}"
                );
            }
        }
        assert!(run(&["--version"])
            .unwrap_err()
            .contains(env!("CARGO_PKG_VERSION")));
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
