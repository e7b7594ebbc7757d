import { Init1733000000000 } from './1733000000000-init';

/** Every migration, oldest first. Both databases run the same list. */
export const MIGRATIONS = [Init1733000000000];
