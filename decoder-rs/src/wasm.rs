//! The wasm-bindgen boundary: the only file that knows about JavaScript.
//!
//! Bytes in, typed arrays out. Bulk data never crosses as JS values: the
//! caller copies blocks into a staging buffer it allocated here, calls
//! [`swap`], and copies the native-order bytes out. Everything else crosses
//! as typed objects with getters: failures as a thrown [`WasmError`].
//! `src/_wasm/decoder.ts` turns a `WasmError` into the client's typed errors.
//! This file is the boundary of the small cpb build (no default features);
//! the NetCDF / HDF5 calls are in `wasm_netcdf.rs` (feature `netcdf`).

use wasm_bindgen::prelude::*;

use crate::strings::parse_dictionary;
use crate::swap::{swap_in_place, SIMD};
use crate::DecodeError;

const ALIGN: usize = 16;

/// A failed call, thrown to JavaScript: the [`DecodeError`] kind
/// (`truncated`, `corrupt`, `unsupported`, `limit`, `argument`), the byte
/// offset where it applies (if any) and the message.
#[wasm_bindgen]
pub struct WasmError {
    kind: &'static str,
    offset: Option<f64>,
    message: String,
}

#[wasm_bindgen]
impl WasmError {
    /// `truncated`, `corrupt`, `unsupported`, `limit` or `argument`.
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        self.kind.into()
    }

    /// The byte offset in the input where the error applies, if any.
    #[wasm_bindgen(getter)]
    pub fn offset(&self) -> Option<f64> {
        self.offset
    }

    /// The message.
    #[wasm_bindgen(getter)]
    pub fn message(&self) -> String {
        self.message.clone()
    }
}

pub(crate) fn js_error(e: DecodeError) -> JsValue {
    WasmError {
        kind: e.kind(),
        offset: e.byte_offset().map(|o| o as f64),
        message: e.to_string(),
    }
    .into()
}

pub(crate) fn arg_error(reason: &str) -> JsValue {
    js_error(DecodeError::InvalidArgument(reason.into()))
}

/// The module's linear memory, for views over staging buffers.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Whether this build swaps with the simd128 kernel.
#[wasm_bindgen(js_name = simdEnabled)]
pub fn simd_enabled() -> bool {
    SIMD
}

/// Allocates `len` bytes (16-byte aligned) and returns their address.
#[wasm_bindgen]
pub fn alloc(len: usize) -> Result<usize, JsValue> {
    let layout = std::alloc::Layout::from_size_align(len.max(1), ALIGN)
        .map_err(|_| arg_error("allocation size overflows"))?;
    // SAFETY: the layout has a non-zero size.
    let ptr = unsafe { std::alloc::alloc(layout) };
    if ptr.is_null() {
        return Err(js_error(DecodeError::LimitExceeded {
            reason: format!("cannot allocate {} bytes of wasm memory", len),
            byte_offset: 0,
        }));
    }
    Ok(ptr as usize)
}

/// Frees what [`alloc`] returned for the same `len`.
#[wasm_bindgen]
pub fn dealloc(ptr: usize, len: usize) {
    if ptr == 0 {
        return;
    }
    if let Ok(layout) = std::alloc::Layout::from_size_align(len.max(1), ALIGN) {
        // SAFETY: `ptr` came from `alloc(len)` (the TypeScript side owns it).
        unsafe { std::alloc::dealloc(ptr as *mut u8, layout) }
    }
}

/// Swaps the `width`-byte elements of `len` bytes at `ptr` from big-endian
/// to native order, in place.
#[wasm_bindgen]
pub fn swap(ptr: usize, len: usize, width: usize) -> Result<(), JsValue> {
    let memory_len = core::arch::wasm32::memory_size(0) * 65536;
    match ptr.checked_add(len) {
        Some(end) if ptr != 0 && end <= memory_len => {}
        _ => return Err(arg_error("region is outside wasm memory")),
    }
    // SAFETY: the region lies inside linear memory (checked above) and the
    // caller allocated it with `alloc`; nothing else holds a reference to it.
    let buf = unsafe { core::slice::from_raw_parts_mut(ptr as *mut u8, len) };
    swap_in_place(buf, width).map_err(js_error)
}

/// Strings packed as UTF-8 bytes plus `count + 1` offsets: a `.cpb` string
/// dictionary, or the variable-length strings of a NetCDF-4 variable.
#[wasm_bindgen]
pub struct StringDictionary {
    pub(crate) utf8: Vec<u8>,
    pub(crate) offsets: Vec<u32>,
}

#[wasm_bindgen]
impl StringDictionary {
    /// All strings, UTF-8, concatenated.
    #[wasm_bindgen(getter)]
    pub fn utf8(&self) -> Vec<u8> {
        self.utf8.clone()
    }

    /// String `i` spans `utf8[offsets[i]..offsets[i + 1]]`.
    #[wasm_bindgen(getter)]
    pub fn offsets(&self) -> Vec<u32> {
        self.offsets.clone()
    }
}

/// Parses the string dictionary that ends a `.cpb` file. `base` is its
/// offset in the file, for error messages.
#[wasm_bindgen(js_name = stringDictionary)]
pub fn string_dictionary(bytes: &[u8], base: f64) -> Result<StringDictionary, JsValue> {
    let d = parse_dictionary(bytes, base.max(0.0) as u64).map_err(js_error)?;
    Ok(StringDictionary {
        utf8: d.utf8,
        offsets: d.offsets,
    })
}
