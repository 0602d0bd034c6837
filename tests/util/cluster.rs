//! A local OpenSearch 2.19.6 cluster for integration tests, run from the launcher in
//! `cluster/` (Maven Central jars, no distribution; `cluster/cluster.sh` is the same for
//! humans). Needs `java` (17+) and `mvn` on the PATH; the launcher is built on first use.
//!
//! Each node is a `java` child of the test process with its stdin piped and started with
//! `-Ddateline.exit_on_stdin_eof=true`: when the test process ends in any way (even a
//! panic, abort or SIGKILL) the OS closes the pipe and the node closes and exits. Node data
//! and logs are in a temp dir; a later run removes the dirs of runs that have ended.

use std::collections::hash_map::RandomState;
use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How long a start, a restart or a wait for green may take.
const WAIT: Duration = Duration::from_secs(180);

/// The JVM options of `cluster/cluster.sh` (keep them in step): a small heap, Serial GC and
/// C1 only (about half the start time), and what the 2.x distribution also sets.
const JVM_OPTS: &[&str] = &[
    "-Xms256m",
    "-Xmx256m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Xss512k",
    "-XX:MaxDirectMemorySize=128m",
    "-Dfile.encoding=UTF-8",
    "-Djava.awt.headless=true",
    "-Dio.netty.noUnsafe=true",
    "-Dio.netty.noKeySetOptimization=true",
    "-Dio.netty.recycler.maxCapacityPerThread=0",
    "-Dio.netty.allocator.numDirectArenas=0",
    "-Djava.locale.providers=SPI,COMPAT",
    "-Dlog4j2.formatMsgNoLookups=true",
];

/// Temp dirs (and their `.lock` files) of test clusters start with this.
const DIR_PREFIX: &str = "dateline-os-";

/// A 3-node cluster started once per test process, at the first call. Tests that kill
/// nodes of it disturb the other tests using it at the same time.
pub fn shared() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| Cluster::start(3))
}

/// Nodes `node-0..` on 127.0.0.1: http ports `base+i`, transport ports `base+100+i`.
pub struct Cluster {
    http: Vec<u16>,
    transport: Vec<u16>,
    /// `None` once killed.
    nodes: Mutex<Vec<Option<Child>>>,
    /// Node homes `node-i/` and logs `node-i.log`, in the temp dir.
    dir: PathBuf,
    /// Locked while this process lives, so other runs leave `dir` alone.
    _owner: tempfile::NamedTempFile,
}

impl Cluster {
    /// Builds the launcher if needed and starts `n` nodes on free ports; returns once the
    /// cluster is green. Panics with the node logs' tails if it isn't within 180 s.
    pub fn start(n: usize) -> Cluster {
        let started = Instant::now();
        build_launcher();
        let built = started.elapsed();
        remove_dirs_of_ended_runs();
        // Another process may take a port between our probe and the node's bind.
        for attempt in 1.. {
            let cluster = Cluster::spawn(n, free_base(n));
            match cluster.try_wait_green() {
                Ok(()) => {
                    eprintln!(
                        "OpenSearch test cluster {} green in {:.1?} (launcher build {built:.1?}); logs in {}",
                        cluster.url(),
                        started.elapsed(),
                        cluster.dir.display()
                    );
                    return cluster;
                }
                Err(_) if attempt < 3 && cluster.lost_a_port() => continue,
                Err(why) => panic!("{why}\n{}", cluster.log_tails()),
            }
        }
        unreachable!()
    }

    /// `http://127.0.0.1:P0,http://127.0.0.1:P1,...`: every node, no index.
    pub fn url(&self) -> String {
        let urls: Vec<String> = self
            .http
            .iter()
            .map(|port| format!("http://127.0.0.1:{port}"))
            .collect();
        urls.join(",")
    }

    /// SIGKILLs node `i` (no-op if it is already killed).
    pub fn kill(&self, i: usize) {
        if let Some(mut child) = self.nodes()[i].take() {
            child.kill().expect("killing a node");
            child.wait().expect("reaping a node");
        }
    }

    /// Starts killed node `i` again, on its ports and data, and waits until its http port
    /// answers. The cluster need not be green yet: see [`Cluster::wait_green`].
    pub fn restart(&self, i: usize) {
        {
            let mut nodes = self.nodes();
            assert!(nodes[i].is_none(), "node-{i} is running: kill it first");
            nodes[i] = Some(self.spawn_node(i));
        }
        let deadline = Instant::now() + WAIT;
        while !matches!(http(self.http[i], "GET", "/", None), Ok((200, _))) {
            if let Some(why) = self.a_node_died() {
                panic!("restarting node-{i}: {why}\n{}", self.log_tails());
            }
            if Instant::now() > deadline {
                panic!("node-{i} did not answer in {WAIT:?}\n{}", self.log_tails());
            }
            sleep(Duration::from_millis(200));
        }
    }

