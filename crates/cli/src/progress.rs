//! The one progress bar of every command, on standard error, shown only when it is a terminal:
//! a spinner while walking, a bar over the dependency files (naming one being read), a spinner
//! for stages without steps, and bytes then records while the database is built.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use trusca_core::progress::Progress;

/// An indicatif bar fed by core's progress events.
pub struct Bar {
    bar: ProgressBar,
    /// Files being read now, oldest first: the message names one of them, never a finished one.
    reading: Mutex<Vec<String>>,
}

impl Bar {
    /// A spinner with `message`; hidden when standard error is not a terminal or `hidden` is set.
    pub fn new(hidden: bool, message: &str) -> Self {
        let bar = if hidden || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(spinner());
            bar.set_message(message.to_owned());
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        };
        Bar {
            bar,
            reading: Mutex::new(Vec::new()),
        }
    }

    /// Removes the bar from the screen.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    fn show_reading(&self, files: &[String]) {
        self.bar
            .set_message(files.first().cloned().unwrap_or_default());
    }
}

fn spinner() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

impl Progress for Bar {
    fn found(&self, files: usize) {
        self.bar.set_length(files as u64);
        self.bar
            .set_style(style("{bar:30} {pos}/{len} files  {wide_msg}"));
        self.bar.set_message("");
    }

    fn file_started(&self, file: &str) {
        if let Ok(mut reading) = self.reading.lock() {
            reading.push(file.to_owned());
            self.show_reading(&reading);
        }
    }

    fn file_done(&self, file: &str) {
        self.bar.inc(1);
        if let Ok(mut reading) = self.reading.lock() {
            if let Some(i) = reading.iter().position(|f| f == file) {
                reading.remove(i);
            }
            self.show_reading(&reading);
        }
    }

    fn stage(&self, what: &str) {
        self.bar.unset_length();
        self.bar.set_style(spinner());
        self.bar.set_message(what.to_owned());
    }

    fn records(&self, count: u64) {
        self.bar.set_message(format!("{count} records read"));
    }

    fn download_started(&self, ecosystem: &str, total: Option<u64>) {
        self.bar.set_position(0);
        match total {
            Some(total) => {
                self.bar.set_length(total);
                self.bar
                    .set_style(style("{bar:30} {bytes}/{total_bytes} {prefix}  {wide_msg}"));
            }
            None => {
                self.bar.unset_length();
                self.bar
                    .set_style(style("{spinner} {bytes} {prefix}  {wide_msg}"));
            }
        }
        self.bar.set_prefix(ecosystem.to_owned());
    }

    fn downloaded(&self, received: u64) {
        self.bar.set_position(received);
    }
}
