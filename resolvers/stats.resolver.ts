import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { Speaker, Talk, Topic } from '../entities';
import type { Context } from '../src/context';
import { checkHistoryDays, DEFAULT_HISTORY_DAYS } from '../src/lib/days';
import type { SpeakerTotals } from '../src/stats-loaders';
import {
  DailyCount,
  SpeakerMetric,
  SpeakerRanking,
  SpeakerStats,
  TopicCount,
} from './types/stats.types';

const HISTORY_DESCRIPTION =
  'Views per UTC day for the last `days` days (1 to 365) ending today: oldest first, one entry per day, zeros included.';
const DEFAULT_LEADERBOARD_SIZE = 10;

/** `Speaker.stats`: a handle only; each SpeakerStats field loads what it needs. */
@Resolver(() => Speaker)
export class SpeakerStatsFieldResolver {
  @FieldResolver(() => SpeakerStats)
  stats(@Root() speaker: Speaker): SpeakerStats {
    return Object.assign(new SpeakerStats(), { speakerId: speaker.id });
  }
}

@Resolver(() => SpeakerStats)
export class SpeakerStatsResolver {
  @FieldResolver(() => Int)
  async talkCount(@Root() stats: SpeakerStats, @Ctx() ctx: Context): Promise<number> {
    return (await totals(ctx, stats)).talkCount;
  }

  @FieldResolver(() => Int, { description: 'Distinct events the speaker gave talks at.' })
  async eventCount(@Root() stats: SpeakerStats, @Ctx() ctx: Context): Promise<number> {
    return (await totals(ctx, stats)).eventCount;
  }

  @FieldResolver(() => Int, { description: "Sum of the views of the speaker's talks." })
  async viewCount(@Root() stats: SpeakerStats, @Ctx() ctx: Context): Promise<number> {
    return (await totals(ctx, stats)).viewCount;
  }

  @FieldResolver(() => Int, { description: "Sum of the likes of the speaker's talks." })
  async likeCount(@Root() stats: SpeakerStats, @Ctx() ctx: Context): Promise<number> {
    return (await totals(ctx, stats)).likeCount;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: "Start of the earliest talk (its own start, else its event's).",
  })
  async firstTalkAt(@Root() stats: SpeakerStats, @Ctx() ctx: Context): Promise<Date | null> {
    return (await totals(ctx, stats)).firstTalkAt;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: "Start of the latest talk (its own start, else its event's).",
  })
  async lastTalkAt(@Root() stats: SpeakerStats, @Ctx() ctx: Context): Promise<Date | null> {
    return (await totals(ctx, stats)).lastTalkAt;
  }

  @FieldResolver(() => [TopicCount], {
    description:
      "Topics of the speaker's talks with how many talks each: most first, then by name.",
  })
  async topics(@Root() stats: SpeakerStats, @Ctx() ctx: Context): Promise<TopicCount[]> {
    const counts = await ctx.stats.topicCountsBySpeakerId.load(stats.speakerId);
    const topics = await ctx.loaders.topicById.loadMany(counts.map((c) => c.topicId));
    // A topic deleted since the counts were read is left out rather than returned as null.
    return counts.flatMap((count, i) => {
      const topic = topics[i];
      return topic instanceof Topic ? [{ topic, talkCount: count.talkCount }] : [];
    });
  }

  @FieldResolver(() => [DailyCount], {
    description: `${HISTORY_DESCRIPTION} Summed over the speaker's talks.`,
  })
  viewHistory(
    @Root() stats: SpeakerStats,
    @Arg('days', () => Int, { nullable: true, defaultValue: DEFAULT_HISTORY_DAYS })
    days: number | null,
    @Ctx() ctx: Context,
  ): Promise<DailyCount[]> {
    const window = checkHistoryDays(days ?? DEFAULT_HISTORY_DAYS);
    return ctx.stats.viewHistoryBySpeakerId(window).load(stats.speakerId);
  }
}

/** `Talk.viewHistory`, next to the other statistics; type-graphql merges it into Talk. */
@Resolver(() => Talk)
export class TalkStatsResolver {
  @FieldResolver(() => [DailyCount], { description: HISTORY_DESCRIPTION })
  viewHistory(
    @Root() talk: Talk,
    @Arg('days', () => Int, { nullable: true, defaultValue: DEFAULT_HISTORY_DAYS })
    days: number | null,
    @Ctx() ctx: Context,
  ): Promise<DailyCount[]> {
    const window = checkHistoryDays(days ?? DEFAULT_HISTORY_DAYS);
    return ctx.stats.viewHistoryByTalkId(window).load(talk.id);
  }
}

@Resolver(() => SpeakerRanking)
export class LeaderboardResolver {
  @Query(() => [SpeakerRanking], {
    description:
      'Top speakers by a metric, computed from stored counters (fresh within one counter flush interval). ' +
      'Ties share a rank, competition style (1, 2, 2, 4), and are listed by name. ' +
      'Only speakers with a talk in scope (tagged with `topic`; for TALKS, at an event starting at or after `since`) are ranked; ' +
      'with `since`, VIEWS and LIKES rank such speakers with 0 when nothing counts.',
  })
  async speakerLeaderboard(
    @Arg('metric', () => SpeakerMetric, { defaultValue: SpeakerMetric.VIEWS })
    metric: SpeakerMetric,
    @Arg('first', () => Int, {
      nullable: true,
      defaultValue: DEFAULT_LEADERBOARD_SIZE,
      description: '0 to 100.',
    })
    first: number | null,
    @Arg('topic', () => String, {
      nullable: true,
      description:
        'Topic slug: count only talks tagged with it (an unknown slug gives an empty list).',
    })
    topic: string | null,
    @Arg('since', () => Date, {
      nullable: true,
      description:
        'VIEWS: count only daily view buckets from this UTC day on. ' +
        'LIKES: count only likes given at or after it; likes imported without a like record (seed data) then do not count. ' +
        'TALKS: count only talks at events starting at or after it.',
    })
    since: Date | null,
    @Ctx() ctx: Context,
  ): Promise<SpeakerRanking[]> {
    const rows = await ctx.services.stats.leaderboard({
      metric,
      first: first ?? DEFAULT_LEADERBOARD_SIZE,
      topic: topic ?? null,
      since: since ?? null,
    });
    const speakers = await ctx.loaders.speakerById.loadMany(rows.map((row) => row.speakerId));
    // A speaker deleted since the ranking was read is left out rather than returned as null.
    return rows.flatMap((row, i) => {
      const speaker = speakers[i];
      return speaker instanceof Speaker ? [{ rank: row.rank, speaker, value: row.value }] : [];
    });
  }
}

function totals(ctx: Context, stats: SpeakerStats): Promise<SpeakerTotals> {
  return ctx.stats.totalsBySpeakerId.load(stats.speakerId);
}
