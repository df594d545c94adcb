//! Tests of `transcribe::fetch`, against a server on 127.0.0.1 serving a small file whole,
//! corrupted, or cut short.

use std::io::{Read, Write};
use std::net::TcpListener;

use super::*;

const MODEL: &[u8] = b"a small stand-in for a ggml model, long enough to span a few reads";

fn sha1_hex(bytes: &[u8]) -> String {
    Sha1::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Serves one request with `body`, announcing `announced` bytes, then closes: the URL.
fn serve_once(body: &'static [u8], announced: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let url = format!(
        "http://{}/ggml-test.bin",
        listener.local_addr().expect("address")
    );
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("a request");
        let mut request = [0u8; 1024];
        let _ = stream.read(&mut request);
        let head =
            format!("HTTP/1.1 200 OK\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n");
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body);
    });
    url
}

/// A fresh folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vmc-fetch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("folder");
    dir
}

/// The files in `dir`.
fn files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_whole_download_with_the_right_checksum_is_written() {
    let dir = folder("whole");
    let dest = dir.join("ggml-test.bin");
    fetch_to(&serve_once(MODEL, MODEL.len()), &dest, &sha1_hex(MODEL)).expect("fetched");
    assert_eq!(std::fs::read(&dest).expect("written"), MODEL);
    assert_eq!(files(&dir), ["ggml-test.bin"], "no temporary file left");
}

#[test]
fn a_corrupted_or_cut_download_is_refused_and_leaves_nothing() {
    let dir = folder("bad");
    let dest = dir.join("ggml-test.bin");
    let corrupted: &'static [u8] =
        b"a small stand-in for a ggml model, long enough to span a few READS";
    let err = fetch_to(
        &serve_once(corrupted, corrupted.len()),
        &dest,
        &sha1_hex(MODEL),
    )
    .expect_err("a corrupted file is refused")
    .to_string();
    assert!(err.contains("SHA-1") && err.contains("refused"), "{err}");
    let err = fetch_to(
        &serve_once(&MODEL[..20], MODEL.len()),
        &dest,
        &sha1_hex(MODEL),
    )
    .expect_err("a cut download is refused")
    .to_string();
    assert!(err.contains("stopped"), "{err}");
    assert!(files(&dir).is_empty(), "{:?}", files(&dir));
}

#[test]
fn no_server_is_an_error_and_leaves_nothing() {
    let dir = folder("offline");
    let dest = dir.join("ggml-test.bin");
    // A port nothing listens on: bound, then released.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = format!("http://127.0.0.1:{port}/ggml-test.bin");
    let err = fetch_to(&url, &dest, &sha1_hex(MODEL)).expect_err("nothing to fetch from");
    assert!(err.contains("Connection"), "{err}");
    assert!(files(&dir).is_empty());
}
