//! The wasm-bindgen boundary of the NetCDF / HDF5 reader (feature
//! `netcdf`; the full wasm, which `src/_wasm/decoder.ts` loads on the first
//! NetCDF read). A NetCDF parse that needs more of the file throws a
//! [`NeedBytes`]; a variable's storage crosses as a [`VarLayout`], a read
//! plan as a [`ReadPlan`]; failures as the `WasmError` of `wasm.rs`.

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

/// The read plan of a box of a chunked variable (one entry per chunk it
/// touches) and the decoder of its chunks: [`ReadPlan::decode`] undoes what
/// is left of a chunk's filter pipeline and writes the chunk, byte-swapped
/// in the same pass, into a staging buffer the caller copies it out of.
#[wasm_bindgen]
pub struct ReadPlan {
    plan: netcdf::plan::ChunkPlan,
    filters: Vec<crate::hdf5::messages::Filter>,
    elem: usize,
    swap: bool,
    staging: Vec<u8>,
    /// A deflated chunk's bytes before its shuffle is undone, reused.
    scratch: Vec<u8>,
}

#[wasm_bindgen]
impl ReadPlan {
    /// How many chunks the read touches.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.plan.chunks.len()
    }

    /// File offset of each chunk's stored bytes.
    #[wasm_bindgen(getter)]
    pub fn addrs(&self) -> Vec<f64> {
        self.plan.chunks.iter().map(|c| c.addr as f64).collect()
    }

    /// Stored (filtered) size of each chunk in bytes.
    #[wasm_bindgen(getter)]
    pub fn sizes(&self) -> Vec<f64> {
        self.plan.chunks.iter().map(|c| c.size as f64).collect()
    }

    /// Each chunk's filter mask: bit `i` set when filter `i` was skipped.
    #[wasm_bindgen(getter)]
    pub fn masks(&self) -> Vec<u32> {
        self.plan.chunks.iter().map(|c| c.mask).collect()
    }

    /// Where each chunk starts in the result (elements) when it fills one
    /// run of it, else -1.
    #[wasm_bindgen(getter)]
    pub fn runs(&self) -> Vec<f64> {
        self.plan
            .chunks
            .iter()
            .map(|c| c.run.map_or(-1.0, |r| r as f64))
            .collect()
    }

    /// Per chunk, `3 × rank` numbers: the corner of the part read in the
    /// chunk, where it lands in the result, and its size.
    #[wasm_bindgen(getter)]
    pub fn boxes(&self) -> Vec<f64> {
        let mut out = Vec::new();
        for c in &self.plan.chunks {
            for v in [&c.from, &c.to, &c.count] {
                out.extend(v.iter().map(|&x| x as f64));
            }
        }
        out
    }

    /// The chunk shape.
    #[wasm_bindgen(getter)]
    pub fn chunk(&self) -> Vec<f64> {
        self.plan.chunk.iter().map(|&x| x as f64).collect()
    }

    /// Whether some of the result lies in no chunk (it shows the fill value).
    #[wasm_bindgen(getter, js_name = needsFill)]
    pub fn needs_fill(&self) -> bool {
        self.plan.needs_fill
    }

    /// Decodes chunk `k` from `data`, its stored bytes with filters
    /// `steps..` already undone by the caller, into the staging buffer
    /// (the chunk's decoded size, at [`ReadPlan::staging`]).
    pub fn decode(&mut self, k: usize, data: &[u8], steps: usize) -> Result<(), JsValue> {
        let c = self
            .plan
            .chunks
            .get(k)
            .ok_or_else(|| arg_error("no such chunk"))?;
        crate::filters::pipeline::unfilter_into(
            data,
            &self.filters,
            c.mask,
            steps,
            self.elem,
            self.swap,
            &mut self.staging,
            &mut self.scratch,
            c.addr,
        )
        .map_err(js_error)
    }

    /// The address of the staging buffer in wasm memory.
    #[wasm_bindgen(getter)]
    pub fn staging(&self) -> usize {
        self.staging.as_ptr() as usize
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
                StringKind::Tree => "tree",
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

    /// The read plan of the box `start`/`count` of a chunked variable;
    /// `swap`: whether decoded chunks are byte-swapped to native order.
    pub fn plan(
        &mut self,
        id: u32,
        start: &[f64],
        count: &[f64],
        swap: bool,
    ) -> Result<ReadPlan, JsValue> {
        self.src.reset_missing();
        let s = start
            .iter()
            .map(|&x| whole(x, "start"))
            .collect::<Result<Vec<_>, _>>()?;
        let c = count
            .iter()
            .map(|&x| whole(x, "count"))
            .collect::<Result<Vec<_>, _>>()?;
        let file = self.file.as_mut().ok_or_else(|| arg_error("not parsed"))?;
        let plan = file
            .plan(&self.src, id as usize, &s, &c)
            .map_err(|e| need_or(&self.src, e))?;
        let st = &file.storage[id as usize];
        let filters = match &st.place {
            Place::Chunked { filters, .. } => filters.clone(),
            _ => Vec::new(),
        };
        let elem = st.elem as usize;
        let cbytes = plan
            .chunk
            .iter()
            .try_fold(st.elem, |a, &x| a.checked_mul(x))
            .and_then(|b| usize::try_from(b).ok())
            .ok_or_else(|| {
                js_error(DecodeError::LimitExceeded {
                    reason: "chunk size exceeds wasm memory".into(),
                    byte_offset: 0,
                })
            })?;
        let mut staging = Vec::new();
        if staging.try_reserve_exact(cbytes).is_err() {
            return Err(js_error(DecodeError::LimitExceeded {
                reason: format!("cannot allocate {} bytes for a chunk", cbytes),
                byte_offset: 0,
            }));
        }
        staging.resize(cbytes, 0);
        Ok(ReadPlan {
            plan,
            filters,
            elem,
            swap: swap && matches!(elem, 2 | 4 | 8),
            staging,
            scratch: Vec::new(),
        })
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

#[wasm_bindgen(js_class = NetcdfHandle)]
impl NetcdfHandle {
    /// Decodes `data`, the stored elements of variable `id` (a variable
    /// whose layout says `strings: "tree"`), into a column packed by
    /// [`crate::hdf5::values::encode`]: at most `max` bytes of values.
    #[wasm_bindgen(js_name = decodeValues)]
    pub fn decode_values(&self, id: u32, data: &[u8], max: f64) -> Result<Vec<u8>, JsValue> {
        self.src.reset_missing();
        let max = whole(max, "max")?;
        let file = self
            .file
            .as_ref()
            .ok_or_else(|| arg_error("the file is not parsed"))?;
        let g = file
            .geometry
            .ok_or_else(|| arg_error("not a NetCDF-4 file"))?;
        let dtype = file
            .storage
            .get(id as usize)
            .and_then(|s| s.tree.as_ref())
            .ok_or_else(|| arg_error("not a variable of variable-length or compound values"))?;
        let h = crate::hdf5::Hdf5 {
            src: &self.src,
            g,
            limits: Limits::for_file_size(self.src.len()),
        };
        let size = dtype.size().max(1) as usize;
        // parsing heap collections counts against the same bound as the values
        let mut heap = crate::hdf5::values::HeapCache::new(max);
        let mut budget = crate::hdf5::values::Budget::new(max);
        let col = crate::hdf5::values::decode(
            &h,
            &mut heap,
            dtype,
            data,
            data.len() / size,
            &mut budget,
            0,
        )
        .map_err(|e| need_or(&self.src, e))?;
        let mut out = Vec::new();
        crate::hdf5::values::encode(&col, &mut out);
        Ok(out)
    }
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
    crate::filters::pipeline::unfilter_one(data, filter, params, elem, expect as usize, expect, 0)
        .map_err(js_error)
}
