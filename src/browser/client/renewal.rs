//! The session service's `{"redirectURL"}`: its first-party cookie needs a
//! top-level visit to be renewed (Safari caps a cookie a fetch set). As
//! account-sdk-browser does, the page goes there — with this SDK's rules:
//! never twice within 5 minutes on a site, the page's hook first, no session
//! event, and never when `sessionRenewal` is off.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::Inner;
use crate::browser::executor::{settled, spawn};
use crate::browser::js;
use crate::browser::page;
use crate::core::error::{ErrorCode, Message, SdkError};
use crate::core::session::renewal_due;
use crate::core::url::BrowserUrl;

impl Inner {
    /// Renews the service's cookie by sending the page to `target` (as the
    /// service gave it, resolved against `sessionDomain`). Always rejects
    /// `session_renewal` with the URL: the page is going there, went there
    /// less than 5 minutes ago, or may not; an unusable target is
    /// `invalid_response`. With a hook, the visit waits for it in a task of
    /// its own (a refused navigation is then `SPiD.error`): awaited here, it
    /// would grow every `hasSession()`'s state machine.
    pub(super) fn renew(self: &Rc<Self>, target: &str) -> Result<JsValue, JsValue> {
        let (page_url, tab_id) = page::page_and_tab();
        let service = self.config.session_domain.as_deref().unwrap_or_default();
        let mut base = String::from(service);
        base.push('/');
        let url = js::read_url_against(target, &base)
            .and_then(|target: BrowserUrl| self.config.renewal_url(&target, &page_url, &tab_id))
            .ok_or_else(|| self.fail(&SdkError::invalid_response(200, Message::WrongShape)))?;
        let refuse = |message| {
            Err(js::to_js_error_with_url(
                &SdkError::new(ErrorCode::SessionRenewal, message),
                &url,
            ))
        };
        if !self.config.session_renewal {
            return refuse(Message::RenewalOff);
        }
        let now = js_sys::Date::now();
        if !renewal_due(page::renewed_at(), now) || !page::record_renewal(now) {
            return refuse(Message::RenewalTooSoon);
        }
        match self.before_renewal.clone() {
            Some(hook) => {
                let (inner, to) = (Rc::clone(self), url.clone());
                spawn(async move {
                    // The page's last word (saving state, telling the user); what it throws or rejects with stops nothing.
                    let _ = settled(js::call_safely(
                        &hook,
                        &JsValue::from_str(&to),
                        &JsValue::UNDEFINED,
                    ))
                    .await;
                    // Destroyed while the hook ran: no visit.
                    if inner.alive().is_ok() {
                        if let Err(error) = page::go_to(&to) {
                            inner.fail(&error);
                        }
                    }
                });
            }
            None => page::go_to(&url).map_err(|error| self.fail(&error))?,
        }
        refuse(Message::RenewalNavigating)
    }
}
