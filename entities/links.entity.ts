import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Event } from './event.entity';
import { Speaker } from './speaker.entity';
import { Talk } from './talk.entity';
import { Topic } from './topic.entity';

/** Who gives a talk, in billing order. Deleting a speaker with talks is refused (RESTRICT). */
@Entity({ name: 'talk_speakers' })
export class TalkSpeaker {
  @PrimaryColumn({ type: 'integer' })
  talkId!: number;

  @PrimaryColumn({ type: 'integer' })
  speakerId!: number;

  @Column({ type: 'integer' })
  position!: number;

  @ManyToOne(() => Talk, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'talk_id' })
  talk?: Talk;

  @ManyToOne(() => Speaker, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'speaker_id' })
  speaker?: Speaker;
}

/** A talk's topic tags, in the order given. Deleting a topic untags its talks (CASCADE). */
@Entity({ name: 'talk_topics' })
export class TalkTopic {
  @PrimaryColumn({ type: 'integer' })
  talkId!: number;

  @PrimaryColumn({ type: 'integer' })
  topicId!: number;

  @Column({ type: 'integer' })
  position!: number;

  @ManyToOne(() => Talk, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'talk_id' })
  talk?: Talk;

  @ManyToOne(() => Topic, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'topic_id' })
  topic?: Topic;
}

/**
 * One viewer's like of an Event or a Talk (exactly one of the two ids is set). The
 * database is the truth for who liked what; unique per viewer and subject.
 */
@Entity({ name: 'likes' })
export class Like {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  viewerId!: string;

  @Column({ type: 'integer', nullable: true })
  eventId!: number | null;

  @Column({ type: 'integer', nullable: true })
  talkId!: number | null;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Event;

  @ManyToOne(() => Talk, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'talk_id' })
  talk?: Talk;

  @CreateDateColumn()
  createdAt!: Date;
}
