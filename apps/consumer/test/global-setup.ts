import { setupServices } from '@granary/services/vitest-setup';
import { STORE_MATRIX_SERVICES } from '@granary/store-matrix';

// Kafka, every store of the shared matrix, and Toxiproxy for the fault tests (a missing prerequisite fails
// loudly).
export default setupServices(['kafka', ...STORE_MATRIX_SERVICES, 'toxiproxy']);
