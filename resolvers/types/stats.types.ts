import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Speaker, Topic } from '../../entities';
import { type Day, isDay, utcDay } from '../../src/lib/days';

function parseDay(value: unknown): Day {
  if (typeof value !== 'string' || !isDay(value)) {
    throw new GraphQLError('Date must be a calendar day written YYYY-MM-DD');
  }
  return value;
}

/** Days travel as their 'YYYY-MM-DD' text, checked both ways; never as a JS Date. */
export const DateScalar = new GraphQLScalarType<Day, Day>({
  name: 'Date',
  description: 'A calendar day in UTC, written YYYY-MM-DD (e.g. 2023-08-12).',
  serialize(value) {
    return value instanceof Date ? utcDay(value) : parseDay(value);
  },
  parseValue: parseDay,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('Date must be a string written YYYY-MM-DD', { nodes: ast });
    }
    return parseDay(ast.value);
  },
});

export enum SpeakerMetric {
  VIEWS = 'VIEWS',
  LIKES = 'LIKES',
  TALKS = 'TALKS',
}
registerEnumType(SpeakerMetric, {
  name: 'SpeakerMetric',
  description: 'What the speaker leaderboard ranks by.',
  valuesConfig: {
    VIEWS: { description: "Views of the speaker's talks." },
    LIKES: { description: "Likes of the speaker's talks." },
    TALKS: { description: 'Number of talks given.' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'Views on one day.' })
export class DailyCount {
  @Field(() => DateScalar, { description: 'The UTC day.' })
  day!: Day;

  @Field(() => Int)
  count!: number;
}

@ObjectType({
  simpleResolvers: true,
  description: 'A topic and how many of the talks in question carry it.',
})
export class TopicCount {
  @Field(() => Topic)
  topic!: Topic;

  @Field(() => Int)
  talkCount!: number;
}

/**
 * Aggregates over one speaker's talks. Every field is resolved on demand through the stats
 * loaders, so selecting only `talkCount` costs one statement for a whole page of speakers.
 */
@ObjectType({
  simpleResolvers: true,
  description:
    "Aggregates over a speaker's talks. Counts come from the talks' stored totals: fresh within one counter flush interval.",
})
export class SpeakerStats {
  speakerId!: number;
}

@ObjectType({ simpleResolvers: true, description: 'One place on the speaker leaderboard.' })
export class SpeakerRanking {
  @Field(() => Int, { description: 'Competition ranking: ties share a rank (1, 2, 2, 4).' })
  rank!: number;

  @Field(() => Speaker)
  speaker!: Speaker;

  @Field(() => Int, { description: 'The metric ranked by.' })
  value!: number;
}