    /// Waits until all nodes are in the cluster and every shard is assigned.
    pub fn wait_green(&self) {
        if let Err(why) = self.try_wait_green() {
            panic!("{why}\n{}", self.log_tails());
        }
    }

    /// `GET path` on the first running node that answers: (status, body).
    pub fn get(&self, path: &str) -> (u16, String) {
        self.request("GET", path, None)
    }

    /// `PUT path` with a JSON body.
    pub fn put(&self, path: &str, json: &str) -> (u16, String) {
        self.request("PUT", path, Some(json))
    }

    fn request(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        self.try_request(method, path, body)
            .unwrap_or_else(|e| panic!("{method} {path}: no node answers: {e}"))
    }

    /// Tries the running nodes in order; only a failure to connect moves on to the next.
    fn try_request(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> io::Result<(u16, String)> {
        let running: Vec<u16> = (self.nodes().iter().zip(&self.http))
            .filter(|(node, _)| node.is_some())
            .map(|(_, &port)| port)
            .collect();
        let mut last = io::Error::other("every node is killed");
        for port in running {
            match http(port, method, path, body) {
                Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => last = e,
                answer => return answer,
            }
        }
        Err(last)
    }

    fn spawn(n: usize, base: u16) -> Cluster {
        let tmp = std::env::temp_dir();
        // The lock file comes first, so no other run takes the dir for an ended run's.
        let owner = tempfile::Builder::new()
            .prefix(DIR_PREFIX)
            .suffix(".lock")
            .tempfile_in(&tmp)
            .expect("creating a lock file");
        owner
            .as_file()
            .lock()
            .expect("locking the cluster's lock file");
        let dir = owner.path().with_extension("");
        fs::create_dir(&dir).expect("creating the cluster's temp dir");
        let cluster = Cluster {
            http: (0..n as u16).map(|i| base + i).collect(),
            transport: (0..n as u16).map(|i| base + 100 + i).collect(),
            nodes: Mutex::new(Vec::new()),
            dir,
            _owner: owner,
        };
        *cluster.nodes() = (0..n).map(|i| Some(cluster.spawn_node(i))).collect();
        cluster
    }

    fn spawn_node(&self, i: usize) -> Child {
        let launcher = launcher_dir();
        let join = |items: Vec<String>| items.join(",");
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log(i))
            .expect("opening a node log");
        Command::new("java")
            .args(JVM_OPTS)
            .arg("-Ddateline.exit_on_stdin_eof=true")
            .arg("-cp")
            .arg(format!(
                "{}:{}",
                launcher.join("target/os-node-0.1.jar").display(),
                launcher.join("target/lib/*").display()
            ))
            .arg("dateline.OsNode")
            .arg(format!("dateline-test-{}", self.http[0]))
            .arg(format!("node-{i}"))
            .arg(self.dir.join(format!("node-{i}")))
            .arg(self.http[i].to_string())
            .arg(self.transport[i].to_string())
            .arg(join(self.transport.iter().map(u16::to_string).collect()))
            .arg(join(
                (0..self.http.len()).map(|i| format!("node-{i}")).collect(),
            ))
            // Held open in `nodes`: its EOF tells the node the test process is gone.
            .stdin(Stdio::piped())
            .stdout(log.try_clone().expect("cloning a log handle"))
            .stderr(log)
            .spawn()
            .expect("starting java (a JDK 17+ is needed for the OpenSearch tests)")
    }

