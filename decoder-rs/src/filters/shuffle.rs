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
    let (p0, p1) = (&data[..n], &data[n..2 * n]);
    for (i, o) in out.chunks_exact_mut(2).enumerate() {
        let v = [p0[i], p1[i]];
        o.copy_from_slice(&if swap { [v[1], v[0]] } else { v });
    }
}

fn planes4(data: &[u8], n: usize, swap: bool, out: &mut [u8]) {
    let p = [
        &data[..n],
        &data[n..2 * n],
        &data[2 * n..3 * n],
        &data[3 * n..4 * n],
    ];
    for (i, o) in out.chunks_exact_mut(4).enumerate() {
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
    for (i, o) in out.chunks_exact_mut(8).enumerate() {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Shuffles as libhdf5 does, to test the inverse against.
    fn shuffle(data: &[u8], w: usize) -> Vec<u8> {
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
