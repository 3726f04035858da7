//! The wasm-bindgen boundary of the NetCDF / HDF5 reader (feature
//! `netcdf`; the full wasm, which `src/_wasm/decoder.ts` loads on the first
//! NetCDF read). A NetCDF parse that needs more of the file throws a
//! [`NeedBytes`]; a variable's storage crosses as a [`VarLayout`], a chunk
//! list as a [`ChunkList`]; failures as the `WasmError` of `wasm.rs`.

use wasm_bindgen::prelude::*;

use crate::hdf5::io::{Limits, Source};
use crate::netcdf::{self, NcFile, Place, StringKind};
use crate::wasm::{arg_error, js_error, StringDictionary};
use crate::DecodeError;

/// Thrown by a NetCDF call that needs bytes not loaded yet: the caller loads
/// `length` bytes at `offset` with [`NetcdfHandle::add`] and calls again.
#[wasm_bindgen]
pub struct NeedBytes {
    offset: f64,
    length: f64,
}

#[wasm_bindgen]
impl NeedBytes {
    /// Where the missing bytes start in the file.
    #[wasm_bindgen(getter)]
    pub fn offset(&self) -> f64 {
        self.offset
    }

    /// How many bytes are missing.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> f64 {
        self.length
    }
}

// A handle holds the loaded blocks of one file and its parsed
// metadata. Any call may throw a [`NeedBytes`]: the caller loads those
// bytes with `add` and calls again.

fn need_or(src: &Source, e: DecodeError) -> JsValue {
    match src.missing() {
        Some((o, n)) => NeedBytes {
            offset: o as f64,
            length: n as f64,
        }
        .into(),
        None => js_error(e),
    }
}

fn whole(x: f64, what: &str) -> Result<u64, JsValue> {
    if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= 9_007_199_254_740_991.0 {
        Ok(x as u64)
    } else {
        Err(arg_error(&format!("{} must be a whole number", what)))
    }
}

/// Where and how a variable's values are stored.
#[wasm_bindgen]
pub struct VarLayout {
    kind: &'static str,
    elem: u32,
    be: bool,
    strings: &'static str,
    addr: f64,
    size: f64,
    rec_size: f64,
    filters: Vec<u32>,
    params: Vec<Vec<u32>>,
}

#[wasm_bindgen]
impl VarLayout {
    /// `empty` (never written), `contiguous`, `compact` or `chunked`.
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        self.kind.into()
    }

    /// Bytes per element as stored.
    #[wasm_bindgen(getter)]
    pub fn elem(&self) -> u32 {
        self.elem
    }

    /// Whether elements are stored big-endian.
    #[wasm_bindgen(getter)]
    pub fn be(&self) -> bool {
        self.be
    }

    /// `none`, `fixed` (fixed-length strings) or `vlen` (variable-length).
    #[wasm_bindgen(getter)]
    pub fn strings(&self) -> String {
        self.strings.into()
    }

    /// Contiguous: the file offset of the data.
    #[wasm_bindgen(getter)]
    pub fn addr(&self) -> f64 {
        self.addr
    }

    /// Contiguous: bytes stored; compact: bytes held in the header.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> f64 {
        self.size
    }

    /// Contiguous record variables of NetCDF-3: bytes per record (else 0).
    #[wasm_bindgen(getter, js_name = recSize)]
    pub fn rec_size(&self) -> f64 {
        self.rec_size
    }

    /// Chunked: the HDF5 filter ids of the pipeline, in write order.
    #[wasm_bindgen(getter)]
    pub fn filters(&self) -> Vec<u32> {
        self.filters.clone()
    }

    /// Chunked: the client data (cd_values) of filter `i`.
    pub fn params(&self, i: usize) -> Vec<u32> {
        self.params.get(i).cloned().unwrap_or_default()
    }
}

/// The chunks of a variable touching a box, one entry per chunk.
#[wasm_bindgen]
pub struct ChunkList {
    offsets: Vec<f64>,
    addrs: Vec<f64>,
    sizes: Vec<f64>,
    masks: Vec<u32>,
}

#[wasm_bindgen]
impl ChunkList {
    /// Chunk `k`'s element offsets along each of the `rank` dimensions:
    /// `offsets[k * rank + i]`.
    #[wasm_bindgen(getter)]
    pub fn offsets(&self) -> Vec<f64> {
        self.offsets.clone()
    }

    /// File offset of each chunk's stored bytes.
    #[wasm_bindgen(getter)]
    pub fn addrs(&self) -> Vec<f64> {
        self.addrs.clone()
    }

    /// Stored (filtered) size of each chunk in bytes.
    #[wasm_bindgen(getter)]
    pub fn sizes(&self) -> Vec<f64> {
        self.sizes.clone()
    }

