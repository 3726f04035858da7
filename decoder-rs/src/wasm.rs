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

// ---------------------------------------------------------------------------
// NetCDF / HDF5. A handle holds the loaded blocks of one file and its parsed
// metadata. Any call may fail with `need|offset|length`: the caller loads
// those bytes with `add` and calls again.

use crate::hdf5::io::{Limits, Source};
use crate::netcdf::{self, NcFile, Place, StringKind};

fn need_or(src: &Source, e: DecodeError) -> JsError {
    match src.missing() {
        Some((o, n)) => JsError::new(&format!("need|{}|{}", o, n)),
        None => js_error(e),
    }
}

fn whole(x: f64, what: &str) -> Result<u64, JsError> {
    if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= 9_007_199_254_740_991.0 {
        Ok(x as u64)
    } else {
        Err(arg_error(&format!("{} must be a whole number", what)))
    }
}

/// An open NetCDF file: loaded blocks and parsed metadata.
#[wasm_bindgen(js_name = NetcdfHandle)]
pub struct NetcdfHandle {
    src: Source,
    file: Option<NcFile>,
}

#[wasm_bindgen(js_class = NetcdfHandle)]
impl NetcdfHandle {
    /// A handle for a file of `len` bytes, nothing loaded yet.
    #[wasm_bindgen(constructor)]
    pub fn new(len: f64) -> Result<NetcdfHandle, JsError> {
        Ok(NetcdfHandle {
            src: Source::sparse(whole(len, "file length")?),
            file: None,
        })
    }

    /// Loads `bytes` at `offset`.
    pub fn add(&mut self, offset: f64, bytes: &[u8]) -> Result<(), JsError> {
        self.src.add(whole(offset, "offset")?, bytes.to_vec());
        Ok(())
    }

    /// Parses the metadata (packed as `netcdf::encode` describes).
    pub fn parse(&mut self) -> Result<Vec<u8>, JsError> {
        self.src.reset_missing();
        let f = netcdf::open(&self.src).map_err(|e| need_or(&self.src, e))?;
        let out = netcdf::encode(&f);
        self.file = Some(f);
        Ok(out)
    }

    fn storage(&self, id: u32) -> Result<&netcdf::Storage, JsError> {
        self.file
            .as_ref()
            .and_then(|f| f.storage.get(id as usize))
            .ok_or_else(|| arg_error("no such variable"))
    }

    /// `[kind, elem, be, strings, addr, size, recSize, nFilters, filter…]`,
    /// then per filter `nParams, param…` (its client data); kind 0 empty,
    /// 1 contiguous, 2 compact, 3 chunked; strings 0 none, 1 fixed,
    /// 2 variable-length.
    pub fn layout(&self, id: u32) -> Result<Vec<f64>, JsError> {
        let s = self.storage(id)?;
        if let Place::Invalid(e) = &s.place {
            return Err(js_error(e.clone()));
        }
        let strings = match s.strings {
            StringKind::None => 0.0,
            StringKind::Fixed => 1.0,
            StringKind::Vlen => 2.0,
        };
        let mut out = vec![
            0.0,
            s.elem as f64,
            s.be as u8 as f64,
            strings,
            0.0,
            0.0,
            0.0,
            0.0,
        ];
        match &s.place {
            Place::Empty | Place::Invalid(_) => {}
            Place::Contiguous {
                addr,
                size,
                rec_size,
            } => {
                out[0] = 1.0;
                out[4] = *addr as f64;
                out[5] = *size as f64;
                out[6] = *rec_size as f64;
            }
            Place::Compact(b) => {
                out[0] = 2.0;
                out[5] = b.len() as f64;
            }
            Place::Chunked { filters, .. } => {
                out[0] = 3.0;
                out[7] = filters.len() as f64;
                out.extend(filters.iter().map(|f| f.id as f64));
                for f in filters {
                    out.push(f.params.len() as f64);
                    out.extend(f.params.iter().map(|&p| p as f64));
                }
            }
        }
        Ok(out)
    }

    /// The variable's extent as stored (its HDF5 dataspace): shorter than its
    /// shape along an unlimited dimension it was not written to the end of.
    pub fn extent(&self, id: u32) -> Result<Vec<f64>, JsError> {
        Ok(self.storage(id)?.shape.iter().map(|&x| x as f64).collect())
    }

