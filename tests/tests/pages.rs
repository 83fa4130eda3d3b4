//! Paged endpoints: the generated `<method>_pages` walkers follow the cursor to the end, fill in
//! the documented maximum page size, and stop on answers that would loop.

use live_api::{Client, GetBannedMemberList, GetMemberList, GetRoomList};
use live_api_tests::{Reply, TestServer};
use serde_json::json;

fn client(server: &TestServer) -> Client {
    Client::builder().sdk_app_id(1).user_sig("sig").base_url(server.url()).build().unwrap()
}

#[tokio::test]
async fn room_list_follows_next_until_it_is_empty() {
    let server = TestServer::start(|r| {
        let (rooms, next) = match r.json()["Next"].as_str().unwrap() {
            "" => (vec!["a", "b"], "c1"),
            "c1" => (vec!["c", "d"], "c2"),
            "c2" => (vec!["e"], ""),
            other => panic!("unexpected cursor {other}"),
        };
        let list: Vec<_> = rooms.iter().map(|id| json!({"RoomId": id, "ViewCount": 1})).collect();
        Reply::ok(json!({"Response": {"Next": next, "RoomList": list}}))
    })
    .await;
    let mut pages = client(&server).get_room_list_pages(GetRoomList::new("", 2));
    let mut ids = Vec::new();
    while let Some(room) = pages.try_next().await.unwrap() {
        ids.push(room.room_id.unwrap());
    }
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(pages.pages_fetched(), 3);
    let sent: Vec<(String, u64)> = server
        .requests()
        .iter()
        .map(|r| (r.json()["Next"].as_str().unwrap().to_owned(), r.json()["Count"].as_u64().unwrap()))
        .collect();
    assert_eq!(sent, [("".into(), 2), ("c1".into(), 2), ("c2".into(), 2)]);
    assert!(pages.try_next().await.unwrap().is_none(), "stays finished");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn banned_list_pages_by_offset_with_the_maximum_page_size() {
    let server = TestServer::start(|r| {
        let offset = r.json()["Offset"].as_u64().unwrap_or(0);
        let (members, next) = if offset == 0 { (vec!["u1", "u2"], 2) } else { (vec!["u3"], 0) };
        let list: Vec<_> = members.iter().map(|m| json!({"Member_Account": m, "BannedUntil": 1_700_000_000})).collect();
        Reply::ok(json!({"Response": {"BannedAccountList": list, "NextOffset": next}}))
    })
    .await;
    let all =
        client(&server).get_banned_member_list_pages(GetBannedMemberList::new("room")).collect_all().await.unwrap();
    let names: Vec<_> = all.iter().map(|m| m.member_account.clone().unwrap()).collect();
    assert_eq!(names, ["u1", "u2", "u3"]);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].json(), json!({"RoomId": "room", "Limit": 100}), "the documented maximum, 100");
    assert_eq!(reqs[1].json(), json!({"RoomId": "room", "Offset": 2, "Limit": 100}));
}

#[tokio::test]
async fn a_repeated_cursor_or_an_empty_page_ends_the_walk() {
    let server = TestServer::start(|r| {
        if r.json()["RoomId"] == "same" {
            Reply::ok(json!({"Response": {"Next": "x", "MemberList": [{"Member_Account": "m"}]}}))
        } else {
            Reply::ok(json!({"Response": {"Next": "more", "MemberList": []}}))
        }
    })
    .await;
    let c = client(&server);
    let first = GetMemberList::new("same", "x");
    let all = c.get_member_list_pages(first).collect_all().await.unwrap();
    assert_eq!(all.len(), 1, "a cursor equal to the one sent ends the walk");
    let all = c.get_member_list_pages(GetMemberList::new("empty", "")).collect_all().await.unwrap();
    assert!(all.is_empty());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_error_on_a_later_page_is_returned() {
    let server = TestServer::start(|r| {
        if r.json()["Next"] == "" {
            Reply::ok(json!({"Response": {"Next": "c1", "RoomList": [{"RoomId": "a"}]}}))
        } else {
            Reply::error(100001, "internal", "Id-9")
        }
    })
    .await;
    let mut pages = client(&server).get_room_list_pages(GetRoomList::new("", 20));
    assert!(pages.try_next().await.unwrap().is_some());
    let e = pages.try_next().await.unwrap_err();
    assert_eq!(e.request_id(), Some("Id-9"));
}
