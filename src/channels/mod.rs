//! Messaging channels on Meta's official APIs (WhatsApp Cloud API, Messenger and
//! Instagram through the Graph API): the webhook signature check and the reply
//! sender. Pure Rust, no PHP types; `crate::php::channels` is the FFI layer.
mod error;
mod graph;
mod signature;

pub use error::{status_and_code, ChannelError};
pub use graph::{graph_error, http_client, send, Channel, GraphOptions, Outgoing, Sent, DEFAULT_GRAPH_BASE, DEFAULT_GRAPH_VERSION};
pub use signature::verify;

#[cfg(test)]
mod tests;
