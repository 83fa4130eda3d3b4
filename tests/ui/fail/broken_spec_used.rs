// Code that uses the items of broken specs (an endpoint and a shared type) shows the spec errors
// and nothing else: the macro emits error-typed stubs for what it could not build, and the valid
// endpoint of the same folder as usual.
live_api_macros::generate!("../specs/broken_endpoint");

async fn use_it(client: &live_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    let good = client.good(Good::new("live-1")).await?;
    let _ = good;
    let request = Bad::new("live-1").owner(Owner::new().name("ann"));
    match client.bad(request).await {
        Ok(answer) => println!("{:?}", answer.anything),
        Err(e) if e.code() == Some(BadCode::RoomNotFound) => {}
        Err(e) => return Err(e.into()),
    }
    let _: Option<BadResponse> = None;
    Ok(())
}

fn main() {
    let _ = use_it;
}
