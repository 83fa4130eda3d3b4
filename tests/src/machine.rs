//! Facts about the machine a benchmark or load script ran on, read from /proc.

/// The 1, 5 and 15 minute load averages, as `/proc/loadavg` gives them ("" where it is missing).
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}
