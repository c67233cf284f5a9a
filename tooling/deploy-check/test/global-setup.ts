import { setupServices } from '@granary/services/vitest-setup';

// The bundles boot against a real Redis and Kafka (a missing prerequisite fails loudly).
export default setupServices(['redis', 'kafka']);
