//! What each SchAcc answer means, from its status and the few JSON fields the
//! protocol defines (the shell reads them out of the parsed body).

use super::error::{Message, SdkError};
use super::raw::Raw;
use super::session::{Session, UserId};

/// Answers larger than this are refused: no protocol answer comes near it.
/// The shell stops reading the body at this many bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Whether a `Content-Type` is JSON's (`application/json`, parameters
/// allowed). Every protocol answer is JSON: anything else is not read.
pub fn is_json_media_type(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|value| {
        // By byte: a `char` search would link `memchr` for this one use.
        let value = value.as_bytes();
        let end = value
            .iter()
            .position(|&byte| byte == b';')
            .unwrap_or(value.len());
        value
            .get(..end)
            .unwrap_or_default()
            .trim_ascii()
            .eq_ignore_ascii_case(b"application/json")
    })
}

#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// A JSON object, with the fields the protocol uses.
    Object(Fields),
    /// Valid JSON that is not an object (array, string, number, null).
    NotObject,
    /// Not JSON, or not labelled `application/json`.
    NotJson,
    TooLarge,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fields {
    pub result: Raw,
    pub user_id: Raw,
    pub user_status: Raw,
    /// `error.type`
    pub error_type: Raw,
    pub code: Raw,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Body,
}

impl Reply {
    fn fields(&self) -> Result<&Fields, SdkError> {
        match &self.body {
            Body::Object(fields) => Ok(fields),
            Body::NotObject => Err(SdkError::invalid_response(self.status, Message::WrongShape)),
            Body::NotJson => Err(SdkError::invalid_response(self.status, Message::NotJson)),
            Body::TooLarge => Err(SdkError::invalid_response(self.status, Message::TooLarge)),
        }
    }
}

fn wrong_shape(status: u16) -> SdkError {
    SdkError::invalid_response(status, Message::WrongShape)
}

/// Where a session service's answer sends the page to renew its cookie, if
/// it is one: a `200` JSON object whose only key (`keys`: how many it has)
/// is `redirectURL`, a string (as given: the shell resolves it against
/// `sessionDomain`).
pub fn renewal<'a>(reply: &Reply, redirect_url: &'a Raw, keys: u32) -> Option<&'a str> {
    match (&reply.body, redirect_url) {
        (Body::Object(_), Raw::Text(url)) if reply.status == 200 && keys == 1 => Some(url),
        _ => None,
    }
}

/// `GET /ajax/hasSession.json`: 200 is a session, 401 `UserException` is
/// "logged out" (not an error); anything else is an error.
pub fn has_session(reply: &Reply) -> Result<Session, SdkError> {
    match reply.status {
        200 => {
            let fields = reply.fields()?;
            let status = match &fields.user_status {
                Raw::Text(status) => status.clone(),
                _ => return Err(wrong_shape(200)),
            };
            let user = match (&fields.result, &fields.user_id) {
                (Raw::Bool(true), Raw::Number(id)) if id.is_finite() => UserId::Number(*id),
                (Raw::Bool(true), Raw::Text(id)) if !id.is_empty() => UserId::Text(id.clone()),
                // A server may also say "no session" with a 200.
                (Raw::Bool(false), _) => return Ok(Session { user: None, status }),
                _ => return Err(wrong_shape(200)),
            };
            Ok(Session {
                user: Some(user),
                status,
            })
        }
        401 => match reply.fields() {
            Ok(fields) if fields.error_type == Raw::Text("UserException".into()) => Ok(Session {
                user: None,
                status: match &fields.user_status {
                    Raw::Text(status) => status.clone(),
                    _ => "notConnected".into(),
                },
            }),
            // SPiD 2.x's session cluster's "cannot tell": no answer either way (2.x asked again).
            Ok(fields) if fields.error_type == Raw::Text("LoginException".into()) => {
                Err(SdkError {
                    message: Message::LoginException,
                    ..SdkError::http(401)
                })
            }
            _ => Err(SdkError::http(401)),
        },
        status => Err(SdkError::http(status)),
    }
}

/// `GET /ajax/logout.json`: `Ok(true)` when the server deleted a session,
/// `Ok(false)` when it found none (`no_session`: maybe the cookie was withheld).
pub fn logout(reply: &Reply) -> Result<bool, SdkError> {
    if reply.status != 200 {
        return Err(SdkError::http(reply.status));
    }
    match reply.fields()?.result {
        Raw::Bool(confirmed) => Ok(confirmed),
        _ => Err(wrong_shape(200)),
    }
}

