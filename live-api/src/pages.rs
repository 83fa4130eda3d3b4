//! Walking paged endpoints: follow the cursor (`Next`, `NextOffset`) until the end.
//!
//! A spec with `pagination` makes its request type implement [`Paginated`] (a few accessors);
//! the walking itself is here. The walk ends when an answer's cursor is missing, empty (`""` or
//! `0`), the same as the one just sent, or when a page has no items, so a server that repeats
//! itself cannot keep a caller looping.

use std::collections::VecDeque;

use crate::client::Client;
use crate::endpoint::Endpoint;
use crate::error::Error;

/// A cursor value: a string (`Next`) or an integer offset (`Offset`).
pub trait Cursor: Clone + PartialEq + Send + Sync + 'static {
    /// Whether this cursor means "no more pages" (`""` or `0`).
    fn is_end(&self) -> bool;
}

impl Cursor for String {
    fn is_end(&self) -> bool {
        self.is_empty()
    }
}

macro_rules! int_cursor {
    ($($t:ty),*) => {$(
        impl Cursor for $t {
            fn is_end(&self) -> bool {
                *self == 0
            }
        }
    )*};
}
int_cursor!(i32, i64, u32, u64);

/// Implemented by the request types of paged endpoints.
pub trait Paginated: Endpoint {
    /// An item of a page.
    type Item: Send + 'static;
    /// The cursor type.
    type Cursor: Cursor;
    /// The cursor this request sends, if set.
    fn cursor(&self) -> Option<&Self::Cursor>;
    /// Sets the cursor to send.
    fn set_cursor(&mut self, cursor: Self::Cursor);
    /// The cursor of the next page, from an answer.
    fn next_cursor(response: &Self::Response) -> Option<&Self::Cursor>;
    /// The items of a page.
    fn into_items(response: Self::Response) -> Vec<Self::Item>;
    /// Sets the page size to its documented maximum when it is unset.
    fn fill_page_size(&mut self) {}
}

/// The pages of a paged endpoint, fetched one call at a time as they are read.
///
/// ```no_run
/// # async fn demo(client: live_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let mut rooms = client.get_room_list_pages(live_api::GetRoomList::new("", 20));
/// while let Some(room) = rooms.try_next().await? {
///     println!("{:?}", room.room_id);
/// }
/// # Ok(()) }
/// ```
pub struct Pages<E: Paginated> {
    client: Client,
    next: Option<E>,
    buffer: VecDeque<E::Item>,
    pages: usize,
}

impl<E: Paginated> std::fmt::Debug for Pages<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("endpoint", &E::META.path)
            .field("pages_fetched", &self.pages)
            .field("buffered", &self.buffer.len())
            .field("done", &self.next.is_none())
            .finish()
    }
}

impl<E: Paginated> Pages<E> {
    pub(crate) fn new(client: Client, mut first: E) -> Self {
        first.fill_page_size();
        Pages { client, next: Some(first), buffer: VecDeque::new(), pages: 0 }
    }

    /// The next page's items, or `None` after the last page.
    pub async fn next_page(&mut self) -> Result<Option<Vec<E::Item>>, Error<E::Code>> {
        let Some(request) = self.next.take() else { return Ok(None) };
        let mut following = request.clone();
        let response = self.client.call(request).await?;
        self.pages += 1;
        let sent = following.cursor().cloned();
        let next = E::next_cursor(&response).cloned();
        let items = E::into_items(response);
        match next {
            Some(c) if !c.is_end() && Some(&c) != sent.as_ref() && !items.is_empty() => {
                following.set_cursor(c);
                self.next = Some(following);
            }
            _ => self.next = None,
        }
        Ok(Some(items))
    }

    /// The next item, fetching pages as needed; `None` after the last item.
    pub async fn try_next(&mut self) -> Result<Option<E::Item>, Error<E::Code>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Ok(Some(item));
            }
            match self.next_page().await? {
                Some(items) => self.buffer.extend(items),
                None => return Ok(None),
            }
        }
    }

    /// Every remaining item.
    pub async fn collect_all(mut self) -> Result<Vec<E::Item>, Error<E::Code>> {
        let mut all: Vec<E::Item> = self.buffer.drain(..).collect();
        while let Some(items) = self.next_page().await? {
            all.extend(items);
        }
        Ok(all)
    }

    /// How many pages were fetched so far.
    pub fn pages_fetched(&self) -> usize {
        self.pages
    }
}

impl Client {
    /// Walks the pages of a paged endpoint, starting with `first` (its cursor as the first page
    /// wants it, usually empty). Every generated `<method>_pages` is this.
    pub fn pages<E: Paginated>(&self, first: E) -> Pages<E> {
        Pages::new(self.clone(), first)
    }
}
