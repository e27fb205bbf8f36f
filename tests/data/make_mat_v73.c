// SPDX-License-Identifier: Apache-2.0
// Writes tests/data/linkx/mat_v73.mat (checked in; h5py is not in the bench venv), a MAT-file of version 7.3 (HDF5), with libmatio:
//   cc make_mat_v73.c $(pkg-config --cflags --libs matio) -o make_mat_v73 && ./make_mat_v73 OUT
// Variables: a (3 x 4 double, element k = k in column-major order), i (1 x 3 int32: -1 2 3),
// word (char 'hello'), S (5 x 4 sparse double as mat_sparse.mat's S).
#include <matio.h>
#include <stdio.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  mat_t* mat = Mat_CreateVer(argv[1], NULL, MAT_FT_MAT73);
  if (mat == NULL) return 1;
  double a[12];
  for (int k = 0; k < 12; ++k) a[k] = k;
  size_t dims[2] = {3, 4};
  matvar_t* v = Mat_VarCreate("a", MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims, a, 0);
  Mat_VarWrite(mat, v, MAT_COMPRESSION_NONE);
  Mat_VarFree(v);
  int i[3] = {-1, 2, 3};
  size_t idims[2] = {1, 3};
  v = Mat_VarCreate("i", MAT_C_INT32, MAT_T_INT32, 2, idims, i, 0);
  Mat_VarWrite(mat, v, MAT_COMPRESSION_ZLIB);
  Mat_VarFree(v);
  char word[] = "hello";
  size_t wdims[2] = {1, 5};
  v = Mat_VarCreate("word", MAT_C_CHAR, MAT_T_UTF8, 2, wdims, word, 0);
  Mat_VarWrite(mat, v, MAT_COMPRESSION_NONE);
  Mat_VarFree(v);
  mat_uint32_t ir[5] = {0, 3, 1, 4, 2};
  mat_uint32_t jc[5] = {0, 2, 2, 4, 5};
  double pr[5] = {1.5, -2.0, 3.0, 4.25, 5.0};
  mat_sparse_t sp = {5, ir, 5, jc, 5, 5, pr};
  size_t sdims[2] = {5, 4};
  v = Mat_VarCreate("S", MAT_C_SPARSE, MAT_T_DOUBLE, 2, sdims, &sp, MAT_F_DONT_COPY_DATA);
  Mat_VarWrite(mat, v, MAT_COMPRESSION_NONE);
  Mat_VarFree(v);
  return Mat_Close(mat);
}
