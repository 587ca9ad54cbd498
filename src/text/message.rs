//! Messages: the words of explanations as keys with named arguments, one
//! `static` per message in [`msg`]. What a message says in a language is
//! the locale's (`crate::locale`); an explanation holds only the key.

use std::fmt;

pub mod msg;

/// A message's definition, whatever its number of arguments: its key in
/// the locale files and the names of its arguments, in order.
#[derive(PartialEq, Eq, Hash)]
pub struct MessageDef {
    index: u16,
    key: &'static str,
    args: &'static [&'static str],
}

impl MessageDef {
    /// The message's key in the locale files: `times-grade`.
    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The message's place in the catalogue (key order).
    pub(crate) fn index(&self) -> usize {
        usize::from(self.index)
    }

    /// The names of the message's arguments, in the order an explanation
    /// holds them.
    pub fn args(&self) -> &'static [&'static str] {
        self.args
    }

    /// Every message perfpay's explanations use, in catalogue order.
    pub fn all() -> &'static [&'static MessageDef] {
        &msg::ALL
    }

    /// The message with key `key`, if perfpay has one.
    ///
    /// ```
    /// use perfpay::locale::MessageDef;
    ///
    /// assert_eq!(MessageDef::find("times").map(|m| m.args().len()), Some(0));
    /// assert!(MessageDef::find("no-such-message").is_none());
    /// ```
    pub fn find(key: &str) -> Option<&'static MessageDef> {
        msg::ALL
            .binary_search_by(|m| m.key.cmp(key))
            .ok()
            .and_then(|i| msg::ALL.get(i).copied())
    }
}

impl fmt::Debug for MessageDef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key)
    }
}

/// A message of `N` arguments: one of the `static`s in [`msg`].
///
/// A message without arguments is words on its own (`Term::text(&msg::TIMES)`);
/// one with arguments is given them with
/// [`with`](Message::with): `msg::ACHIEVEMENT_OF.with([Term::text("gmv")])`.
#[repr(transparent)]
pub struct Message<const N: usize>(MessageDef);

impl<const N: usize> Message<N> {
    /// The message at `index` of the catalogue, with `key` and the names of
    /// its `N` arguments.
    const fn new(index: u16, key: &'static str, args: &'static [&'static str; N]) -> Message<N> {
        Message(MessageDef { index, key, args })
    }

    /// The message's definition.
    pub fn def(&'static self) -> &'static MessageDef {
        &self.0
    }

    /// The message's key in the locale files.
    pub fn key(&self) -> &'static str {
        self.0.key
    }
}

impl<const N: usize> fmt::Debug for Message<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.key)
    }
}
