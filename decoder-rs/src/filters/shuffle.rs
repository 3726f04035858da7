//! The HDF5 shuffle filter (2): the bytes of each element are stored as
//! `width` planes, byte `k` of every element in plane `k`. Undoing it can
//! reverse each element's bytes in the same pass ([`unshuffle_into`]), so a
//! big-endian chunk lands in native order with one write per element.

/// Undoes the shuffle: `out[i*w + k] = data[k*n + i]`. Trailing bytes that do
/// not fill an element stay in place.
pub fn unshuffle(data: &[u8], width: usize) -> Vec<u8> {
    let mut out = vec![0u8; data.len()];
    unshuffle_into(data, width, false, &mut out);
    out
}

/// Undoes the shuffle of `data` into `out` (of the same length), reversing
/// the bytes of each `width`-byte element when `swap` (big-endian to native
/// order). Trailing bytes that do not fill an element are copied as they are.
///
/// # Panics
/// When `out` is not as long as `data`.
pub fn unshuffle_into(data: &[u8], width: usize, swap: bool, out: &mut [u8]) {
    assert_eq!(data.len(), out.len(), "unshuffle_into: lengths differ");
    if width <= 1 || data.len() < width {
        out.copy_from_slice(data);
        return;
    }
    let n = data.len() / width;
    let tail = n * width;
    match (width, swap) {
        (2, _) => planes2(data, n, swap, &mut out[..tail]),
        (4, _) => planes4(data, n, swap, &mut out[..tail]),
        (8, _) => planes8(data, n, swap, &mut out[..tail]),
        _ => {
            for k in 0..width {
                let dst = if swap { width - 1 - k } else { k };
                let plane = &data[k * n..(k + 1) * n];
                for (i, &b) in plane.iter().enumerate() {
                    out[i * width + dst] = b;
                }
            }
        }
    }
    out[tail..].copy_from_slice(&data[tail..]);
}

fn planes2(data: &[u8], n: usize, swap: bool, out: &mut [u8]) {
    let from = simd::planes(data, n, 2, swap, out);
    let (p0, p1) = (&data[..n], &data[n..2 * n]);
    for (i, o) in out.chunks_exact_mut(2).enumerate().skip(from) {
        let v = [p0[i], p1[i]];
        o.copy_from_slice(&if swap { [v[1], v[0]] } else { v });
    }
}

fn planes4(data: &[u8], n: usize, swap: bool, out: &mut [u8]) {
    let from = simd::planes(data, n, 4, swap, out);
    let p = [
        &data[..n],
        &data[n..2 * n],
        &data[2 * n..3 * n],
        &data[3 * n..4 * n],
    ];
    for (i, o) in out.chunks_exact_mut(4).enumerate().skip(from) {
        // Byte k of the stored element is p[k][i]: as a big-endian word.
        let v = u32::from_be_bytes([p[0][i], p[1][i], p[2][i], p[3][i]]);
        o.copy_from_slice(&if swap {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        });
    }
}

fn planes8(data: &[u8], n: usize, swap: bool, out: &mut [u8]) {
    let from = simd::planes(data, n, 8, swap, out);
    let p = [
        &data[..n],
        &data[n..2 * n],
        &data[2 * n..3 * n],
        &data[3 * n..4 * n],
        &data[4 * n..5 * n],
        &data[5 * n..6 * n],
        &data[6 * n..7 * n],
        &data[7 * n..8 * n],
    ];
    for (i, o) in out.chunks_exact_mut(8).enumerate().skip(from) {
        let v = u64::from_be_bytes([
            p[0][i], p[1][i], p[2][i], p[3][i], p[4][i], p[5][i], p[6][i], p[7][i],
        ]);
        o.copy_from_slice(&if swap {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        });
    }
}