    /// Each chunk's filter mask: bit `i` set when filter `i` was skipped.
    #[wasm_bindgen(getter)]
    pub fn masks(&self) -> Vec<u32> {
        self.masks.clone()
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
    pub fn new(len: f64) -> Result<NetcdfHandle, JsValue> {
        Ok(NetcdfHandle {
            src: Source::sparse(whole(len, "file length")?),
            file: None,
        })
    }

    /// Loads `bytes` at `offset`.
    pub fn add(&mut self, offset: f64, bytes: &[u8]) -> Result<(), JsValue> {
        self.src.add(whole(offset, "offset")?, bytes.to_vec());
        Ok(())
    }

    /// Parses the metadata (packed as `netcdf::encode` describes).
    pub fn parse(&mut self) -> Result<Vec<u8>, JsValue> {
        self.src.reset_missing();
        let f = netcdf::open(&self.src).map_err(|e| need_or(&self.src, e))?;
        let out = netcdf::encode(&f);
        self.file = Some(f);
        Ok(out)
    }

    fn storage(&self, id: u32) -> Result<&netcdf::Storage, JsValue> {
        self.file
            .as_ref()
            .and_then(|f| f.storage.get(id as usize))
            .ok_or_else(|| arg_error("no such variable"))
    }

    /// Where and how the variable's values are stored.
    pub fn layout(&self, id: u32) -> Result<VarLayout, JsValue> {
        let s = self.storage(id)?;
        let mut l = VarLayout {
            kind: "empty",
            elem: s.elem as u32,
            be: s.be,
            strings: match s.strings {
                StringKind::None => "none",
                StringKind::Fixed => "fixed",
                StringKind::Vlen => "vlen",
            },
            addr: 0.0,
            size: 0.0,
            rec_size: 0.0,
            filters: Vec::new(),
            params: Vec::new(),
        };
        match &s.place {
            Place::Invalid(e) => return Err(js_error(e.clone())),
            Place::Empty => {}
            Place::Contiguous {
                addr,
                size,
                rec_size,
            } => {
                l.kind = "contiguous";
                l.addr = *addr as f64;
                l.size = *size as f64;
                l.rec_size = *rec_size as f64;
            }
            Place::Compact(b) => {
                l.kind = "compact";
                l.size = b.len() as f64;
            }
            Place::Chunked { filters, .. } => {
                l.kind = "chunked";
                l.filters = filters.iter().map(|f| f.id as u32).collect();
                l.params = filters.iter().map(|f| f.params.clone()).collect();
            }
        }
        Ok(l)
    }

    /// The variable's extent as stored (its HDF5 dataspace): shorter than its
    /// shape along an unlimited dimension it was not written to the end of.
    pub fn extent(&self, id: u32) -> Result<Vec<f64>, JsValue> {
        Ok(self.storage(id)?.shape.iter().map(|&x| x as f64).collect())
    }

    /// The fill value bytes (file byte order), empty when undefined.
    pub fn fill(&self, id: u32) -> Result<Vec<u8>, JsValue> {
        Ok(self.storage(id)?.fill.clone().unwrap_or_default())
    }

    /// The bytes of a compact variable.
    pub fn compact(&self, id: u32) -> Result<Vec<u8>, JsValue> {
        match &self.storage(id)?.place {
            Place::Compact(b) => Ok(b.clone()),
            _ => Ok(Vec::new()),
        }
    }

    /// The chunks touching the box.
    pub fn chunks(&mut self, id: u32, start: &[f64], count: &[f64]) -> Result<ChunkList, JsValue> {
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
        let mut out = ChunkList {
            offsets: Vec::with_capacity(list.len() * rank),
            addrs: Vec::with_capacity(list.len()),
            sizes: Vec::with_capacity(list.len()),
            masks: Vec::with_capacity(list.len()),
        };
        for r in list {
            out.offsets
                .extend(r.offset.iter().take(rank).map(|&x| x as f64));
            out.addrs.push(r.addr as f64);
            out.sizes.push(r.size as f64);
            out.masks.push(r.mask);
        }
        Ok(out)
    }

    /// Resolves variable-length string elements (their global heap
    /// references in `data`) into strings, packed as a [`StringDictionary`].
    #[wasm_bindgen(js_name = vlenStrings)]
    pub fn vlen_strings(&self, data: &[u8]) -> Result<StringDictionary, JsValue> {
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
        let mut offsets = Vec::with_capacity(s.len() + 1);
        let mut utf8 = Vec::new();
        offsets.push(0u32);
        for x in &s {
            utf8.extend_from_slice(x.as_bytes());
            offsets.push(utf8.len() as u32);
        }
        Ok(StringDictionary { utf8, offsets })
    }
}

/// Inflates a zlib stream (for runtimes without a native zlib), at most
/// `max` bytes.
#[wasm_bindgen(js_name = inflateZlib)]
pub fn inflate_zlib(data: &[u8], size: f64, max: f64) -> Result<Vec<u8>, JsValue> {
    // Sizes past the 32-bit address space would wrap in `as usize`.
    let max32 = |x: u64| -> Result<usize, JsValue> {
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
) -> Result<Vec<u8>, JsValue> {
    let expect = whole(expect, "expect")?;
    netcdf::read::unfilter_one(data, filter, params, elem, expect as usize, expect, 0)
        .map_err(js_error)
}
