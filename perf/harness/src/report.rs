//! What every mode reports with: log lines, medians, and the number formats of the tables.

use std::time::SystemTime;

/// A line on stderr, after the time of day (UTC).
pub fn log(msg: &str) {
    let t = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
    eprintln!("[{:02}:{:02}:{:02}] {msg}", (t / 3600) % 24, (t / 60) % 60, t % 60);
}

/// The median (NaN of nothing); sorts `v`.
pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Median and range of some measures.
pub struct Stat {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

/// The median, min and max of the finite values.
pub fn stat(v: impl Iterator<Item = f64>) -> Stat {
    let mut v: Vec<f64> = v.filter(|x| x.is_finite()).collect();
    let min = v.iter().cloned().fold(f64::INFINITY, f64::min);
    let max = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    Stat { median: median(&mut v), min, max }
}

/// One decimal, or "–" for no value.
pub fn f1(x: f64) -> String {
    if x.is_finite() { format!("{x:.1}") } else { "–".into() }
}

/// Two decimals, or "–" for no value.
pub fn f2(x: f64) -> String {
    if x.is_finite() { format!("{x:.2}") } else { "–".into() }
}

/// `p / o` as "4.5×", or "–".
pub fn ratio(p: f64, o: f64) -> String {
    if p.is_finite() && o.is_finite() && o > 0.0 { format!("{:.1}×", p / o) } else { "–".into() }
}
