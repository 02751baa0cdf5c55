//! The SchAcc wire protocol of `docs/PROTOCOL.md`, one module per family of
//! endpoints. Each adds its handlers to [`crate::app::App`].

pub(crate) mod ajax;
mod api;
pub(crate) mod authorize;
mod logout_page;
mod session_service;
