//! aisle-license: the vendor's license tool (keys, tokens, the license database, activation server).
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use aisle::license::site::normalize_pattern;
use aisle::license::{license_key, token, unix_now, Payload};
use aisle::license_server::{keys, Db, NewLicense, ServerState};

const USAGE: &str = "\
aisle-license — issue and serve Aisle licenses

  aisle-license keygen --out FILE
      Create a signing key (mode 0600; never overwrites) and print its public key.
  aisle-license pubkey --key FILE
      Print the base64 public key to build the extension with (AISLE_LICENSE_PUBLIC_KEY).
  aisle-license issue --key FILE --site HOST --plan PLAN --days N
                      [--features a,b] [--grace-days N] [--license-id ID]
      Print a signed token for HOST (or *.HOST for every subdomain), valid N days.
  aisle-license add --db FILE --plan PLAN --seats N --days N [--features a,b] [--grace-days N]
      Create a license in the server database and print its license key.
  aisle-license list --db FILE
      Show every license with its activated sites.
  aisle-license revoke --db FILE --license-key KEY
      Refuse further activations and token refreshes for a license.
  aisle-license serve --key FILE --db FILE [--listen 127.0.0.1:8787] [--token-days 30]
      Serve POST /v1/activate, POST /v1/deactivate, GET /v1/health.
      Prints \"listening on ADDR\" once bound (use port 0 for a free port).
  aisle-license --version
";

const DEFAULT_GRACE_DAYS: u32 = 14;

struct Args {
    flags: HashMap<String, String>,
}

impl Args {
    fn parse(args: &[String], allowed: &[&str]) -> Result<Self, String> {
        let mut flags = HashMap::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let name = a.strip_prefix("--").ok_or_else(|| format!("unexpected argument '{a}'"))?;
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_owned(), v.to_owned()),
                None => (name.to_owned(), it.next().ok_or_else(|| format!("--{name} needs a value"))?.clone()),
            };
            if !allowed.contains(&name.as_str()) {
                return Err(format!("unknown option --{name}"));
            }
            if flags.insert(name.clone(), value).is_some() {
                return Err(format!("--{name} given twice"));
            }
        }
        Ok(Self { flags })
    }

    fn required(&self, name: &str) -> Result<&str, String> {
        self.flags.get(name).map(String::as_str).ok_or_else(|| format!("--{name} is required"))
    }

    fn optional(&self, name: &str) -> Option<&str> {
        self.flags.get(name).map(String::as_str)
    }

    fn number(&self, name: &str, default: Option<u32>) -> Result<u32, String> {
        match (self.optional(name), default) {
            (Some(v), _) => v.parse().map_err(|_| format!("--{name} must be a whole number, got '{v}'")),
            (None, Some(d)) => Ok(d),
            (None, None) => Err(format!("--{name} is required")),
        }
    }

    fn features(&self) -> Vec<String> {
        self.optional("features")
            .map(|f| f.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default()
    }

    fn path(&self, name: &str) -> Result<PathBuf, String> {
        self.required(name).map(PathBuf::from)
    }
}

fn load_key(args: &Args) -> Result<ed25519_dalek::SigningKey, String> {
    let path = args.path("key")?;
    if let Some(w) = keys::permission_warning(&path) {
        eprintln!("{w}");
    }
    keys::load(&path)
}