    fn try_wait_green(&self) -> Result<(), String> {
        let path = format!(
            "/_cluster/health?wait_for_nodes={}&wait_for_status=green&timeout=5s",
            self.http.len()
        );
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(why) = self.a_node_died() {
                return Err(why);
            }
            let last = match self.try_request("GET", &path, None) {
                Ok((200, _)) => return Ok(()),
                Ok((status, body)) => format!("{status} {body}"),
                Err(e) => e.to_string(),
            };
            if Instant::now() > deadline {
                return Err(format!(
                    "{} not green in {WAIT:?}; last health: {last}",
                    self.url()
                ));
            }
            sleep(Duration::from_millis(200));
        }
    }

    /// Why a node that wasn't killed has exited, if one has.
    fn a_node_died(&self) -> Option<String> {
        let mut nodes = self.nodes();
        nodes.iter_mut().enumerate().find_map(|(i, node)| {
            let status: ExitStatus = node.as_mut()?.try_wait().ok()??;
            Some(format!("node-{i} (http {}) exited: {status}", self.http[i]))
        })
    }

    /// Whether a node failed because one of its ports was taken.
    fn lost_a_port(&self) -> bool {
        (0..self.http.len()).any(|i| {
            let log = fs::read_to_string(self.log(i)).unwrap_or_default();
            log.contains("BindTransportException")
                || log.contains("BindHttpException")
                || log.contains("Address already in use")
        })
    }

    fn log(&self, i: usize) -> PathBuf {
        self.dir.join(format!("node-{i}.log"))
    }

    fn log_tails(&self) -> String {
        let mut tails = String::new();
        for i in 0..self.http.len() {
            let log = fs::read_to_string(self.log(i)).unwrap_or_default();
            let lines: Vec<&str> = log.lines().collect();
            let tail = lines[lines.len().saturating_sub(25)..].join("\n");
            tails += &format!("--- {} (end) ---\n{tail}\n", self.log(i).display());
        }
        tails
    }

    fn nodes(&self) -> MutexGuard<'_, Vec<Option<Child>>> {
        // A test that panicked holding the lock left the list itself intact.
        self.nodes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Only runs for clusters that aren't `shared()` (statics are never dropped; a later run
/// removes their dirs).
impl Drop for Cluster {
    fn drop(&mut self) {
        for i in 0..self.http.len() {
            self.kill(i);
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// `cluster/` in the repo.
fn launcher_dir() -> PathBuf {
    super::repo().join("cluster")
}

/// Runs `mvn package` unless `target/build.stamp` is newer than the pom and the sources.
/// `cluster.sh` takes the same flock, so test binaries run at once build only once.
fn build_launcher() {
    let launcher = launcher_dir();
    let target = launcher.join("target");
    fs::create_dir_all(&target).expect("creating cluster/target");
    let lock = File::create(target.join("build.lock")).expect("creating the build lock");
    lock.lock().expect("locking the build lock");
    let stamp = target.join("build.stamp");
    let built = fs::metadata(&stamp).and_then(|m| m.modified()).ok();
    let mut sources = walkdir::WalkDir::new(launcher.join("src"))
        .into_iter()
        .map(|entry| entry.expect("listing cluster/src").into_path())
        .chain([launcher.join("pom.xml")]);
    let changed = |path: PathBuf| fs::metadata(path).and_then(|m| m.modified()).ok() > built;
    if built.is_some() && !sources.any(changed) {
        return;
    }
    let out = Command::new("mvn")
        .args(["-q", "-B", "-f"])
        .arg(launcher.join("pom.xml"))
        .arg("package")
        .output()
        .expect("running mvn (Maven 3 is needed for the OpenSearch tests)");
    assert!(
        out.status.success(),
        "building the OpenSearch launcher failed: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    File::create(&stamp).expect("writing cluster/target/build.stamp");
}

/// A random base port in 20000..40000 whose http and transport ports are all free now.
fn free_base(n: usize) -> u16 {
    let n = n as u16;
    for _ in 0..1000 {
        let random = RandomState::new().build_hasher().finish();
        let base = 20000 + (random % u64::from(20000 - 100 - n)) as u16;
        let ports = (base..base + n).chain(base + 100..base + 100 + n);
        let listeners: io::Result<Vec<TcpListener>> = ports
            .map(|port| TcpListener::bind(("127.0.0.1", port)))
            .collect();
        if listeners.is_ok() {
            return base;
        }
    }
    panic!("no free ports for {n} OpenSearch nodes in 20000..40000");
}

/// Removes the temp dirs of test clusters whose process has ended (its lock is free).
fn remove_dirs_of_ended_runs() {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let lock = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(DIR_PREFIX) && name.ends_with(".lock")) {
            continue;
        }
        if File::open(&lock).is_ok_and(|file| file.try_lock().is_ok()) {
            let _ = fs::remove_dir_all(lock.with_extension(""));
            let _ = fs::remove_file(&lock);
        }
    }
}

/// A minimal HTTP/1.1 request to 127.0.0.1:port: (status, body).
fn http(port: u16, method: &str, path: &str, body: Option<&str>) -> io::Result<(u16, String)> {
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let response = String::from_utf8_lossy(&response);
    let bad =
        |what: &str| io::Error::new(io::ErrorKind::InvalidData, format!("{what}: {response}"));
    let (head, body) = response
        .split_once("\r\n\r\n")
        .ok_or_else(|| bad("no end of headers"))?;
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return Err(bad("chunked responses are not supported"));
    }
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok());
    Ok((status.ok_or_else(|| bad("no status"))?, body.to_string()))
}
