export { STORE_MATRIX_SERVICES, type StoreMatrixEntry, storeMatrix } from './store-matrix.ts';
