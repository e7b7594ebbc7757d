import type { Database } from '../database';
import { toInt } from '../database';
import { REAL_EVENT, REAL_SPEAKERS, REAL_TALKS, REAL_TOPICS } from './real-event';

export async function isEmpty(db: Database): Promise<boolean> {
  const [row] = await db.query('SELECT COUNT(*) AS n FROM events');
  return toInt(row?.n) === 0;
}

/** Inserts the 掘力计划 第21期 event with its talks, speakers and topics, in one transaction. */
export async function seedRealEvent(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    const insert = async (sql: string, params: Record<string, unknown>): Promise<number> => {
      const [row] = await db.query(`${sql} RETURNING id`, params, tx);
      return toInt(row?.id);
    };
    const { startsAt, ...event } = REAL_EVENT;
    const eventId = await insert(
      `INSERT INTO events (slug, title, summary, series, edition, starts_at, city, venue, organizer, view_count, like_count)
       VALUES (:slug, :title, :summary, :series, :edition, :startsAt, :city, :venue, :organizer, :viewCount, :likeCount)`,
      { ...event, startsAt: db.dateParam(startsAt) },
    );
    const topicIds = new Map<string, number>();
    for (const topic of REAL_TOPICS) {
      topicIds.set(
        topic.slug,
        await insert(`INSERT INTO topics (slug, name) VALUES (:slug, :name)`, { ...topic }),
      );
    }
    const speakerIds = new Map<string, number>();
    for (const speaker of REAL_SPEAKERS) {
      speakerIds.set(
        speaker.slug,
        await insert(
          `INSERT INTO speakers (slug, name, headline, affiliation) VALUES (:slug, :name, :headline, :affiliation)`,
          { ...speaker },
        ),
      );
    }
    for (const [index, talk] of REAL_TALKS.entries()) {
      const talkId = await insert(
        `INSERT INTO talks (event_id, slug, title, abstract, position, sort_starts_at)
         VALUES (:eventId, :slug, :title, :abstract, :position, :sortStartsAt)`,
        {
          eventId,
          slug: talk.slug,
          title: talk.title,
          abstract: talk.abstract,
          position: index + 1,
          sortStartsAt: db.dateParam(startsAt),
        },
      );
      for (const [position, slug] of talk.speakers.entries()) {
        await db.query(
          `INSERT INTO talk_speakers (talk_id, speaker_id, position) VALUES (:talkId, :speakerId, :position)`,
          { talkId, speakerId: speakerIds.get(slug), position: position + 1 },
          tx,
        );
      }
      for (const [position, slug] of talk.topics.entries()) {
        await db.query(
          `INSERT INTO talk_topics (talk_id, topic_id, position) VALUES (:talkId, :topicId, :position)`,
          { talkId, topicId: topicIds.get(slug), position: position + 1 },
          tx,
        );
      }
    }
  });
}
