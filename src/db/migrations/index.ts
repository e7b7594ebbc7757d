import { Init1733000000000 } from './1733000000000-init';
import { Counters1733000000001 } from './1733000000001-counters';

/** Every migration, oldest first. Both databases run the same list. */
export const MIGRATIONS = [Init1733000000000, Counters1733000000001];
