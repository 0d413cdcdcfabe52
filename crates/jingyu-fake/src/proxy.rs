//! A CONNECT proxy on 127.0.0.1 that records each tunnel it opens, for
//! testing `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

/// A running proxy.
#[derive(Clone)]
pub struct FakeProxy {
    addr: SocketAddr,
    tunnels: Arc<Mutex<Vec<String>>>,
    /// CONNECT targets sent elsewhere (`api.github.com:443` to the fake).
    routes: Arc<Vec<(String, SocketAddr)>>,
}

impl FakeProxy {
    pub fn start() -> FakeProxy {
        Self::routing(Vec::new())
    }

    /// A proxy that tunnels each `host:port` of `routes` to its address
    /// instead, and any other target where it says.
    pub fn routing(routes: Vec<(String, SocketAddr)>) -> FakeProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let proxy = FakeProxy {
            addr: listener.local_addr().unwrap(),
            tunnels: Arc::default(),
            routes: Arc::new(routes),
        };
        let me = proxy.clone();
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let me = me.clone();
                thread::spawn(move || me.tunnel(client));
            }
        });
        proxy
    }

    /// `http://127.0.0.1:PORT`, for the proxy variables.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The `host:port` of every CONNECT so far.
    pub fn tunnels(&self) -> Vec<String> {
        self.tunnels.lock().unwrap().clone()
    }

    fn tunnel(&self, mut client: TcpStream) {
        // `CONNECT host:port HTTP/1.1`: the request target is where to connect.
        let Some(request) = crate::read_request(&mut client, crate::Host::Api) else {
            return;
        };
        let target = request.path;
        self.tunnels.lock().unwrap().push(target.clone());
        let routed = self
            .routes
            .iter()
            .find(|(t, _)| *t == target)
            .map(|(_, a)| *a);
        let upstream = match routed {
            Some(addr) => TcpStream::connect(addr),
            None => TcpStream::connect(&target),
        };
        let Ok(upstream) = upstream else {
            let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
            return;
        };
        let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
        pipe(client, upstream);
    }
}

/// Copies both ways until either side closes.
fn pipe(client: TcpStream, upstream: TcpStream) {
    let (mut c_read, mut u_write) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
    let forward = thread::spawn(move || {
        let _ = io::copy(&mut c_read, &mut u_write);
        let _ = u_write.shutdown(std::net::Shutdown::Write);
    });
    let (mut u_read, mut c_write) = (upstream, client);
    let _ = io::copy(&mut u_read, &mut c_write);
    let _ = c_write.shutdown(std::net::Shutdown::Write);
    let _ = forward.join();
}
