//! Progress events of a long run (a scan, a database download or import), for a caller that
//! draws them. Every method has a no-op default; [`NoProgress`] draws nothing.

/// Receives progress while work runs. Called from several threads at once.
pub trait Progress: Sync {
    /// The walk finished and found this many dependency files.
    fn found(&self, _files: usize) {}
    /// Reading one dependency file started.
    fn file_started(&self, _file: &str) {}
    /// Reading one dependency file finished (or failed).
    fn file_done(&self, _file: &str) {}
    /// A stage without countable steps started (`matching vulnerabilities`).
    fn stage(&self, _what: &str) {}
    /// This many advisory records were read so far (in total) while building a database.
    fn records(&self, _count: u64) {}
    /// A download of `ecosystem` started; `total` is its size when the server says.
    fn download_started(&self, _ecosystem: &str, _total: Option<u64>) {}
    /// `received` bytes of the current download arrived so far.
    fn downloaded(&self, _received: u64) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