    /// The fill value bytes (file byte order), empty when undefined.
    pub fn fill(&self, id: u32) -> Result<Vec<u8>, JsError> {
        Ok(self.storage(id)?.fill.clone().unwrap_or_default())
    }

    /// The bytes of a compact variable.
    pub fn compact(&self, id: u32) -> Result<Vec<u8>, JsError> {
        match &self.storage(id)?.place {
            Place::Compact(b) => Ok(b.clone()),
            _ => Ok(Vec::new()),
        }
    }

    /// The chunks touching the box: `rank` offsets, address, size and
    /// filter mask per chunk.
    pub fn chunks(&mut self, id: u32, start: &[f64], count: &[f64]) -> Result<Vec<f64>, JsError> {
        self.src.reset_missing();
        let s = start
            .iter()
            .map(|&x| whole(x, "start"))
            .collect::<Result<Vec<_>, _>>()?;
        let c = count
            .iter()
            .map(|&x| whole(x, "count"))
            .collect::<Result<Vec<_>, _>>()?;
        let rank = s.len();
        let file = self.file.as_mut().ok_or_else(|| arg_error("not parsed"))?;
        let list = file
            .chunks(&self.src, id as usize, &s, &c)
            .map_err(|e| need_or(&self.src, e))?;
        let mut out = Vec::with_capacity(list.len() * (rank + 3));
        for r in list {
            out.extend(r.offset.iter().take(rank).map(|&x| x as f64));
            out.push(r.addr as f64);
            out.push(r.size as f64);
            out.push(r.mask as f64);
        }
        Ok(out)
    }

    /// Resolves variable-length string elements: `u32 n`, `n + 1` u32
    /// offsets, then the UTF-8 bytes.
    #[wasm_bindgen(js_name = vlenStrings)]
    pub fn vlen_strings(&self, data: &[u8]) -> Result<Vec<u8>, JsError> {
        self.src.reset_missing();
        let g = self
            .file
            .as_ref()
            .and_then(|f| f.geometry)
            .ok_or_else(|| arg_error("not a NetCDF-4 file"))?;
        let h = crate::hdf5::Hdf5 {
            src: &self.src,
            g,
            limits: Limits::for_file_size(self.src.len()),
        };
        let s = netcdf::nc4::vlen_strings(&h, data, 0).map_err(|e| need_or(&self.src, e))?;
        let mut out = Vec::new();
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        let mut off = 0u32;
        out.extend_from_slice(&off.to_le_bytes());
        for x in &s {
            off += x.len() as u32;
            out.extend_from_slice(&off.to_le_bytes());
        }
        for x in &s {
            out.extend_from_slice(x.as_bytes());
        }
        Ok(out)
    }
}

/// Inflates a zlib stream (the in-wasm fallback), at most `max` bytes.
#[wasm_bindgen(js_name = inflateZlib)]
pub fn inflate_zlib(data: &[u8], size: f64, max: f64) -> Result<Vec<u8>, JsError> {
    // Sizes past the 32-bit address space would wrap in `as usize`.
    let max32 = |x: u64| -> Result<usize, JsError> {
        usize::try_from(x).map_err(|_| {
            js_error(DecodeError::LimitExceeded {
                reason: format!("inflated size {} exceeds wasm memory", x),
                byte_offset: 0,
            })
        })
    };
    let size = max32(whole(size, "size")?)?;
    let max = max32(whole(max, "max")?)?;
    crate::inflate::zlib_decompress(data, size, max, 0).map_err(js_error)
}

/// Undoes one HDF5 filter on a chunk: `params` are the filter's client data
/// (cd_values), `expect` the chunk's declared size, which caps the output.
#[wasm_bindgen(js_name = unfilter)]
pub fn unfilter(
    data: &[u8],
    filter: u16,
    elem: usize,
    expect: f64,
    params: &[u32],
) -> Result<Vec<u8>, JsError> {
    let expect = whole(expect, "expect")?;
    netcdf::read::unfilter_one(data, filter, params, elem, expect as usize, expect, 0)
        .map_err(js_error)
}
