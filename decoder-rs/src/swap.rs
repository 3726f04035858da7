//! Big-endian to little-endian (native on wasm and x86) byte swapping, in
//! place, for elements of 1, 2, 4 or 8 bytes.
//!
//! [`swap_in_place`] picks the simd128 kernel when the crate is compiled for
//! wasm32 with `target-feature=+simd128` and the scalar kernel otherwise;
//! both kernels are public so tests and benchmarks can compare them.

use crate::DecodeError;

/// Reverses the bytes of every `width`-byte element of `buf`.
///
/// `width` must be 1, 2, 4 or 8 and `buf.len()` a multiple of it.
pub fn swap_in_place(buf: &mut [u8], width: usize) -> Result<(), DecodeError> {
    check(buf.len(), width)?;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd128::swap(buf, width);
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        scalar::swap(buf, width);
    }
    Ok(())
}

/// The scalar kernel behind [`swap_in_place`], always available.
pub fn swap_in_place_scalar(buf: &mut [u8], width: usize) -> Result<(), DecodeError> {
    check(buf.len(), width)?;
    scalar::swap(buf, width);
    Ok(())
}

/// Whether [`swap_in_place`] runs the simd128 kernel in this build.
pub const SIMD: bool = cfg!(all(target_arch = "wasm32", target_feature = "simd128"));

fn check(len: usize, width: usize) -> Result<(), DecodeError> {
    if !matches!(width, 1 | 2 | 4 | 8) {
        return Err(DecodeError::InvalidArgument(format!(
            "element width must be 1, 2, 4 or 8, not {}",
            width
        )));
    }
    if len % width != 0 {
        return Err(DecodeError::InvalidArgument(format!(
            "buffer of {} bytes is not a whole number of {}-byte elements",
            len, width
        )));
    }
    Ok(())
}

mod scalar {
    pub fn swap(buf: &mut [u8], width: usize) {
        match width {
            2 => {
                for c in buf.chunks_exact_mut(2) {
                    let v = u16::from_be_bytes([c[0], c[1]]);
                    c.copy_from_slice(&v.to_le_bytes());
                }
            }
            4 => {
                for c in buf.chunks_exact_mut(4) {
                    let v = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
                    c.copy_from_slice(&v.to_le_bytes());
                }
            }
            8 => {
                for c in buf.chunks_exact_mut(8) {
                    let v = u64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
                    c.copy_from_slice(&v.to_le_bytes());
                }
            }
            _ => {}
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use core::arch::wasm32::{i8x16, i8x16_swizzle, v128, v128_load, v128_store};

    /// Swaps 16 bytes at a time with one `i8x16.swizzle`, then finishes the
    /// tail (fewer than 16 bytes, whole elements) with the scalar kernel.
    pub fn swap(buf: &mut [u8], width: usize) {
        let mask: v128 = match width {
            2 => i8x16(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14),
            4 => i8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12),
            8 => i8x16(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8),
            _ => return,
        };
        let blocks = buf.len() / 16;
        let ptr = buf.as_mut_ptr();
        for i in 0..blocks {
            // SAFETY: i * 16 + 16 <= buf.len(); v128_load/store allow
            // unaligned addresses.
            unsafe {
                let p = ptr.add(i * 16) as *mut v128;
                v128_store(p, i8x16_swizzle(v128_load(p), mask));
            }
        }
        super::scalar::swap(&mut buf[blocks * 16..], width);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swap_in_place_reverses_each_element() {
        let mut b = [
            1u8, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
        ];
        swap_in_place(&mut b[..16], 8).unwrap();
        assert_eq!(
            &b[..16],
            &[8, 7, 6, 5, 4, 3, 2, 1, 16, 15, 14, 13, 12, 11, 10, 9]
        );
        swap_in_place(&mut b[16..], 2).unwrap();
        assert_eq!(&b[16..], &[18, 17]);
    }

    #[test]
    fn swap_in_place_turns_big_endian_values_native() {
        let vals: Vec<f64> = (0..37).map(|i| i as f64 * 1.5 - 7.25).collect();
        let mut bytes: Vec<u8> = vals.iter().flat_map(|v| v.to_be_bytes()).collect();
        swap_in_place(&mut bytes, 8).unwrap();
        let back: Vec<f64> = bytes
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        assert_eq!(back, vals);

        let ints: Vec<i32> = (0..19).map(|i| i * -1_000_003).collect();
        let mut bytes: Vec<u8> = ints.iter().flat_map(|v| v.to_be_bytes()).collect();
        swap_in_place(&mut bytes, 4).unwrap();
        let back: Vec<i32> = bytes
            .chunks_exact(4)
            .map(|c| i32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        assert_eq!(back, ints);
    }

    #[test]
    fn swap_in_place_of_width_one_changes_nothing() {
        let mut b = [9u8, 8, 7];
        swap_in_place(&mut b, 1).unwrap();
        assert_eq!(b, [9, 8, 7]);
    }

    #[test]
    fn swap_in_place_rejects_bad_widths_and_partial_elements() {
        let mut b = [0u8; 12];
        assert!(matches!(
            swap_in_place(&mut b, 3),
            Err(DecodeError::InvalidArgument(_))
        ));
        assert!(matches!(
            swap_in_place(&mut b, 0),
            Err(DecodeError::InvalidArgument(_))
        ));
        assert!(matches!(
            swap_in_place(&mut b[..7], 2),
            Err(DecodeError::InvalidArgument(_))
        ));
        assert!(matches!(
            swap_in_place(&mut b[..10], 8),
            Err(DecodeError::InvalidArgument(_))
        ));
    }

    /// Both kernels against an independent reference (reversing each
    /// element). Natively `swap_in_place` *is* the scalar kernel, so the
    /// simd128 kernel, which exists only on wasm32, is checked where it
    /// runs: tests/cpb_swap_test.ts calls the built wasm's `swap` on every
    /// width, tail length and misalignment against the same reference.
    #[test]
    fn swap_kernels_agree_with_reversing_each_element() {
        for width in [2usize, 4, 8] {
            for n in [0usize, 1, 3, 16, 17, 130] {
                let src: Vec<u8> = (0..n * width).map(|i| (i * 31 % 251) as u8).collect();
                let mut expected = src.clone();
                expected.chunks_exact_mut(width).for_each(|c| c.reverse());
                let mut a = src.clone();
                swap_in_place(&mut a, width).unwrap();
                assert_eq!(a, expected);
                let mut b = src.clone();
                swap_in_place_scalar(&mut b, width).unwrap();
                assert_eq!(b, expected);
            }
        }
    }
}
