//! Per-call cost of the UserSig: preparing a call (validation, JSON body, URL) with the client's
//! cached ticket, against signing a fresh ticket for every call. Both in the same run.
//!
//! `cargo bench -p live-api --bench ticket`

use std::hint::black_box;
use std::time::{SystemTime, UNIX_EPOCH};

use criterion::{Criterion, criterion_group, criterion_main};
use live_api::__private::hooks;
use live_api::usersig::{SignParams, sign};
use live_api::{Client, ResumeMcuTask};

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

fn per_call_ticket(c: &mut Criterion) {
    let client =
        Client::builder().sdk_app_id(1400000000).secret_key(KEY).base_url("http://127.0.0.1:9").build().unwrap();
    let request = ResumeMcuTask::new("live-room-42");
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let mut g = c.benchmark_group("per_call_ticket");
    g.bench_function("cached ticket", |b| b.iter(|| black_box(hooks::prepare(&client, black_box(&request)).unwrap())));
    g.bench_function("sign every call", |b| {
        b.iter(|| {
            let ticket = sign(&SignParams::new(1400000000, KEY, "administrator", 86_400), black_box(now));
            black_box(hooks::prepare_with_ticket(&client, black_box(&request), &ticket).unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, per_call_ticket);
criterion_main!(benches);