/// The simd128 kernel: 16 elements at a time, interleaving the planes'
/// bytes, then 16-bit and 32-bit lanes (with the planes taken in reverse
/// for a swap). Answers how many leading elements it wrote; the scalar
/// loops do the rest.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use core::arch::wasm32::*;

    #[inline(always)]
    fn lo8(a: v128, b: v128) -> v128 {
        i8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(a, b)
    }
    #[inline(always)]
    fn hi8(a: v128, b: v128) -> v128 {
        i8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(a, b)
    }
    #[inline(always)]
    fn lo16(a: v128, b: v128) -> v128 {
        u16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(a, b)
    }
    #[inline(always)]
    fn hi16(a: v128, b: v128) -> v128 {
        u16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(a, b)
    }
    #[inline(always)]
    fn lo32(a: v128, b: v128) -> v128 {
        u32x4_shuffle::<0, 4, 1, 5>(a, b)
    }
    #[inline(always)]
    fn hi32(a: v128, b: v128) -> v128 {
        u32x4_shuffle::<2, 6, 3, 7>(a, b)
    }

    pub fn planes(data: &[u8], n: usize, width: usize, swap: bool, out: &mut [u8]) -> usize {
        assert!(data.len() >= n * width && out.len() >= n * width);
        let blocks = n / 16;
        // Byte j of an element comes from plane j (plane width - 1 - j swapped).
        let mut at = [0usize; 8];
        for (j, a) in at.iter_mut().enumerate().take(width) {
            *a = if swap { width - 1 - j } else { j } * n;
        }
        let src = data.as_ptr();
        let dst = out.as_mut_ptr();
        for blk in 0..blocks {
            let i = blk * 16;
            // SAFETY: at[j] + i + 16 <= width * n <= data.len() and
            // width * (i + 16) <= out.len() (asserted above); v128
            // loads and stores allow unaligned addresses.
            unsafe {
                let ld = |j: usize| v128_load(src.add(at[j] + i) as *const v128);
                let st =
                    |k: usize, v: v128| v128_store(dst.add(width * i + 16 * k) as *mut v128, v);
                match width {
                    2 => {
                        let (a0, a1) = (ld(0), ld(1));
                        st(0, lo8(a0, a1));
                        st(1, hi8(a0, a1));
                    }
                    4 => {
                        let (a0, a1, a2, a3) = (ld(0), ld(1), ld(2), ld(3));
                        let (b0, b1) = (lo8(a0, a1), hi8(a0, a1));
                        let (b2, b3) = (lo8(a2, a3), hi8(a2, a3));
                        st(0, lo16(b0, b2));
                        st(1, hi16(b0, b2));
                        st(2, lo16(b1, b3));
                        st(3, hi16(b1, b3));
                    }
                    _ => {
                        let (a0, a1, a2, a3) = (ld(0), ld(1), ld(2), ld(3));
                        let (a4, a5, a6, a7) = (ld(4), ld(5), ld(6), ld(7));
                        let (b0, b1) = (lo8(a0, a1), hi8(a0, a1));
                        let (b2, b3) = (lo8(a2, a3), hi8(a2, a3));
                        let (b4, b5) = (lo8(a4, a5), hi8(a4, a5));
                        let (b6, b7) = (lo8(a6, a7), hi8(a6, a7));
                        // Elements 0-3, 4-7, 8-11, 12-15: bytes 0-3, then 4-7.
                        let (c0, c1) = (lo16(b0, b2), hi16(b0, b2));
                        let (c2, c3) = (lo16(b1, b3), hi16(b1, b3));
                        let (c4, c5) = (lo16(b4, b6), hi16(b4, b6));
                        let (c6, c7) = (lo16(b5, b7), hi16(b5, b7));
                        st(0, lo32(c0, c4));
                        st(1, hi32(c0, c4));
                        st(2, lo32(c1, c5));
                        st(3, hi32(c1, c5));
                        st(4, lo32(c2, c6));
                        st(5, hi32(c2, c6));
                        st(6, lo32(c3, c7));
                        st(7, hi32(c3, c7));
                    }
                }
            }
        }
        blocks * 16
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod simd {
    pub fn planes(_: &[u8], _: usize, _: usize, _: bool, _: &mut [u8]) -> usize {
        0
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Shuffles as libhdf5 does, to test the inverse against.
    pub(crate) fn shuffle(data: &[u8], w: usize) -> Vec<u8> {
        let n = data.len() / w;
        let mut out = data.to_vec();
        for i in 0..n {
            for k in 0..w {
                out[k * n + i] = data[i * w + k];
            }
        }
        out
    }

    #[test]
    fn unshuffle_inverts_shuffle_for_every_width_with_a_tail() {
        for w in [1usize, 2, 3, 4, 8, 12] {
            for n in [0usize, 1, 5, 17] {
                let data: Vec<u8> = (0..n * w + 3).map(|i| (i * 7 + 1) as u8).collect();
                assert_eq!(
                    unshuffle(&shuffle(&data, w), w),
                    data,
                    "width {} n {}",
                    w,
                    n
                );
            }
        }
    }

    #[test]
    fn unshuffle_into_with_swap_reverses_each_element() {
        for w in [2usize, 3, 4, 8] {
            let data: Vec<u8> = (0..w * 9 + 1).map(|i| (i * 13 + 5) as u8).collect();
            let mut want = data.clone();
            for e in want[..w * 9].chunks_exact_mut(w) {
                e.reverse();
            }
            let mut out = vec![0u8; data.len()];
            unshuffle_into(&shuffle(&data, w), w, true, &mut out);
            assert_eq!(out, want, "width {}", w);
        }
    }

    #[test]
    fn big_endian_doubles_come_out_native() {
        let xs = [1.5f64, -2.25, 1e-30, f64::MAX];
        let be: Vec<u8> = xs.iter().flat_map(|x| x.to_be_bytes()).collect();
        let mut out = vec![0u8; be.len()];
        unshuffle_into(&shuffle(&be, 8), 8, true, &mut out);
        let back: Vec<f64> = out
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        assert_eq!(back, xs);
    }
}