fn run(argv: &[String]) -> Result<(), String> {
    let Some((command, rest)) = argv.split_first() else {
        return Err(format!("a command is required\n\n{USAGE}"));
    };
    match command.as_str() {
        "keygen" => {
            let args = Args::parse(rest, &["out"])?;
            let key = keys::generate(&args.path("out")?)?;
            println!("{}", keys::public_key_b64(&key));
        }
        "pubkey" => {
            let args = Args::parse(rest, &["key"])?;
            println!("{}", keys::public_key_b64(&load_key(&args)?));
        }
        "issue" => {
            let args = Args::parse(rest, &["key", "site", "plan", "days", "features", "grace-days", "license-id"])?;
            let key = load_key(&args)?;
            let site = args.required("site")?;
            let site = normalize_pattern(site).ok_or_else(|| format!("--site '{site}' is not a host or *.host"))?;
            let days = args.number("days", None)?;
            if days == 0 {
                return Err("--days must be at least 1".into());
            }
            let now = unix_now();
            let claims = Payload {
                v: token::TOKEN_VERSION,
                lid: args.optional("license-id").map_or_else(|| format!("manual-{now}"), str::to_owned),
                site,
                plan: args.required("plan")?.to_owned(),
                features: args.features(),
                iat: now,
                exp: now + i64::from(days) * 86_400,
                grace_days: args.number("grace-days", Some(DEFAULT_GRACE_DAYS))?,
            };
            println!("{}", token::encode(&claims, &key).map_err(|e| e.to_string())?);
        }
        "add" => {
            let args = Args::parse(rest, &["db", "plan", "seats", "days", "features", "grace-days"])?;
            let db = Db::open(&args.path("db")?).map_err(|e| e.to_string())?;
            let new = NewLicense {
                plan: args.required("plan")?.to_owned(),
                features: args.features(),
                seats: args.number("seats", None)?,
                days: args.number("days", None)?,
                grace_days: args.number("grace-days", Some(DEFAULT_GRACE_DAYS))?,
            };
            let record = db.add(&new, unix_now()).map_err(|e| e.to_string())?;
            eprintln!("created {} ({}, {} seats, expires at {})", record.id, record.plan, record.seats, record.expires_at);
            println!("{}", record.license_key);
        }
        "list" => {
            let args = Args::parse(rest, &["db"])?;
            let db = Db::open(&args.path("db")?).map_err(|e| e.to_string())?;
            for r in db.list().map_err(|e| e.to_string())? {
                let state = if r.revoked_at.is_some() { "revoked" } else if r.expires_at <= unix_now() { "expired" } else { "active" };
                println!(
                    "{}  {}  {}  {}  seats {}/{}  expires {}  features [{}]  sites [{}]",
                    r.id, r.license_key, r.plan, state, r.sites.len(), r.seats, r.expires_at,
                    r.features.join(","), r.sites.join(",")
                );
            }
        }
        "revoke" => {
            let args = Args::parse(rest, &["db", "license-key"])?;
            let db = Db::open(&args.path("db")?).map_err(|e| e.to_string())?;
            let key = license_key::normalize(args.required("license-key")?)?;
            if !db.revoke(&key, unix_now()).map_err(|e| e.to_string())? {
                return Err(format!("no license has the key {key}"));
            }
            println!("revoked {key}");
        }
        "serve" => {
            let args = Args::parse(rest, &["key", "db", "listen", "token-days"])?;
            let state = Arc::new(ServerState {
                key: load_key(&args)?,
                db: Db::open(&args.path("db")?).map_err(|e| e.to_string())?,
                token_days: args.number("token-days", Some(30))?.max(1),
            });
            let listen = args.optional("listen").unwrap_or("127.0.0.1:8787").to_owned();
            serve(state, &listen)?;
        }
        "--version" | "version" => println!("aisle-license {} ({})", aisle::build_info::VERSION, aisle::build_info::GIT_REVISION),
        "--help" | "help" | "-h" => print!("{USAGE}"),
        other => return Err(format!("unknown command '{other}'\n\n{USAGE}")),
    }
    Ok(())
}

fn serve(state: Arc<ServerState>, listen: &str) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        // Tests and scripts read this line to learn the port when given :0.
        println!("listening on {addr}");
        eprintln!("aisle-license serving on http://{addr} (public key {})", keys::public_key_b64(&state.key));
        let shutdown = async {
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                () = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
            }
        };
        aisle::license_server::serve(listener, state, shutdown).await.map_err(|e| e.to_string())
    })
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match run(&argv) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aisle-license: {e}");
            ExitCode::FAILURE
        }
    }
}
