import { setupServices } from '@granary/services/vitest-setup';

// A missing Cassandra or Toxiproxy (JDK 17, mvn, go) is a loud failure naming what to install, never a skip.
export default setupServices(['cassandra', 'toxiproxy']);
