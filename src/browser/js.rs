//! Small conversions between JS values and the core's types.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::config::Raw;
use crate::core::error::SdkError;

thread_local! {
    /// The `SdkError` class of the package's loader, so errors made here are
    /// `instanceof SdkError` in the page.
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

pub fn set_error_class(class: Function) {
    ERROR_CLASS.with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = Some(class);
        }
    });
}

/// An `SdkError` instance: `name`, `message`, `code`, and `status` when known.
pub fn to_js_error(error: &SdkError) -> JsValue {
    let code = JsValue::from_str(error.code.as_str());
    let message = JsValue::from_str(error.message);
    let status = error.status.map_or(JsValue::UNDEFINED, JsValue::from);
    let class = ERROR_CLASS.with(|slot| slot.try_borrow().ok().and_then(|class| class.clone()));
    if let Some(class) = class {
        if let Ok(instance) = Reflect::construct(&class, &Array::of3(&code, &message, &status)) {
            return instance;
        }
    }
    // Without the loader (e.g. in the shell's own tests): a plain Error with the same fields.
    let instance: JsValue = js_sys::Error::new(error.message).into();
    set(&instance, "name", &JsValue::from_str("SdkError"));
    set(&instance, "code", &code);
    if error.status.is_some() {
        set(&instance, "status", &status);
    }
    instance
}

/// Reads `object[key]`; a throwing getter reads as `Raw::Other`.
pub fn field(object: &JsValue, key: &str) -> Raw {
    match Reflect::get(object, &JsValue::from_str(key)) {
        Ok(value) => raw(&value),
        Err(_) => Raw::Other,
    }
}

pub fn raw(value: &JsValue) -> Raw {
    if value.is_undefined() || value.is_null() {
        Raw::Absent
    } else if let Some(text) = value.as_string() {
        Raw::Text(text)
    } else if let Some(number) = value.as_f64() {
        Raw::Number(number)
    } else if let Some(flag) = value.as_bool() {
        Raw::Bool(flag)
    } else {
        Raw::Other
    }
}

pub fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn set(object: &JsValue, key: &str, value: &JsValue) {
    // Only fails on frozen objects or proxies; our objects are neither.
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

/// A plain (non-array, non-null) object: what options arguments must be.
pub fn is_plain_object(value: &JsValue) -> bool {
    value.is_object() && !Array::is_array(value) && !value.is_function()
}

/// A fresh frozen object: `{ ...base, result: false, userStatus: status, userId: null }`.
pub fn no_user_object(base: Option<&JsValue>, status: &str) -> JsValue {
    let object = Object::new();
    if let Some(base) = base.filter(|base| is_plain_object(base)) {
        Object::assign(&object, &Object::from(base.clone()));
    }
    set(&object, "result", &JsValue::FALSE);
    set(&object, "userStatus", &JsValue::from_str(status));
    set(&object, "userId", &JsValue::NULL);
    Object::freeze(&object).into()
}

/// Freezes a session object the server sent, adding `userId: null` if absent.
pub fn frozen_session(object: JsValue) -> JsValue {
    if get(&object, "userId").is_undefined() {
        set(&object, "userId", &JsValue::NULL);
    }
    Object::freeze(&Object::from(object)).into()
}

pub fn console_error(message: &str, detail: &JsValue) {
    web_sys::console::error_2(&JsValue::from_str(message), detail);
}
