//! One OS process of tests/tests/redis.rs: builds a client from the `LIVE_API_*` environment
//! (with or without `LIVE_API_RATE_LIMIT_REDIS`), makes `CALLS` `get_room_list` calls, all at once
//! (`together`) or one after the other (`in-turn`, so that each call takes its slot when it
//! starts), and prints one JSON line: `{"ok": n, "errors": [..]}`. An optional third argument is
//! the retry policy's number of attempts.

use live_api::{Client, ClientBuilder, Error, GetRoomList, GetRoomListCode, RetryPolicy};

async fn one(c: Client) -> Result<(), String> {
    c.get_room_list(GetRoomList::new("", 10)).await.map(|_| ()).map_err(|e: Error<GetRoomListCode>| e.to_string())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: paced_caller CALLS together|in-turn [ATTEMPTS]";
    let calls: usize = args.first().and_then(|a| a.parse().ok()).expect(usage);
    let together = match args.get(1).map(String::as_str) {
        Some("together") => true,
        Some("in-turn") => false,
        _ => panic!("{usage}"),
    };
    let mut builder = ClientBuilder::from_env().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    if let Some(max_attempts) = args.get(2).and_then(|a| a.parse().ok()) {
        builder = builder.retry_policy(RetryPolicy { max_attempts, ..RetryPolicy::default() });
    }
    let client = builder.build().unwrap_or_else(|e| panic!("{e}"));
    let mut outcomes = Vec::new();
    if together {
        let tasks: Vec<_> = (0..calls).map(|_| tokio::spawn(one(client.clone()))).collect();
        for t in tasks {
            outcomes.push(t.await.unwrap());
        }
    } else {
        for _ in 0..calls {
            outcomes.push(one(client.clone()).await);
        }
    }
    let ok = outcomes.iter().filter(|o| o.is_ok()).count();
    let errors: Vec<String> = outcomes.into_iter().filter_map(Result::err).collect();
    println!("{}", serde_json::json!({ "ok": ok, "errors": errors }));
}
