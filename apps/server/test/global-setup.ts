import { setupServices } from '@granary/services/vitest-setup';

// Starts (or health-checks) the stores the end-to-end tests use before any test file runs (Cassandra takes
// about 10 s when it is not running yet); a missing prerequisite fails loudly.
export default setupServices(['redis', 'redis-cluster', 'dynalite', 'cassandra', 'toxiproxy', 'kafka']);
