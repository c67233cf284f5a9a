import { setupServices } from '@granary/services/vitest-setup';

// Starts (or health-checks) the real servers before any test file runs; a missing prerequisite fails loudly
// with what to install. Services are left running for the other packages' tests.
export default setupServices(['redis', 'redis-cluster', 'toxiproxy']);
