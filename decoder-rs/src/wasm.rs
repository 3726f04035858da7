//! The wasm-bindgen boundary: the only file that knows about JavaScript.
//!
//! Bytes in, typed arrays out. Bulk data never crosses as JS values: the
//! caller copies blocks into a staging buffer it allocated here, calls
//! [`swap`], and copies the native-order bytes out.

use wasm_bindgen::prelude::*;

use crate::cpb::{response_layout, ColType};
use crate::strings::parse_dictionary;
use crate::swap::{swap_in_place, SIMD};
use crate::DecodeError;

const ALIGN: usize = 16;

fn js_error(e: DecodeError) -> JsError {
    let offset = e
        .byte_offset()
        .map(|o| o.to_string())
        .unwrap_or_else(|| "-".into());
    // "kind|offset|message": parsed by src/_wasm_decoder.ts into typed errors.
    JsError::new(&format!("{}|{}|{}", e.kind(), offset, e))
}

fn arg_error(reason: &str) -> JsError {
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
pub fn alloc(len: usize) -> Result<usize, JsError> {
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
pub fn swap(ptr: usize, len: usize, width: usize) -> Result<(), JsError> {
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

/// The layout of a `/cpb` response as `[offset, length]` pairs (bytes), one
/// per requested column, followed by the row count. `types` holds type codes
/// (index in `ColType::ALL`); a negative `slice_offset` means "no slice".
#[wasm_bindgen]
pub fn layout(
    types: &[u8],
    n_rows: f64,
    column_numbers: &[u32],
    slice_offset: f64,
    slice_length: f64,
) -> Result<Vec<f64>, JsError> {
    let schema = types
        .iter()
        .map(|&c| ColType::from_code(c).ok_or_else(|| arg_error("unknown column type code")))
        .collect::<Result<Vec<_>, _>>()?;
    let whole = |x: f64| -> Result<u64, JsError> {
        if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= 9_007_199_254_740_991.0 {
            Ok(x as u64)
        } else {
            Err(arg_error(
                "row counts must be whole numbers from 0 to 2^53 - 1",
            ))
        }
    };
    let slice = if slice_offset < 0.0 {
        None
    } else {
        Some((whole(slice_offset)?, whole(slice_length)?))
    };
    let l = response_layout(&schema, whole(n_rows)?, column_numbers, slice).map_err(js_error)?;
    let mut out = Vec::with_capacity(l.columns.len() * 2 + 1);
    for c in &l.columns {
        out.push(c.byte_offset as f64);
        out.push(c.byte_len as f64);
    }
    out.push(l.rows as f64);
    Ok(out)
}

/// A string dictionary packed as UTF-8 bytes plus `count + 1` offsets.
#[wasm_bindgen]
pub struct StringDictionary {
    utf8: Vec<u8>,
    offsets: Vec<u32>,
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
pub fn string_dictionary(bytes: &[u8], base: f64) -> Result<StringDictionary, JsError> {
    let d = parse_dictionary(bytes, base.max(0.0) as u64).map_err(js_error)?;
    Ok(StringDictionary {
        utf8: d.utf8,
        offsets: d.offsets,
    })
}
