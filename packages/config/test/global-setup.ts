import { setupServices } from '@granary/services/vitest-setup';
import { STORE_MATRIX_SERVICES } from '@granary/store-matrix';

// createStoreFromConfig is tested against every real store (a missing prerequisite fails loudly).
export default setupServices([...STORE_MATRIX_SERVICES, 'kafka']);
