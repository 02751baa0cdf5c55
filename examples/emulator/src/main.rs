use std::io::Write;
use std::process::ExitCode;

use schacc_emulator::{parse_args, start, CliAction};

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(CliAction::Print(text)) => {
            print!("{text}");
            return ExitCode::SUCCESS;
        }
        Ok(CliAction::Run(config)) => config,
        Err(message) => {
            // clap's "error: …", the usage line and "For more information, try '--help'."
            eprint!("{message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("schacc-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let server = match start(config.clone()).await {
            Ok(s) => s,
            Err(e) => {
                match &config.session_listen {
                    Some(s) => eprintln!(
                        "schacc-emulator: cannot start on {} (session service {s}): {e}",
                        config.listen
                    ),
                    None => eprintln!("schacc-emulator: cannot start on {}: {e}", config.listen),
                }
                return ExitCode::FAILURE;
            }
        };
        let url = server.url();
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "schacc-emulator listening on {url}");
        let _ = out.flush();
        if let Some(session_url) = server.session_url() {
            let _ = writeln!(out, "session service listening on {session_url}");
            let _ = out.flush();
        }
        let _ = writeln!(out, "base domain: {}", config.base_domain);
        for client in &config.clients {
            let _ = writeln!(out, "client {}", client.id);
            if client.redirect_uris.is_empty() {
                let _ = writeln!(out, "  (no redirect URIs)");
            }
            for uri in &client.redirect_uris {
                let _ = writeln!(out, "  redirect URI {uri}");
            }
        }
        if server.certificate_der.is_some() {
            let _ = writeln!(
                out,
                "TLS: self-signed certificate for localhost and 127.0.0.1; open {url}/__emulator/state once in the browser to accept it"
            );
        }
        let _ = writeln!(
            out,
            "dev controls: {url}/__emulator/login, /__emulator/token, /__emulator/token-status, /__emulator/state, /__emulator/fault, /__emulator/reset"
        );
        if let Some(session_url) = server.session_url() {
            let _ = writeln!(
                out,
                "session service: {session_url}/v2/session, /v2/logout; dev login {session_url}/__emulator/login"
            );
        }
        let _ = out.flush();
        drop(out);
        match server.task.await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("schacc-emulator: server stopped: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
