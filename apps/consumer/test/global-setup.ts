import { setupServices } from '@granary/services/vitest-setup';

export default setupServices(['kafka', 'redis']);