/// `GET /api/2/logout`: `{"code":200,"data":"OK"}` means the token is revoked.
pub fn api_logout(reply: &Reply) -> Result<(), SdkError> {
    if reply.status != 200 {
        return Err(SdkError::http(reply.status));
    }
    match reply.fields()?.code {
        Raw::Number(200.0) => Ok(()),
        _ => Err(wrong_shape(200)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn fields() -> Fields {
        Fields {
            result: Raw::Absent,
            user_id: Raw::Absent,
            user_status: Raw::Absent,
            error_type: Raw::Absent,
            code: Raw::Absent,
        }
    }

    fn reply(status: u16, fields: Fields) -> Reply {
        Reply {
            status,
            body: Body::Object(fields),
        }
    }

    #[test]
    fn a_login_exception_is_an_http_401_of_its_own() {
        let reply = Reply {
            status: 401,
            body: Body::Object(Fields {
                error_type: Raw::Text("LoginException".into()),
                ..fields()
            }),
        };
        let error = has_session(&reply).unwrap_err();
        assert_eq!(
            (error.code, error.status, error.message),
            (ErrorCode::Http, Some(401), Message::LoginException)
        );
    }

    #[test]
    fn a_renewal_is_a_200_whose_only_key_is_redirect_url() {
        let reply = |status| Reply {
            status,
            body: Body::Object(fields()),
        };
        let target = Raw::Text("/v2/refresh".into());
        assert_eq!(renewal(&reply(200), &target, 1), Some("/v2/refresh"));
        assert_eq!(renewal(&reply(200), &target, 2), None, "not its only key");
        assert_eq!(renewal(&reply(401), &target, 1), None);
        assert_eq!(renewal(&reply(200), &Raw::Number(1.0), 1), None);
        let not_json = Reply {
            status: 200,
            body: Body::NotJson,
        };
        assert_eq!(renewal(&not_json, &target, 1), None);
    }

    #[test]
    fn json_media_types() {
        for json in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
            " application/json ;x=1",
        ] {
            assert!(is_json_media_type(Some(json)), "{json}");
        }
        for other in [
            "text/html",
            "text/plain",
            "application/jsonp",
            "application/json-seq",
            "",
            "json",
            "application/problem+json",
        ] {
            assert!(!is_json_media_type(Some(other)), "{other}");
        }
        assert!(!is_json_media_type(None));
    }

    #[test]
    fn has_session_logged_in() {
        let f = Fields {
            result: Raw::Bool(true),
            user_id: Raw::Number(1001.0),
            user_status: Raw::Text("connected".into()),
            ..fields()
        };
        let session = has_session(&reply(200, f)).unwrap();
        assert_eq!(session.user, Some(UserId::Number(1001.0)));
        assert_eq!(session.status, "connected");
    }

    #[test]
    fn has_session_401_user_exception_is_logged_out() {
        let f = Fields {
            result: Raw::Bool(false),
            user_status: Raw::Text("notConnected".into()),
            error_type: Raw::Text("UserException".into()),
            ..fields()
        };
        assert_eq!(has_session(&reply(401, f)).unwrap(), Session::logged_out());
        assert_eq!(
            has_session(&reply(401, fields())).unwrap_err(),
            SdkError::http(401)
        );
    }

    #[test]
    fn has_session_errors() {
        assert_eq!(
            has_session(&reply(500, fields())).unwrap_err().code,
            ErrorCode::Http
        );
        assert_eq!(
            has_session(&reply(500, fields())).unwrap_err().status,
            Some(500)
        );
        assert_eq!(
            has_session(&reply(200, fields())).unwrap_err().code,
            ErrorCode::InvalidResponse
        );
        let no_user = Fields {
            result: Raw::Bool(true),
            user_status: Raw::Text("connected".into()),
            ..fields()
        };
        assert_eq!(
            has_session(&reply(200, no_user)).unwrap_err().code,
            ErrorCode::InvalidResponse
        );
        for body in [Body::NotJson, Body::NotObject, Body::TooLarge] {
            assert_eq!(
                has_session(&Reply { status: 200, body }).unwrap_err().code,
                ErrorCode::InvalidResponse
            );
        }
    }

    #[test]
    fn logout_replies() {
        let confirmed = Fields {
            result: Raw::Bool(true),
            ..fields()
        };
        let no_session = Fields {
            result: Raw::Bool(false),
            ..fields()
        };
        assert_eq!(logout(&reply(200, confirmed)), Ok(true));
        assert_eq!(logout(&reply(200, no_session)), Ok(false));
        assert_eq!(
            logout(&reply(200, fields())).unwrap_err().code,
            ErrorCode::InvalidResponse
        );
        assert_eq!(logout(&reply(502, fields())).unwrap_err().status, Some(502));
    }

    #[test]
    fn api_logout_replies() {
        let ok = Fields {
            code: Raw::Number(200.0),
            ..fields()
        };
        assert_eq!(api_logout(&reply(200, ok)), Ok(()));
        assert_eq!(
            api_logout(&reply(200, fields())).unwrap_err().code,
            ErrorCode::InvalidResponse
        );
        assert_eq!(
            api_logout(&reply(401, fields())).unwrap_err(),
            SdkError::http(401)
        );
    }
}
