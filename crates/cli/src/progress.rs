//! The progress bar on standard error, shown only when it is a terminal.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use trusca_core::scan::Progress;

/// An indicatif bar fed by the scan's progress events.
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A spinner while walking that turns into a bar once the files are known; hidden when
    /// standard error is not a terminal or `hidden` is set.
    pub fn new(hidden: bool) -> Self {
        let bar = if hidden || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message("looking for dependency files");
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        };
        Bar { bar }
    }

    /// Removes the bar from the screen.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn found(&self, files: usize) {
        self.bar.set_length(files as u64);
        self.bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} files  {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        self.bar.set_message("");
    }

    fn extracted(&self, display: &str) {
        self.bar.inc(1);
        self.bar.set_message(display.to_owned());
    }
}
