import { setupServices } from '@granary/services/vitest-setup';
import { STORE_MATRIX_SERVICES } from '@granary/store-matrix';

// Every store of the shared matrix answers before any test file runs; a missing prerequisite fails loudly.
export default setupServices(STORE_MATRIX_SERVICES);
