import { setupServices } from '@granary/services/vitest-setup';

// A missing Toxiproxy (Go, to build it) is a loud failure naming what to install, never a skip. The setup also
// exports GRANARY_TOXIPROXY_URL, which the Toxiproxy helpers read as their default.
export default setupServices(['toxiproxy']);
