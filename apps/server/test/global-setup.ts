import { setupServices } from '@granary/services/vitest-setup';

// Starts (or health-checks) Redis before any test file runs; a missing prerequisite fails loudly.
export default setupServices(['redis']);
