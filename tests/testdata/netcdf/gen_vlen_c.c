/*
 * Writes, with the HDF5 C library itself, what h5py will not write
 * (gen_vlen.py compiles and runs this; expected values come from h5py):
 *
 *   strings_c.h5  HDF5 arrays of strings: fixed-length (H5T_ARRAY of
 *                 4-byte strings) and variable-length (H5T_ARRAY of vlen
 *                 strings), as datasets (contiguous and chunked + deflate)
 *                 and attributes; a sequence of sequences of shorts.
 *   nbit_c.h5     N-bit filter on types of reduced precision, set with
 *                 H5Tset_precision/H5Tset_offset: 12-bit signed and unsigned
 *                 shorts at offset 2, a 20-bit int, and a compound of a
 *                 7-bit byte member and a 12-bit member, chunked with
 *                 partial edge chunks.
 *
 * Usage: gen_vlen_c OUTDIR
 * Build: gcc gen_vlen_c.c -I/usr/include/hdf5/serial -lhdf5_serial
 */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(x)                                                     \
  do {                                                               \
    if ((x) < 0) {                                                   \
      fprintf(stderr, "gen_vlen_c: %s failed at line %d\n", #x, __LINE__); \
      exit(1);                                                       \
    }                                                                \
  } while (0)

static char path[4096];

static const char *in(const char *dir, const char *name) {
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}

static void strings_file(const char *dir) {
  hid_t f = H5Fcreate(in(dir, "strings_c.h5"), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  CHECK(f);
  hsize_t n = 3, two = 2;
  /* 3 elements, each an array of 2 four-byte strings */
  hid_t s4 = H5Tcopy(H5T_C_S1);
  CHECK(H5Tset_size(s4, 4));
  hid_t fixed = H5Tarray_create2(s4, 1, &two);
  const char fdata[3][2][4] = {{"ab", "cdef"}, {"", "x"}, {"yz", "w\0v"}};
  hid_t sp = H5Screate_simple(1, &n, NULL);
  hid_t d = H5Dcreate2(f, "fixed_arr", fixed, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  CHECK(H5Dwrite(d, fixed, H5S_ALL, H5S_ALL, H5P_DEFAULT, fdata));
  H5Dclose(d);
  /* variable-length strings, arrays of 2, chunked and deflated */
  hid_t vs = H5Tcopy(H5T_C_S1);
  CHECK(H5Tset_size(vs, H5T_VARIABLE));
  CHECK(H5Tset_cset(vs, H5T_CSET_UTF8));
  hid_t varr = H5Tarray_create2(vs, 1, &two);
  const char *vdata[3][2] = {{"one", "two"}, {"", "h\xc3\xa9llo"}, {"a longer string here", "z"}};
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  hsize_t ch = 2;
  CHECK(H5Pset_chunk(dcpl, 1, &ch));
  CHECK(H5Pset_deflate(dcpl, 4));
  d = H5Dcreate2(f, "vlen_arr", varr, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  CHECK(H5Dwrite(d, varr, H5S_ALL, H5S_ALL, H5P_DEFAULT, vdata));
  /* the same as attributes */
  hid_t asp = H5Screate_simple(1, &two, NULL);
  hid_t a = H5Acreate2(d, "fixed_arr_attr", fixed, asp, H5P_DEFAULT, H5P_DEFAULT);
  CHECK(H5Awrite(a, fixed, fdata));
  H5Aclose(a);
  a = H5Acreate2(d, "vlen_arr_attr", varr, asp, H5P_DEFAULT, H5P_DEFAULT);
  CHECK(H5Awrite(a, varr, vdata));
  H5Aclose(a);
  H5Dclose(d);
  /* 2-D of arrays of 2 x 2 fixed strings */
  hsize_t dims2[2] = {2, 2}, inner[2] = {2, 2};
  hid_t s3 = H5Tcopy(H5T_C_S1);
  CHECK(H5Tset_size(s3, 3));
  hid_t arr2 = H5Tarray_create2(s3, 2, inner);
  char d2[2][2][2][2][3];
  for (int i = 0; i < 16; i++) snprintf(((char(*)[3])d2)[i], 3, "%c%d", 'a' + i % 26, i % 10);
  hid_t sp2 = H5Screate_simple(2, dims2, NULL);
  d = H5Dcreate2(f, "fixed_arr2d", arr2, sp2, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  CHECK(H5Dwrite(d, arr2, H5S_ALL, H5S_ALL, H5P_DEFAULT, d2));
  H5Dclose(d);
  /* a sequence of sequences of shorts */
  hid_t vs16 = H5Tvlen_create(H5T_STD_I16LE);
  hid_t vv = H5Tvlen_create(vs16);
  short a0[] = {1, 2, 3}, a1[] = {-4}, a2[] = {5, 6};
  hvl_t inner0[2] = {{3, a0}, {0, NULL}}, inner1[2] = {{1, a1}, {2, a2}};
  hvl_t outer[2] = {{2, inner0}, {2, inner1}};
  hid_t sp3 = H5Screate_simple(1, &two, NULL);
  d = H5Dcreate2(f, "vlen_vlen", vv, sp3, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  CHECK(H5Dwrite(d, vv, H5S_ALL, H5S_ALL, H5P_DEFAULT, outer));
  H5Dclose(d);
  H5Fclose(f);
}

static void nbit_file(const char *dir) {
  hid_t f = H5Fcreate(in(dir, "nbit_c.h5"), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  CHECK(f);
  enum { N = 1000 };
  hsize_t n = N, ch = 300; /* partial edge chunk */
  hid_t sp = H5Screate_simple(1, &n, NULL);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  CHECK(H5Pset_chunk(dcpl, 1, &ch));
  CHECK(H5Pset_nbit(dcpl));
  /* 12-bit signed short at bit offset 2 (libhdf5 converts values to the
     12-bit range [-2048, 2048) and stores them in bits 2 to 13), little- and
     big-endian */
  short s[N];
  for (int i = 0; i < N; i++) s[i] = (short)((i * 37) % 4096 - 2048);
  hid_t t = H5Tcopy(H5T_STD_I16LE);
  CHECK(H5Tset_precision(t, 12));
  CHECK(H5Tset_offset(t, 2));
  hid_t d = H5Dcreate2(f, "s12_off2", t, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  CHECK(H5Dwrite(d, H5T_NATIVE_SHORT, H5S_ALL, H5S_ALL, H5P_DEFAULT, s));
  H5Dclose(d);
  H5Tclose(t);
  t = H5Tcopy(H5T_STD_I16BE);
  CHECK(H5Tset_precision(t, 12));
  CHECK(H5Tset_offset(t, 2));
  d = H5Dcreate2(f, "s12_off2_be", t, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  CHECK(H5Dwrite(d, H5T_NATIVE_SHORT, H5S_ALL, H5S_ALL, H5P_DEFAULT, s));
  H5Dclose(d);
  H5Tclose(t);
  /* 12-bit unsigned short at offset 0 */
  unsigned short u[N];
  for (int i = 0; i < N; i++) u[i] = (unsigned short)((i * 53) % 4096);
  t = H5Tcopy(H5T_STD_U16LE);
  CHECK(H5Tset_precision(t, 12));
  d = H5Dcreate2(f, "u12", t, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  CHECK(H5Dwrite(d, H5T_NATIVE_USHORT, H5S_ALL, H5S_ALL, H5P_DEFAULT, u));
  H5Dclose(d);
  H5Tclose(t);
  /* 20-bit int at offset 5 */
  int w[N];
  for (int i = 0; i < N; i++) w[i] = (i * 7919) % (1 << 20) - (1 << 19);
  t = H5Tcopy(H5T_STD_I32LE);
  CHECK(H5Tset_precision(t, 20));
  CHECK(H5Tset_offset(t, 5));
  d = H5Dcreate2(f, "i20_off5", t, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  CHECK(H5Dwrite(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, w));
  H5Dclose(d);
  H5Tclose(t);
  /* a compound: a 7-bit unsigned byte and a 12-bit short at offset 3 */
  typedef struct {
    unsigned char b;
    short s;
  } rec;
  rec r[N];
  for (int i = 0; i < N; i++) {
    r[i].b = (unsigned char)(i % 128);
    r[i].s = (short)((i * 11) % 4096 - 2048);
  }
  hid_t tb = H5Tcopy(H5T_STD_U8LE);
  CHECK(H5Tset_precision(tb, 7));
  hid_t ts = H5Tcopy(H5T_STD_I16LE);
  CHECK(H5Tset_precision(ts, 12));
  CHECK(H5Tset_offset(ts, 3));
  hid_t ft = H5Tcreate(H5T_COMPOUND, 3);
  CHECK(H5Tinsert(ft, "b", 0, tb));
  CHECK(H5Tinsert(ft, "s", 1, ts));
  hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(rec));
  CHECK(H5Tinsert(mt, "b", HOFFSET(rec, b), H5T_NATIVE_UCHAR));
  CHECK(H5Tinsert(mt, "s", HOFFSET(rec, s), H5T_NATIVE_SHORT));
  d = H5Dcreate2(f, "compound_7_12", ft, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  CHECK(H5Dwrite(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, r));
  H5Dclose(d);
  H5Fclose(f);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: gen_vlen_c OUTDIR\n");
    return 2;
  }
  strings_file(argv[1]);
  nbit_file(argv[1]);
  return 0;
}
