//! Target `response`: how SchAcc's answers are classified.

use schacc_core::config::Fallback;
use schacc_core::error::{ErrorCode, SdkError};
use schacc_core::fallback::{self, Fetched};
use schacc_core::raw::Raw;
use schacc_core::response::{self, Body, Fields, Reply};
use schacc_core::session::UserId;

use crate::input::Input;

fn fields(input: &mut Input) -> Fields {
    Fields {
        result: input.raw(),
        user_id: input.raw(),
        user_status: input.raw(),
        error_type: match input.byte() % 4 {
            0 => Raw::Text("UserException".into()),
            1 => Raw::Text("OAuthException".into()),
            _ => input.raw(),
        },
        code: input.raw(),
    }
}

/// How SchAcc's answers are classified.
pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let status = match input.byte() % 4 {
        0 => 200,
        1 => 401,
        _ => u16::from_le_bytes([input.byte(), input.byte()]),
    };
    let body = match input.byte() % 8 {
        0 => Body::NotObject,
        1 => Body::NotJson,
        2 => Body::TooLarge,
        _ => Body::Object(fields(&mut input)),
    };
    let reply = Reply {
        status,
        body: body.clone(),
    };
    let object = match &body {
        Body::Object(fields) => Some(fields),
        _ => None,
    };

    // Every failure is `http` (with the status) or `invalid_response`, and
    // leaves it unknown whether the session survived.
    let check_error = |error: &SdkError| {
        assert!(
            matches!(error.code, ErrorCode::Http | ErrorCode::InvalidResponse),
            "{error:?}"
        );
        assert_eq!(error.status, Some(status));
        if error.code == ErrorCode::Http {
            assert_ne!(status, 200, "a 200 is never an http error");
        } else {
            assert_eq!(status, 200, "only a 200's body is parsed for shape");
        }
        // Under 'auto' any such failure leaves the session unproven: finish by redirect.
        let decision = fallback::decide(Fallback::Auto, false, false, Fetched::Failed);
        assert!(decision.redirect);
    };

    // A renewal is only ever a 200 object's whose only key is a string redirectURL.
    let target = input.raw();
    let keys = u32::from(input.byte() % 3);
    match response::renewal(&reply, &target, keys) {
        Some(url) => {
            assert_eq!((status, keys), (200, 1));
            assert!(object.is_some());
            assert_eq!(target, Raw::Text(url.to_owned()));
        }
        None => assert!(
            status != 200 || keys != 1 || object.is_none() || !matches!(target, Raw::Text(_))
        ),
    }

    match response::has_session(&reply) {
        Ok(session) => match status {
            200 => {
                let fields = object.expect("a session comes from an object");
                assert_eq!(fields.user_status, Raw::Text(session.status.clone()));
                match &session.user {
                    Some(UserId::Number(id)) => {
                        assert!(id.is_finite());
                        assert_eq!(fields.result, Raw::Bool(true));
                        assert_eq!(fields.user_id, Raw::Number(*id));
                    }
                    Some(UserId::Text(id)) => {
                        assert!(!id.is_empty());
                        assert_eq!(fields.result, Raw::Bool(true));
                        assert_eq!(fields.user_id, Raw::Text(id.clone()));
                    }
                    Some(UserId::Unknown) => panic!("a server answer named no user"),
                    None => assert_eq!(fields.result, Raw::Bool(false)),
                }
            }
            401 => {
                let fields = object.expect("a 401 session comes from an object");
                assert_eq!(fields.error_type, Raw::Text("UserException".into()));
                assert_eq!(session.user, None, "a 401 never logs anyone in");
            }
            other => panic!("status {other} gave a session"),
        },
        Err(error) => {
            check_error(&error);
            if status == 401 {
                assert!(
                    !matches!(object, Some(f) if f.error_type == Raw::Text("UserException".into()))
                );
            }
        }
    }

    match response::logout(&reply) {
        Ok(confirmed) => {
            assert_eq!(status, 200);
            assert_eq!(object.expect("object").result, Raw::Bool(confirmed));
        }
        Err(error) => check_error(&error),
    }

    match response::api_logout(&reply) {
        Ok(()) => {
            assert_eq!(status, 200);
            assert_eq!(object.expect("object").code, Raw::Number(200.0));
        }
        Err(error) => check_error(&error),
    }
}
