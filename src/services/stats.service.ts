import { BadUserInputError } from '../errors';
import { MAX_PAGE_SIZE } from '../lib/pagination';
import type { LeaderboardQuery, LeaderboardRow, Repositories } from '../repositories';

/** Speaker rankings. Per-speaker statistics are read through the stats loaders. */
export class StatsService {
  constructor(private readonly repos: Repositories) {}

  /**
   * The top `first` speakers (0 to 100) by the metric, in one statement; see
   * StatsRepository.findLeaderboard for what counts. An unknown topic slug gives [].
   */
  leaderboard(query: LeaderboardQuery): Promise<LeaderboardRow[]> {
    if (!Number.isInteger(query.first) || query.first < 0 || query.first > MAX_PAGE_SIZE) {
      throw new BadUserInputError('first', `must be between 0 and ${MAX_PAGE_SIZE}`);
    }
    if (query.first === 0) return Promise.resolve([]);
    return this.repos.stats.findLeaderboard(query);
  }
}
